"""``FakeBotApi``: the scriptable, recording Telegram Bot API server -- its lifecycle (start/stop, URLs) and
how it serves one request (injected faults, blocked users, routing to the method, recording the outcome).
The rest of its API comes from its bases: ``VoiceNotes`` (on ``ScriptedUpdates``), ``Recording``,
``FaultInjection`` and ``WebhookDelivery``."""

from __future__ import annotations

import contextlib
import copy
import socket
import threading
import time
import traceback
from types import TracebackType
from typing import Any

from fake_bot_api.errors import BLOCKED, ApiError
from fake_bot_api.faults import FaultInjection, default_error_description
from fake_bot_api.files import VoiceNotes
from fake_bot_api.recording import Call, Recording
from fake_bot_api.routes import CANONICAL, HANDLERS, METHODS_WITH_CHAT
from fake_bot_api.server import Server
from fake_bot_api.state import TOKEN
from fake_bot_api.webhook import WebhookDelivery


class FakeBotApi(VoiceNotes, Recording, FaultInjection, WebhookDelivery):
    """A scriptable, recording Telegram Bot API server.  See the package docstring."""

    def __init__(
        self, token: str = TOKEN, username: str = "dystonia_faq_bot", bot_id: int = 123456789
    ) -> None:
        super().__init__(token, username, bot_id)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        self._stopping = False
        self._server = Server(self)
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

    def _serve(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        key = method.lower()
        canonical = CANONICAL.get(key, method)
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
            description = failure.description or default_error_description(status)
            description = description.replace("{retry_after}", str(retry_after))
            extra = {"retry_after": retry_after} if status == 429 else None
            outcome = self._finish(call, status, ApiError(status, description, extra))
        else:
            try:
                handler = HANDLERS.get(key)
                if handler is None:
                    raise ApiError(404, "Not Found")
                if key in METHODS_WITH_CHAT:
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
