"""Parse YAML keeping line numbers, and explain syntax errors near where the mistake is (a key
written twice in one mapping is one: YAML would silently keep only the second).

Both `intents.yaml` (loader.py) and case files (evaluation.py) are read through here, so a problem
in either points at a line of the file, never at a Python traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

Loc = tuple[str | int, ...]  # a path into the document: ("intents", 3, "questions", 0)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ten times faster


class YamlSyntaxError(Exception):
    """The text is not YAML. `findings` are (1-based line or None, sentence), in file order."""

    def __init__(self, findings: list[tuple[int | None, str]]) -> None:
        self.findings = findings
        super().__init__("\n".join(f"line {line}: {text}" if line else text for line, text in findings))


class LineIndex:
    """The line of every node of a parsed document, looked up by its path."""

    def __init__(self, root: yaml.Node | None) -> None:
        self._lines: dict[Loc, int] = dict(_walk(root, ())) if root is not None else {}

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that exists (a missing field: its parent)."""
        loc = tuple(loc)
        return next((self._lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in self._lines), None)


def parse_yaml(text: str) -> tuple[Any, LineIndex]:
    """The data and the line of each of its parts; raises `YamlSyntaxError` on a syntax error."""
    loader = _Loader(text)
    try:  # one parse gives both the data and the nodes, whose marks give line numbers
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(describe_syntax_error(text, exc)) from None
    finally:
        loader.dispose()
    repeated = list(_repeated_keys(root)) if root is not None else []
    if repeated:  # PyYAML keeps the last silently: a whole synonym group or field would be lost
        raise YamlSyntaxError(repeated)
    return data, LineIndex(root)


def describe_syntax_error(text: str, exc: yaml.YAMLError) -> list[tuple[int | None, str]]:
    """Where PyYAML gave up, where the broken construct started (its context mark), and, when a
    quoted text ran on over several lines, where that quote opened: usually the real mistake."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    reason = f"YAML syntax error: {problem}"
    if context and context_mark is not None and context_mark.line + 1 != line:
        reason += f" ({context}, which starts at line {context_mark.line + 1})"
    elif context:
        reason += f" ({context})"
    findings: list[tuple[int | None, str]] = [(line, reason)]
    quote = _runaway_quote(text, line)
    if quote is not None and quote[0] != line:
        start, end = quote
        findings.append(
            (start, f"a quoted text opens here and runs on to line {end}: is its closing quote missing?")
        )
    return sorted(findings, key=lambda f: f[0] or 0)


def _runaway_quote(text: str, failed_at: int | None) -> tuple[int, int] | None:
    """The last quoted scalar before the failure that spans lines, as (first line, last line).

    An unclosed quote swallows the following lines up to the next quote character, and PyYAML
    only notices further down; a quoted text over several lines is rare in these files."""
    found: tuple[int, int] | None = None
    try:
        for token in _tokens(text):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                start, end = token.start_mark.line + 1, token.end_mark.line + 1
                if failed_at is not None and start > failed_at:
                    break
                if end > start:
                    found = (start, end)
    except yaml.MarkedYAMLError as exc:  # the scanner itself failed: an unclosed quote at the end
        if getattr(exc, "context", "") == "while scanning a quoted scalar" and exc.context_mark is not None:
            return exc.context_mark.line + 1, (exc.problem_mark.line + 1 if exc.problem_mark else 0)
    return found


def _tokens(text: str) -> Iterator[yaml.Token]:
    yield from yaml.scan(text, Loader=yaml.SafeLoader)  # the pure-Python scanner keeps every mark


def _repeated_keys(node: yaml.Node) -> Iterator[tuple[int | None, str]]:
    """A key written twice in one mapping, at its second line: YAML does not allow it."""
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name, line = str(key.value), key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode) and name in first:
                yield line, f"'{name}' is written twice here (first at line {first[name]}): keep one"
            first.setdefault(name, line)
            yield from _repeated_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):  # a list of phrasings holds no keys
                yield from _repeated_keys(item)


def _walk(node: yaml.Node, loc: Loc) -> Iterator[tuple[Loc, int]]:
    """Yield (path, 1-based line) for every node, so errors can point into the file."""
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(value, (*loc, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, (*loc, i))
