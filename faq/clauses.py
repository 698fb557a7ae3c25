"""How a message is built: its clauses, which one asks, and what the question is about.

A message like "my mum was just told she has cervical dystonia, what is that?" is a story and a
question. The analyzer maps the words of each clause (faq/analyzer.py); this module says which
clause asks, which words the question focuses on, which only set the scene, and which offer an
alternative ("... or is that rubbish"). Everything here works on words as written or as mapped,
never on stems.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from faq.normalize import CONTEXT_WORDS, POSSESSIVE, STOPWORDS, without_markup, words
from faq.what_it_is import ASIDES, WHAT_IT_IS

__all__ = [
    "Clause",
    "alternative_words",
    "asked_words",
    "focus_words",
    "question_parts",
    "read_clauses",
    "where_from",
    "whose",
]

# Where one clause ends and the next begins: sentence punctuation, brackets around an aside, a dash
# between spaces ("nursing student here - what is it"), "but"/"so" turning to the point, or
# punctuation said aloud to a phone ("my son is 9 comma his foot turns in").
_DICTATED = r"comma|full stop|question mark|exclamation (?:mark|point)"
_DELIMITERS = re.compile(rf"([.?!;:,\n()]+|\s[-–—]+\s|\b(?:but|so|{_DICTATED})\b)", re.IGNORECASE)
# How strongly a clause asks: opening with a question word, or only ending in "?" (or a request).
_OPENS_A_QUESTION, _ENDS_WITH_MARK = 2, 1
_ASKING = frozenset(
    "what whats how why when where who which is are can could does do will would should"
    " wat wats wot wht whts hw hows y wen wer wich cn cud dose".split()  # as typed on a phone
)
# A request asks too, wherever it stands: "dystonia meaning in english pls, my sister has it".
_REQUESTING = frozenset("please pls plz explain define describe".split())
# "... for days could this be dystonia": a story turning into a question without a comma.
_AUXILIARY = frozenset("is are can could does do did will would should might may".split())
_ASKING_WORDS = _ASKING - _AUXILIARY  # "what", "how": a question word, not an auxiliary
_TURNING_TO = frozenset("this that it i he she they you u my his her".split())
# Questions tagged onto a statement, asking whether it holds.
_TAGS = [
    t.split()
    for t in (
        "true",
        "right",
        "correct",
        "is that true",
        "is it true",
        "is that right",
        "is this true",
        "is that correct",
        "am i right",
        "or not",
        "really",
    )
]
_PERSONS = CONTEXT_WORDS | {"someone", "somebody"}  # kin, carers, teachers; as the synonyms map them
# "what is blepharospasm i cant even pronounce it": a question running on into a story (`_runs_on`).
_SUBJECTS, _I_AM = frozenset({"i", "we", "he", "she", "they"}), frozenset({"im", "ive"})
# Whose someone in a story is: the writer's and others', not "your" (said to the bot).
_OURS = POSSESSIVE - {"your", "ur"}
_TELLING = _SUBJECTS | _I_AM | _OURS  # a story starts: "i ...", "im ...", "my ..."
_STORY_VERBS = frozenset(
    "am is are was were been have has had got gets cant cannot dont didnt just also keep keeps feel"
    " think thinks thought noticed need said says told mentioned suffers suffered started brought"
    " suggested spotted diagnosed"
    " never always really still even only".split()
)
_LEADING_ON = (  # "... if my son has it", "does it affect my hands": the question goes on
    _ASKING
    | _AUXILIARY
    | frozenset(
        "am and or if when whether that because cause cuz bc coz since as while after before until"
        " than for with in of about to from on at by into like mean means think say know tell"
        " believe feel sure possible likely true normal ok okay affect affects help helps hurt make"
        " makes give causes stop treat cure fix take change damage spread reach control ease explain"
        " show ask see get gets let sign signs chance risk".split()
    )
)
# Two questions in one message: "does it hurt? will it get worse", "does it hurt and will it get worse".
_QUESTION_WORDS = "|".join(sorted(_ASKING))
# "... and at what age does it start": a question word may come after a preposition.
_PREPOSITIONS = frozenset("at from in by to for on".split())
_QUESTIONS = re.compile(
    rf"[.?!;\n]+|\s(?:and|&)\s+(?=(?:(?:{'|'.join(_PREPOSITIONS)})\s+)?(?:{_QUESTION_WORDS})\b)",
    re.IGNORECASE,
)
# Introductions: "hello from india", "i am from brazil", "we live in spain".
_INTRODUCING = frozenset(
    [(w, "from") for w in "hello hi hey greetings am im are were here writing".split()]
    + [(w, "in") for w in "live lives living based here".split()]
)


@dataclass(frozen=True)
class Clause:
    words: list[str]
    strength: int  # how strongly it asks: 0 not at all, 1 "?" or a request, 2 a question word
    turns: bool = False  # a story whose question follows without a comma (the next clause)


def read_clauses(text: str) -> list[Clause]:
    """The clauses of a message, with how strongly each asks (judged on the words as written)."""
    parts = _DELIMITERS.split(without_markup(text))  # clause, delimiter, clause, ...
    delimiters = [*parts[1::2], ""]
    out: list[Clause] = []
    for raw, delimiter in zip(parts[::2], delimiters, strict=True):
        clause = words(raw)
        k = _turn(clause)
        if k:
            out.append(Clause(clause[:k], _strength(clause[:k], False), turns=True))
            clause = clause[k:]
        k = _then_tells(clause) or _runs_on(clause)
        if k:
            out.append(Clause(clause[:k], _OPENS_A_QUESTION))
            clause = clause[k:]
        out.append(Clause(clause, _strength(clause, "?" in delimiter)))
    return _tags_asking(out)


def _tags_asking(clauses: list[Clause]) -> list[Clause]:
    """ "a glass of wine helps, is that true?": a question tagged onto a statement asks the statement."""
    out = list(clauses)
    for n in range(1, len(out)):
        said = [w for w in out[n].words if w not in ASIDES]
        if out[n].strength and said and said in _TAGS and _has_content(out[n - 1].words):
            out[n - 1], out[n] = replace(out[n - 1], strength=out[n].strength), replace(out[n], strength=0)
    return out


def focus_words(clauses: Sequence[Clause]) -> list[str]:
    """The words of the clause that asks; when it asks in small words ("could you tell me what that
    is?"), of the clause before it, which says what "that" is; else of the last clause with
    content. Empty for a message with one clause of content (nothing to prefer)."""
    content = [n for n, c in enumerate(clauses) if _has_content(c.words)]
    if len(content) < 2:
        return []
    chosen = _asking(clauses)
    if chosen is None or chosen not in content:
        before = [n for n in content if chosen is not None and n < chosen]
        chosen = before[-1] if before else content[-1]
    return clauses[chosen].words


def asked_words(clauses: Sequence[Clause]) -> list[str] | None:
    """The words of the clause that asks, when other clauses have content: in "I nodded like an
    idiot... what is it?" nothing but "it" is asked. A story that turns into the question without
    a comma is part of it ("voice therapy for spasmodic dysphonia does it work": "it" is the
    therapy). None for a message that does not ask or asks in its only clause with content."""
    joined = _rejoined(clauses)
    chosen = _asking(joined)
    if chosen is None or not any(_has_content(c.words) for n, c in enumerate(joined) if n != chosen):
        return None
    return joined[chosen].words


def alternative_words(clause: Sequence[str]) -> list[str]:
    """The words after "or" in a clause: "do the spasms ache or is it just awkward"."""
    return list(clause[clause.index("or", 1) + 1 :]) if "or" in clause[1:] else []


def question_parts(text: str) -> list[str]:
    """The questions of a message that asks more than one, each opening with a question word:
    "does it hurt and will it get worse" is "does it hurt" and "will it get worse". Fewer than two:
    the message asks one question (or none), whatever its clauses."""
    parts = [
        p for p in _QUESTIONS.split(text) if (w := _opening(words(p))) and w[0] in _ASKING and _has_content(w)
    ]
    return parts if len(parts) > 1 else []


def _opening(clause: list[str]) -> list[str]:
    """A clause without the preposition before its question word ("at what age ...")."""
    return clause[1:] if clause[:1] and clause[0] in _PREPOSITIONS else clause


def where_from(clause: Sequence[str]) -> list[str]:
    """The place in an introduction ("hello from india", "i am from brazil", "we live in spain") or
    where someone is ("my brother in kenya")."""
    triples = zip(clause, clause[1:-1], clause[2:], strict=False)
    return [
        place
        for before, word, place in triples
        if place not in STOPWORDS
        and ((before, word) in _INTRODUCING or (word == "in" and before in CONTEXT_WORDS))
    ]


def whose(clause: Sequence[str]) -> list[str]:
    """What says whose someone is ("my maths teacher", "my singing teacher", "my older brother"):
    the words between "my" and a person, which set the scene like the person."""
    out: list[str] = []
    for n, word in enumerate(clause):
        if word in _OURS:
            rest = list(itertools.takewhile(lambda w: w not in _PERSONS, clause[n + 1 : n + 4]))
            if len(rest) < 3 and n + 1 + len(rest) < len(clause) and rest:
                out += rest
    return out


def _turn(clause: list[str]) -> int:
    """Where a story turns into a question without a comma ("my eyelid has been twitching for days
    could this be dystonia" turns at "could"), or 0."""
    if clause and clause[0] not in _ASKING:
        for k in range(3, len(clause) - 1):
            if clause[k] in _AUXILIARY and clause[k + 1] in _TURNING_TO:
                # "... what does it affect" turns at "what", "... what even is that" too
                # ("... no idea what it is can u explain" turns at "can": "is" ends the story)
                return next((k - b for b in (1, 2) if clause[k - b] in _ASKING_WORDS), k)
    return 0


def _then_tells(clause: list[str]) -> int:
    """Where "what is it" runs on into a story without a comma ("what is it my mouth keeps opening
    when i eat" runs on at "my"), or 0."""
    k = next((len(form) for form in WHAT_IT_IS if clause[: len(form)] == form), 0)
    return k if 0 < k < len(clause) and clause[k] in _TELLING else 0


def _runs_on(clause: list[str]) -> int:
    """Where a question runs on into a story without a stop, or 0: "what is blepharospasm i cant
    even pronounce it" runs on at "i", "what is spasmodic dysphonia my singing teacher has it" at
    "my". A story opens with "i", "we", "she" ... and a verb, or "my", "his" ... and a verb a few
    words on, after a word that does not lead into it: "how do i know if my son has it" asks
    throughout."""
    if not clause or clause[0] not in _ASKING:
        return 0
    for k in range(2, len(clause) - 1):
        if clause[k - 1] in _LEADING_ON:
            continue
        word, after = clause[k], clause[k + 1 :]
        if word in _I_AM or (word in _SUBJECTS and after[0] in _STORY_VERBS):
            return k
        if word in _OURS and not _STORY_VERBS.isdisjoint(after[1:4]):
            return k
    return 0


def _rejoined(clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses with each turned story joined back to the question that follows it."""
    out: list[Clause] = []
    story: list[str] = []
    for c in clauses:
        if c.turns:
            story += c.words
        else:
            out.append(Clause(story + c.words, c.strength))
            story = []
    return out


def _asking(clauses: Sequence[Clause]) -> int | None:
    """Which clause asks: the last opening with a question word ("what's the hand one called, the
    one with a pen?"), else the last ending in "?" or making a request."""
    strongest = max((c.strength for c in clauses), default=0)
    if not strongest:
        return None
    return max(n for n, c in enumerate(clauses) if c.strength == strongest)


def _strength(clause: list[str], marked: bool) -> int:
    if clause and clause[0] in _ASKING:
        return _OPENS_A_QUESTION
    return _ENDS_WITH_MARK if marked or any(w in _REQUESTING for w in clause) else 0


def _has_content(clause: Sequence[str]) -> bool:
    return any(w not in STOPWORDS for w in clause)
