"""Where the analytics database lives and how long it keeps questions, read from the environment.

ANALYTICS                 "off" (or 0/false/no) turns collection off; anything else, or unset, keeps it on.
ANALYTICS_DB              path of the SQLite file; default ./analytics.sqlite3 (the working directory,
                          where a service's state volume usually is; *.sqlite3 is git-ignored).
ANALYTICS_RETENTION_DAYS  days question texts are kept; default 90.
ANALYTICS_SALT            secret for hashing user ids; default: a random one kept next to the database.

Read with pydantic-settings, as the bot's own settings are (bot/config.py): the environment first,
then a `.env` file when one is named (`from_env_and_dotenv`, as the bot does).
Unlike the bot's settings these never stop anything: a bad value is logged and replaced by its
default, so the bot still starts and the curator's tools still run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("faq.analytics")

DEFAULT_DB = Path("analytics.sqlite3")
DEFAULT_RETENTION_DAYS = 90
PREFIX = "ANALYTICS"
_OFF = frozenset({"off", "0", "false", "no", "disabled"})


class AnalyticsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=None,  # only when named: the bot names its .env, the command line reads none
        env_file_encoding="utf-8",
        case_sensitive=True,
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    enabled: bool = Field(default=True, validation_alias="ANALYTICS")
    db_path: Path = Field(default=DEFAULT_DB, validation_alias="ANALYTICS_DB")
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, validation_alias="ANALYTICS_RETENTION_DAYS")
    salt: str | None = Field(default=None, validation_alias="ANALYTICS_SALT")  # None: the salt file

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AnalyticsSettings:
        """From `environ` alone (default: the process environment). Never raises."""
        if environ is None:
            return cls()
        return cls.model_validate({k: v for k, v in environ.items() if k.startswith(PREFIX)})

    @classmethod
    def from_env_and_dotenv(cls, env_file: str | Path = ".env") -> AnalyticsSettings:
        """The environment first, then `env_file` (as the bot reads its own settings). Never raises."""
        return cls(_env_file=env_file)  # type: ignore[call-arg]  # pydantic-settings' own argument

    @field_validator("enabled", mode="before")
    @classmethod
    def _enabled(cls, raw: Any) -> Any:
        return raw.strip().lower() not in _OFF if isinstance(raw, str) else raw

    @field_validator("db_path", mode="before")
    @classmethod
    def _db_path(cls, raw: Any) -> Any:
        return db_path(raw) if isinstance(raw, str) else raw

    @field_validator("retention_days", mode="before")
    @classmethod
    def _retention_days(cls, raw: Any) -> Any:
        return retention(raw) if isinstance(raw, str) else raw

    @field_validator("salt", mode="before")
    @classmethod
    def _salt(cls, raw: Any) -> Any:
        return raw or None


def db_path(raw: str) -> Path:
    raw = raw.strip()
    return Path(raw).expanduser() if raw else DEFAULT_DB


def db_path_from_env(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return db_path(env.get("ANALYTICS_DB", ""))


def retention(raw: str) -> int:
    if not raw.strip():
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
