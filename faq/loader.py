"""Read `intents.yaml`, validate it, and build the immutable `KnowledgeBase`.

Every problem is reported as `file:line: intent 'id': what is wrong`, never as a traceback, so a
content editor can fix the file without reading Python.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from faq import content_rules
from faq.allocation import gc_paused
from faq.checks import CROSS_CHECKS
from faq.document import Document, sort_problems
from faq.knowledge import Intent, IntentKind, KnowledgeBase, Link, Messages, Source
from faq.problems import KnowledgeError, Problem
from faq.schema import KnowledgeFileModel
from faq.yamlfile import YamlSyntaxError, parse_yaml

__all__ = [
    "KnowledgeError",
    "Problem",
    "bundled_path",
    "choose_path",
    "default_path",
    "describe_path",
    "find_problems",
    "load_knowledge",
    "parse_knowledge",
]


LOCAL_FILE = "intents.yaml"


def default_path() -> Path:
    """The knowledge file used when none is named: `intents.yaml` in the current directory (a
    checkout, or a curator's working folder), else the copy bundled with the package. So an edit
    to the file in front of a curator is what their commands use, however the package was installed."""
    local = Path(LOCAL_FILE)
    return local if local.is_file() else bundled_path()


def bundled_path() -> Path:
    """The `intents.yaml` shipped with the package: inside the installed package, else at the
    checkout's root (an editable install)."""
    packaged = Path(str(resources.files("faq") / "intents.yaml"))
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "intents.yaml"


def choose_path(option: str | None = None, environ: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """The knowledge file for a command, and the sentence saying which one it is: `option`
    (`--intents`), else $INTENTS_PATH, else `default_path()`."""
    if option:
        return Path(option), describe_path(option, "--intents")
    named = (os.environ if environ is None else environ).get("INTENTS_PATH", "").strip()
    if named:
        return Path(named), describe_path(named, "INTENTS_PATH")
    path = default_path()
    return path, describe_path(path)


def describe_path(path: str | Path, chosen_by: str | None = None) -> str:
    """Which knowledge file this is and why it was chosen, for `validate`, `chat` and the bot's log."""
    file = Path(path)
    if chosen_by:
        return f"{file} (from {chosen_by})"
    if file == Path(LOCAL_FILE):
        return f"{file.resolve()} (intents.yaml in the current directory)"
    return f"{file} (the copy bundled with the package; no intents.yaml in the current directory)"


def load_knowledge(path: str | Path | None = None) -> KnowledgeBase:
    file = Path(path) if path is not None else default_path()
    shown = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(shown, [Problem(None, None, "", f"cannot read the file ({exc})")]) from None
    with gc_paused():
        return parse_knowledge(text, shown)


def parse_knowledge(text: str, path: str = "<intents.yaml>") -> KnowledgeBase:
    """The knowledge base, or a `KnowledgeError` listing every problem of the file at once."""
    try:
        data, lines = parse_yaml(text)
    except YamlSyntaxError as exc:  # nothing else can be checked in a file that is not YAML
        raise KnowledgeError(path, [Problem(line, None, "", what) for line, what in exc.findings]) from None
    doc = Document.read(data, lines)
    problems = find_problems(doc)
    if problems or doc.model is None:
        raise KnowledgeError(path, problems)
    return _build(doc.model, path)


def find_problems(doc: Document) -> list[Problem]:
    """Every problem in the file, in file order. A new kind of check yields (path, message) pairs
    from a `Document` (see checks.py) and is added to `found` here."""
    found = list(doc.shape_problems)
    for check in CROSS_CHECKS:
        found += doc.locate(check(doc))
    if doc.model is not None:  # the medical texts' rules read whole, well-formed intents
        found += doc.locate(content_rules.check(doc.model))
    return sort_problems(found)


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
                answers_whether_one_has_it=i.answers_whether_one_has_it,
                urgent=i.urgent,
            )
            for i in model.intents
        ),
        path=path,
    )
