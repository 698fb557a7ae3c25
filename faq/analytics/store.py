"""The store the bot calls: record questions, "did you mean" choices and 👍/👎 taps.

Every method returns at once and never raises: records go to a background writer thread (see
`writer.py`), and a disabled store (ANALYTICS=off) accepts every call and keeps nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType

from faq.analytics.events import ChoiceEvent, FeedbackEvent, QuestionEvent
from faq.analytics.privacy import new_token, privacy_text
from faq.analytics.settings import DEFAULT_RETENTION_DAYS, AnalyticsSettings
from faq.analytics.writer import BUSY_TIMEOUT, WAIT_SECONDS, StoreStats, Writer
from faq.normalize import MAX_QUESTION_CHARS
from faq.reply import Outcome, Reply

log = logging.getLogger("faq.analytics")

QUEUE_SIZE = 10_000


class AnalyticsStore:
    def __init__(
        self,
        path: str | Path,
        *,
        enabled: bool = True,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        salt: str | None = None,
        busy_timeout: float = BUSY_TIMEOUT,
        queue_size: int = QUEUE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.enabled = enabled
        self.retention_days = retention_days
        self._clock = clock
        self._voted: set[str] = set()
        self._voted_lock = threading.Lock()
        self._bad_reply_logged = False
        self._writer: Writer | None = None
        if enabled:
            self._writer = Writer(
                self.path,
                retention_days=retention_days,
                salt=salt,
                busy_timeout=busy_timeout,
                queue_size=queue_size,
                clock=clock,
                on_voted=self._add_voted,
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AnalyticsStore:
        """Configured by ANALYTICS, ANALYTICS_DB, ANALYTICS_RETENTION_DAYS and ANALYTICS_SALT."""
        return cls.from_settings(AnalyticsSettings.from_env(environ))

    @classmethod
    def from_settings(cls, settings: AnalyticsSettings) -> AnalyticsStore:
        return cls(
            settings.db_path,
            enabled=settings.enabled,
            retention_days=settings.retention_days,
            salt=settings.salt,
        )

    # --- recording -------------------------------------------------------------------------------

    def record_question(
        self, text: str, reply: Reply, user: int | str | None = None, *, at: datetime | None = None
    ) -> str:
        """Record a typed question and the brain's reply; returns the reply's token.

        Put the token in the callback data of the reply's buttons: 👍/👎 under an answer, the
        "did you mean" choices. `user` (e.g. the Telegram user id) is only ever stored hashed.
        A token is returned even when analytics is off, so button code needs no special case.
        """
        token = new_token()
        if self._writer is not None:
            try:
                event = QuestionEvent(
                    ts=self._ts(at),
                    token=token,
                    # A partial reply is, for the curator, a question the content does not answer.
                    outcome=(Outcome.FALLBACK if reply.outcome is Outcome.PARTIAL else reply.outcome).value,
                    text=text[:MAX_QUESTION_CHARS],
                    intent=reply.intent if reply.outcome is Outcome.ANSWER else None,
                    score=float(reply.score),
                    offered=tuple(t.id for t in reply.candidates) if reply.outcome is Outcome.CLARIFY else (),
                    user_hash=None,
                )
                self._writer.submit(event, user)
            except Exception:  # a malformed reply must not stop the bot answering
                if not self._bad_reply_logged:
                    self._bad_reply_logged = True
                    log.exception("analytics: cannot record a question (logged once)")
        return token

    def record_choice(self, token: str, intent: str | None, *, at: datetime | None = None) -> None:
        """A tap in "did you mean": the chosen intent id, or None for "None of these".

        Only the first tap per clarification is kept.
        """
        if self._writer is not None:
            self._writer.submit(ChoiceEvent(self._ts(at), str(token), intent))

    def record_feedback(
        self, answer_token: str, intent: str, helpful: bool, *, at: datetime | None = None
    ) -> bool:
        """A 👍 (helpful=True) or 👎 tap under an answer.

        Returns True when this is the answer's first vote and it was accepted (thank the user),
        False when the answer already has a vote or analytics is off (say "already counted").
        The database's primary key also enforces one vote per answer across restarts.
        """
        if self._writer is None:
            return False
        token = str(answer_token)
        with self._voted_lock:
            if token in self._voted:
                return False
            self._voted.add(token)
        self._writer.submit(FeedbackEvent(self._ts(at), token, str(intent), bool(helpful)))
        return True

    @staticmethod
    def new_token() -> str:
        """A token for an answer that did not come from a typed question (e.g. a topic button)."""
        return new_token()

    # --- state -----------------------------------------------------------------------------------

    def privacy_text(self) -> str:
        """What /privacy should say, for this store's settings."""
        return privacy_text(self.retention_days if self.enabled else None)

    def stats(self) -> StoreStats:
        if self._writer is None:
            return StoreStats(False, 0, 0, 0, 0, 0, None)
        return self._writer.stats()

    def flush(self, timeout: float = WAIT_SECONDS) -> bool:
        """Block until queued records are written. For tests and shutdown, not the event loop."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def close(self, timeout: float = WAIT_SECONDS) -> None:
        """Write what is queued and stop the writer thread (call on bot shutdown)."""
        if self._writer is not None:
            self._writer.close(timeout)

    def __enter__(self) -> AnalyticsStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _add_voted(self, tokens: set[str]) -> None:
        with self._voted_lock:
            self._voted |= tokens

    def _ts(self, at: datetime | None) -> float:
        return at.timestamp() if at is not None else self._clock()
