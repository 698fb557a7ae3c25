"""`python -m bot` as a child process, as the process tests and `benchmarks.voice_bot` run it: an
environment without the developer's own bot settings, the process killed if it is left running,
and a stop as systemd or Docker would do it."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SETTINGS_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_FILE_URL",
    "BOT_MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "INTENTS_PATH",
    "LOG_LEVEL",
    "ADMIN_USER_IDS",
    "RATE_LIMITER",
    "CONCURRENT_UPDATES",
    "THROTTLE_BURST",
    "THROTTLE_PER_SECOND",
    "RELOAD_POLL_SECONDS",
    "ANALYTICS",  # analytics stays on (the default): its database lands in tmp_path, the cwd
    "ANALYTICS_DB",
    "ANALYTICS_RETENTION_DAYS",
    "ANALYTICS_SALT",
    "VOICE",  # voice stays on (the default): the model is loaded once per test process
    "VOICE_MAX_SECONDS",
    "VOICE_MODEL_DIR",
    "VOICE_CONCURRENCY",
    "JOURNAL",  # the delivery journal stays on (the default): it lands in tmp_path, the cwd
    "STATE_DIR",
)


@contextmanager
def bot_process(cwd: Path, env: dict[str, str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """`python -m bot` as a child process; killed on the way out if a test left it running."""
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=cwd, env=env, **popen)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def sigterm(process: subprocess.Popen[Any], timeout: float = 15) -> int:
    """Stop the bot as systemd or Docker would, and return its exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)
