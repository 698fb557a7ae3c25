"""``Call`` (one recorded request) and what tests read from the record: the calls, the messages sent,
a summary, and the ``wait_*`` helpers that block (or await) until the record satisfies a condition."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Self

from fake_bot_api.state import ApiState


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


class Recording(ApiState):
    """The recording / waiting part of ``FakeBotApi``."""

    @property
    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    @property
    def all_confirmed(self) -> bool:
        """Every update queued so far was fetched, and a later getUpdates confirmed it (polling)."""
        with self._cond:
            discarded = {int(u["update_id"]) for u in self.discarded_updates}  # never to be fetched
            fetched = [i for i in self.update_history if i not in discarded]
            return not self._updates and (not fetched or self._confirmed_offset > max(fetched))

    @property
    def confirmed_offset(self) -> int:
        with self._cond:
            return self._confirmed_offset

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

    def wait_for(self, predicate: Callable[[Self], bool], timeout: float = 10.0) -> None:
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
    async def wait_for_async(self, predicate: Callable[[Self], bool], timeout: float = 10.0) -> None:
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
