"""What the brain says back: a transport-neutral reply that Telegram and the terminal both render."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from faq.knowledge import Link


class Outcome(StrEnum):
    ANSWER = "answer"  # one intent, answered directly
    CLARIFY = "clarify"  # "did you mean ...?" with 1-3 candidates
    FALLBACK = "fallback"  # honest "I don't know that", with a way forward
    # The question names a topic but asks about something the article does not cover ("can I fly
    # with cervical dystonia"): say so, and offer the topic as a button instead of answering with it.
    PARTIAL = "partial"


@dataclass(frozen=True)
class Topic:
    """A pointer to an intent, as shown on a button or in a list."""

    id: str
    title: str


@dataclass(frozen=True)
class Reply:
    outcome: Outcome
    text: str  # plain text, never markup: each transport escapes and formats it
    intent: str | None = None  # the answered intent (ANSWER only)
    refusal: str | None = None  # the out-of-scope intent whose refusal this is (FALLBACK only)
    title: str | None = None  # its title, for a heading
    score: float = 0.0
    links: tuple[Link, ...] = ()
    related: tuple[Topic, ...] = ()  # "see also" topics (ANSWER)
    # "did you mean" choices (CLARIFY), the named topic (PARTIAL), or topics to offer (FALLBACK)
    candidates: tuple[Topic, ...] = ()
    aspect: tuple[str, ...] = ()  # PARTIAL: the asked-about words the article does not cover
    notice: str | None = None  # e.g. "I read only the start of a long message"
    scores: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # top intents, for --json

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "intent": self.intent,
            "refusal": self.refusal,
            "aspect": list(self.aspect),
            "title": self.title,
            "score": round(self.score, 4),
            "text": self.text,
            "notice": self.notice,
            "links": [{"title": link.title, "url": link.url} for link in self.links],
            "related": [{"id": t.id, "title": t.title} for t in self.related],
            "candidates": [{"id": t.id, "title": t.title} for t in self.candidates],
        }
