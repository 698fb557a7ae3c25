"""Helpers of the reliability tests: run the real Application against the stand-in with chosen
settings (the `bot` fixture in conftest.py uses the defaults), and keep people writing while a bot
process goes down. The question mix and the replies it must get are in benchmarks/workload.py,
which the load benchmark shares."""

from __future__ import annotations

import threading
import time
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


WRITTEN_WHILE_DOWN = 20  # the last questions of a burst wait until the bot is down


def write_burst(api: FakeBotApi, users: list[int], rate: float, down: threading.Event) -> threading.Thread:
    """One question per user at `rate` a second, from a thread (started). The last
    WRITTEN_WHILE_DOWN wait for `down` (the bot was killed or stopped): people are still writing
    while it is down however fast the machine is, so a restart always has something to pick up."""

    def write() -> None:
        for n, user in enumerate(users):
            if n == len(users) - WRITTEN_WHILE_DOWN:
                down.wait(timeout=60)
            api.message(f"what is dystonia? ({user})", user_id=user)
            time.sleep(1 / rate)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer
