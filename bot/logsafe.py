"""Logging that never shows the bot token.

The token is part of every Bot API URL, and two libraries log those URLs: `httpx`/`httpcore` (every
request, at INFO) and python-telegram-bot's Bot classes ("Set Bot API URL: ...", at DEBUG). So:
the HTTP loggers are held at WARNING; the PTB Bot loggers get `RedactingFilter` at the source, so
even a DEBUG capture never sees the token; and the same filter sits on the root handlers as a
backstop for anything else, replacing the token, and anything shaped like one, with [REDACTED].
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"
# "bot123456:AAH..." in an API URL, or a bare "123456:AAH..." token; the id part alone is harmless.
_TOKEN_SHAPE = re.compile(r"(?<![A-Za-z0-9])(bot)?\d{3,20}:[A-Za-z0-9_-]{20,}")
NOISY_LOGGERS = ("httpx", "httpcore")
URL_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")  # PTB logs its API URLs here at DEBUG


class RedactingFilter(logging.Filter):
    """Rewrites each record so that no secret survives in its message, args or traceback."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({*self._secrets, *(s for s in secrets if s)}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(lambda m: (m.group(1) or "") + REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record, show what we can
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_REDACTOR = RedactingFilter()  # one per process, so repeated set-ups don't stack filters


def protect(secrets: Iterable[str]) -> RedactingFilter:
    """Quiet the HTTP loggers and redact `secrets` in PTB's URL loggers. Call before building a Bot."""
    _REDACTOR.add_secrets(secrets)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
    return _REDACTOR


def configure_logging(level: str, secrets: Iterable[str]) -> RedactingFilter:
    """Log to stderr at `level`, protected as above, with every root handler redacting too."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    redactor = protect(secrets)
    for handler in logging.getLogger().handlers:
        if redactor not in handler.filters:
            handler.addFilter(redactor)
    return redactor
