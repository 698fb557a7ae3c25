"""Shared helpers of the bot's tests: run the real Application against the stand-in Bot API, drive a
conversation, and read what was sent. Fixtures that use them live in conftest.py."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TelegramError

from bot.app import ALLOWED_UPDATES, BotApp, build_application
from bot.config import Settings
from faq import Brain
from faq.analytics import AnalyticsStore
from tests.fake_bot_api import TOKEN, FakeBotApi

SETTINGS_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_FILE_URL",
    "BOT_MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "INTENTS_PATH",
    "LOG_LEVEL",
    "ADMIN_USER_IDS",
    "RATE_LIMITER",
    "CONCURRENT_UPDATES",
    "THROTTLE_BURST",
    "THROTTLE_PER_SECOND",
    "RELOAD_POLL_SECONDS",
    "ANALYTICS",  # analytics stays on (the default): its database lands in tmp_path, the cwd
    "ANALYTICS_DB",
    "ANALYTICS_RETENTION_DAYS",
    "ANALYTICS_SALT",
    "VOICE",  # voice stays on (the default): the model is loaded once per test process
    "VOICE_MAX_SECONDS",
    "VOICE_MODEL_DIR",
    "VOICE_CONCURRENCY",
    "JOURNAL",  # the delivery journal stays on (the default): it lands in tmp_path, the cwd
    "STATE_DIR",
)
TOKEN_SECRET = TOKEN.split(":", 1)[1]  # the part that must never leak, even without the bot id
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


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline keyboard of a sent message, flattened, in order."""
    markup = params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def callback_data(params: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(params) if "callback_data" in b]


def urls(params: dict[str, Any]) -> list[str]:
    return [b["url"] for b in buttons(params) if "url" in b]


@contextmanager
def bot_process(cwd: Path, env: dict[str, str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """`python -m bot` as a child process; killed on the way out if a test left it running."""
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=cwd, env=env, **popen)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (for a webhook listener)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sigterm(process: subprocess.Popen[Any], timeout: float = 15) -> int:
    """Stop the bot as systemd or Docker would, and return its exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)
