"""Turn a question into the terms the matcher compares: typo-fixed, synonym-mapped, stemmed.

Pipeline: normalise -> correct each unknown word -> map synonyms (phrases too) -> drop
stopwords -> stem. Curated phrasings go through the same pipeline (without correction).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from faq.normalize import MAX_QUESTION_CHARS, POINTERS, STOPWORDS, words
from faq.spelling import SpellIndex

_STEMMER = snowballstemmer.stemmer("english")
# Where one clause ends and the next begins: sentence punctuation, or "but"/"so" turning to the point.
_CLAUSES = re.compile(r"[.?!;:,\n]+|\b(?:but|so)\b", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@dataclass(frozen=True)
class Analysis:
    words: tuple[str, ...]  # all words after correction and synonyms, stopwords included
    terms: tuple[str, ...]  # stemmed content terms, in order, without repeats
    surface: dict[str, str]  # term -> the word it came from (for its frequency in English)
    focus: frozenset[str]  # terms of the last clause, where a chatty message puts its question
    anchored: bool  # names the subject ("dystonia") or points at it ("is it ...")


class Analyzer:
    def __init__(
        self, synonyms: Mapping[str, Sequence[str]], phrasings: Iterable[str], subject: Iterable[str] = ()
    ) -> None:
        # Variant phrase (as a word tuple) -> canonical words. Longest variants are tried first.
        self._synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in synonyms.items():
            target = tuple(words(canonical))
            for variant in variants:
                self._synonyms[tuple(words(variant))] = target
        self._longest = max((len(v) for v in self._synonyms), default=1)
        vocabulary: list[str] = list(STOPWORDS)
        for key, target in self._synonyms.items():
            vocabulary.extend(key + target)
        for text in phrasings:
            vocabulary.extend(words(text))
        self.spelling = SpellIndex(vocabulary)
        self._anchors = POINTERS | {w for s in subject for w in words(s)}
        self.known_stems = frozenset(stem(w) for w in vocabulary if w not in STOPWORDS)

    def analyze(self, text: str, correct: bool = True) -> Analysis:
        """Analyse a question; curated phrasings are analysed with `correct=False`."""
        clauses = [words(c) for c in _CLAUSES.split(text[:MAX_QUESTION_CHARS])]
        mapped_clauses = [self._map_synonyms([self._fix(w) for w in c] if correct else c) for c in clauses]
        mapped = [w for c in mapped_clauses for w in c]
        surface = {stem(w): w for w in reversed(mapped) if w not in STOPWORDS}
        terms = tuple(dict.fromkeys(stem(w) for w in mapped if w not in STOPWORDS))
        with_terms = [{stem(w) for w in c if w not in STOPWORDS} for c in mapped_clauses]
        with_terms = [c for c in with_terms if c]
        focus = frozenset(with_terms[-1]) if len(with_terms) > 1 else frozenset()
        anchored = any(w in self._anchors for w in mapped)
        return Analysis(tuple(mapped), terms, surface, focus, anchored)

    def _fix(self, word: str) -> str:
        if word in self.spelling or stem(word) in self.known_stems:
            return word
        return self.spelling.correct(word) or word

    def _map_synonyms(self, seq: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(seq):
            for n in range(min(self._longest, len(seq) - i), 0, -1):
                target = self._synonyms.get(tuple(seq[i : i + n]))
                if target is not None:
                    out.extend(target)
                    i += n
                    break
            else:
                out.append(seq[i])
                i += 1
        return out
