"""Turn a question into the terms the matcher compares: typo-fixed, synonym-mapped, stemmed.

Pipeline: split into clauses (faq/clauses.py) -> normalise -> correct each unknown word -> read
"does my son have it" as about oneself -> map synonyms (phrases too) -> drop stopwords -> stem.
Curated phrasings go through the same pipeline (without correction). Which clause asks, what the
question focuses on and what only sets the scene come from faq/clauses.py, as terms.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from faq.clauses import (
    Clause,
    alternative_words,
    asked_words,
    asks_what_it_is,
    asks_what_the_subject_is,
    focus_words,
    read_clauses,
    where_from,
    whose,
)
from faq.normalize import CONTEXT_WORDS, ILLNESS_WORDS, POINTERS, STOPWORDS, words
from faq.spelling import SpellIndex

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
        as_oneself = [_for_someone(c) for c in fixed] if correct else fixed  # phrasings say whom as meant
        # After a story of someone's symptoms (not of their dystonia): "is it X or just Y" asks whether.
        told = [bool(_PERSON.intersection(c)) and self._subject_as_typed.isdisjoint(c) for c in as_oneself]
        told = [any(told[:n]) for n in range(len(told))]
        mapped_clauses = [
            self._map_synonyms(self._first_person(_is_it_this(c) if after else c))
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
        written = {w for c in clauses for w in c.words}
        if not written & _PERSON:
            return frozenset()
        # "is that a type of dystonia" asks about kinds; "could i have the vocal kind" about oneself
        whom = _PEOPLE | {"i", "me"} if written & _KINDS else _SOMEONE_OR_THIS
        return self._terms(
            w
            for c, pairs in zip(clauses, mapped, strict=True)
            if c.strength
            for w, said in pairs
            if " " in said
            and {*said.split()} & whom
            # "do i have", or in a yes/no question, "a sign that i have it"
            and (
                said.split()[0] in _ASKS_WHETHER or (c.words[0] in _YES_NO | _IS and _HAVE & {*said.split()})
            )
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

    def _first_person(self, clause: list[str]) -> list[str]:
        """Asking whether someone has it, or whether something is it, reads as asking it about
        oneself, in the words the synonyms know: "does my son have dystonia" -> "do i have
        dystonia", "is my eye twitch dystonia" -> "is this dystonia eye twitch"."""
        if len(clause) < 3 or clause[0] not in _YES_NO | _IS:
            return clause
        for end in range(2, min(len(clause), 6)):
            has_it = clause[end] in _HAVE and clause[end + 1 : end + 2] and clause[end + 1] in self._anchors
            if has_it and _someone(clause[1:end]):
                who = [w for w in clause[2:end] if w not in CONTEXT_WORDS]  # family goes, "my dog" stays
                return ["do", "i", "have", *clause[end + 1 :], *who]
        if clause[0] in _IS | _MAYBE and clause[1] in _WHOSE:  # "could my twitch be dystonia"
            be = clause[0] in _MAYBE
            tail = clause[2:]
            named = self._subject | (POINTERS if be else frozenset())  # "could my symptoms be this"
            after = _AFTER_SUBJECT | (_NAMED if be else set())  # "... be this thing"
            last = next((n for n, w in enumerate(tail) if w in named), None)
            if (
                last is not None
                and be <= last <= 3 + be
                and (not be or tail[last - 1] == "be")
                and not _CLAUSE_WORDS & {*tail[:last]}
                and (last == 0 or tail[last - 1] not in _RELATING)  # "is that normal with dystonia"
                and all(w in after for w in _sentence(tail[last + 1 :]))
            ):
                return ["is", "this", "dystonia", *tail[: last - be], *tail[last + 1 :]]
        return clause

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
            if seq[i] not in self._first_words or (seq[i] in _IS and _WH.intersection(seq[:i])):
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

