"""Wiring for the reliability features, kept out of bot/app.py: `build_application` calls these.

* `rate_limiter`, `update_processor`: retries and Telegram's rate limits (bot/sending.py), and
  concurrent, per-chat ordered update processing (bot/processing.py), for the ApplicationBuilder;
* `install`: the per-user throttle (bot/throttle.py) ahead of every handler, and the `Reloader`
  (bot/reload.py) in `bot_data`;
* `start` / `stop`: the file watcher and the SIGHUP handler, from post_init / post_stop.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, TypeHandler

from bot.config import Settings
from bot.processing import PerChatOrderedProcessor
from bot.reload import RELOADER_KEY, Reloader, reloader_of
from bot.sending import RetryingLimiter
from bot.throttle import THROTTLE_KEY, Throttle, throttle_gate
from faq.loader import bundled_path, default_path

THROTTLE_GROUP = -1  # before the handlers of group 0

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def rate_limiter(settings: Settings) -> RetryingLimiter:
    """Bounded retries always; Telegram's limits (AIORateLimiter) unless RATE_LIMITER=off."""
    return RetryingLimiter(AIORateLimiter(max_retries=3) if settings.rate_limiter else None)


def update_processor(settings: Settings) -> PerChatOrderedProcessor | bool:
    """Concurrent, per-chat ordered processing; False (one update at a time) for CONCURRENT_UPDATES=1."""
    if settings.concurrent_updates <= 1:
        return False
    return PerChatOrderedProcessor(settings.concurrent_updates)


def install(application: AnyApplication, settings: Settings) -> None:
    if settings.throttle_burst > 0:
        application.bot_data[THROTTLE_KEY] = Throttle(settings.throttle_burst, settings.throttle_per_second)
        application.add_handler(TypeHandler(Update, throttle_gate), group=THROTTLE_GROUP)
    # Only a curated file (INTENTS_PATH, or ./intents.yaml) is watched: the bundled copy changes
    # only with a new release. SIGHUP and /reload work either way.
    curated = settings.intents_path is not None or default_path() != bundled_path()
    poll = settings.reload_poll_seconds if curated else 0.0
    application.bot_data[RELOADER_KEY] = Reloader(application.bot_data, settings.intents_path, poll)


def start(application: AnyApplication) -> None:
    reloader_of(application).start()


async def stop(application: AnyApplication) -> None:
    await reloader_of(application).stop()
