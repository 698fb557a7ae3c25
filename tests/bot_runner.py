"""Run `python -m bot` in this process, for start-up failures: `bot.main.main()` with the environment,
the working directory, `sys.argv`, standard output and error replaced for the call, and logging set
up as in a new process (the root logger without handlers, so `configure_logging` logs to the
captured standard error, and only what this thread logs: not, say, a voice model that an earlier
test started loading in the background), all restored afterwards.

Only for runs that must end before the bot is built: a run that gets that far fails the test
rather than starting to poll. `tests/test_bot_process.py` starts real processes for the rest.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn
from unittest import mock

import bot
from bot import main as bot_main
from tests.cli_runner import Ran

MODULE_MAIN = str(Path(bot.__file__).parent / "__main__.py")


def _built(*args: Any, **kwargs: Any) -> NoReturn:
    raise AssertionError("start-up went as far as building the bot: no start-up check stopped it")


def _this_thread_only(basic_config: Callable[..., None]) -> Callable[..., None]:
    """`logging.basicConfig`, its handlers passing only records of the calling thread."""
    thread = threading.get_ident()

    def configure(**kwargs: Any) -> None:
        basic_config(**kwargs)
        for handler in logging.getLogger().handlers:
            handler.addFilter(lambda record: record.thread == thread)

    return configure


def run_bot_start(cwd: Path, env: Mapping[str, str]) -> Ran:
    """What `subprocess.run([python, "-m", "bot"], cwd=cwd, env=env, capture_output=True,
    text=True)` gives when start-up fails: the exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(mock.patch.dict(os.environ, env, clear=True))
        stack.enter_context(mock.patch.object(sys, "argv", [MODULE_MAIN]))  # as `python -m bot`
        stack.enter_context(mock.patch.object(bot_main, "build_application", _built))
        stack.enter_context(mock.patch.object(logging, "basicConfig", _this_thread_only(logging.basicConfig)))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        root.handlers = []  # a new process's root logger: basicConfig sets up stderr
        try:
            bot_main.main()
            code = 0
        except SystemExit as exc:  # as the interpreter ends on it
            if isinstance(exc.code, int) or exc.code is None:
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        finally:
            for handler in root.handlers:
                handler.close()
            root.handlers = handlers
            root.setLevel(level)
    return Ran(code, out.getvalue(), err.getvalue())
