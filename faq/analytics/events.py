"""What the bot reports to the store: plain immutable records, queued for the writer thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class QuestionEvent:
    """A typed question and what the brain did with it."""

    ts: float  # unix seconds
    token: str
    outcome: str  # Outcome value: answer / clarify / fallback
    text: str
    intent: str | None  # the answered intent (answer only)
    score: float
    offered: tuple[str, ...]  # "did you mean" candidates (clarify only)
    user_hash: str | None  # salted hash, filled in by the writer; never the raw id


@dataclass(frozen=True)
class ChoiceEvent:
    """A tap in "did you mean": an intent id, or None for "None of these"."""

    ts: float
    token: str  # the token of the clarifying reply
    intent: str | None


@dataclass(frozen=True)
class FeedbackEvent:
    """A 👍 (helpful) or 👎 tap under an answer."""

    ts: float
    token: str
    intent: str
    helpful: bool


Event = QuestionEvent | ChoiceEvent | FeedbackEvent


def day_of(ts: float) -> str:
    """The UTC calendar day of a timestamp: days are UTC everywhere in analytics."""
    return datetime.fromtimestamp(ts, UTC).date().isoformat()
