"""Shared helpers of the bot's tests: run the real Application against the stand-in Bot API, drive a
conversation, and read what was sent. Fixtures that use them live in conftest.py."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TelegramError

from bot.app import ALLOWED_UPDATES, BotApp, build_application
from bot.config import Settings
from fake_bot_api import TOKEN_SECRET, FakeBotApi
from faq import Brain
from faq.analytics import AnalyticsStore

BOT_USERNAME = "dystonia_faq_bot"  # FakeBotApi's default


def assert_token_absent(caplog: pytest.LogCaptureFixture) -> None:
    """No trace of the token in any record captured so far, in any test phase, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(message)s")
    records = {id(r): r for when in ("setup", "call") for r in caplog.get_records(when)}
    records.update({id(r): r for r in caplog.records})
    assert records, "nothing was captured: is caplog at DEBUG?"
    for record in records.values():
        shown = formatter.format(record) + repr(record.args)
        assert TOKEN_SECRET not in shown, shown


@dataclass
class Driver:
    """Drives a conversation: queue an update on the stand-in, wait for what the bot sends."""

    api: FakeBotApi
    app: BotApp
    brain: Brain

    async def expect(
        self, make_update: Callable[[], object], n: int = 1, chat_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Queue an update and return the next `n` messages sent or edited (in `chat_id`)."""
        before = len(self.api.sent(chat_id))
        make_update()
        sent = await self.api.wait_until_sent_async(before + n, chat_id)
        return sent[before:]

    async def ask(self, text: str, **kw: Any) -> dict[str, Any]:
        [reply] = await self.expect(lambda: self.api.message(text, **kw), chat_id=kw.get("chat_id"))
        return reply

    async def settle(self, timeout: float = 10.0) -> None:
        """Every queued update fetched, confirmed, and handled to the end, its replies sent: so any
        (unexpected) reply has arrived by now. No wall-clock wait: PTB marks an update done in its
        update queue only once its handlers (and the error handler) have returned."""
        await self.api.wait_for_async(lambda api: api.all_confirmed, timeout)
        await asyncio.wait_for(self.app.update_queue.join(), timeout)


@asynccontextmanager
async def running_bot(
    api: FakeBotApi, brain: Brain, settings: Settings, store: AnalyticsStore | None = None
) -> AsyncIterator[Driver]:
    """The Application as `run_polling` runs it (hooks, polling errors to the error handler), with
    long polling against `api`; `store` replaces the analytics store from the environment."""
    app = build_application(settings, brain, store)
    async with app:  # initialize ... shutdown
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)  # run_polling calls the hooks; `async with` does not
        await app.start()

        def error_callback(exc: TelegramError) -> None:  # what run_polling passes
            app.create_task(app.process_error(error=exc, update=None))

        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES, error_callback=error_callback
        )
        try:
            yield Driver(api, app, brain)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:  # stops the intents.yaml watcher
                await app.post_stop(app)
    if app.post_shutdown is not None:  # closes the analytics store
        await app.post_shutdown(app)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, for a webhook listener started a moment later.
    Chosen below the ephemeral range, where the system picks the local ports of outgoing
    connections: the many connections of tests running in parallel cannot take it meanwhile."""
    try:
        ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral = 32768  # Linux's default start
    for _ in range(200):
        port = random.randrange(20_000, max(ephemeral, 20_001))
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")
