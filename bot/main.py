"""`python -m bot` / `dystonia-bot`: load settings and the brain, build the app, run it.

Configuration problems end start-up with one clear sentence on stderr and exit code 2 (1 when
Telegram cannot be reached): no traceback, and never the token.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import NoReturn

from pydantic import ValidationError
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application, webhook_options
from bot.config import FIX_TOKEN, Settings, describe_errors
from bot.logsafe import RedactingFilter, configure_logging
from faq import Brain, KnowledgeError
from faq.loader import default_path, describe_path

log = logging.getLogger("bot")

EXIT_CONFIG = 2  # bad settings, token or knowledge file: the operator must fix something
EXIT_UNREACHABLE = 1  # Telegram (or TELEGRAM_API_BASE_URL) could not be reached


def main() -> None:
    try:
        settings = Settings()  # type: ignore[call-arg]  # the values come from the environment
    except ValidationError as exc:
        _die(describe_errors(exc), EXIT_CONFIG)
    secrets = [settings.token]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    redactor = configure_logging(settings.log_level, secrets)
    try:
        brain = Brain.load(settings.intents_path)
    except KnowledgeError as exc:
        problems = str(exc).splitlines()
        _die([f"The knowledge file {exc.path} is invalid; fix these problems and start again:", *problems])
    asyncio.run(_check_token(settings, redactor))
    log.info("Knowledge base: %s, %d intents", _described(settings), len(brain.kb.intents))
    application = build_application(settings, brain)
    if settings.bot_mode == "webhook":
        log.info("Starting in webhook mode on %s:%d", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(**webhook_options(settings))  # stops cleanly on SIGINT/SIGTERM
    else:
        log.info("Starting in polling mode")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)  # likewise
    log.info("Stopped")


async def _check_token(settings: Settings, redactor: RedactingFilter) -> None:
    """Ask Telegram who we are before starting, so a revoked token or a wrong URL gets one clear
    sentence rather than the Application's start-up traceback."""
    try:
        async with Bot(settings.token, base_url=settings.telegram_api_base_url) as probe:
            log.debug("Token accepted for @%s", probe.username)
    except InvalidToken:
        _die([f"Telegram rejected TELEGRAM_BOT_TOKEN: {FIX_TOKEN}."])
    except NetworkError as exc:
        _die(
            [
                f"Cannot reach the Telegram Bot API at {settings.telegram_api_base_url} "
                f"({redactor.redact(str(exc))}); check the network and TELEGRAM_API_BASE_URL."
            ],
            EXIT_UNREACHABLE,
        )


def _described(settings: Settings) -> str:
    if settings.intents_path is not None:
        return describe_path(settings.intents_path, "INTENTS_PATH")
    return describe_path(default_path())


def _die(lines: list[str], code: int = EXIT_CONFIG) -> NoReturn:
    print(f"dystonia-bot: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        print(f"  {line}", file=sys.stderr)
    raise SystemExit(code)
