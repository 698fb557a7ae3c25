"""Settings for the reliability tests: run the real Application against the stand-in with chosen
settings (the `bot` fixture in conftest.py uses the defaults). The question mix and the replies it
must get are in benchmarks/workload.py, which the load benchmark shares."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from fake_bot_api import TOKEN, FakeBotApi


def make_settings(api: FakeBotApi, **values: Any) -> Settings:
    """Settings as from the environment, with `values` (field names) on top. Use with `clean_env`."""
    base: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": api.base_url,
        "throttle_burst": 0,
        "reload_poll_seconds": 0,
    }
    return Settings(**{**base, **values})
