"""An in-process stand-in for the Telegram Bot API server, for end-to-end tests.

The real python-telegram-bot ``Application``/``Bot`` talks to it over real HTTP on 127.0.0.1::

    with FakeBotApi() as api:
        app = (ApplicationBuilder().token(TOKEN).base_url(api.base_url)
               .base_file_url(api.base_file_url).build())
        api.command("start")
        ...run the app...
        [reply] = api.wait_until_sent(1)

PTB 22 (``HTTPXRequest``) sends parameters as ``application/x-www-form-urlencoded`` (``multipart/form-data``
when uploading files): strings verbatim, every other value JSON-encoded (``chat_id=42``,
``reply_markup={"inline_keyboard": ...}``).  The server decodes them back (see ``_decode_value``); plain JSON
bodies and GET query strings are accepted too.

Everything is guarded by one re-entrant ``Condition``; the HTTP server runs in its own daemon threads, so
tests may drive sync or async code.  ``Call.at`` is ``time.monotonic()``.

The ``wait_*`` helpers block the calling thread.  From a coroutine that shares its event loop with the bot
use ``wait_for_async`` / ``wait_until_sent_async`` / ``wait_until_consumed_async`` instead (or
``await asyncio.to_thread(api.wait_until_sent, n)``), otherwise the bot cannot run while you wait.

Behaves like Telegram where it matters for tests: ``deleteWebhook(drop_pending_updates=True)`` (what
``run_polling(drop_pending_updates=True)`` sends) discards queued updates, so queue them after the bot has
started polling; ``getUpdates`` while a webhook is set answers 409; a newer ``getUpdates`` ends an older
long poll (with ``[]``, not with the 409 Telegram would send, so a cancelled poll never shows up in
``rejected``); updates whose type is not in ``allowed_updates`` are discarded (see ``discarded_updates``);
editing a message without ``reply_markup`` removes its inline keyboard.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import socket
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.html_check import TelegramHtmlError, parse_telegram_html, utf16_len

__all__ = ["TOKEN", "ApiError", "Call", "FakeBotApi"]

TOKEN = "123456789:AAH-test-token-abcdefghijklmnopqrstu"

MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units after entity parsing
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_INLINE_BUTTONS = 100

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Telegram's default when allowed_updates is [] or was never set.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
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

_METHODS_WITH_CHAT = frozenset(
    {
        "sendmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
        "sendchataction",
        "sendphoto",
        "senddocument",
        "sendsticker",
        "sendlocation",
        "sendaudio",
        "sendvoice",
        "sendvideo",
        "forwardmessage",
        "copymessage",
        "deletemessage",
    }
)


@dataclass
class Call:
    """One request the bot made, recorded when it arrived (``at`` = ``time.monotonic()``).

    ``params`` are JSON-decoded; ``status`` is the HTTP status answered (None while still in flight, e.g. a
    long poll; 0 = connection dropped); ``response`` is the ``result`` or the error description."""

    method: str
    params: dict[str, Any]
    at: float
    status: int | None = field(default=None, compare=False)
    response: Any = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


class ApiError(Exception):
    """Raised inside method handlers; becomes ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class _Fault:
    times: int
    status: int = 0
    retry_after: int | None = None
    description: str | None = None
    seconds: float = 0.0
    processed: bool = False


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _now() -> int:
    return int(time.time())


def _default_error_description(status: int) -> str:
    if status == 429:
        return "Too Many Requests: retry after {retry_after}"
    if status == 403:
        return BLOCKED
    if status in (500, 502):
        return "Internal Server Error"
    if status == 400:
        return "Bad Request: injected failure"
    if status == 401:
        return "Unauthorized"
    if status == 404:
        return "Not Found"
    if status == 409:
        return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # listen() backlog: a burst of concurrent sends must not be refused

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle's algorithm and the client's delayed ACK,
    # every response on a kept-alive connection would wait ~40 ms. Telegram does not.
    disable_nagle_algorithm = True
    server: _Server

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
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

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
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
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


