"""The HTTP side of the fake: a ``ThreadingHTTPServer`` on 127.0.0.1, the request handler that reads a
request (chunked or not), decodes its parameters (query string, form, multipart, JSON) and hands them to
``FakeBotApi._serve``, then writes the JSON answer (or drops the connection)."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import urllib.parse
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_bot_api.api import FakeBotApi

# Parameters whose value is a plain string even though it may look like JSON ("123", "true", ...).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "query",
        "data",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "description",
        "short_description",
        "name",
        "url",
        "parse_mode",
        "language_code",
        "next_offset",
        "switch_pm_text",
        "switch_pm_parameter",
        "action",
        "secret_token",
        "ip_address",
        "message_text",
        "title",
        "emoji",
        "sticker",
        "photo",
        "document",
        "audio",
        "video",
        "voice",
        "animation",
        "file_id",
        "business_connection_id",
        "message_effect_id",
    }
)


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # listen() backlog: a burst of concurrent sends must not be refused

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished (a bot killed with SIGKILL) is no error of the fake's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle's algorithm and the client's delayed ACK,
    # every response on a kept-alive connection would wait ~40 ms. Telegram does not.
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        super().setup()
        self.server.api._register_connection(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.api._register_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        """The whole body; ConnectionError if the client went away before sending all of it (a
        process killed mid-request): like Telegram, the stand-in then never serves the request."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline()
                if not line:
                    raise ConnectionError("the client closed the connection mid-body")
                size = int(line.strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self._read_exactly(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self._read_exactly(length) if length else b""

    def _read_exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise ConnectionError("the client closed the connection mid-body")
        return data

    def _params(self, query: str, body: bytes) -> dict[str, Any]:
        raw: dict[str, Any] = {
            k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()
        }
        ctype = self.headers.get("Content-Type") or ""
        if body:
            if ctype.startswith("application/json"):
                loaded = json.loads(body.decode("utf-8"))
                if isinstance(loaded, dict):
                    raw.update(loaded)
            elif ctype.startswith("multipart/form-data"):
                msg = BytesParser(policy=HTTP).parsebytes(
                    b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body
                )
                for part in msg.iter_parts() if hasattr(msg, "iter_parts") else []:
                    assert isinstance(part, Message)
                    name = part.get_param("name", header="content-disposition")
                    if not isinstance(name, str):
                        continue
                    payload = part.get_payload(decode=True)
                    data = payload if isinstance(payload, bytes) else b""
                    filename = part.get_filename()
                    if filename is not None:
                        raw[name] = {
                            "filename": filename,
                            "size": len(data),
                            "content_type": part.get_content_type(),
                        }
                    else:
                        raw[name] = data.decode("utf-8")
            else:
                for k, v in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                    raw[k] = v[-1]
        return {k: _decode_value(k, v) for k, v in raw.items()}

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. a cancelled long poll)
            self.close_connection = True

    def _send_file(self, path: str) -> None:
        """A file download, /file/bot<token>/<file_path>: the bytes, or 401 / 404 as JSON."""
        api = self.server.api
        match = re.fullmatch(r"/file/bot([^/]*)/(.+)", urllib.parse.unquote(path))
        if match is None or match.group(1) != api.token:
            status = 404 if match is None else 401
            self._send_json(status, {"ok": False, "error_code": status, "description": "Unauthorized"})
            return
        data = api.download(match.group(2))
        if data is None:
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _dispatch(self) -> None:
        api = self.server.api
        split = urllib.parse.urlsplit(self.path)
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self._drop()
            return
        path = split.path
        if path.startswith("/file/bot"):
            self._send_file(path)
            return
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z0-9_]*)", path)
        if match is None:
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = match.group(1), match.group(2)
        try:
            params = self._params(split.query, body)
        except (ValueError, UnicodeDecodeError):
            self._send_json(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse request"}
            )
            return
        if token != api.token:
            self._send_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        outcome = api._serve(method, params)
        if outcome is None:
            self._drop()
            return
        status, payload = outcome
        self._send_json(status, payload)
