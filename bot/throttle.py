"""Per-user throttling: one person sending many messages quickly cannot slow the bot for others.

A token bucket per user id, in memory only (nothing is stored on disk, and a restart forgets it):
`burst` messages at once, refilled at `rate` per second. The first message refused in a streak gets
one friendly notice; the rest of the streak is dropped silently, and the next message let through
ends the streak. Buckets that have filled up again are forgotten, so memory stays bounded by the
number of people writing right now.

What counts: messages in private chats, button presses, and group messages addressed to the bot.
Group chatter not meant for the bot costs nothing. Admins (ADMIN_USER_IDS) are never throttled.
The gate that applies it ahead of every handler is `bot.access.throttle_gate`.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

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
