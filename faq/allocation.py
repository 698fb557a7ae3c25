"""`gc_paused`: build a large structure without the cyclic garbage collector walking it again and again.

Reading the knowledge file and indexing it allocate a great many small objects, none of them cyclic
garbage. The collector would walk the growing heap over and over: a 100x knowledge base took 130x as
long to index, and reading the real file took a tenth longer. Paused for the build, the cost grows
linearly.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (if it was running), then resume it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
