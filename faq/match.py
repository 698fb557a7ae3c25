"""What the matcher decides about a question: a `Match`, with the `Candidate` intents it weighed
(faq/matcher.py decides; faq/dialogue.py turns a match into a reply)."""

from __future__ import annotations

from dataclasses import dataclass

from faq.reply import Outcome

__all__ = ["Candidate", "Match"]


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float
    # How far its closest phrasing fits past a perfect fit, which the score caps at 1: between two
    # topics that both fit perfectly, the closer phrasing leads.
    beyond: float = 0.0


@dataclass(frozen=True)
class Match:
    outcome: Outcome
    intent: str | None  # ANSWER: the answer; PARTIAL: the named topic; FALLBACK: None
    score: float
    candidates: tuple[Candidate, ...]  # best first; the choices offered when clarifying
    has_words: bool  # False when the message had no words at all (emoji, punctuation)
    refusal: str | None = None  # FALLBACK: the out-of-scope intent that recognised the question
    aspect: tuple[str, ...] = ()  # PARTIAL: the asked-about words no topic covers
    offered: tuple[str, ...] = ()  # ANSWER: topics the question named, to offer beside the answer
    urgent: bool = False  # the question uses an emergency's own words ("seizure", "overdose")
