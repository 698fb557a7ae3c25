"""The bundled knowledge base, loaded once for the whole test session.

A `Brain` is immutable once built (reloads build a new one), so every test that only reads the
bundled knowledge base can share one: the `brain` fixture (tests/conftest.py), and module-level
code such as the property tests' strategies, call `shared_brain()`.
"""

from __future__ import annotations

from functools import cache

from faq import Brain


@cache
def shared_brain() -> Brain:
    return Brain.load()