class FakeBotApi:
    """A scriptable, recording Telegram Bot API server.  See the module docstring."""

    def __init__(
        self, token: str = TOKEN, username: str = "dystonia_faq_bot", bot_id: int = 123456789
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.bot_first_name = "Dystonia FAQ"
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._stopping = False

        self.calls: list[Call] = []
        self.rejected: list[Call] = []
        self.dropped: list[Call] = []
        self.errors: list[str] = []  # tracebacks of unexpected exceptions inside the fake
        self._updates: list[dict[str, Any]] = []
        self.update_history: dict[int, dict[str, Any]] = {}  # every update ever queued, by update_id
        self._next_update_id = 100_000_001
        self._confirmed_offset = 0
        self._poll_generation = 0
        self._allowed_updates: list[str] | None = None
        self.discarded_updates: list[dict[str, Any]] = []  # dropped by allowed_updates / drop_pending_updates

        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._last_bot_message: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._open_callback_queries: dict[str, dict[str, Any]] = {}
        self._open_inline_queries: dict[str, dict[str, Any]] = {}
        self._query_counter = 0
        self.answered_callback_queries: dict[str, dict[str, Any]] = {}
        self.answered_inline_queries: dict[str, dict[str, Any]] = {}
        self._blocked: set[int] = set()

        self._failures: dict[str, list[_Fault]] = {}
        self._delays: dict[str, list[_Fault]] = {}
        self._drops: dict[str, list[_Fault]] = {}

        self.webhook_url = ""
        self.webhook_info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._server is not None:
            return
        self._stopping = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeBotApi", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            conns = list(self._connections)
        server.shutdown()
        server.server_close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _register_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._cond:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotApi is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ entities for scripted updates
    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.username,
        }

    @staticmethod
    def _user(user_id: int, first_name: str = "Ann") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    def _chat(self, chat_id: int, chat_type: str = "private", first_name: str = "Ann") -> dict[str, Any]:
        with self._cond:
            known = self._chats.get(chat_id)
            if known is not None:
                return dict(known)
            if chat_type == "private":
                chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
            else:
                chat = {"id": chat_id, "type": chat_type, "title": "Test chat"}
            self._chats[chat_id] = chat
            return dict(chat)

    def _chat_for_send(self, chat_id: int) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": chat_type, "title": "Chat"}

    def _new_message_id(self, chat_id: int) -> int:
        with self._cond:
            mid = self._next_message_id.get(chat_id, 1)
            self._next_message_id[chat_id] = mid + 1
            return mid

    def _new_query_id(self) -> str:
        with self._cond:
            self._query_counter += 1
            return str(4_700_000_000_000_000_000 + self._query_counter * 7919)

    @staticmethod
    def _default_chat_id(user_id: int, chat_id: int | None, chat_type: str) -> int:
        if chat_id is not None:
            return chat_id
        if chat_type == "private":
            return user_id
        if chat_type == "group":
            return -4_000_000_001
        return -1_001_000_000_001

    # ------------------------------------------------------------------ scripted updates
    def add_update(self, update: dict[str, Any]) -> int:
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._updates.append(update)
            self.update_history[update_id] = update
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._cond.notify_all()
            return update_id

    def message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Ann",
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
    ) -> int:
        with self._cond:
            cid = self._default_chat_id(user_id, chat_id, chat_type)
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(cid),
                "from": self._user(user_id, first_name),
                "chat": self._chat(cid, chat_type, first_name),
                "date": _now(),
                "text": text,
            }
            ents = entities if entities is not None else self._command_entities(text)
            if ents:
                msg["entities"] = ents
            if reply_to_bot:
                msg["reply_to_message"] = self._bot_message_for_reply(cid)
            self._messages[(cid, msg["message_id"])] = msg
            return self.add_update({"message": copy.deepcopy(msg)})

    @staticmethod
    def _command_entities(text: str) -> list[dict[str, Any]]:
        if not text.startswith("/"):
            return []
        first = text.split(maxsplit=1)[0] if text.strip() else text
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(first)}]

    def _bot_message_for_reply(self, chat_id: int) -> dict[str, Any]:
        last = self._last_bot_message.get(chat_id)
        if last is not None:
            reply = copy.deepcopy(last)
            reply.pop("reply_to_message", None)
            return reply
        return {
            "message_id": self._new_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat_for_send(chat_id),
            "date": _now() - 60,
            "text": "…",
        }

    def command(self, name: str, args: str = "", **kw: Any) -> int:
        text = "/" + name.lstrip("/") + (f" {args}" if args else "")
        return self.message(text, **kw)

    def edited_message(
        self, message_id: int, text: str, *, user_id: int = 1001, chat_id: int | None = None
    ) -> int:
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            old = self._messages.get((cid, message_id))
            msg: dict[str, Any] = (
                copy.deepcopy(old)
                if old is not None
                else {
                    "message_id": message_id,
                    "from": self._user(user_id),
                    "chat": self._chat(cid),
                    "date": _now() - 60,
                }
            )
            msg["text"] = text
            msg.pop("entities", None)
            ents = self._command_entities(text)
            if ents:
                msg["entities"] = ents
            msg["edit_date"] = _now()
            self._messages[(cid, message_id)] = msg
            return self.add_update({"edited_message": copy.deepcopy(msg)})

    def non_text(
        self, kind: str, *, user_id: int = 1001, chat_id: int | None = None, caption: str | None = None
    ) -> int:
        n = self._next_update_id
        fid = {"file_id": f"AgACAgIAAxkBAAIB{n}{kind}", "file_unique_id": f"AQAD{n}{kind[:3]}"}
        payloads: dict[str, Any] = {
            "sticker": {
                **fid,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "🙂",
            },
            "photo": [
                {**fid, "file_id": fid["file_id"] + "s", "width": 90, "height": 67, "file_size": 1200},
                {**fid, "width": 800, "height": 600, "file_size": 64000},
            ],
            "voice": {**fid, "duration": 3, "mime_type": "audio/ogg", "file_size": 12000},
            "document": {
                **fid,
                "file_name": "report.pdf",
                "mime_type": "application/pdf",
                "file_size": 34567,
            },
            "location": {"latitude": 52.52, "longitude": 13.405},
            "video": {**fid, "width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4"},
            "audio": {
                **fid,
                "duration": 120,
                "performer": "Artist",
                "title": "Song",
                "mime_type": "audio/mpeg",
            },
            "contact": {"phone_number": "+15550100", "first_name": "Bob", "user_id": 2002},
            "animation": {**fid, "width": 320, "height": 240, "duration": 2},
            "video_note": {**fid, "length": 240, "duration": 3},
            "dice": {"emoji": "🎲", "value": 3},
        }
        if kind not in payloads:
            raise ValueError(f"unknown non-text kind {kind!r}; choose from {sorted(payloads)}")
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(cid),
                "from": self._user(user_id),
                "chat": self._chat(cid),
                "date": _now(),
                kind: payloads[kind],
            }
            if caption is not None and kind in ("photo", "voice", "document", "video", "audio", "animation"):
                msg["caption"] = caption
            self._messages[(cid, msg["message_id"])] = msg
            return self.add_update({"message": copy.deepcopy(msg)})

    def callback(
        self, data: str, *, user_id: int = 1001, chat_id: int | None = None, message_id: int | None = None
    ) -> int:
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            if message_id is None:
                last = self._last_bot_message.get(cid)
                if last is None:
                    raise ValueError(
                        f"the bot has not sent anything to chat {cid}; pass message_id explicitly"
                    )
                msg = copy.deepcopy(last)
            else:
                stored = self._messages.get((cid, message_id))
                msg = (
                    copy.deepcopy(stored)
                    if stored is not None
                    else {
                        "message_id": message_id,
                        "from": self.bot_user,
                        "chat": self._chat_for_send(cid),
                        "date": _now() - 60,
                        "text": "…",
                    }
                )
            query_id = self._new_query_id()
            self._open_callback_queries[query_id] = {"data": data, "user_id": user_id, "chat_id": cid}
            query = {
                "id": query_id,
                "from": self._user(user_id),
                "message": msg,
                "chat_instance": str(-(abs(cid) * 7 + 3_141_592_653)),
                "data": data,
            }
            return self.add_update({"callback_query": query})

    def inline_query(self, query: str, *, user_id: int = 1001) -> int:
        with self._cond:
            query_id = self._new_query_id()
            self._open_inline_queries[query_id] = {"query": query, "user_id": user_id}
            return self.add_update(
                {
                    "inline_query": {
                        "id": query_id,
                        "from": self._user(user_id),
                        "query": query,
                        "offset": "",
                        "chat_type": "sender",
                    }
                }
            )

    def message_id_of(self, update_id: int) -> int:
        """The message_id of the (edited_)message / callback message carried by a scripted update."""
        with self._cond:
            update = self.update_history[update_id]
            for key in ("message", "edited_message", "channel_post"):
                if key in update:
                    return int(update[key]["message_id"])
            if "callback_query" in update:
                return int(update["callback_query"]["message"]["message_id"])
            raise KeyError(f"update {update_id} carries no message")

    @property
    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    @property
    def confirmed_offset(self) -> int:
        with self._cond:
            return self._confirmed_offset

    # ------------------------------------------------------------------ recording / waiting
    def calls_of(self, method: str) -> list[Call]:
        key = method.lower()
        with self._cond:
            return [c for c in self.calls if c.method.lower() == key]

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of successful sendMessage/editMessageText calls, in order (optionally for one chat)."""
        with self._cond:
            return [
                c.params
                for c in self.calls
                if c.ok
                and c.method in ("sendMessage", "editMessageText")
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The Message results (as Telegram rendered them: visible text, entities) of successful
        sendMessage/editMessageText calls."""
        with self._cond:
            return [
                c.response
                for c in self.calls
                if c.ok
                and c.method in ("sendMessage", "editMessageText")
                and isinstance(c.response, dict)
                and (chat_id is None or c.response.get("chat", {}).get("id") == chat_id)
            ]

    def summary(self, limit: int = 40) -> str:
        with self._cond:
            lines = [
                f"{len(self.calls)} calls, {len(self._updates)} pending updates, "
                f"confirmed_offset={self._confirmed_offset}, {len(self.rejected)} rejected"
            ]
            for c in self.calls[-limit:]:
                shown = {
                    k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v)
                    for k, v in c.params.items()
                }
                detail = f" -> {c.response}" if not c.ok else ""
                lines.append(f"  {c.method} [{c.status}] {shown}{detail}")
            return "\n".join(lines)

    def wait_for(self, predicate: Callable[[FakeBotApi], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"FakeBotApi.wait_for timed out after {timeout}s (called from a coroutine on the "
                        f"bot's event loop? use the *_async variants)\n{self.summary()}"
                    )
                self._cond.wait(min(remaining, 0.05))

    def wait_until_sent(
        self, n: int, chat_id: int | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until at least n messages were sent/edited (to chat_id); return all of them."""
        self.wait_for(lambda api: len(api.sent(chat_id)) >= n, timeout)
        return self.sent(chat_id)

    def wait_until_consumed(self, timeout: float = 10.0) -> None:
        self.wait_for(lambda api: api.pending_updates == 0, timeout)

    # Async twins: use these from a coroutine running on the same event loop as the bot (the sync ones
    # would block that loop, so the bot could never answer).
    async def wait_for_async(self, predicate: Callable[[FakeBotApi], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                if predicate(self):
                    return
            if time.monotonic() >= deadline:
                summary = self.summary()
                raise AssertionError(f"FakeBotApi.wait_for_async timed out after {timeout}s\n{summary}")
            await asyncio.sleep(0.01)

    async def wait_until_sent_async(
        self, n: int, chat_id: int | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        await self.wait_for_async(lambda api: len(api.sent(chat_id)) >= n, timeout)
        return self.sent(chat_id)

    async def wait_until_consumed_async(self, timeout: float = 10.0) -> None:
        await self.wait_for_async(lambda api: api.pending_updates == 0, timeout)

    # ------------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        with self._cond:
            self._failures.setdefault(method.lower(), []).append(
                _Fault(times, status=status, retry_after=retry_after, description=description)
            )

    def delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        with self._cond:
            self._delays.setdefault(method.lower(), []).append(_Fault(times, seconds=seconds))

    def drop_connection(self, method: str, *, times: int = 1, processed: bool = False) -> None:
        """Close the socket without answering (the bot sees a NetworkError).

        By default the call has no effect (recorded with status 0).  processed=True carries it out first and
        records its real status -- e.g. the message is delivered and appears in sent() -- but the answer is
        lost, like a response dropped on the way back."""
        with self._cond:
            self._drops.setdefault(method.lower(), []).append(_Fault(times, processed=processed))

    def block_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    @staticmethod
    def _take(faults: dict[str, list[_Fault]], key: str) -> _Fault | None:
        queue = faults.get(key)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    # ------------------------------------------------------------------ request handling
    def _serve(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        key = method.lower()
        canonical = _CANONICAL.get(key, method)
        call = Call(canonical, params, time.monotonic())
        with self._cond:
            self.calls.append(call)
            delay = self._take(self._delays, key)
            drop = self._take(self._drops, key)
            failure = self._take(self._failures, key)
            self._cond.notify_all()
        if delay is not None:
            time.sleep(delay.seconds)
        if drop is not None and not drop.processed:
            return self._finish(call, 0, None)
        if failure is not None:
            status = failure.status
            retry_after = failure.retry_after if failure.retry_after is not None else 1
            description = failure.description or _default_error_description(status)
            description = description.replace("{retry_after}", str(retry_after))
            extra = {"retry_after": retry_after} if status == 429 else None
            outcome = self._finish(call, status, ApiError(status, description, extra))
        else:
            try:
                handler = _HANDLERS.get(key)
                if handler is None:
                    raise ApiError(404, "Not Found")
                if key in _METHODS_WITH_CHAT:
                    with self._cond:
                        if params.get("chat_id") in self._blocked:
                            raise ApiError(403, BLOCKED)
                result = handler(self, params)
                outcome = self._finish(call, 200, result)
            except ApiError as err:
                outcome = self._finish(call, err.status, err)
            except (ValueError, TypeError, KeyError) as exc:  # malformed parameters (or a bug in this fake)
                self.errors.append(traceback.format_exc())
                outcome = self._finish(call, 400, ApiError(400, f"Bad Request: invalid parameters ({exc!r})"))
            except Exception as exc:  # a bug in this fake: answer 500, keep the traceback for the test report
                self.errors.append(traceback.format_exc())
                outcome = self._finish(call, 500, ApiError(500, f"Internal Server Error: {exc!r}"))
        if drop is not None:  # processed=True: the work is done (and recorded as such), the answer is lost
            with self._cond:
                self.dropped.append(call)
            return None
        return outcome

    def _finish(self, call: Call, status: int, result: Any) -> tuple[int, dict[str, Any]] | None:
        with self._cond:
            call.status = status
            try:
                if status == 0:
                    self.dropped.append(call)
                    return None
                if isinstance(result, ApiError):
                    call.response = result.description
                    self.rejected.append(call)
                    payload: dict[str, Any] = {
                        "ok": False,
                        "error_code": status,
                        "description": result.description,
                    }
                    if result.parameters:
                        payload["parameters"] = result.parameters
                    return status, payload
                call.response = copy.deepcopy(result)
                return 200, {"ok": True, "result": result}
            finally:
                self._cond.notify_all()

    # ------------------------------------------------------------------ validation helpers
    def _chat_id(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    @staticmethod
    def _format_text(
        text: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[dict[str, Any]]]:
        empty = "Bad Request: message caption is empty" if caption else "Bad Request: message text is empty"
        if text is None or text == "":
            if caption:
                return "", []
            raise ApiError(400, empty)
        text = str(text)
        mode = str(parse_mode or "").lower()
        ents: list[dict[str, Any]] = []
        if isinstance(entities, list) and entities:
            visible, ents = text, [dict(e) for e in entities if isinstance(e, dict)]
        elif mode == "html":
            try:
                visible, ents = parse_telegram_html(text)
            except TelegramHtmlError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
        elif mode in ("", "markdown", "markdownv2"):
            visible = text  # Markdown is passed through unvalidated
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        stripped = visible.strip()
        if stripped != visible:
            lead = utf16_len(visible[: len(visible) - len(visible.lstrip())])
            total = utf16_len(stripped)
            adjusted = []
            for ent in ents:
                start = max(0, int(ent["offset"]) - lead)
                end = min(total, int(ent["offset"]) + int(ent["length"]) - lead)
                if end > start:
                    adjusted.append({**ent, "offset": start, "length": end - start})
            visible, ents = stripped, adjusted
        if not visible:
            if caption:
                return "", []
            raise ApiError(400, empty)
        limit = MAX_CAPTION_LENGTH if caption else MAX_MESSAGE_LENGTH
        if utf16_len(visible) > limit:
            too_long = "caption is too long" if caption else "is too long"
            raise ApiError(400, f"Bad Request: message {too_long}")
        return visible, ents

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        """Validate reply_markup; return what Telegram echoes in the Message (inline keyboards only)."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(400, "Bad Request: can't parse inline keyboard markup JSON object")
            count = 0
            for row in rows:
                for button in row:
                    count += 1
                    if not isinstance(button, dict):
                        raise ApiError(
                            400,
                            "Bad Request: can't parse inline keyboard button: "
                            "InlineKeyboardButton must be an Object",
                        )
                    text = button.get("text")
                    if not isinstance(text, str) or not text.strip():
                        raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                    actions = [a for a in INLINE_BUTTON_ACTIONS if a in button]
                    if not actions:
                        raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                    if len(actions) > 1:
                        raise ApiError(
                            400,
                            "Bad Request: can't parse inline keyboard button: "
                            f"exactly one of the optional fields must be used, got {actions}",
                        )
                    if "callback_data" in button:
                        data = button["callback_data"]
                        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
                        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    if "url" in button:
                        url = button["url"]
                        parsed = urllib.parse.urlsplit(url) if isinstance(url, str) else None
                        if parsed is None or not (
                            (parsed.scheme in ("http", "https") and parsed.netloc) or parsed.scheme == "tg"
                        ):
                            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            if count > MAX_INLINE_BUTTONS:
                raise ApiError(400, "Bad Request: BUTTONS_TOO_MUCH")
            return {"inline_keyboard": rows}
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text:
                        raise ApiError(400, "Bad Request: keyboard button text is empty")
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    def _stored_message(self, params: dict[str, Any], *, verb: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        msg = self._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        if msg is None:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return msg

    # ------------------------------------------------------------------ method handlers
    def _get_me(self, params: dict[str, Any]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _update_type(self, update: dict[str, Any]) -> str:
        return next((k for k in update if k != "update_id"), "")

    def _get_updates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._cond:
            if self.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first",
                )
            if isinstance(allowed, list):
                self._allowed_updates = [str(a) for a in allowed] or None
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:
                self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
                self._confirmed_offset = max(self._confirmed_offset, offset)
            elif offset < 0:
                keep = self._updates[offset:]
                if len(keep) < len(self._updates):
                    self._confirmed_offset = max(
                        self._confirmed_offset, int(keep[0]["update_id"]) if keep else 0
                    )
                self._updates = keep
            self._cond.notify_all()
            while True:
                kept: list[dict[str, Any]] = []
                for update in self._updates:
                    kind = self._update_type(update)
                    ok = (
                        (kind in self._allowed_updates)
                        if self._allowed_updates
                        else (kind not in DEFAULT_EXCLUDED_UPDATES)
                    )
                    (kept if ok else self.discarded_updates).append(update)
                self._updates = kept
                if kept or self._stopping or generation != self._poll_generation:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if generation != self._poll_generation or self._stopping:
                return []
            return copy.deepcopy(self._updates[:limit])

    def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        with self._cond:
            chat_id = self._chat_id(params)
            media = params.get(kind)
            if media is None or media == "":
                raise ApiError(400, f"Bad Request: there is no {kind} in the request")
            caption, entities = self._format_text(
                params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
            markup = self._check_markup(params.get("reply_markup"))
            reply_to = self._reply_target(chat_id, params)
            mid = self._new_message_id(chat_id)
            file_obj: dict[str, Any] = {
                "file_id": f"BQACAgIAAxkDAAI{chat_id}_{mid}",
                "file_unique_id": f"AgAD{mid}",
            }
            if isinstance(media, dict):  # an uploaded file (multipart)
                file_obj["file_size"] = media.get("size", 0)
                if kind == "document":
                    file_obj["file_name"] = media.get("filename", "file")
            payload: Any = file_obj
            if kind == "photo":
                payload = [{**file_obj, "width": 800, "height": 600}]
            elif kind == "sticker":
                payload = {
                    **file_obj,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            msg: dict[str, Any] = {
                "message_id": mid,
                "from": self.bot_user,
                "chat": self._chat_for_send(chat_id),
                "date": _now(),
                kind: payload,
            }
            if caption:
                msg["caption"] = caption
            if entities:
                msg["caption_entities"] = entities
            if reply_to is not None:
                msg["reply_to_message"] = reply_to
            if markup is not None:
                msg["reply_markup"] = markup
            self._messages[(chat_id, mid)] = msg
            self._last_bot_message[chat_id] = msg
            return copy.deepcopy(msg)

    def _send_photo(self, params: dict[str, Any]) -> Any:
        return self._send_media("photo", params)

    def _send_document(self, params: dict[str, Any]) -> Any:
        return self._send_media("document", params)

    def _send_sticker(self, params: dict[str, Any]) -> Any:
        return self._send_media("sticker", params)

    def _send_message(self, params: dict[str, Any]) -> Any:
        with self._cond:
            chat_id = self._chat_id(params)
            text, entities = self._format_text(
                params.get("text"), params.get("parse_mode"), params.get("entities")
            )
            markup = self._check_markup(params.get("reply_markup"))
            reply_to = self._reply_target(chat_id, params)
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id),
                "from": self.bot_user,
                "chat": self._chat_for_send(chat_id),
                "date": _now(),
                "text": text,
            }
            if entities:
                msg["entities"] = entities
            if reply_to is not None:
                msg["reply_to_message"] = reply_to
            if markup is not None:
                msg["reply_markup"] = markup
            self._messages[(chat_id, msg["message_id"])] = msg
            self._last_bot_message[chat_id] = msg
            return copy.deepcopy(msg)

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        message_id: Any = None
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
            if reply.get("chat_id") not in (None, chat_id):
                return None
        elif params.get("reply_to_message_id") is not None:
            message_id = params.get("reply_to_message_id")
        if message_id is None:
            return None
        target = self._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        if target is None:
            if allow_missing:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        target = copy.deepcopy(target)
        target.pop("reply_to_message", None)
        return target

    def _edit_message_text(self, params: dict[str, Any]) -> Any:
        with self._cond:
            text, entities = self._format_text(
                params.get("text"), params.get("parse_mode"), params.get("entities")
            )
            markup = self._check_markup(params.get("reply_markup"))
            if params.get("inline_message_id"):
                return True
            msg = self._stored_message(params, verb="edit")
            if msg.get("from", {}).get("id") != self.bot_id or "text" not in msg:
                raise ApiError(400, "Bad Request: message can't be edited")
            if (
                msg.get("text") == text
                and msg.get("entities", []) == entities
                and msg.get("reply_markup") == markup
            ):
                raise ApiError(400, NOT_MODIFIED)
            msg["text"] = text
            msg.pop("entities", None)
            if entities:
                msg["entities"] = entities
            msg.pop("reply_markup", None)
            if markup is not None:
                msg["reply_markup"] = markup
            msg["edit_date"] = _now()
            return copy.deepcopy(msg)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        with self._cond:
            markup = self._check_markup(params.get("reply_markup"))
            if params.get("inline_message_id"):
                return True
            msg = self._stored_message(params, verb="edit")
            if msg.get("from", {}).get("id") != self.bot_id:
                raise ApiError(400, "Bad Request: message can't be edited")
            if msg.get("reply_markup") == markup:
                raise ApiError(400, NOT_MODIFIED)
            msg.pop("reply_markup", None)
            if markup is not None:
                msg["reply_markup"] = markup
            msg["edit_date"] = _now()
            return copy.deepcopy(msg)

    def _delete_message(self, params: dict[str, Any]) -> Any:
        with self._cond:
            msg = self._stored_message(params, verb="delete")
            key = (msg["chat"]["id"], msg["message_id"])
            self._messages.pop(key, None)
            last = self._last_bot_message.get(key[0])
            if last is not None and last["message_id"] == key[1]:
                del self._last_bot_message[key[0]]
            return True

    def _answer_callback_query(self, params: dict[str, Any]) -> Any:
        with self._cond:
            query_id = str(params.get("callback_query_id") or "")
            if query_id not in self._open_callback_queries:
                raise ApiError(400, QUERY_TOO_OLD)
            text = params.get("text")
            if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            self.answered_callback_queries[query_id] = params
            del self._open_callback_queries[query_id]
            return True

    def _answer_inline_query(self, params: dict[str, Any]) -> Any:
        with self._cond:
            query_id = str(params.get("inline_query_id") or "")
            if query_id not in self._open_inline_queries:
                raise ApiError(400, QUERY_TOO_OLD)
            results = params.get("results")
            if not isinstance(results, list):
                raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
            if len(results) > MAX_INLINE_RESULTS:
                raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
            seen: set[str] = set()
            for result in results:
                if not isinstance(result, dict) or not isinstance(result.get("type"), str):
                    raise ApiError(400, "Bad Request: can't parse inline query result: type is missing")
                raw_id = result.get("id")
                result_id = raw_id if isinstance(raw_id, str) else ""
                id_size = len(result_id.encode("utf-8"))
                if not 1 <= id_size <= MAX_INLINE_RESULT_ID_BYTES:
                    raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
                if result_id in seen:
                    raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
                seen.add(result_id)
                if result["type"] == "article" and not result.get("title"):
                    raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
                content = result.get("input_message_content")
                if isinstance(content, dict) and "message_text" in content:
                    self._format_text(
                        content.get("message_text"), content.get("parse_mode"), content.get("entities")
                    )
                elif result["type"] == "article":
                    raise ApiError(
                        400, "Bad Request: can't parse inline query result: input_message_content is missing"
                    )
                self._check_markup(result.get("reply_markup"))
            self.answered_inline_queries[query_id] = params
            del self._open_inline_queries[query_id]
            return True

    def _send_chat_action(self, params: dict[str, Any]) -> Any:
        self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope")
        scope_key = json.dumps(scope, sort_keys=True) if isinstance(scope, dict) else '{"type": "default"}'
        return scope_key, str(params.get("language_code") or "")

    def _set_my_commands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for cmd in commands:
            if not isinstance(cmd, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand: BotCommand must be an Object")
            name, description = cmd.get("command"), cmd.get("description")
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name.lower()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(
                    400,
                    "Bad Request: command description is empty"
                    if not description
                    else "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
                )
        with self._cond:
            self.commands[self._scope_key(params)] = [
                {"command": c["command"].lower(), "description": c["description"]} for c in commands
            ]
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> Any:
        with self._cond:
            return copy.deepcopy(self.commands.get(self._scope_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self.commands.pop(self._scope_key(params), None)
        return True

    def _set_text_setting(self, store: dict[str, str], key: str, limit: int, params: dict[str, Any]) -> Any:
        value = params.get(key)
        value = "" if value is None else str(value)
        if len(value) > limit:
            raise ApiError(400, f"Bad Request: {key.upper()}_INVALID")
        with self._cond:
            store[str(params.get("language_code") or "")] = value
        return True

    def _set_my_description(self, params: dict[str, Any]) -> Any:
        return self._set_text_setting(self.descriptions, "description", 512, params)

    def _set_my_short_description(self, params: dict[str, Any]) -> Any:
        return self._set_text_setting(self.short_descriptions, "short_description", 120, params)

    def _set_my_name(self, params: dict[str, Any]) -> Any:
        return self._set_text_setting(self.names, "name", 64, params)

    def _get_my_description(self, params: dict[str, Any]) -> Any:
        with self._cond:
            return {"description": self.descriptions.get(str(params.get("language_code") or ""), "")}

    def _get_my_short_description(self, params: dict[str, Any]) -> Any:
        with self._cond:
            return {
                "short_description": self.short_descriptions.get(str(params.get("language_code") or ""), "")
            }

    def _get_my_name(self, params: dict[str, Any]) -> Any:
        with self._cond:
            return {"name": self.names.get(str(params.get("language_code") or ""), self.bot_first_name)}

    def _set_chat_menu_button(self, params: dict[str, Any]) -> Any:
        with self._cond:
            button = params.get("menu_button")
            chat_id = params.get("chat_id")
            self.menu_buttons[chat_id if isinstance(chat_id, int) else None] = (
                button if isinstance(button, dict) else {"type": "default"}
            )
        return True

    def _get_chat_menu_button(self, params: dict[str, Any]) -> Any:
        with self._cond:
            chat_id = params.get("chat_id")
            return self.menu_buttons.get(chat_id if isinstance(chat_id, int) else None, {"type": "commands"})

    def _drop_pending(self, params: dict[str, Any]) -> None:
        if params.get("drop_pending_updates") is True:
            self.discarded_updates.extend(self._updates)
            if self._updates:
                self._confirmed_offset = max(self._confirmed_offset, int(self._updates[-1]["update_id"]) + 1)
            self._updates = []
            self._cond.notify_all()

    def _set_webhook(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self._drop_pending(params)
            self.webhook_url = str(params.get("url") or "")
            self.webhook_info = {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
            if self.webhook_url:
                self.webhook_info["max_connections"] = int(params.get("max_connections") or 40)
                if isinstance(params.get("allowed_updates"), list):
                    self.webhook_info["allowed_updates"] = params["allowed_updates"]
            self._poll_generation += 1  # a webhook terminates long polls
            self._cond.notify_all()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> Any:
        with self._cond:
            self._drop_pending(params)
            self.webhook_url = ""
            self.webhook_info = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> Any:
        with self._cond:
            return {**self.webhook_info, "pending_update_count": len(self._updates)}

    def _get_chat(self, params: dict[str, Any]) -> Any:
        with self._cond:
            chat_id = self._chat_id(params)
            if chat_id not in self._chats:
                raise ApiError(400, "Bad Request: chat not found")
            return {**self._chats[chat_id], "accent_color_id": 0, "max_reaction_count": 11}

    def _true(self, params: dict[str, Any]) -> Any:
        return True


_Handler_t = Callable[[FakeBotApi, dict[str, Any]], Any]
_HANDLERS: dict[str, _Handler_t] = {
    "getme": FakeBotApi._get_me,
    "getupdates": FakeBotApi._get_updates,
    "sendmessage": FakeBotApi._send_message,
    "editmessagetext": FakeBotApi._edit_message_text,
    "editmessagereplymarkup": FakeBotApi._edit_message_reply_markup,
    "deletemessage": FakeBotApi._delete_message,
    "answercallbackquery": FakeBotApi._answer_callback_query,
    "answerinlinequery": FakeBotApi._answer_inline_query,
    "sendchataction": FakeBotApi._send_chat_action,
    "sendphoto": FakeBotApi._send_photo,
    "senddocument": FakeBotApi._send_document,
    "sendsticker": FakeBotApi._send_sticker,
    "setmycommands": FakeBotApi._set_my_commands,
    "getmycommands": FakeBotApi._get_my_commands,
    "deletemycommands": FakeBotApi._delete_my_commands,
    "setmydescription": FakeBotApi._set_my_description,
    "getmydescription": FakeBotApi._get_my_description,
    "setmyshortdescription": FakeBotApi._set_my_short_description,
    "getmyshortdescription": FakeBotApi._get_my_short_description,
    "setmyname": FakeBotApi._set_my_name,
    "getmyname": FakeBotApi._get_my_name,
    "setchatmenubutton": FakeBotApi._set_chat_menu_button,
    "getchatmenubutton": FakeBotApi._get_chat_menu_button,
    "setwebhook": FakeBotApi._set_webhook,
    "deletewebhook": FakeBotApi._delete_webhook,
    "getwebhookinfo": FakeBotApi._get_webhook_info,
    "getchat": FakeBotApi._get_chat,
    "close": FakeBotApi._true,
    "logout": FakeBotApi._true,
}
_CANONICAL: dict[str, str] = {
    name.lower(): name
    for name in [
        "getMe",
        "sendPhoto",
        "sendDocument",
        "sendSticker",
        "getUpdates",
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
        "answerInlineQuery",
        "sendChatAction",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "getMyDescription",
        "setMyShortDescription",
        "getMyShortDescription",
        "setMyName",
        "getMyName",
        "setChatMenuButton",
        "getChatMenuButton",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "getChat",
        "close",
        "logOut",
    ]
}
