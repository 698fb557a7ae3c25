"""Fixtures for the Telegram bot tests: the stand-in Bot API and the real Application talking to it.

`bot` builds the Application exactly as `bot.main.main()` does (Settings from the environment, then
`build_application`), runs it with long polling against `FakeBotApi` over real HTTP, and checks at
the end that the token never reached a log line, with every logger at DEBUG.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from benchmarks.bot_process import SETTINGS_VARS
from bot.config import Settings
from fake_bot_api import TOKEN, FakeBotApi
from faq import Brain
from tests.harness import Driver, assert_token_absent, running_bot
from tests.knowledge import shared_brain
from tests.tls import share_default_context


def slow_seconds(item: pytest.Item) -> float:
    """About how long a test marked `slow(seconds)` takes on the 2-core machine; 0 for the rest."""
    mark = item.get_closest_marker("slow")
    return float(mark.args[0]) if mark is not None and mark.args else 0.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first (bot processes, speech, real timeouts), the rest in their order:
    the parallel workers (pyproject.toml) take them one at a time, so the long ones start at once
    on different workers and the short ones fill in around them."""
    items.sort(key=lambda item: -slow_seconds(item))  # stable: the order within a rank is kept


@pytest.fixture(scope="session", autouse=True)
def one_tls_context() -> Iterator[None]:
    """One CA bundle load for the test process, not one per HTTP client (tests/tls.py)."""
    with pytest.MonkeyPatch.context() as patch:
        share_default_context(patch)
        yield


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
    """The bundled knowledge base, loaded once per session (tests/knowledge.py)."""
    return shared_brain()


@pytest.fixture
def settings(clean_env: pytest.MonkeyPatch, api: FakeBotApi) -> Settings:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    clean_env.setenv("THROTTLE_BURST", "0")  # tests talk fast; tests/test_reliability_abuse.py throttles
    return Settings()  # type: ignore[call-arg]  # from the environment, like main()


@pytest.fixture
async def bot(
    settings: Settings, brain: Brain, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Driver]:
    caplog.set_level(logging.DEBUG)  # everything, so a leaked token would show
    async with running_bot(api, brain, settings) as driver:
        yield driver
    assert_token_absent(caplog)