# "does my son have it?", "is my twitch dystonia or not?": yes/no questions whether someone has
# it or something is it, which are questions about oneself (`Analyzer._first_person`).
_YES_NO = frozenset("do does did could might may".split())  # "can you get it ..." asks in general
_IS = frozenset({"is", "are"})
_WH = frozenset("what whats wat how hw why when where which who".split())  # before "is": not yes/no
_MAYBE = frozenset("could might may can".split())  # "could my twitch be dystonia": "be" before it
_HAVE = frozenset("have has got".split())
_PEOPLE = frozenset("he she they someone somebody".split())  # "do i have" is the synonyms' already
# "should my mum take ...", "can my son stop ...": advice asked for someone (`_for_someone`). Not
# "can my son get it" (whether it is passed on) nor "can my son have it".
_CAN_VERBS = frozenset("take try use stop start increase reduce skip quit continue keep give".split())
_ADVICE_VERBS = {"should": _CAN_VERBS | {"get", "have", "go"}, "can": _CAN_VERBS, "could": _CAN_VERBS}
_CLAUSE_WORDS = _HAVE | {"who", "which", "that", "get", "gets"}
_POSSESSIVE = frozenset("my his her our their your ur".split())
_WHOSE = _POSSESSIVE | POINTERS
_RELATING = frozenset("with in for from after about to during among".split())  # not what it is
_STARTS_A_SENTENCE = frozenset("it i my he she his her we they".split())
_NAMED = ILLNESS_WORDS | {"thing", "problem"}
_DISMISSING = frozenset("just am only simply nothing not something".split())  # "... or just stress"
_AFTER_SUBJECT = frozenset("or not something else what too then as well".split())


# A yes/no question about someone, as the synonyms word it ("could i have", "is this dystonia").
_ASKS_WHETHER = _YES_NO | _IS | {"am", "have", "has", "tell", "confirm", "whats", "what"}  # not "if"
_SOMEONE_OR_THIS = _PEOPLE | {"i", "me", "you", "it", "this", "that"}
_PERSON = _PEOPLE | _POSSESSIVE | frozenset("i im ive me mine myself him we us".split())
_KINDS = frozenset("type types kind kinds form forms sort sorts".split())


def _story(clauses: list[list[str]]) -> bool:
    """A message that tells something besides asking: a few words of content, not just a name
    ("eye dystonia, what is it?")."""
    return sum(w not in STOPWORDS for c in clauses for w in c) >= 3


def _for_someone(clause: list[str]) -> list[str]:
    """Asking advice for someone one cares for reads as asking it for oneself: "how much should my
    mum take" -> "how much should i take", "can my son stop his tablets" -> "can i stop ..."."""
    for i, word in enumerate(clause[:-2]):
        verbs = _ADVICE_VERBS.get(word)
        if verbs is None:
            continue
        for j in range(i + 2, min(i + 5, len(clause))):
            who = clause[i + 1 : j]  # "my mum", "my little girl": kin, not "my dog"
            kin = all(w in CONTEXT_WORDS or w in STOPWORDS for w in who)
            if clause[j] in verbs and _someone(who) and kin:
                return [*clause[: i + 1], "i", *clause[j:]]
    return clause


def _is_it_this(clause: list[str]) -> list[str]:
    """After a story about someone, "is it writer's cramp or just a tired hand" asks whether they
    have it, like "is this dystonia"."""
    if len(clause) > 3 and clause[0] in _IS and clause[1] in POINTERS and "or" in clause[3:7]:
        k = clause.index("or")
        if clause[k + 1 : k + 2] and clause[k + 1] in _DISMISSING:
            return ["is", "this", "dystonia", *clause[2:]]
    return clause


def _sentence(words: list[str]) -> list[str]:
    """The words up to where a new sentence starts without a stop ("... dystonia it breaks when i
    talk": "it breaks" is a new sentence) or an alternative is offered ("... or just stress")."""
    return list(itertools.takewhile(lambda w: w not in _STARTS_A_SENTENCE and w != "or", words))


def _someone(words: list[str]) -> bool:
    """ "he", "my son", "my little girl": a person, named by a pronoun or as someone's."""
    return (len(words) == 1 and words[0] in _PEOPLE) or (1 < len(words) <= 3 and words[0] in _POSSESSIVE)
