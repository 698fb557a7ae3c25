"""Where the bot confirms updates to Telegram, held back until the journal has them on disk.

python-telegram-bot confirms an update in two places, and both pass through objects we supply:

* polling: the next `getUpdates` carries `offset` = last fetched id + 1, which tells Telegram to
  forget everything before it. `ConfirmingRequest` is the HTTP client of `getUpdates` only; it
  waits for `Delivery.durable()` before each call, so no update is confirmed before it is journaled
  (and the batch of 100 costs one fsync, not 100).
* webhook: the 2xx answer to Telegram's post, which PTB sends once `update_queue.put(update)`
  returns. `JournalingQueue.put` returns only when the update is on disk (`wait_on_put`).

`JournalingQueue.put` journals every update on its way into the Application, and drops a
redelivery of one the journal already holds (answered, or queued from the journal at start).
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

from bot.delivery import Delivery


class JournalingQueue(asyncio.Queue[object]):
    """The Application's update queue: journals what goes in (see the module docstring)."""

    def __init__(self, delivery: Delivery, *, wait_on_put: bool) -> None:
        super().__init__()
        self._delivery = delivery
        self._wait_on_put = wait_on_put

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if not self._delivery.accept(item):
                return  # a redelivery: answered already, or waiting in this queue
            await super().put(item)  # handling may start at once; only confirming waits
            if self._wait_on_put:
                await self._delivery.durable()
            return
        await super().put(item)

    def requeue(self, updates: list[Update]) -> None:
        """Updates taken from the journal at start: queued without journaling them again."""
        for update in updates:
            self.put_nowait(update)


# Connections of the `getUpdates` client. python-telegram-bot uses 1, but a stop cancels the long
# poll in flight and then sends one last getUpdates to confirm what was fetched: with one
# connection, that call could wait for the cancelled one past the 1 s pool timeout (more likely on
# a busy machine), and it failed with a logged traceback, leaving the fetched updates unconfirmed.
GET_UPDATES_CONNECTIONS = 2


class ConfirmingRequest(HTTPXRequest):
    """The `getUpdates` client: each call (and so each confirmation) waits for the journal."""

    def __init__(self, delivery: Delivery) -> None:
        super().__init__(connection_pool_size=GET_UPDATES_CONNECTIONS)
        self._delivery = delivery

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await self._delivery.durable()
        return await super().do_request(*args, **kwargs)

    # A static method in BaseRequest, always called as `self.parse_json_payload(...)`; PTB's docs
    # invite overriding it. We need `self` to reach the journal.
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        """Also hand the updates, as Telegram sent them, to the journal (see `Delivery.fetched`)."""
        data = super().parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, list):
            for raw in result:
                if isinstance(raw, dict):
                    self._delivery.fetched(raw)
        return data
