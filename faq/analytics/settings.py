"""Where the analytics database lives and how long it keeps questions, read from the environment.

ANALYTICS                 "off" (or 0/false/no) turns collection off; anything else, or unset, keeps it on.
ANALYTICS_DB              path of the SQLite file; default ./analytics.sqlite3 (the working directory,
                          where a service's state volume usually is; *.sqlite3 is git-ignored).
ANALYTICS_RETENTION_DAYS  days question texts are kept; default 90.
ANALYTICS_SALT            secret for hashing user ids; default: a random one kept next to the database.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("faq.analytics")

DEFAULT_DB = Path("analytics.sqlite3")
DEFAULT_RETENTION_DAYS = 90
_OFF = frozenset({"off", "0", "false", "no", "disabled"})


@dataclass(frozen=True)
class AnalyticsSettings:
    enabled: bool = True
    db_path: Path = DEFAULT_DB
    retention_days: int = DEFAULT_RETENTION_DAYS
    salt: str | None = None  # None: read or create the salt file next to the database

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AnalyticsSettings:
        """Never raises: a bad value is logged and replaced by its default, so the bot still starts."""
        env = os.environ if environ is None else environ
        enabled = env.get("ANALYTICS", "on").strip().lower() not in _OFF
        return cls(
            enabled=enabled,
            db_path=db_path_from_env(env),
            retention_days=_retention(env.get("ANALYTICS_RETENTION_DAYS")),
            salt=env.get("ANALYTICS_SALT") or None,
        )


def db_path_from_env(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    raw = env.get("ANALYTICS_DB", "").strip()
    return Path(raw).expanduser() if raw else DEFAULT_DB


def _retention(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        log.warning(
            "ANALYTICS_RETENTION_DAYS=%r is not a whole number of days >= 1; using %d",
            raw,
            DEFAULT_RETENTION_DAYS,
        )
        return DEFAULT_RETENTION_DAYS
    return days
