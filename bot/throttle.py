"""Per-user throttling: one person sending many messages quickly cannot slow the bot for others.

A token bucket per user id, in memory only (nothing is stored on disk, and a restart forgets it):
`burst` messages at once, refilled at `rate` per second. The first message refused in a streak gets
one friendly notice; the rest of the streak is dropped silently, and the next message let through
ends the streak. Buckets that have filled up again are forgotten, so memory stays bounded by the
number of people writing right now.

What counts: messages in private chats, button presses, and group messages addressed to the bot.
Group chatter not meant for the bot costs nothing. Admins (ADMIN_USER_IDS) are never throttled.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import texts
from bot.access import is_admin
from bot.handlers import addressed_text

log = logging.getLogger(__name__)

THROTTLE_KEY = "throttle"
PRUNE_EVERY = 1000  # checks between sweeps of full (idle) buckets


class Verdict(enum.Enum):
    ALLOW = "allow"
    NOTICE = "notice"  # refused, and the first refusal of this streak: tell the user once
    DROP = "drop"  # refused again: stay quiet


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    noticed: bool = False


class Throttle:
    """Token buckets by user id. `clock` is injectable for tests."""

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if burst < 1 or rate <= 0:
            raise ValueError("burst must be at least 1 and rate positive")
        self.burst = burst
        self.rate = rate
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._checks = 0

    def __len__(self) -> int:
        return len(self._buckets)

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.prune(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        else:
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.noticed = False
            return Verdict.ALLOW
        if bucket.noticed:
            return Verdict.DROP
        bucket.noticed = True
        return Verdict.NOTICE

    def prune(self, now: float | None = None) -> None:
        """Forget users whose bucket would be full again: they are indistinguishable from new ones."""
        now = self._clock() if now is None else now
        full = [
            uid for uid, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.burst
        ]
        for uid in full:
            del self._buckets[uid]


def counts(update: Update, username: str, bot_id: int) -> bool:
    """Whether this update costs its sender a token (see the module docstring)."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    return addressed_text(message, username, bot_id) is not None


async def throttle_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every other handler (group -1); stops the update if its sender is over the limit."""
    throttle: Throttle | None = context.bot_data.get(THROTTLE_KEY)
    user = update.effective_user
    if throttle is None or user is None or not counts(update, context.bot.username, context.bot.id):
        return
    if is_admin(update, context):
        return
    verdict = throttle.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    level = logging.INFO if verdict is Verdict.NOTICE else logging.DEBUG  # once per streak at INFO
    log.log(level, "Throttled user %s (%s)", user.id, verdict.value)
    try:
        await _tell(update, verdict)
    except TelegramError as exc:  # e.g. blocked meanwhile: the update must still stop here
        log.info("Could not tell throttled user %s: %s", user.id, exc)
    raise ApplicationHandlerStop


async def _tell(update: Update, verdict: Verdict) -> None:
    """The one notice of a streak; a throttled button press is always answered (its spinner)."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.THROTTLED if verdict is Verdict.NOTICE else None)
    elif verdict is Verdict.NOTICE and update.message is not None:
        in_group = update.message.chat.type != ChatType.PRIVATE
        await update.message.reply_html(texts.THROTTLED, do_quote=in_group)
