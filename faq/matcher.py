"""Match a question to an intent: answer, "did you mean", a partial reply, or an honest fallback.

Why not plain rapidfuzz `WRatio`: it scores 90-100 whenever one string's words are a subset of
the other's, so "what is parkinson's disease" looks like "what is dystonia". Here every term is
weighed by how much it tells, words no topic uses count as evidence *against* every topic, and an
intent must explain most of the question to be answered.

Score of an intent, in [0, 1]:
    explained = weight of the question's terms the intent uses, against the weight of those it
                does not (added up as a p-norm, so many small unknown words count less than one
                rare one)
    overlap   = weighted overlap with the intent's closest phrasing (between Dice and containment)
    score     = coverage_share * explained + (1 - coverage_share) * overlap
Out-of-scope intents compete like the others; when one wins, the question is refused. Before a
topic is answered, the asked-about aspect is looked for: a word the topic does not explain and only
refusals use, or no intent uses ("fly" in "can I fly with cervical dystonia"); with one, the reply
is partial: it says what is not covered and offers the topic (docs/design.md, "How matching works").
Between close topics, the best is still answered when the question is far more typical of its
phrasings than of the others' (a naive Bayes second opinion); otherwise "did you mean".
A message of two questions ("does it hurt and will it get worse") that is not clear as a whole is
matched one question at a time: the first answer is given, the others offered beside it.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import replace

from rapidfuzz import fuzz, process

from faq.allocation import gc_paused
from faq.analyzer import Analysis, Analyzer
from faq.aspect import asked_aspect
from faq.clauses import question_parts
from faq.index import TermIndex
from faq.knowledge import IntentKind, KnowledgeBase
from faq.match import Candidate, Match
from faq.normalize import FILLER, MAX_QUESTION_CHARS
from faq.reply import Outcome
from faq.second_opinion import typical, unfounded
from faq.thresholds import Thresholds

__all__ = ["Candidate", "Match", "Matcher", "Thresholds"]


class Matcher:
    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        with gc_paused():
            self._build(kb)

    def _build(self, kb: KnowledgeBase) -> None:
        self.intent_ids = tuple(i.id for i in kb.intents)
        self._position = {intent_id: n for n, intent_id in enumerate(self.intent_ids)}
        self._refusals = frozenset(i.id for i in kb.intents if i.kind is IntentKind.OUT_OF_SCOPE)
        self._offers_topic = frozenset(i.id for i in kb.intents if i.offers_topic)
        self._declines = kb.declining  # their answer declines already: never made partial
        self._whether_one_has_it = frozenset(i.id for i in kb.intents if i.answers_whether_one_has_it)
        self._urgent = frozenset(i.id for i in kb.intents if i.urgent)
        owners = [n for n, intent in enumerate(kb.intents) for _ in (*intent.questions, intent.title)]
        phrasings = [text for intent in kb.intents for text in (*intent.questions, intent.title)]
        self.analyzer = Analyzer(kb.synonyms, phrasings, kb.subject)
        analysed = list(zip(owners, self.analyzer.phrasings, strict=True))
        self.index = TermIndex(analysed, [i.kind for i in kb.intents], self.thresholds)
        # Words only these use are matters the article does not cover: the refusals, and the
        # answers that decline ("should I get botox" is for a doctor; botox is not in the article).
        self._uncovered = self.index.refusals | {self._position[i] for i in self._declines}
        self._wordless_texts = [_without_filler(p.text) for p in self.index.wordless]
        # An emergency's own words ("overdose", "seizure", "breathe"): words no topic uses.
        self._urgent_positions = frozenset(self._position[i] for i in self._urgent)
        self._urgent_words = frozenset(
            t for t in self.index.foreign if self.index.owners(t) & self._urgent_positions
        )

    def match(self, text: str) -> Match:
        text = text[:MAX_QUESTION_CHARS]  # the one cut of what is read
        match = self._match_one(text)
        split = None if match.urgent or match.outcome is Outcome.PARTIAL else self._one_by_one(text)
        if split is None:
            return match
        if match.outcome is not Outcome.ANSWER:
            return split
        named = dict.fromkeys((*match.offered, split.intent, *split.offered))  # offered first
        return replace(match, offered=tuple(i for i in named if i and i != match.intent))

    def _one_by_one(self, text: str) -> Match | None:
        """Two questions in one ("does it hurt and will it get worse") that each get a clear answer
        on their own: the first is answered and the others are offered beside it. Not when one of
        them needs a doctor (its answer declines) or is refused."""
        parts = [self._match_one(part) for part in question_parts(text)]
        if not parts or any(p.outcome is not Outcome.ANSWER or p.intent in self._declines for p in parts):
            return None
        first = parts[0]
        others = dict.fromkeys(p.intent for p in parts[1:] if p.intent and p.intent != first.intent)
        return replace(first, offered=tuple(others))

    def _match_one(self, text: str) -> Match:
        analysis = self.analyzer.analyze(text)
        if not analysis.terms:
            return self._match_wordless(analysis)
        th = self.thresholds
        terms = list(analysis.terms)
        excluded: frozenset[int] = frozenset()
        # Small talk only competes when nothing else is asked: "hi, what is dystonia?" is a question,
        # "thanks for the info" is not (small talk uses "info" too).
        index = self.index
        if any(index.owners(t) and not index.owners(t) & index.smalltalk for t in terms):
            terms = [t for t in terms if t not in index.smalltalk_terms]
            excluded = index.smalltalk
        # An emergency competes only when one of its own words is used: "meds for it?" is not one.
        urgent = bool(self._urgent_words.intersection(terms))
        if not urgent:
            excluded |= self._urgent_positions
        weights = {t: index.weight(t, analysis) * (th.focus if t in analysis.focus else 1.0) for t in terms}
        coverage = index.coverage(weights, excluded)
        # Best coverage first; on a tie, the intent that comes first in the knowledge file.
        shortlist = [-m for _, m in heapq.nlargest(th.shortlist, ((c, -n) for n, c in coverage.items()))]
        total = sum(weights.values())
        ranked = sorted(
            (self._score(n, weights, total, coverage[n]) for n in shortlist),
            # On a tie, a topic goes before a refusal ("is it hereditary?" is about us), then the
            # closer phrasing: "weather in Paris" is off topic more than a dystonia matter.
            key=lambda x: (_lead(x[0]), x[0].intent not in self._refusals, x[1]),
            reverse=True,
        )
        scored = [c for c, _ in ranked]
        match = self._decide(scored, weights, analysis)
        return self._naming_an_emergency(match, scored) if urgent else match

    def _naming_an_emergency(self, match: Match, scored: list[Candidate]) -> Match:
        """A question with an emergency's own words ("seizure", "can't breathe", "want to end my
        life") gets the emergency's reply whenever it fits at all, even beside a topic's question:
        a topic's answer, a "did you mean" or a partial reply would hide the line to call for help."""
        fits = [c for c in scored if c.intent in self._urgent and c.score >= self.thresholds.clarify]
        if fits:
            match = Match(Outcome.FALLBACK, None, fits[0].score, (), True, refusal=fits[0].intent)
        return replace(match, urgent=True)

    def _score(
        self, n: int, weights: dict[str, float], total: float, covered: float
    ) -> tuple[Candidate, float]:
        """The intent as a candidate, and its closest phrasing's overlap before the cap (a tie-break)."""
        th = self.thresholds
        overlap = self.index.overlap(n, weights, total)
        # Words the intent does not explain add up sub-linearly (a p-norm): a rambling message
        # with many small unknown words is not punished like one naming another disease.
        norm = th.unexplained_norm
        missing: float = math.fsum(w**norm for w in self.index.unexplained(n, weights)) ** (1 / norm)
        explained = covered / (covered + missing)
        # A refusal intent is a bag of unrelated questions, rarely close to a message as a whole:
        # what marks a question as out of scope is a word only it uses (a pet, a cost), so how much
        # of the question it explains weighs more than for a topic (`refusal_coverage_share`).
        share = th.refusal_coverage_share if n in self.index.refusals else th.coverage_share
        score = share * explained + (1 - share) * min(1.0, overlap)
        return Candidate(self.intent_ids[n], score, (1 - share) * max(0.0, overlap - 1)), overlap

    def _match_wordless(self, analysis: Analysis) -> Match:
        """Questions made only of small words ("who are you?"): near-exact phrasing match or nothing."""
        query = _without_filler(" ".join(analysis.words))
        if query and self._wordless_texts:
            hit = process.extractOne(query, self._wordless_texts, scorer=fuzz.ratio)
            if hit is not None and hit[1] >= self.thresholds.exact_phrase:
                p = self.index.wordless[hit[2]]
                best = Candidate(self.intent_ids[p.owner], hit[1] / 100)
                return Match(Outcome.ANSWER, best.intent, best.score, (best,), True)
        return Match(Outcome.FALLBACK, None, 0.0, (), bool(query))

    def _decide(self, scored: list[Candidate], weights: dict[str, float], analysis: Analysis) -> Match:
        th = self.thresholds
        if not scored or scored[0].score < th.clarify:
            top = scored[0].score if scored else 0.0
            return Match(Outcome.FALLBACK, None, top, tuple(scored[: th.max_candidates]), True)
        real = [c for c in scored if c.intent not in self._refusals]
        refusal = scored[0]
        if refusal.intent in self._refusals and not self._unfounded(refusal, real, weights, analysis):
            return self._refuse(refusal, real, weights, analysis)
        best = real[0]
        lead = _lead(best) - (_lead(real[1]) if len(real) > 1 else 0.0)
        clear = (best.score >= th.answer and lead >= th.margin) or (
            best.score >= th.solo_answer and lead >= th.solo_margin
        )
        # Asking about something no topic covers: say so, offering the topic, or when it is not
        # clearly one topic ("famous musicians with focal dystonia"), the likeliest ones.
        topic_named = clear or best.score >= th.partial_topic
        aspect = self._aspect(best.intent, weights, analysis) if topic_named else ()
        if aspect:
            offered = (best,) if clear else self._close(real, best.score)
            return Match(Outcome.PARTIAL, best.intent, best.score, offered, True, aspect=aspect)
        oneself = self._about_oneself(real, analysis)
        if oneself is not None:
            named = tuple(c.intent for c in real[:1] if c is not oneself)
            return Match(Outcome.ANSWER, oneself.intent, oneself.score, (oneself,), True, offered=named)
        close = self._close(real, best.score)
        # Not clear: a second opinion against the close candidates, or with none, the runner-up.
        rivals = [self._position[c.intent] for c in close[1:] or real[1:2]]
        if clear or typical(self.index, th, self._position[best.intent], best.score, rivals, weights):
            return Match(Outcome.ANSWER, best.intent, best.score, tuple(real[: th.max_candidates]), True)
        return self._unsure(close, best.score)

    def _unfounded(
        self, refusal: Candidate, real: list[Candidate], weights: dict[str, float], analysis: Analysis
    ) -> bool:
        """Whether a winning refusal has no word of its own and yields to the best topic."""
        if not real:
            return False
        topic, other = self._position[real[0].intent], self._position[refusal.intent]
        names_a_topic = refusal.intent in self._offers_topic
        lead = refusal.score - real[0].score
        return unfounded(self.index, self.thresholds, topic, other, lead, names_a_topic, weights, analysis)

    def _about_oneself(self, real: list[Candidate], analysis: Analysis) -> Candidate | None:
        """ "Could I have cervical dystonia?", "is my eye twitch dystonia?": whether someone has it is
        for a doctor, so the answer that says so wins when it fits well enough, whatever form the
        question names."""

        def explains(c: Candidate) -> bool:  # "could it be" is also how "does it run in families" asks
            return any(self._position[c.intent] in self.index.owners(t) for t in analysis.whether)

        if (
            not analysis.whether
            or not real
            or (real[0].intent not in self._whether_one_has_it and explains(real[0]))
        ):
            return None
        for c in real:
            if c.intent in self._whether_one_has_it:
                return c if explains(c) and c.score >= self.thresholds.about_oneself else None
        return None

    def _refuse(
        self, refusal: Candidate, real: list[Candidate], weights: dict[str, float], analysis: Analysis
    ) -> Match:
        """Recognised as something we do not cover: refuse, naming the refusal intent; offer a real
        topic that is nearly as good instead ("leg cramps"), or, for a refusal about a topic we do
        cover ("cost of botox for the neck"), reply partially, offering the named topic."""
        th = self.thresholds
        if refusal.intent in self._urgent:  # an emergency: its line to call for help, never a choice
            return Match(Outcome.FALLBACK, None, refusal.score, (), True, refusal=refusal.intent)
        close = self._close(real, refusal.score)
        if real and refusal.intent in self._offers_topic and real[0].score >= th.partial_topic:
            aspect = self._aspect(real[0].intent, weights, analysis, rarity=0.0)
            if aspect:
                offered = close or (real[0],)
                return Match(Outcome.PARTIAL, real[0].intent, real[0].score, offered, True, aspect=aspect)
        # "can you tell if my son has it" is for a doctor, unless the question has a word only
        # refusals use ("does my dog have it": the dog), but for another illness offered as the
        # alternative ("is my mum's shaking dystonia or parkinsons").
        oneself = self._about_oneself(real, analysis)
        foreign = self.index.foreign.intersection(weights)
        if oneself is not None and foreign <= analysis.alternative:
            return Match(Outcome.ANSWER, oneself.intent, oneself.score, close or (oneself,), True)
        if close:
            # Personal advice only when it is itself a good fit: "recommend a good netflix series"
            # is off topic, not a request for advice.
            return self._unsure(close, close[0].score, least=th.answer)
        return Match(Outcome.FALLBACK, None, refusal.score, tuple(real[:1]), True, refusal=refusal.intent)

    def _unsure(self, close: tuple[Candidate, ...], score: float, least: float = 0.0) -> Match:
        """ "Did you mean" the close candidates; but when only personal advice fits (at least `least`),
        its answer: it declines kindly and points to a doctor, which is safe to give when unsure
        ("missed my tablet, take two tonight?"), where a "did you mean" is not."""
        if len(close) == 1 and close[0].intent in self._declines and close[0].score >= least:
            return Match(Outcome.ANSWER, close[0].intent, close[0].score, close, True)
        return Match(Outcome.CLARIFY, None, score, close, True)

    def _aspect(
        self, intent: str, weights: dict[str, float], analysis: Analysis, rarity: float | None = None
    ) -> tuple[str, ...]:
        """What the question asks about beyond `intent` (faq/aspect.py); nothing for an answer that
        declines already."""
        if intent in self._declines:
            return ()
        th = self.thresholds
        least = th.aspect_rarity if rarity is None else rarity
        # Asked whether someone has it, the words no intent uses describe what they have ("could my
        # son's clumsy walking be this"): the answer that it is for a doctor fits them all.
        describing = intent in self._whether_one_has_it and bool(analysis.whether)
        n = self._position[intent]
        return asked_aspect(self.index, self._uncovered, n, weights, analysis, least, th, describing)

    def _close(self, candidates: list[Candidate], top: float) -> tuple[Candidate, ...]:
        """The candidates worth offering in "did you mean": good enough, and near the top score."""
        th = self.thresholds
        return tuple(
            c
            for c in candidates[: th.max_candidates]
            if c.score >= th.clarify and top - c.score < th.candidate_window
        )


def _lead(c: Candidate) -> float:
    """What a candidate's lead over another is measured on: its score, and how far past a perfect
    fit its closest phrasing goes."""
    return c.score + c.beyond


def _without_filler(text: str) -> str:
    """Small words without the filler ("what do you do exactly" is "what do you do")."""
    return " ".join(w for w in text.split() if w not in FILLER)
