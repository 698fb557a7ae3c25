"""``ApiState``: the state every part of the fake shares, and the helpers the update builders and the
Bot API methods both use (ids, the bot's user, chats as the bot sees them)."""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_bot_api.faults import Fault
    from fake_bot_api.files import StoredFile
    from fake_bot_api.recording import Call
    from fake_bot_api.webhook import Delivery

TOKEN = "123456789:AAH-test-token-abcdefghijklmnopqrstu"
TOKEN_SECRET = TOKEN.split(":", 1)[1]  # the part that must never leak, even without the bot id


def now() -> int:
    return int(time.time())


class ApiState:
    """Everything the fake knows, guarded by one re-entrant ``Condition`` (``_cond``)."""

    def __init__(
        self, token: str = TOKEN, username: str = "dystonia_faq_bot", bot_id: int = 123456789
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.bot_first_name = "Dystonia FAQ"
        self._cond = threading.Condition(threading.RLock())
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
        self.files: dict[str, StoredFile] = {}  # by file_id: what getFile and the download serve
        self.downloads: list[str] = []  # file paths fetched from /file/bot<token>/, in order

        self._failures: dict[str, list[Fault]] = {}
        self._delays: dict[str, list[Fault]] = {}
        self._drops: dict[str, list[Fault]] = {}

        self.webhook_url = ""
        self.webhook_secret = ""  # the secret_token given to setWebhook, sent with every post
        self.webhook_target = ""  # where webhook.py really posts (see deliver_webhooks)
        self.webhook_deliveries: list[Delivery] = []
        self._in_flight: set[int] = set()  # update ids being posted right now
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

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.username,
        }

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
