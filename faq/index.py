"""`TermIndex`: what the matcher knows about the knowledge base's words, and the two lookups it
scores with.

- Which intents use each term (postings), and how much a term tells: inverse document frequency
  over intents, damped for everyday English words; words no topic uses are weighed by how rare
  they are in English (a rare one, "parkinson", is strong evidence of another subject).
- `coverage`: the weight of a question's terms each intent uses, for the intents that could make
  the shortlist, without walking a word nearly every intent uses through thousands of intents.
- `overlap`: how close an intent's closest phrasing is to the question.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq.analyzer import Analysis, stem
from faq.knowledge import IntentKind
from faq.normalize import ASKING_FOR, CONTEXT_WORDS, ILLNESS_WORDS
from faq.spelling import english_zipf
from faq.thresholds import Thresholds

__all__ = ["TermIndex", "Wordless"]


@dataclass(frozen=True)
class Wordless:
    """A phrasing made only of small words ("who are you"), matched by its text alone."""

    owner: int  # position of its intent in the knowledge base
    text: str  # normalised words


class TermIndex:
    def __init__(
        self, analysed: Sequence[tuple[int, Analysis]], kinds: Sequence[IntentKind], thresholds: Thresholds
    ) -> None:
        """`analysed`: every phrasing of the knowledge base, with the position of its intent."""
        self.thresholds = th = thresholds
        self._context = frozenset(stem(w) for w in CONTEXT_WORDS | ILLNESS_WORDS)
        self.smalltalk = frozenset(n for n, k in enumerate(kinds) if k is IntentKind.SMALLTALK)
        self.refusals = frozenset(n for n, k in enumerate(kinds) if k is IntentKind.OUT_OF_SCOPE)
        postings: dict[str, list[int]] = defaultdict(list)  # ascending intent positions
        self.surface: dict[str, str] = {}  # term -> a word it comes from, for English rarity
        for n, a in analysed:
            for t in a.terms:
                owners = postings[t]
                if not owners or owners[-1] != n:
                    owners.append(n)
                self.surface.setdefault(t, a.surface[t])
        self._postings = dict(postings)
        self._owners = {t: frozenset(owners) for t, owners in postings.items()}
        # Words only out-of-scope intents use ("diabetes", "fix") are weighed like unknown words,
        # by rarity in English: being in a catch-all intent says nothing about how telling they are.
        self.foreign = frozenset(t for t, o in self._owners.items() if o <= self.refusals)
        self.smalltalk_terms = frozenset(t for t, o in self._owners.items() if o <= self.smalltalk)

        # Inverse document frequency over intents: "dystonia" is everywhere, "eyelid" is not.
        self._idf = {t: math.log(1 + len(kinds) / len(o)) for t, o in self._owners.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        for t in self._idf:  # scene-setting words and numbers ("my son", "10") tell little
            if self.is_context(t):
                self._idf[t] *= th.context_weight
        # With a few dozen intents, IDF alone calls any word used by one intent telling; everyday
        # words ("use", "time", "work") are damped by their frequency in English, except the
        # question words that say what kind of answer is wanted ("where" in the body, "when").
        for t in self._idf:
            if self.surface[t] in ASKING_FOR:  # by the word: "why" is stemmed "whi"
                continue
            zipf = english_zipf(self.surface[t])
            damping = (th.common_known_zipf - zipf) / th.common_known_span
            self._idf[t] *= min(1.0, max(th.common_known_floor, damping))
        # Per intent, the phrasings' sizes (their terms' weight, times `containment`), one per
        # distinct set of terms, and which of them use each term: scoring an intent walks only the
        # phrasings that share a word with the question (a catch-all refusal has hundreds).
        self._sizes: list[list[float]] = [[] for _ in kinds]
        self._uses: list[dict[str, list[int]]] = [defaultdict(list) for _ in kinds]
        seen: set[tuple[int, frozenset[str]]] = set()
        static = {t: self._static_weight(t) for t in self._owners}  # once per term, not per use
        wordless = []
        for n, a in analysed:
            terms = frozenset(a.terms)
            if not terms:
                wordless.append(Wordless(n, " ".join(a.words)))
            elif (n, terms) not in seen:
                seen.add((n, terms))
                for t in terms:
                    self._uses[n][t].append(len(self._sizes[n]))
                self._sizes[n].append(th.containment * sum(static[t] for t in terms))
        self.wordless = tuple(wordless)
        # How many phrasings (one per distinct set of terms) use each term, over all intents.
        using: dict[str, int] = defaultdict(int)
        for uses in self._uses:
            for t, used in uses.items():
                using[t] += len(used)
        self._phrasings_using = dict(using)
        self._phrasing_count = sum(len(sizes) for sizes in self._sizes)

    def owners(self, term: str) -> frozenset[int]:
        """The positions of the intents that use `term`."""
        return self._owners.get(term, frozenset())

    def unexplained(self, n: int, weights: dict[str, float]) -> list[float]:
        """The weights of the question's terms intent n does not use."""
        return [w for t, w in weights.items() if n not in self.owners(t)]

    def is_context(self, term: str) -> bool:
        """Scene-setting words ("mum", "scared") and numbers: they tell little about what is asked."""
        return term in self._context or any(c.isdigit() for c in term)

    def rarity(self, word: str) -> float:
        """How rare a word is in English, in [0, 1]: 0 for everyday words, 1 for rare ones."""
        th = self.thresholds
        return min(1.0, max(0.0, (th.everyday_zipf - english_zipf(word)) / th.rare_span))

    def weight(self, term: str, analysis: Analysis) -> float:
        """How much `term` of a question tells."""
        # Scene-setting: where someone is from ("hello from India"), and a story's words no intent
        # uses when the question asks in small words ("saw it in a magazine, what is it?").
        told = analysis.asked is not None and not analysis.asked and term not in self._owners
        scene = self.thresholds.context_weight if told or term in analysis.scene else 1.0
        if term in self._idf and term not in self.foreign:
            return self._idf[term] * scene
        word = analysis.surface.get(term) or self.surface.get(term, term)
        # Unnamed subject: "is diabetes hereditary" asks about diabetes, not about us.
        stray = 1.0 if analysis.anchored else self.thresholds.unanchored_unknown
        return self._rarity_weight(term, word) * stray * scene

    def _static_weight(self, term: str) -> float:
        if term in self.foreign:
            return self._rarity_weight(term, self.surface[term])
        return self._idf[term]

    def _rarity_weight(self, term: str, word: str) -> float:
        """Weight of a word no topic uses: a rare word ("parkinson") is strong evidence of another
        subject, a very common one ("live", "left") weak evidence."""
        th = self.thresholds
        rarity = max(th.common_unknown_floor, self.rarity(word))
        context = th.context_weight if self.is_context(term) else 1.0
        return th.unknown_weight * self._max_idf * rarity * context

    def coverage(self, weights: dict[str, float], excluded: frozenset[int]) -> dict[int, float]:
        """The weight of the question's terms each intent uses, for every intent that could make
        the shortlist. Rarer terms' postings are walked first; once enough intents are ahead of
        whatever the terms left could give one not reached yet, those terms are only looked up for
        the intents reached. So a word nearly every intent uses ("dystonia") is not walked through
        thousands of intents, and the shortlist is the same as from walking everything."""
        k = self.thresholds.shortlist
        terms = sorted(weights, key=lambda t: len(self._postings.get(t, ())))
        coverage: dict[int, float] = defaultdict(float)
        left = sum(weights.values())  # the most an intent not reached yet can still get
        while terms and not _ahead(coverage, left, k):
            t = terms.pop(0)
            left -= weights[t]
            if not terms:
                return self._last_term(t, weights[t], coverage, excluded)
            for n in self._postings.get(t, ()):
                if n not in excluded:
                    coverage[n] += weights[t]
        reached = list(coverage)
        for t in terms:
            owners = self.owners(t)
            for n in reached:
                if n in owners:
                    coverage[n] += weights[t]
        return coverage

    def _last_term(
        self, term: str, weight: float, coverage: dict[int, float], excluded: frozenset[int]
    ) -> dict[int, float]:
        """Add the question's last term: to the intents reached, and to those not reached yet, which
        all tie at its weight, so only the first `shortlist` of them in file order can be chosen."""
        owners = self.owners(term)
        for n in list(coverage):
            if n in owners:
                coverage[n] += weight
        added = 0
        for n in self._postings.get(term, ()):
            if added == self.thresholds.shortlist:
                break
            if n not in coverage and n not in excluded:
                coverage[n] = weight
                added += 1
        return coverage

    def typicality(self, n: int, terms: Iterable[str]) -> float:
        """How typical the known `terms` are of intent n's phrasings, against all phrasings: naive
        Bayes' log-likelihood ratio over the terms (the share of phrasings using each, smoothed)."""
        smoothing = self.thresholds.typical_smoothing
        own = len(self._sizes[n]) + 2 * smoothing
        everyone = self._phrasing_count + 2 * smoothing
        uses = self._uses[n]
        return math.fsum(
            math.log((len(uses.get(t, ())) + smoothing) / own)
            - math.log((self._phrasings_using[t] + smoothing) / everyone)
            for t in terms
            if t in self._phrasings_using
        )

    def overlap(self, n: int, weights: dict[str, float], total: float) -> float:
        """Weighted overlap of the question with intent n's closest phrasing, between Dice and
        containment (`Thresholds.containment`); not capped at 1."""
        shared: dict[int, float] = defaultdict(float)
        uses = self._uses[n]
        for t, w in weights.items():
            for i in uses.get(t, ()):
                shared[i] += w
        sizes, asked = self._sizes[n], (1 - self.thresholds.containment) * total
        return max((s / (asked + sizes[i]) for i, s in shared.items()), default=0.0)


def _ahead(coverage: dict[int, float], bound: float, k: int) -> bool:
    """Whether at least k intents have more coverage than `bound`."""
    count = 0
    for c in coverage.values():
        if c > bound:
            count += 1
            if count == k:
                return True
    return False
