"""Fixtures for the Telegram bot tests: the stand-in Bot API and the real Application talking to it.

`bot` builds the Application exactly as `bot.main.main()` does (Settings from the environment, then
`build_application`), runs it with long polling against `FakeBotApi` over real HTTP, and checks at
the end that the token never reached a log line, with every logger at DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import ALLOWED_UPDATES, BotApp, build_application
from bot.config import Settings
from faq import Brain
from tests.fake_bot_api import TOKEN, FakeBotApi

SETTINGS_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
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
)
TOKEN_SECRET = TOKEN.split(":", 1)[1]  # the part that must never leak, even without the bot id
BOT_USERNAME = "dystonia_faq_bot"  # FakeBotApi's default


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No bot settings from the developer's shell or a stray .env: tests set what they need."""
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def brain() -> Brain:
    return Brain.load()


@pytest.fixture
def settings(clean_env: pytest.MonkeyPatch, api: FakeBotApi) -> Settings:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    clean_env.setenv("THROTTLE_BURST", "0")  # tests talk fast; tests/test_reliability_abuse.py throttles
    return Settings()  # type: ignore[call-arg]  # from the environment, like main()


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

    async def settle(self, extra: float = 0.3) -> None:
        """All queued updates fetched, and time for any (unexpected) reply to arrive."""
        await self.api.wait_until_consumed_async()
        await asyncio.sleep(extra)


@pytest.fixture
async def bot(
    settings: Settings, brain: Brain, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Driver]:
    caplog.set_level(logging.DEBUG)  # everything, so a leaked token would show
    app = build_application(settings, brain)
    async with app:  # initialize ... shutdown
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)  # run_polling/run_webhook call it; `async with` does not
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        try:
            yield Driver(api, app, brain)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:  # likewise: stops the intents.yaml watcher
                await app.post_stop(app)
    if app.post_shutdown is not None:  # likewise: closes the analytics store
        await app.post_shutdown(app)
    assert_token_absent(caplog)


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline keyboard of a sent message, flattened, in order."""
    markup = params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def callback_data(params: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(params) if "callback_data" in b]


def urls(params: dict[str, Any]) -> list[str]:
    return [b["url"] for b in buttons(params) if "url" in b]
