"""Progress bars for long work (`bench`, `eval` on large files), drawn with tqdm on stderr.

Only on a terminal: none when the output is piped or redirected, or is JSON. A bar appears only
once the work has taken half a second, so quick runs stay as quiet as before.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm

DELAY_SECONDS = 0.5  # a bar appears only once the work has taken this long


def wanted(json_output: bool = False) -> bool:
    """A bar only helps a person watching a terminal."""
    return not json_output and sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def bar(total: int, label: str, enabled: bool) -> Iterator[tqdm[Any]]:
    """A bar of `total` steps; `.update(n)` advances it, `.set_description()` names the phase."""
    with tqdm(
        total=total,
        desc=label,
        disable=not enabled,
        delay=DELAY_SECONDS,
        leave=False,
        file=sys.stderr,
        unit="step",
    ) as progress:
        yield progress
