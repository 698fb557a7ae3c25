"""Wiring for the reliability features, kept out of bot/app.py: `build_application` calls these.

* `rate_limiter`, `update_processor`: retries and Telegram's rate limits (bot/sending.py), and
  concurrent, per-chat ordered update processing (bot/processing.py), for the ApplicationBuilder;
* `install`: the per-user throttle (bot/throttle.py) ahead of every handler, and the `Reloader`
  (bot/reload.py) in the bot's state (bot/state.py);
* `start` / `stop`: the file watcher and the SIGHUP handler, from post_init / post_stop;
* `open_delivery`, `journaling`, `install_delivery`, `replay`, `close_delivery`: crash-safe
  delivery (bot/delivery.py, bot/confirming.py): the journal, the update queue and `getUpdates`
  client that confirm only what is journaled, the health endpoint (bot/health.py) in webhook mode,
  and finishing what the last run left in the journal.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseUpdateProcessor, TypeHandler

from bot.access import throttle_gate
from bot.config import Settings
from bot.confirming import GET_UPDATES_CONNECTIONS, ConfirmingRequest, JournalingQueue
from bot.delivery import Delivery
from bot.health import HealthUpdater
from bot.processing import OneAtATimeProcessor, PerChatOrderedProcessor
from bot.reload import Reloader
from bot.sending import RATE_LIMITER_RETRIES, RetryingLimiter
from bot.state import BotApp
from bot.throttle import Throttle
from faq.loader import bundled_path, default_path

THROTTLE_GROUP = -1  # before the handlers of group 0
IN_FLIGHT_PER_SLOT = 2  # one round being handled, one round's answers being recorded
MIN_IN_FLIGHT = 16  # so that even one-at-a-time handling records answers in batches


def rate_limiter(settings: Settings) -> RetryingLimiter:
    """Bounded retries always; Telegram's limits (AIORateLimiter) unless RATE_LIMITER=off."""
    inner = AIORateLimiter(max_retries=RATE_LIMITER_RETRIES) if settings.rate_limiter else None
    return RetryingLimiter(inner)


def update_processor(settings: Settings, delivery: Delivery | None = None) -> BaseUpdateProcessor | bool:
    """Concurrent, per-chat ordered processing; one update at a time for CONCURRENT_UPDATES=1 (False:
    PTB's own, when there is no journal to tell). With a journal, at most max(16, 2 x
    CONCURRENT_UPDATES) updates are in flight (taken, and not yet recorded as answered): the
    README's bound on duplicates after a crash."""
    in_flight = delivery if delivery is not None and delivery.enabled else None
    if in_flight is not None:
        in_flight.limit_in_flight(max(MIN_IN_FLIGHT, IN_FLIGHT_PER_SLOT * settings.concurrent_updates))
    if settings.concurrent_updates <= 1:
        return OneAtATimeProcessor(in_flight) if in_flight is not None else False
    return PerChatOrderedProcessor(settings.concurrent_updates, in_flight)


def open_delivery(settings: Settings) -> Delivery:
    """The journal (JOURNAL, STATE_DIR); a Delivery that is off if it cannot be used (logged once)."""
    return Delivery.open(settings.journal_path) if settings.journal else Delivery.off()


def journaling(builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any], settings: Settings,
               delivery: Delivery) -> None:  # fmt: skip
    """Confirm updates to Telegram only once journaled: the update queue (webhook: the 2xx waits
    for it) and the getUpdates client (polling: the next offset waits for it)."""
    if delivery.enabled:
        builder.update_queue(JournalingQueue(delivery, wait_on_put=settings.bot_mode == "webhook"))
        builder.get_updates_request(ConfirmingRequest(delivery))
    else:  # the last getUpdates of a stop needs a connection of its own (bot/confirming.py)
        builder.get_updates_connection_pool_size(GET_UPDATES_CONNECTIONS)


def install_delivery(application: BotApp, settings: Settings, delivery: Delivery) -> None:
    application.bot_data.delivery = delivery
    if settings.bot_mode == "webhook":  # the health endpoint, on the webhook's listener

        def report() -> tuple[bool, dict[str, Any]]:
            updater = application.updater
            return application.running and updater is not None and updater.running, delivery.status()

        application.updater = HealthUpdater(application.bot, application.update_queue, report)


def replay(application: BotApp) -> None:
    """Queue what the last run journaled and never answered, ahead of anything new (from post_init)."""
    queue = application.update_queue
    if isinstance(queue, JournalingQueue):
        queue.requeue(application.bot_data.delivery.replay(application.bot))


async def close_delivery(application: BotApp) -> None:
    await asyncio.to_thread(application.bot_data.delivery.close)


def install(application: BotApp, settings: Settings) -> None:
    if settings.throttle_burst > 0:
        application.bot_data.throttle = Throttle(settings.throttle_burst, settings.throttle_per_second)
        application.add_handler(TypeHandler(Update, throttle_gate), group=THROTTLE_GROUP)
    # Only a curated file (INTENTS_PATH, or ./intents.yaml) is watched: the bundled copy changes
    # only with a new release. SIGHUP and /reload work either way.
    curated = settings.intents_path is not None or default_path() != bundled_path()
    poll = settings.reload_poll_seconds if curated else 0.0
    application.bot_data.reloader = Reloader(application.bot_data, settings.intents_path, poll)


def start(application: BotApp) -> None:
    application.bot_data.reloader.start()


async def stop(application: BotApp) -> None:
    await application.bot_data.reloader.stop()
