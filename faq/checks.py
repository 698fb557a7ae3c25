"""Checks that need the whole knowledge file: unique ids and questions, and references that point
at something. Each reads a `Document` and yields (path, message); the loader adds file and line.

Each check looks only at the fields the shape check left usable, so a broken field is reported
once, by the shape check, and never again as a knock-on ("unknown intent" for a mistyped id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from faq.document import Document, IntentView
from faq.knowledge import REQUIRED_LINKS
from faq.normalize import normalize
from faq.schema import MIN_CONTENT_QUESTIONS
from faq.yamlfile import Loc

Found = Iterator[tuple[Loc, str]]
Check = Callable[[Document], Iterable[tuple[Loc, str]]]


def unique_ids(doc: Document) -> Found:
    first: dict[str, IntentView] = {}
    for view in doc.intents:
        if view.id is None:
            continue
        if view.id in first:
            line = doc.lines.line(("intents", first[view.id].index, "id"))
            yield ("intents", view.index, "id"), f"duplicate id: '{view.id}' is first defined at line {line}"
        first.setdefault(view.id, view)


def enough_phrasings(doc: Document) -> Found:
    for view in doc.intents:
        if (
            view.kind == "content"
            and view.questions is not None
            and len(view.questions) < MIN_CONTENT_QUESTIONS
        ):
            yield (
                ("intents", view.index, "questions"),
                f"a topic needs at least {MIN_CONTENT_QUESTIONS} phrasings",
            )


def unique_questions(doc: Document) -> Found:
    owners: dict[str, tuple[IntentView, int]] = {}
    for view in doc.intents:
        for j, question in view.questions or ():
            key = normalize(question)
            at: Loc = ("intents", view.index, "questions", j)
            if not key:
                yield at, "has no words once punctuation is removed"
                continue
            owner, k = owners.setdefault(key, (view, j))
            if owner is view or (owner.id is not None and owner.id == view.id):
                continue  # within one intent, or a twin already reported as a duplicate id
            line = doc.lines.line(("intents", owner.index, "questions", k))
            yield (
                at,
                f"same question as in intent '{doc.intent_label(owner.index)}' (line {line}): {question!r}",
            )


def unique_variants(doc: Document) -> Found:
    """A synonym variant maps to one group: listed under two, only the last would count; and a group's
    own name, listed as another's variant, would be rewritten wherever it is typed."""
    groups = doc.data.get("synonyms")
    if not isinstance(groups, dict):
        return
    first: dict[str, Loc] = {normalize(str(canon)): ("synonyms", canon) for canon in groups}
    for canon, variants in groups.items():
        for j, variant in enumerate(variants if isinstance(variants, list) else ()):
            key = normalize(str(variant))
            at: Loc = ("synonyms", canon, j)
            seen = first.setdefault(key, at)
            if seen is at:
                continue
            line = doc.lines.line(seen)
            what = (
                f"the name of the group at line {line}"
                if len(seen) == 2
                else f"already listed at line {line}"
            )
            yield at, f"{variant!r} is {what}; a variant belongs to one group"


def link_references(doc: Document) -> Found:
    for view in doc.intents:
        if view.links is None:
            continue
        if doc.link_keys is not None:
            for j, key in view.links:
                if key not in doc.link_keys:
                    yield ("intents", view.index, "links", j), f"unknown link '{key}' (not under links:)"
        if view.kind == "content":
            given = {key for _, key in view.links}
            for key in REQUIRED_LINKS:
                if key not in given:
                    yield ("intents", view.index, "links"), f"a topic must link '{key}'"


def related_references(doc: Document) -> Found:
    known = {view.id for view in doc.intents if view.id is not None}
    for view in doc.intents:
        for j, target in view.related or ():
            if target == view.id:
                yield ("intents", view.index, "related", j), "an intent cannot be related to itself"
            elif target not in known:
                yield ("intents", view.index, "related", j), f"unknown intent '{target}'"


CROSS_CHECKS: tuple[Check, ...] = (
    unique_ids,
    enough_phrasings,
    unique_questions,
    unique_variants,
    link_references,
    related_references,
)
