"""Read `intents.yaml`, validate it, and build the immutable `KnowledgeBase`.

Every problem is reported as `file:line: intent 'id': what is wrong`, never as a traceback, so a
content editor can fix the file without reading Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from faq import content_rules
from faq.knowledge import Intent, IntentKind, KnowledgeBase, Link, Messages, Source
from faq.normalize import normalize
from faq.schema import MIN_CONTENT_QUESTIONS, KnowledgeFileModel

Loc = tuple[str | int, ...]
REQUIRED_LINKS = ("ninds", "dmrf")
_Loader = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when available: ten times faster  # every article-derived answer points to both


@dataclass(frozen=True)
class Problem:
    line: int | None
    intent: str | None
    where: str
    message: str

    def format(self, path: str) -> str:
        place = f"{path}:{self.line}" if self.line else path
        who = f" intent '{self.intent}':" if self.intent else ""
        field = f" {self.where}:" if self.where else ""
        return f"{place}:{who}{field} {self.message}"


class KnowledgeError(Exception):
    """The knowledge file cannot be used; `str()` is a message fit for an editor."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        lines = [p.format(path) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more problems")
        super().__init__("\n".join(lines))


def default_path() -> Path:
    """The bundled `intents.yaml`: inside the installed package, else at the checkout's root."""
    packaged = Path(str(resources.files("faq") / "intents.yaml"))
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "intents.yaml"


def load_knowledge(path: str | Path | None = None) -> KnowledgeBase:
    file = Path(path) if path is not None else default_path()
    shown = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(shown, [Problem(None, None, "", f"cannot read the file ({exc})")]) from None
    return parse_knowledge(text, shown)


def parse_knowledge(text: str, path: str = "<intents.yaml>") -> KnowledgeBase:
    loader = _Loader(text)
    try:  # one parse gives both the data and the nodes, whose marks give line numbers
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(path, [Problem(line, None, "", f"YAML syntax error: {reason}")]) from None
    finally:
        loader.dispose()
    lines = dict(_line_index(root, ())) if root is not None else {}
    try:
        model = KnowledgeFileModel.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(lines, data, err["loc"], err["msg"]) for err in exc.errors()]
        raise KnowledgeError(path, problems) from None
    checks = (*_cross_checks(model), *content_rules.check(model))  # content_rules: the medical texts
    problems = [_problem(lines, data, loc, msg) for loc, msg in checks]
    if problems:
        raise KnowledgeError(path, problems)
    return _build(model, path)


def _line_index(node: yaml.Node, loc: Loc) -> Iterator[tuple[Loc, int]]:
    """Yield (path, 1-based line) for every node, so errors can point into the file."""
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _line_index(value, (*loc, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _line_index(item, (*loc, i))


def _problem(lines: dict[Loc, int], data: Any, loc: Loc, msg: str) -> Problem:
    loc = tuple(loc)
    line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
    intent = None
    if len(loc) >= 2 and loc[0] == "intents" and isinstance(loc[1], int):
        try:
            intent = str(data["intents"][loc[1]].get("id")) or f"#{loc[1] + 1}"
        except (KeyError, IndexError, TypeError, AttributeError):
            intent = f"#{loc[1] + 1}"
        loc = loc[2:]
    where = ".".join(str(part) for part in loc)
    return Problem(line, intent, where, msg[0].lower() + msg[1:] if msg else msg)


def _cross_checks(model: KnowledgeFileModel) -> Iterator[tuple[Loc, str]]:
    """Checks that need the whole file: uniqueness and references."""
    ids: dict[str, int] = {}
    seen_questions: dict[str, str] = {}
    for i, intent in enumerate(model.intents):
        at: Loc = ("intents", i)
        if intent.id in ids:
            yield (*at, "id"), f"duplicate id (already used by intent #{ids[intent.id] + 1})"
        ids.setdefault(intent.id, i)
        if intent.kind == "content" and len(intent.questions) < MIN_CONTENT_QUESTIONS:
            yield (*at, "questions"), f"a topic needs at least {MIN_CONTENT_QUESTIONS} phrasings"
        for j, question in enumerate(intent.questions):
            key = normalize(question)
            owner = seen_questions.setdefault(key, intent.id)
            if not key:
                yield (*at, "questions", j), "has no words once punctuation is removed"
            elif owner != intent.id:
                yield (*at, "questions", j), f"same question as in intent '{owner}': {question!r}"
        for j, key in enumerate(intent.links):
            if key not in model.links:
                yield (*at, "links", j), f"unknown link '{key}' (not under links:)"
        if intent.kind == "content":
            for key in REQUIRED_LINKS:
                if key not in intent.links:
                    yield (*at, "links"), f"a topic must link '{key}'"
    for i, intent in enumerate(model.intents):
        for j, target in enumerate(intent.related):
            if target not in ids:
                yield ("intents", i, "related", j), f"unknown intent '{target}'"
            elif target == intent.id:
                yield ("intents", i, "related", j), "an intent cannot be related to itself"


def _build(model: KnowledgeFileModel, path: str) -> KnowledgeBase:
    src = model.source
    return KnowledgeBase(
        version=model.version,
        source=Source(src.title, src.author, src.publisher, src.published.isoformat(), src.url),
        links={key: Link(key, link.title, link.url) for key, link in model.links.items()},
        synonyms={canon: tuple(variants) for canon, variants in model.synonyms.items()},
        subject=tuple(model.subject),
        messages=Messages(**model.messages.model_dump()),
        intents=tuple(
            Intent(
                id=i.id,
                title=i.title,
                kind=IntentKind(i.kind),
                questions=tuple(i.questions),
                answer=i.answer,
                links=tuple(i.links),
                related=tuple(i.related),
                declines=i.declines,
                offers_topic=i.offers_topic,
            )
            for i in model.intents
        ),
        path=path,
    )
