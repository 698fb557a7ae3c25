"""Run the `dystonia-faq` command line in this process, as `python -m faq ARGS` would run.

`run_cli` calls `faq.cli.main(argv)` with standard input, output and error, the working directory,
the environment and `sys.argv` replaced for the call. Tests about the process itself (the console
script's name, signals, a terminal) still start one."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import faq
from faq.cli import main

MODULE_MAIN = str(Path(faq.__file__).parent / "__main__.py")


@dataclass(frozen=True)
class Ran:
    """What `subprocess.run(..., capture_output=True, text=True)` would have given."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        if env is not None:
            stack.enter_context(mock.patch.dict(os.environ, env, clear=True))
        stack.enter_context(mock.patch.object(sys, "stdin", io.StringIO(stdin or "")))
        stack.enter_context(mock.patch.object(sys, "argv", [MODULE_MAIN, *args]))  # as `python -m faq`
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, or a usage error
            code = exc.code if isinstance(exc.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())
