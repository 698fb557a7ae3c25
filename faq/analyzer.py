"""Turn a question into the terms the matcher compares: typo-fixed, synonym-mapped, stemmed.

Pipeline: split into clauses (faq/clauses.py) -> normalise -> correct each unknown word -> read
"does my son have it" as about oneself -> map synonyms (phrases too) -> drop stopwords -> stem.
Curated phrasings go through the same pipeline (without correction). Which clause asks, what the
question focuses on and what only sets the scene come from faq/clauses.py, as terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from faq.clauses import (
    Clause,
    alternative_words,
    asked_words,
    focus_words,
    read_clauses,
    where_from,
    whose,
)
from faq.normalize import CONTEXT_WORDS, POINTERS, STOPWORDS, words
from faq.oneself import IS, asks_whether, first_person, for_someone, is_it_this, told_of_someone, whom_asked
from faq.spelling import SpellIndex
from faq.what_it_is import asks_what_it_is, asks_what_the_subject_is

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@dataclass(frozen=True)
class Analysis:
    words: tuple[str, ...]  # all words after correction and synonyms, stopwords included
    terms: tuple[str, ...]  # stemmed content terms, in order, without repeats
    surface: dict[str, str]  # term -> the word it came from (for its frequency in English)
    said: dict[str, str]  # term -> what the user wrote for it, before synonyms ("fly" for "travel");
    # empty for a curated phrasing
    focus: frozenset[str]  # terms of the clause that asks, in a message of several clauses
    anchored: bool  # names the subject ("dystonia") or points at it ("is it ...")
    asking: bool = True  # a question ("?" or a clause opening "can", "what", ...), not a description
    # The terms of the clause that asks, in a message of several clauses: empty when it asks with
    # small words only ("... what is it?"); None when every term is part of the question.
    asked: frozenset[str] | None = None
    # Where someone is from, when they introduce themselves ("hello from India, what is ..."):
    # it sets the scene, like "my mum", and is not what is asked.
    scene: frozenset[str] = frozenset()
    # Asking whether oneself or someone one describes has it: the terms a yes/no question about
    # someone asked with ("could i have" in "my neck pulls, could i have cervical dystonia?"; "is
    # this dystonia" from "is my eye twitch dystonia?"). Not "is that a type of dystonia".
    whether: frozenset[str] = frozenset()
    # Words of an asking clause after "or" ("does it help or is that nonsense"): the alternative
    # offered, which a word no intent knows does not make a matter of its own.
    alternative: frozenset[str] = frozenset()


class Analyzer:
    def __init__(
        self, synonyms: Mapping[str, Sequence[str]], phrasings: Iterable[str], subject: Iterable[str] = ()
    ) -> None:
        # Variant phrase (as a word tuple) -> canonical words. The longest variant that fits wins.
        self._synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in synonyms.items():
            target = tuple(words(canonical))
            for variant in variants:
                self._synonyms[tuple(words(variant))] = target
        self._variants = frozenset(w for key in self._synonyms for w in key)
        # Every proper beginning of a variant ("what", "what in"): a question's words are matched
        # by extending a beginning word by word, not by trying every length a first word starts.
        self._beginnings = frozenset(key[:n] for key in self._synonyms for n in range(1, len(key)))
        self._first_words = frozenset(key[0] for key in self._synonyms)
        self._subject = frozenset(w for s in subject for w in words(s))
        # The subject as typed: "distonia" is a variant of "dystonia" (before the synonyms map it).
        named = tuple(sorted(self._subject))
        self._subject_as_typed = self._subject | {
            k[0] for k, t in self._synonyms.items() if len(k) == 1 and t == named
        }
        self._anchors = POINTERS | self._subject
        vocabulary: list[str] = [*STOPWORDS, *CONTEXT_WORDS]  # "grans" is kin, not a typo of "grants"
        for key, target in self._synonyms.items():
            vocabulary.extend(key + target)
        # The stems of our own vocabulary, computed once per distinct word: building the index
        # then costs the same per phrasing at any size (a bounded cache would thrash on a large
        # vocabulary, which made a 100x knowledge base take 300x as long to index).
        self._stems = {w: stem(w) for w in set(vocabulary) - STOPWORDS}
        # The curated phrasings, each read once (no typo fixing); their words join the vocabulary
        # that a question's typos are corrected to.
        self.phrasings = tuple(self._learn(text) for text in phrasings)
        vocabulary.extend(w for a in self.phrasings for w in a.words)
        self.spelling = SpellIndex(vocabulary)
        self.known_stems = frozenset(self._stems.values())

    def _learn(self, phrasing: str) -> Analysis:
        analysis = self.analyze(phrasing, correct=False)
        for w in analysis.words:
            if w not in self._stems and w not in STOPWORDS:
                self._stems[w] = stem(w)
        return analysis

    def analyze(self, text: str, correct: bool = True) -> Analysis:
        """Analyse a question. Curated phrasings are analysed with `correct=False`: no typo fixing,
        and only their words and terms (the rest says how a question asks, which the index does
        not use)."""
        clauses = read_clauses(text)
        fixed = self._definitions([[self._fix(w) for w in c.words] if correct else c.words for c in clauses])
        as_oneself = [for_someone(c) for c in fixed] if correct else fixed  # phrasings say whom as meant
        told = told_of_someone(as_oneself, self._subject_as_typed)
        mapped_clauses = [
            self._map_synonyms(first_person(is_it_this(c) if after else c, self._subject, self._anchors))
            for c, after in zip(as_oneself, told, strict=True)
        ]
        pairs = [pair for c in mapped_clauses for pair in c]
        mapped = [w for w, _ in pairs]
        stems = [(self._stem(w), w, said) for w, said in pairs if w not in STOPWORDS]
        surface = {t: w for t, w, _ in reversed(stems)}
        terms = tuple(dict.fromkeys(t for t, _, _ in stems))
        if not correct:  # a curated phrasing: what it "said" is itself
            return Analysis(tuple(mapped), terms, surface, {}, frozenset(), anchored=True)
        said = {t: words_said for t, _, words_said in reversed(stems)}
        # Named or pointed at, as written or once mapped ("this disorder" -> "dystonia").
        anchored = any(w in self._anchors for w in (*mapped, *(w for c in clauses for w in c.words)))
        # How each clause asks is judged on the words as written ("how many people" asks, though a
        # synonym turns it into "common"); what it is about, on the words it maps to.
        read = [replace(c, words=[w for w, _ in m]) for c, m in zip(clauses, mapped_clauses, strict=True)]
        return Analysis(
            tuple(mapped),
            terms,
            surface,
            said,
            self._terms(focus_words(read)),
            anchored,
            asking=any(c.strength for c in read),
            asked=None if (asked := asked_words(read)) is None else self._terms(asked),
            scene=self._terms(w for c in read for w in (*where_from(c.words), *whose(c.words))),
            whether=self._whether(clauses, mapped_clauses),
            alternative=self._terms(w for c in read if c.strength for w in alternative_words(c.words)),
        )

    def _whether(self, clauses: list[Clause], mapped: list[list[tuple[str, str]]]) -> frozenset[str]:
        """The terms of an asking clause that a synonym made of a yes/no question about someone
        ("do i have", "could it be"), when the message speaks of a person and not of kinds."""
        whom = whom_asked({w for c in clauses for w in c.words})
        if whom is None:
            return frozenset()
        return self._terms(
            w
            for c, pairs in zip(clauses, mapped, strict=True)
            if c.strength
            for w, said in pairs
            if asks_whether(said, c.words, whom)
        )

    def _terms(self, words_: Iterable[str]) -> frozenset[str]:
        return frozenset(self._stem(w) for w in words_ if w not in STOPWORDS)

    def _definitions(self, clauses: list[list[str]]) -> list[list[str]]:
        """ "my doctor mentioned dystonia, what is that?": after a story, asking in small words what
        it is asks for a definition of what the story named ("define"); after a name alone ("eye
        dystonia, what is it?") the name is what is asked about, as written."""
        story = _story(clauses)
        return [_DEFINE if story and asks_what_it_is(c) else self._what_the_subject_is(c) for c in clauses]

    def _what_the_subject_is(self, clause: list[str]) -> list[str]:
        """ "could you tell me what dystonia is": asking what the subject is asks for a definition."""
        k = asks_what_the_subject_is(clause, self._subject_as_typed)
        return clause if k is None else [*clause[:k], *_DEFINE, *sorted(self._subject)]

    def _stem(self, word: str) -> str:
        return self._stems.get(word) or stem(word)

    def _fix(self, word: str) -> str:
        if word in self.spelling:
            return word
        fixed = self.spelling.correct(word)
        if self._stem(word) in self.known_stems:
            # An inflection of a known word ("twisting") stays, unless one edit away is a word the
            # synonyms name: "laryngal" (stem of "laryngitis") was meant as "laryngeal" (voice).
            return fixed if fixed is not None and fixed in self._variants else word
        return fixed or word

    def _map_synonyms(self, seq: list[str]) -> list[tuple[str, str]]:
        """Each word after synonym mapping, with the words it stands for ("travel", "fly")."""
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(seq):
            # Most words start no variant; "is" after "how" ("how common is this dystonia thing")
            # asks how, not whether it is dystonia.
            if seq[i] not in self._first_words or (seq[i] in IS and _WH.intersection(seq[:i])):
                out.append((seq[i], seq[i]))
                i += 1
                continue
            n, target = 0, None  # the longest variant starting at word i
            key: tuple[str, ...] = (seq[i],)
            while True:
                found = self._synonyms.get(key)
                if found is not None:
                    n, target = len(key), found
                if key not in self._beginnings or i + len(key) == len(seq):
                    break
                key = (*key, seq[i + len(key)])
            if target is None:
                out.append((seq[i], seq[i]))
                i += 1
            else:
                out.extend((w, " ".join(seq[i : i + n])) for w in target)
                i += n
        return out


_DEFINE = ["define"]  # a synonym group of `intents.yaml`: asking what something is
_WH = frozenset("what whats wat how hw why when where which who".split())  # before "is": not yes/no


def _story(clauses: list[list[str]]) -> bool:
    """A message that tells something besides asking: a few words of content, not just a name
    ("eye dystonia, what is it?")."""
    return sum(w not in STOPWORDS for c in clauses for w in c) >= 3
