"""Which code may use which: the benchmarks and the stand-in Bot API never import from tests/, so they
run without it (tests may use them, never the reverse; docs/design.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return names


def test_benchmarks_and_the_stand_in_never_import_from_tests() -> None:
    files = sorted([*(ROOT / "benchmarks").glob("*.py"), *(ROOT / "fake_bot_api").glob("*.py")])
    assert len(files) > 10
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name == "tests" or name.startswith("tests.")
    }
    assert offending == set()
