"""Every Bot API call except getUpdates passes through `RetryingLimiter`: rate limits and retries.

Policy (documented in the README's "Reliability" section):

* 429 Too Many Requests: wait `retry_after` as Telegram says, then send again. With the rate
  limiter on, PTB's `AIORateLimiter` does this (and pauses every other send meanwhile); with it
  off, this class does it. At most `MAX_RETRY_AFTER` such waits per call, then the error stands.
* 5xx and network failures (connection refused or reset, the answer lost, a time-out): sent again
  after 0.5 s, then 1 s; `ATTEMPTS` tries in all, then the error goes to the error handler, which
  logs it once and apologises to the user.
* A send that timed out, or whose answer was lost, *may* have reached Telegram. We send it again:
  at least once, never lost. The price is a possible duplicate of an answer, which is harmless for
  an FAQ (the same text twice) while a lost answer looks like a broken bot.
* 4xx other than 429 (400 Bad Request, 403 the user blocked the bot, ...) are final: never
  retried. A 403 is logged once at INFO by the error handler and affects no other user.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

ATTEMPTS = 3  # tries in all for a 5xx or a network failure
BACKOFF = (0.5, 1.0)  # seconds before the 2nd and the 3rd try
MAX_RETRY_AFTER = 3  # 429 waits per call when the rate limiter is off
RATE_LIMITER_RETRIES = 3  # 429 waits per call by AIORateLimiter, when it is on


class RetryingLimiter(BaseRateLimiter[int]):
    """Bounded retries around an optional `AIORateLimiter` (None: the rate limiter is off)."""

    def __init__(self, inner: AIORateLimiter | None, backoff: tuple[float, ...] = BACKOFF) -> None:
        self.inner = inner
        self.backoff = backoff

    async def initialize(self) -> None:
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        if self.inner is not None:
            await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        failures = waits = 0
        while True:
            try:
                if self.inner is not None:
                    return await self.inner.process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if self.inner is not None or waits >= MAX_RETRY_AFTER:
                    raise  # AIORateLimiter has already waited as often as it may
                waits += 1
                delay = _seconds(exc.retry_after) + 0.1
                log.info("%s: rate limited by Telegram, retrying after %.1f s", endpoint, delay)
                await asyncio.sleep(delay)
            except BadRequest:  # a NetworkError in PTB's hierarchy, but final: never retried
                raise
            except NetworkError as exc:  # includes TimedOut; 5xx answers arrive as NetworkError too
                failures += 1
                if failures >= ATTEMPTS:
                    raise
                delay = self.backoff[min(failures, len(self.backoff)) - 1]
                log.warning(
                    "%s failed (%s); try %d of %d in %.1f s", endpoint, exc, failures + 1, ATTEMPTS, delay
                )
                await asyncio.sleep(delay)


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
