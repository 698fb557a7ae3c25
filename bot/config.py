"""Settings from environment variables and an optional `.env` file, validated by pydantic-settings.

Every variable is documented in `.env.example`. Errors are turned into one sentence per problem
by `describe_errors()`; the value of a field is never echoed, so a malformed token is never shown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from faq.invocation import command

# Bot tokens look like "123456789:AAH...": the bot's id, a colon and a URL-safe secret.
TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")
# Telegram allows only these characters in a webhook secret token.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",  # the same .env may hold settings of other tools
        hide_input_in_errors=True,  # never echo a value, least of all the token
    )

    telegram_bot_token: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str | None = None  # None: derived from the base URL (see base_file_url)
    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    intents_path: Path | None = None
    log_level: LogLevel = "INFO"
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    # Reliability (see the README's "Reliability" section).
    rate_limiter: bool = True  # RATE_LIMITER=off only to measure capacity: Telegram enforces its limits
    concurrent_updates: int = Field(default=8, ge=1, le=4096)  # 1: one update at a time
    throttle_burst: int = Field(default=5, ge=0)  # messages per user at once; 0: no throttling
    throttle_per_second: float = Field(default=1.0, gt=0)  # refill rate of each user's allowance
    reload_poll_seconds: float = Field(default=1.0, ge=0)  # how often to check INTENTS_PATH; 0: never
    # Voice notes (README, "Asking by voice"); they need the `voice` extra.
    voice: bool = True  # VOICE=off: voice notes get the polite "text only" reply
    voice_max_seconds: int = Field(default=60, ge=1, le=3600)  # longer notes are declined unheard
    voice_model_dir: Path | None = None  # a CTranslate2 Whisper model; None: the bundled tiny.en
    voice_concurrency: int = Field(default=1, ge=1, le=16)  # notes transcribed at once
    # Crash-safe delivery (docs/reliability.md, "Restart"): the journal of updates taken but not yet answered.
    journal: bool = True  # JOURNAL=off: confirm updates on receipt, as python-telegram-bot does
    state_dir: Path | None = None  # where the journal lives; default: beside ANALYTICS_DB
    analytics_db: Path | None = None  # read here only for that default (faq/analytics reads it too)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():  # `TELEGRAM_BOT_TOKEN=` copied from .env.example
            raise PydanticCustomError("missing", "Field required")
        if not TOKEN_PATTERN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("telegram_api_base_url", "telegram_api_file_url")
    @classmethod
    def _base_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            example = "/file/bot" if info.field_name == "telegram_api_file_url" else "/bot"
            raise ValueError(f"must be an http(s) URL such as https://api.telegram.org{example}")
        return value.strip().rstrip("/")  # the token is appended directly: ".../bot" + token

    @field_validator("bot_mode", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "webhook_url",
        "intents_path",
        "webhook_secret",
        "telegram_api_file_url",
        "voice_model_dir",
        "state_dir",
        "analytics_db",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in value.replace(" ", "").split(",") if part]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be numeric Telegram user ids separated by commas, e.g. 1234,5678")
            return tuple(int(part) for part in parts)
        return value

    @model_validator(mode="after")
    def _webhook_needs(self) -> Settings:
        if self.bot_mode != "webhook":
            return self
        if not self.webhook_url:
            raise ValueError("WEBHOOK_URL must be set to the public https:// address of the webhook")
        scheme = urlsplit(self.webhook_url).scheme
        if scheme != "https":
            raise ValueError(
                f"WEBHOOK_URL must be an https:// address (Telegram posts webhooks only over HTTPS), "
                f"not {scheme or 'a URL without a scheme'}{'://' if scheme else ''}"
            )
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not SECRET_PATTERN.fullmatch(secret):
            raise ValueError(
                "WEBHOOK_SECRET must be set to 1-256 letters, digits, '_' or '-' in webhook mode"
            )
        return self

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()

    @property
    def base_file_url(self) -> str:
        """TELEGRAM_API_FILE_URL, or beside the API: https://api.telegram.org/bot -> .../file/bot."""
        if self.telegram_api_file_url is not None:
            return self.telegram_api_file_url
        base = self.telegram_api_base_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file"

    @property
    def journal_path(self) -> Path:
        """STATE_DIR/journal.sqlite3; without STATE_DIR, in the analytics database's directory."""
        directory = self.state_dir or (self.analytics_db.parent if self.analytics_db else Path("."))
        return directory.expanduser() / "journal.sqlite3"

    @property
    def webhook_path(self) -> str:
        """The path Telegram posts to: the path of WEBHOOK_URL, which the reverse proxy forwards as is."""
        return urlsplit(self.webhook_url or "").path.strip("/")


FIX_TOKEN = (
    "create a bot with @BotFather (https://t.me/BotFather) and put its token in TELEGRAM_BOT_TOKEN "
    f"(environment or .env); to try the bot without Telegram, run `{command()} chat`"
)  # `command()`: a path that works from here, e.g. .venv/bin/dystonia-faq outside the venv


def describe_errors(error: ValidationError) -> list[str]:
    """One clear sentence per problem, naming the environment variable; never the value."""
    sentences = []
    for err in error.errors(include_input=False, include_url=False):
        field = str(err["loc"][0]).upper() if err["loc"] else ""
        if field == "TELEGRAM_BOT_TOKEN":
            if err["type"] == "missing":
                sentences.append(f"TELEGRAM_BOT_TOKEN is not set: {FIX_TOKEN}.")
            else:
                sentences.append(
                    "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then a long "
                    f"secret): {FIX_TOKEN}."
                )
        elif field:
            message = str(err["msg"]).removeprefix("Value error, ")
            sentences.append(f"{field} is invalid: {message[0].lower()}{message[1:]}.")
        else:
            sentences.append(str(err["msg"]).removeprefix("Value error, ") + ".")
    return sentences
