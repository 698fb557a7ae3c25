"""Questions about someone, read as asked about oneself.

Whether someone has it is for a doctor, and so is advice for someone one cares for. The synonyms
know these questions as asked of oneself ("do i have", "could it be", "should i take"), so a
question about someone else is read in those words: "does my son have dystonia" -> "do i have
dystonia", "can my son stop his tablets" -> "can i stop his tablets". Used by faq/analyzer.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from faq.normalize import CONTEXT_WORDS, ILLNESS_WORDS, POINTERS, POSSESSIVE, STOPWORDS

__all__ = [
    "IS",
    "asks_whether",
    "first_person",
    "for_someone",
    "is_it_this",
    "told_of_someone",
    "whom_asked",
]

# "does my son have it?", "is my twitch dystonia or not?": yes/no questions whether someone has
# it or something is it, which are questions about oneself (`first_person`).
_YES_NO = frozenset("do does did could might may".split())  # "can you get it ..." asks in general
IS = frozenset({"is", "are"})
_MAYBE = frozenset("could might may can".split())  # "could my twitch be dystonia": "be" before it
_HAVE = frozenset("have has got".split())
_PEOPLE = frozenset("he she they someone somebody".split())  # "do i have" is the synonyms' already
# "should my mum take ...", "can my son stop ...": advice asked for someone (`for_someone`). Not
# "can my son get it" (whether it is passed on) nor "can my son have it".
_CAN_VERBS = frozenset("take try use stop start increase reduce skip quit continue keep give".split())
_ADVICE_VERBS = {"should": _CAN_VERBS | {"get", "have", "go"}, "can": _CAN_VERBS, "could": _CAN_VERBS}
_CLAUSE_WORDS = _HAVE | {"who", "which", "that", "get", "gets"}
_WHOSE = POSSESSIVE | POINTERS
_RELATING = frozenset("with in for from after about to during among".split())  # not what it is
_STARTS_A_SENTENCE = frozenset("it i my he she his her we they".split())
_NAMED = ILLNESS_WORDS | {"thing", "problem"}
_DISMISSING = frozenset("just am only simply nothing not something".split())  # "... or just stress"
_AFTER_SUBJECT = frozenset("or not something else what too then as well".split())


# A yes/no question about someone, as the synonyms word it ("could i have", "is this dystonia").
_ASKS_WHETHER = _YES_NO | IS | {"am", "have", "has", "tell", "confirm", "whats", "what"}  # not "if"
_SOMEONE_OR_THIS = _PEOPLE | {"i", "me", "you", "it", "this", "that"}
_PERSON = _PEOPLE | POSSESSIVE | frozenset("i im ive me mine myself him we us".split())
_KINDS = frozenset("type types kind kinds form forms sort sorts".split())


def for_someone(clause: list[str]) -> list[str]:
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


def is_it_this(clause: list[str]) -> list[str]:
    """After a story about someone, "is it writer's cramp or just a tired hand" asks whether they
    have it, like "is this dystonia"."""
    if len(clause) > 3 and clause[0] in IS and clause[1] in POINTERS and "or" in clause[3:7]:
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
    return (len(words) == 1 and words[0] in _PEOPLE) or (1 < len(words) <= 3 and words[0] in POSSESSIVE)


def first_person(clause: list[str], subject: frozenset[str], anchors: frozenset[str]) -> list[str]:
    """Asking whether someone has it, or whether something is it, reads as asking it about
    oneself, in the words the synonyms know: "does my son have dystonia" -> "do i have
    dystonia", "is my eye twitch dystonia" -> "is this dystonia eye twitch". `subject`: the words
    naming it ("dystonia"); `anchors`: those and the pointers ("it", "this")."""
    if len(clause) < 3 or clause[0] not in _YES_NO | IS:
        return clause
    for end in range(2, min(len(clause), 6)):
        has_it = clause[end] in _HAVE and clause[end + 1 : end + 2] and clause[end + 1] in anchors
        if has_it and _someone(clause[1:end]):
            who = [w for w in clause[2:end] if w not in CONTEXT_WORDS]  # family goes, "my dog" stays
            return ["do", "i", "have", *clause[end + 1 :], *who]
    if clause[0] in IS | _MAYBE and clause[1] in _WHOSE:  # "could my twitch be dystonia"
        be = clause[0] in _MAYBE
        tail = clause[2:]
        named = subject | (POINTERS if be else frozenset())  # "could my symptoms be this"
        after = _AFTER_SUBJECT | (_NAMED if be else set())  # "... be this thing"
        last = next((n for n, w in enumerate(tail) if w in named), None)
        if (
            last is not None
            and be <= last <= 4 + be
            and (not be or tail[last - 1] == "be")
            and not _CLAUSE_WORDS & {*tail[:last]}
            and (last == 0 or tail[last - 1] not in _RELATING)  # "is that normal with dystonia"
            and all(w in after for w in _sentence(tail[last + 1 :]))
        ):
            return ["is", "this", "dystonia", *tail[: last - be], *tail[last + 1 :]]
    return clause


def told_of_someone(clauses: Sequence[list[str]], subject: frozenset[str]) -> list[bool]:
    """For each clause, whether a clause before it tells of someone's symptoms (a person, and not
    their dystonia): then "is it X or just Y" asks whether they have it (`is_it_this`)."""
    told = [bool(_PERSON.intersection(c)) and subject.isdisjoint(c) for c in clauses]
    return [any(told[:n]) for n in range(len(told))]


def whom_asked(written: set[str]) -> frozenset[str] | None:
    """Who a yes/no question may be about, from the words of the whole message: None when it speaks
    of no person. "is that a type of dystonia" asks about kinds, "could i have the vocal kind"
    about oneself."""
    if not written & _PERSON:
        return None
    return _PEOPLE | {"i", "me"} if written & _KINDS else _SOMEONE_OR_THIS


def asks_whether(said: str, clause: Sequence[str], whom: frozenset[str]) -> bool:
    """Whether the words a synonym stood for (`said`, in `clause` as written) ask if someone has
    it: "do i have", or in a question opening with a yes/no word, "a sign that i have it"."""
    said_words = said.split()
    yes_no = bool(clause) and clause[0] in _YES_NO | IS
    return (
        len(said_words) > 1
        and not whom.isdisjoint(said_words)
        and (said_words[0] in _ASKS_WHETHER or (yes_no and not _HAVE.isdisjoint(said_words)))
    )
