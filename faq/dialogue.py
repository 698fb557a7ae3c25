"""From a user's message to a `Reply`: the one entry point both transports use."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path

from faq.content_rules import says_emergency
from faq.knowledge import POPULAR_TOPICS, REQUIRED_LINKS, Intent, KnowledgeBase, Link
from faq.loader import load_knowledge
from faq.matcher import Match, Matcher, Thresholds
from faq.normalize import MAX_QUESTION_CHARS
from faq.phonetic import SoundAlike
from faq.reply import Outcome, Reply, Topic


class Brain:
    """A knowledge base with its matcher. Immutable once built: reloads build a new Brain."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.kb = kb
        self.matcher = Matcher(kb, thresholds or Thresholds())

    @classmethod
    def load(cls, path: str | Path | None = None) -> Brain:
        return cls(load_knowledge(path))

    def reply(self, text: str) -> Reply:
        notice = self.kb.messages.too_long if len(text) > MAX_QUESTION_CHARS else None
        match = self.matcher.match(text)
        reply = self._reply(match, notice)
        urgent = self.kb.messages.urgent
        # A question naming an emergency ("is this seizure dystonia?") always gets the line to call
        # for help, whatever else the reply is.
        if match.urgent and urgent and not says_emergency(reply.text):
            return replace(reply, notice="\n".join(n for n in (urgent, reply.notice) if n))
        return reply

    def _reply(self, match: Match, notice: str | None) -> Reply:
        scores = tuple((c.intent, c.score) for c in match.candidates)
        answered = self.kb.intent(match.intent) if match.intent else None  # ids come from this kb
        if match.outcome is Outcome.ANSWER and answered is not None:
            return self._answer(answered, match.score, notice, scores, match.offered)
        if match.outcome is Outcome.CLARIFY:
            return Reply(
                outcome=Outcome.CLARIFY,
                text=self.kb.messages.clarify,
                score=match.score,
                candidates=tuple(self._topic(c.intent) for c in match.candidates),
                notice=notice,
                scores=scores,
            )
        if match.outcome is Outcome.PARTIAL:
            topics = tuple(self._topic(c.intent) for c in match.candidates)
            return self._partial(topics, match.aspect, match.score, notice, scores)
        reply = self.fallback(score=match.score, notice=notice, empty=not match.has_words, scores=scores)
        refusal = self.kb.intent(match.refusal) if match.refusal else None
        if refusal is not None:  # a known out-of-scope question: its own, more helpful refusal
            links = self.kb.links_of(refusal) or reply.links
            # An emergency's reply stands alone: topics to browse would crowd the line to call.
            topics = () if refusal.urgent else reply.candidates
            return replace(reply, text=refusal.answer, links=links, refusal=refusal.id, candidates=topics)
        return reply

    def hear(self, transcript: str) -> Reply:
        """The reply to a question heard by speech-to-text: sound-alikes of the knowledge base's hard
        words restored first ("what is this Tonya" -> "what is dystonia"), then as `reply`."""
        return self.reply(self.ear.restore(transcript))

    @cached_property
    def ear(self) -> SoundAlike:
        """The knowledge base's hard words and their sound-alikes (faq/phonetic.py), built on first use."""
        return SoundAlike.from_kb(self.kb)

    def answer(self, intent_id: str) -> Reply | None:
        """The answer of one intent, e.g. for a tapped topic button; None if it no longer exists."""
        intent = self.kb.intent(intent_id)
        return self._answer(intent, 1.0, None, ()) if intent else None

    def fallback(
        self,
        score: float = 0.0,
        notice: str | None = None,
        empty: bool = False,
        scores: tuple[tuple[str, float], ...] = (),
    ) -> Reply:
        offered = tuple(self._topic(i) for i in POPULAR_TOPICS if self.kb.intent(i))
        links = self._required_links()
        return Reply(
            outcome=Outcome.FALLBACK,
            text=self.kb.messages.empty if empty else self.kb.messages.fallback,
            score=score,
            links=links,
            candidates=offered,
            notice=notice,
            scores=scores,
        )

    def topics(self) -> tuple[Topic, ...]:
        return tuple(Topic(i.id, i.title) for i in self.kb.topics)

    def _partial(
        self,
        topics: tuple[Topic, ...],
        aspect: tuple[str, ...],
        score: float,
        notice: str | None,
        scores: tuple[tuple[str, float], ...],
    ) -> Reply:
        """The question names a topic but asks what the article does not cover: say so, and offer
        the topic (or the likeliest few) rather than answering with it."""
        asked = _either([f"\u201c{w}\u201d" for w in aspect], "and")
        offered = _either([t.title for t in topics], "or")
        return Reply(
            outcome=Outcome.PARTIAL,
            text=self.kb.messages.partial.format(aspect=asked, topic=offered),
            score=score,
            links=self._required_links(),
            candidates=topics,
            aspect=aspect,
            notice=notice,
            scores=scores,
        )

    def _required_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.kb.links.values() if link.key in REQUIRED_LINKS)

    def _topic(self, intent_id: str) -> Topic:
        intent = self.kb.intent(intent_id)
        return Topic(intent_id, intent.title if intent else intent_id)

    def _answer(
        self,
        intent: Intent,
        score: float,
        notice: str | None,
        scores: tuple[tuple[str, float], ...],
        offered: tuple[str, ...] = (),
    ) -> Reply:
        """`offered`: topics the question named ("could I have cervical dystonia?"), offered first."""
        related = tuple(dict.fromkeys((*offered, *intent.related)))[:3]
        return Reply(
            outcome=Outcome.ANSWER,
            text=intent.answer,
            intent=intent.id,
            title=intent.title,
            score=score,
            links=self.kb.links_of(intent),
            related=tuple(self._topic(r) for r in related),
            notice=notice,
            scores=scores,
        )


def _either(items: list[str], joiner: str) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joiner} {items[-1]}"
