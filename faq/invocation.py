"""Name commands so that they work from where the user is.

Help and errors name the command the user ran; a message that tells the user to run something
names a command their shell will find: the bare `dystonia-faq` when it is on PATH, else its path
in the same environment as this Python (e.g. `.venv/bin/dystonia-faq` from a checkout).
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path

FAQ_SCRIPT = "dystonia-faq"


def program_name() -> str:
    """How this program was started: `dystonia-faq` (the console script) or `python -m faq`."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m faq" if name in ("", "-c", "-m", "__main__.py") else name


def command(script: str = FAQ_SCRIPT) -> str:
    """`script` as the user should type it from the current directory."""
    beside = Path(sysconfig.get_path("scripts")) / script
    if not beside.is_file():
        return script  # not installed as a script here (e.g. running from source): the plain name
    found = shutil.which(script)
    if found is not None and Path(found).resolve() == beside.resolve():
        return script
    try:
        return str(beside.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(beside.absolute())
