"""Match a question to an intent: answer, "did you mean", or an honest fallback.

Why not plain rapidfuzz `WRatio`: it scores 90-100 whenever one string's words are a subset of
the other's, so "what is parkinson's disease" looks like "what is dystonia". Here every word is
weighed by how much it tells (its rarity across intents), words we have never seen count as
evidence *against* a match, and an intent must explain most of the question to be answered.

Score of an intent, in [0, 1]:
    coverage = weight of the question's terms found anywhere in the intent / weight of all terms
    best     = weighted Dice overlap with the intent's closest single phrasing
    score    = (coverage + best) / 2
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from faq.analyzer import Analysis, Analyzer, stem
from faq.knowledge import IntentKind, KnowledgeBase
from faq.normalize import CONTEXT_WEIGHT, CONTEXT_WORDS
from faq.reply import Outcome
from faq.spelling import english_zipf


@dataclass(frozen=True)
class Thresholds:
    """Every tunable number of the matcher, in one place. Defaults pass tests/data/eval.yaml."""

    # Deciding: answer, clarify or fall back.
    answer: float = 0.55  # best score needed to answer directly ...
    margin: float = 0.03  # ... with this lead over the runner-up
    solo_answer: float = 0.45  # or a lower score with a large lead:
    solo_margin: float = 0.25  # one clear topic in a long, chatty message
    clarify: float = 0.3  # below this nothing fits: fallback
    candidate_window: float = 0.15  # runner-ups this close to the best are offered too
    max_candidates: int = 3
    # Scoring: score = coverage_share * explained + (1 - coverage_share) * best phrasing overlap.
    coverage_share: float = 0.5
    refusal_coverage_share: float = 0.0  # the same for out-of-scope intents
    containment: float = 0.7  # phrasing overlap: 0.5 is Dice; 1 is how much of the phrasing is asked
    unexplained_norm: float = 2.0  # p of the p-norm that adds up words an intent does not explain
    # Words never seen in any phrasing are evidence against every intent.
    unknown_weight: float = 0.5  # relative to the rarest known term
    common_unknown_floor: float = 0.35  # least rarity, for very common words ("live", "left")
    unanchored_unknown: float = 3.0  # multiplier when the question never names or points at the subject
    exact_phrase: float = 92.0  # rapidfuzz ratio for questions made only of small words
    shortlist: int = 12  # intents scored in detail, chosen by coverage


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    outcome: Outcome
    intent: str | None
    score: float
    candidates: tuple[Candidate, ...]  # best first; the choices offered when clarifying
    has_words: bool  # False when the message had no words at all (emoji, punctuation)


@dataclass(frozen=True)
class _Phrasing:
    intent: int
    terms: frozenset[str]
    weight: float
    text: str  # normalised words, for the exact-phrase path


class Matcher:
    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self.intent_ids = tuple(i.id for i in kb.intents)
        self._context = frozenset(stem(w) for w in CONTEXT_WORDS)
        self._smalltalk = frozenset(n for n, i in enumerate(kb.intents) if i.kind is IntentKind.SMALLTALK)
        self._refusal_index = frozenset(n for n, i in enumerate(kb.intents) if i.kind is IntentKind.OUT_OF_SCOPE)
        self._refusals = frozenset(kb.intents[n].id for n in self._refusal_index)
        all_questions = [q for i in kb.intents for q in (*i.questions, i.title)]
        self.analyzer = Analyzer(kb.synonyms, all_questions, kb.subject)

        raw_phrasings: list[tuple[int, frozenset[str], str]] = []
        for n, intent in enumerate(kb.intents):
            for text in (*intent.questions, intent.title):
                terms = frozenset(self.analyzer.phrasing_terms(text))
                raw_phrasings.append((n, terms, " ".join(self.analyzer.analyze(text).words)))
        self._postings: dict[str, list[int]] = defaultdict(list)
        for n, terms, _ in raw_phrasings:
            for t in terms:
                if not self._postings[t] or self._postings[t][-1] != n:
                    self._postings[t].append(n)
        self._owners = {t: frozenset(owners) for t, owners in self._postings.items()}

        # Inverse document frequency over intents: "dystonia" is everywhere, "eyelid" is not.
        n_intents = len(kb.intents)
        self._idf = {t: math.log(1 + n_intents / len(owners)) for t, owners in self._postings.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        for t in self._idf.keys() & self._context:
            self._idf[t] *= CONTEXT_WEIGHT
        self._phrasings_of: list[list[_Phrasing]] = [[] for _ in kb.intents]
        self._wordless: list[_Phrasing] = []  # phrasings made only of stopwords ("who are you")
        for n, terms, text in raw_phrasings:
            p = _Phrasing(n, terms, sum(self._idf[t] for t in terms), text)
            self._phrasings_of[n].append(p)
            if not terms:
                self._wordless.append(p)
        self._smalltalk_terms = frozenset(
            t for t, owners in self._postings.items() if all(o in self._smalltalk for o in owners)
        )

    def weight(self, term: str, analysis: Analysis) -> float:
        if term in self._idf:
            return self._idf[term]
        th = self.thresholds
        # Never-seen words: a rare word ("parkinson") is strong evidence of another topic, a
        # very common one ("live", "left") is weak evidence.
        zipf = english_zipf(analysis.unknown.get(term, term))
        rarity = min(1.0, max(th.common_unknown_floor, (6.0 - zipf) / 3.0))
        context = CONTEXT_WEIGHT if term in self._context or any(c.isdigit() for c in term) else 1.0
        # Unnamed subject: "is diabetes hereditary" asks about diabetes, not about us.
        stray = 1.0 if analysis.anchored else th.unanchored_unknown
        return th.unknown_weight * self._max_idf * rarity * context * stray

    def match(self, text: str) -> Match:
        analysis = self.analyzer.analyze(text)
        terms = list(analysis.terms)
        if not terms:
            return self._match_wordless(analysis)
        # Small talk only competes when nothing else is asked: "hi, what is dystonia?" is a question.
        excluded: frozenset[int] = frozenset()
        if any(t in self._idf and t not in self._smalltalk_terms for t in terms):
            terms = [t for t in terms if t not in self._smalltalk_terms]
            excluded = self._smalltalk
        weights = {t: self.weight(t, analysis) for t in terms}
        total = sum(weights.values())

        coverage: dict[int, float] = defaultdict(float)
        for t in terms:
            for n in self._postings.get(t, ()):
                if n not in excluded:
                    coverage[n] += weights[t]
        shortlist = sorted(coverage, key=coverage.__getitem__, reverse=True)[: self.thresholds.shortlist]
        query = frozenset(terms)
        th = self.thresholds
        scored: list[Candidate] = []
        for n in shortlist:
            best = 0.0
            for p in self._phrasings_of[n]:
                shared = sum(weights[t] for t in p.terms & query)
                if shared:
                    best = max(best, shared / ((1 - th.containment) * total + th.containment * p.weight))
            # A refusal intent is a bag of unrelated questions: only a close phrasing means anything.
            share = th.refusal_coverage_share if n in self._refusal_index else th.coverage_share
            # Words the intent does not explain add up sub-linearly (a p-norm): a rambling message
            # with many small unknown words is not punished like one naming another disease.
            missing = sum(
                w**th.unexplained_norm for t, w in weights.items() if n not in self._owners.get(t, ())
            )
            explained = coverage[n] / (coverage[n] + missing ** (1 / th.unexplained_norm))
            scored.append(Candidate(self.intent_ids[n], share * explained + (1 - share) * best))
        scored.sort(key=lambda c: c.score, reverse=True)
        return self._decide(scored, has_words=True)

    def _match_wordless(self, analysis: Analysis) -> Match:
        """Questions made only of small words ("who are you?"): near-exact phrasing match or nothing."""
        query = " ".join(analysis.words)
        if query and self._wordless:
            hit = process.extractOne(query, [p.text for p in self._wordless], scorer=fuzz.ratio)
            if hit is not None and hit[1] >= self.thresholds.exact_phrase:
                p = self._wordless[hit[2]]
                best = Candidate(self.intent_ids[p.intent], hit[1] / 100)
                return Match(Outcome.ANSWER, best.intent, best.score, (best,), True)
        return Match(Outcome.FALLBACK, None, 0.0, (), bool(query))

    def _decide(self, scored: list[Candidate], has_words: bool) -> Match:
        th = self.thresholds
        if not scored or scored[0].score < th.clarify:
            top = scored[0].score if scored else 0.0
            return Match(Outcome.FALLBACK, None, top, tuple(scored[: th.max_candidates]), has_words)
        if scored[0].intent in self._refusals:
            # Recognised as something we do not cover: refuse, naming it (intent set, outcome FALLBACK),
            # unless a real topic is strong and nearly as good, in which case offer it.
            refusal, scored = scored[0], [c for c in scored if c.intent not in self._refusals]
            if not scored or scored[0].score < th.answer or refusal.score - scored[0].score >= th.margin:
                return Match(Outcome.FALLBACK, refusal.intent, refusal.score, tuple(scored[:1]), has_words)
            return Match(Outcome.CLARIFY, None, scored[0].score, tuple(scored[:1]), has_words)
        scored = [c for c in scored if c.intent not in self._refusals]
        best = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        lead = best.score - runner_up
        if (best.score >= th.answer and lead >= th.margin) or (
            best.score >= th.solo_answer and lead >= th.solo_margin
        ):
            return Match(
                Outcome.ANSWER, best.intent, best.score, tuple(scored[: th.max_candidates]), has_words
            )
        close = [
            c
            for c in scored[: th.max_candidates]
            if c.score >= th.clarify and best.score - c.score <= th.candidate_window
        ]
        return Match(Outcome.CLARIFY, None, best.score, tuple(close), has_words)
