"""A parsed knowledge file on its way to a `KnowledgeBase`: the raw data, the line of each part,
the pydantic model when the shape is right, and what the shape check found wrong.

Checks that need the whole file (checks.py, and any added later) read a `Document` rather than the
model, so they still run, on the parts that are usable, when some other part of the file is broken:
an editor sees every problem at once, and none that only follows from another.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from faq.problems import Problem
from faq.schema import IntentModel, KnowledgeFileModel
from faq.yamlfile import LineIndex, Loc

TOP_LEVEL = "version, source, links, messages and intents"


@dataclass(frozen=True)
class IntentView:
    """What the cross-file checks may rely on in one intent; None where that field is unusable."""

    index: int
    id: str | None  # any text given as id, valid or not: references to it are not "unknown"
    kind: str | None
    questions: tuple[tuple[int, str], ...] | None  # (position, text) of each usable question
    links: tuple[tuple[int, str], ...] | None
    related: tuple[tuple[int, str], ...] | None


@dataclass(frozen=True)
class Document:
    data: dict[str, Any]
    lines: LineIndex
    model: KnowledgeFileModel | None  # None when the shape check found problems
    shape_problems: tuple[Problem, ...]
    intents: tuple[IntentView, ...]
    link_keys: frozenset[str] | None  # None when `links:` is not a mapping

    @classmethod
    def read(cls, data: Any, lines: LineIndex) -> Document:
        if not isinstance(data, dict):
            return cls({}, lines, None, (_not_a_mapping(data, lines),), (), None)
        try:
            model: KnowledgeFileModel | None = KnowledgeFileModel.model_validate(data)
            errors: list[tuple[Loc, str]] = []
        except ValidationError as exc:
            model = None
            errors = [(tuple(e["loc"]), _plain(e["type"], tuple(e["loc"]), e["msg"])) for e in exc.errors()]
        broken = {loc for loc, _ in errors}
        doc = cls(data, lines, model, (), _views(data, broken), _link_keys(data))
        return replace(doc, shape_problems=tuple(doc.locate(errors)))

    def locate(self, found: Iterable[tuple[Loc, str]]) -> list[Problem]:
        """Turn (path, message) pairs into problems with a line, an intent and a field."""
        return [self._problem(tuple(loc), message) for loc, message in found]

    def intent_label(self, index: int) -> str:
        raw = self._intent_data(index)
        ident = raw.get("id") if isinstance(raw, dict) else None
        return ident if isinstance(ident, str) and ident.strip() else f"#{index + 1}"

    def _problem(self, loc: Loc, message: str) -> Problem:
        line = self.lines.line(loc)
        intent = None
        if len(loc) >= 2 and loc[0] == "intents" and isinstance(loc[1], int):
            intent, loc = self.intent_label(loc[1]), loc[2:]
        where = ".".join(str(part) for part in loc)
        return Problem(line, intent, where, message[:1].lower() + message[1:])

    def _intent_data(self, index: int) -> Any:
        intents = self.data.get("intents")
        return intents[index] if isinstance(intents, list) and 0 <= index < len(intents) else None


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File order, each problem once (lines first; problems about the whole file at the top)."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: p.line or 0)


def _not_a_mapping(data: Any, lines: LineIndex) -> Problem:
    if data is None:
        return Problem(None, None, "", f"the file is empty; it needs {TOP_LEVEL} (see the README)")
    kind = "a list" if isinstance(data, list) else f"just the text {str(data)[:40]!r}"
    return Problem(lines.line(()), None, "", f"the file should be a mapping of {TOP_LEVEL}, not {kind}")


def _plain(kind: str, loc: Loc, message: str) -> str:
    """Pydantic's message without Python words (class names, "dictionary") an editor cannot use."""
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, _FIELD_NAMES, n=1, cutoff=0.6)
        return "unknown field" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "should be a mapping of `name: value` lines"
    if kind == "list_type":
        return "should be a list (`- item` lines, or [a, b])"
    if kind == "string_pattern_mismatch" and (loc[-1:] == ("id",) or _is_id_list(loc)):
        return "should be lower-case letters, digits and _ (starting with a letter, at most 41 characters)"
    if kind == "missing":
        return "field required"
    return message


def _is_id_list(loc: Loc) -> bool:
    return len(loc) >= 2 and loc[-2] in ("links", "related") and isinstance(loc[-1], int)


def _model_fields(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for info in model.model_fields.values():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _model_fields(annotation)
    return names


_FIELD_NAMES = sorted(_model_fields(KnowledgeFileModel) | _model_fields(IntentModel))


def _views(data: dict[str, Any], broken: set[Loc]) -> tuple[IntentView, ...]:
    intents = data.get("intents")
    if not isinstance(intents, list):
        return ()
    return tuple(_view(i, raw, broken) for i, raw in enumerate(intents) if isinstance(raw, dict))


def _view(i: int, raw: dict[str, Any], broken: set[Loc]) -> IntentView:
    def usable(field: str) -> bool:
        return ("intents", i, field) not in broken

    def items(field: str) -> tuple[tuple[int, str], ...] | None:
        value = raw.get(field, [])
        if not usable(field) or not isinstance(value, list):
            return None
        return tuple(
            (j, v)
            for j, v in enumerate(value)
            if isinstance(v, str) and ("intents", i, field, j) not in broken
        )

    ident = raw.get("id")
    kind = raw.get("kind", "content")
    return IntentView(
        index=i,
        id=ident if isinstance(ident, str) else None,
        kind=kind if usable("kind") and isinstance(kind, str) else None,
        questions=items("questions"),
        links=items("links"),
        related=items("related"),
    )


def _link_keys(data: dict[str, Any]) -> frozenset[str] | None:
    links = data.get("links")
    return frozenset(str(key) for key in links) if isinstance(links, dict) else None
