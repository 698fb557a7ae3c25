"""Concurrent update processing that keeps each chat's updates in order.

PTB processes updates one at a time unless `concurrent_updates` is set, and then it keeps no order
at all. `PerChatOrderedProcessor` runs updates of different chats concurrently (at most `limit`
at once) while the updates of one chat are handled strictly one after another, in the order they
arrived: a quick second question must never be answered before the first.

How the order is kept: PTB starts one task per update, in arrival order, and each task calls
`do_process_update` without suspending first (the base class's semaphore is sized so that it never
blocks). There, synchronously, the update joins the end of its chat's chain; it then waits for the
update before it in that chat, and only then takes one of the `limit` slots. So an update waiting
for its turn holds no slot, and one user's flood cannot starve everyone else of slots.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any, Protocol

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# The base class's own semaphore: so large it never blocks (see the module docstring).
_NEVER_BLOCKS = 1 << 30


class InFlight(Protocol):
    """What the delivery journal needs to know of an update's handling."""

    async def begin(self) -> bool:
        """Take a token (True), or the journal is off (False)."""

    def end(self, update: object, *, token: bool, handled: bool) -> None:
        """Handling is over (`handled`) or abandoned."""


def order_key(update: object) -> int | None:
    """Updates with the same key are handled in order: the chat, else the user (inline queries)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatOrderedProcessor(BaseUpdateProcessor):
    """At most `limit` updates at once; one chat's updates one after another, in arrival order."""

    __slots__ = ("_in_flight", "_slots", "_tails")

    def __init__(self, limit: int, in_flight: InFlight | None = None) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        super().__init__(max_concurrent_updates=_NEVER_BLOCKS)
        self._in_flight = in_flight
        self._slots = asyncio.Semaphore(limit)
        self._tails: dict[int, asyncio.Event] = {}  # per chat: set when its latest update is done

    @property
    def waiting_chats(self) -> int:
        """Chats with an update in flight (for tests and diagnostics)."""
        return len(self._tails)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        previous = self._tails.get(key) if key is not None else None
        done = asyncio.Event()
        if key is not None:
            self._tails[key] = done  # before any await: this is what fixes the order
        started = handled = token = False
        try:
            if previous is not None:
                await previous.wait()  # an Event: cancelling us does not disturb the chain
            async with self._slots:
                if self._in_flight is not None:
                    token = await self._in_flight.begin()
                started = True
                await coroutine
                handled = True
        finally:
            if self._in_flight is not None:
                self._in_flight.end(update, token=token, handled=handled)
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: no "never awaited" warning
            done.set()
            if key is not None and self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the update tasks themselves when it stops."""


class OneAtATimeProcessor(BaseUpdateProcessor):
    """One update at a time (PTB then awaits each before taking the next), with `in_flight`."""

    __slots__ = ("_in_flight",)

    def __init__(self, in_flight: InFlight) -> None:
        super().__init__(max_concurrent_updates=1)
        self._in_flight = in_flight

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        handled = token = False
        try:
            token = await self._in_flight.begin()
            await coroutine
            handled = True
        finally:
            self._in_flight.end(update, token=token, handled=handled)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
