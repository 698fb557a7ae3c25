"""Asking what something is: "what is dystonia", "could you tell me what it is please", "... has
dystonia, what is the meaning of this sickness". Words as written, never stems (faq/clauses.py
reads the clauses; faq/analyzer.py asks these of them)."""

from __future__ import annotations

from collections.abc import Sequence

from faq.normalize import FILLER, ILLNESS_WORDS

__all__ = ["ASIDES", "WHAT_IT_IS", "asks_what_it_is", "asks_what_the_subject_is"]

# "... can you tell me what that is please": what something named before is, in small words.
WHAT_IT_IS = [["what", "is", "it"], ["what", "it", "is"], ["whats", "it"]]
WHAT_IT_IS += [[w if w != "it" else p for w in form] for form in WHAT_IT_IS for p in ("that", "this")]
ASIDES = FILLER | frozenset("can could would you u tell me explain thing".split())
# "what is this dystonia disease": the subject named with a pointer or a word for an illness.
_AS_WRITTEN = {"wat": "what", "wht": "what", "wot": "what", "wats": "whats", "whts": "whats", "iz": "is"}
_WHAT = frozenset(w for w, meant in _AS_WRITTEN.items() if meant == "what") | {"what"}
_WHATS = frozenset(w for w, meant in _AS_WRITTEN.items() if meant == "whats") | {"whats"}
_IS = {"is", "s"}
_NAMING = ILLNESS_WORDS | frozenset("this the that a an thing meaning of".split())


def asks_what_it_is(clause: Sequence[str]) -> bool:
    """ "what is that", "can you tell me what it is please", "what is this illness": asking, in
    small words only, what something named in another clause is."""
    asked = [_AS_WRITTEN.get(w, w) for w in clause if w not in ASIDES and w not in ILLNESS_WORDS]
    return asked in WHAT_IT_IS


def asks_what_the_subject_is(clause: Sequence[str], subject: frozenset[str]) -> int | None:
    """Where a clause ends asking what the subject is ("... what is dystonia", "could you tell me
    what dystonia is", "what is this dystonia disease"), or None."""
    if subject.isdisjoint(clause):
        return None
    kept = [n for n, w in enumerate(clause) if w not in ASIDES]
    for k, n in enumerate(kept):
        if clause[n] not in _WHAT and clause[n] not in _WHATS:
            continue
        rest = [clause[m] for m in kept[k + 1 :]]
        if clause[n] in _WHATS:
            named = rest
        elif rest and rest[0] in _IS:  # "what is dystonia"
            named = rest[1:]
        elif rest and rest[-1] in _IS:  # "what dystonia is"
            named = rest[:-1]
        else:
            continue
        said = [w for w in named if w not in _NAMING]
        # "what is dystonia"; "... has dystonia, what is the meaning of this sickness"
        if all(w in subject for w in said) and (said or not subject.isdisjoint(clause[:n])):
            return n
    return None
