"""The one error handler: log each failure once, with context, apologise, keep serving."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot import texts
from bot.state import Context

log = logging.getLogger(__name__)
_BOT_DIR = str(Path(__file__).resolve().parent)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if error is None:
        return
    where = _describe(update, error)
    if isinstance(error, Forbidden):  # the user blocked the bot or left the group: nothing to do
        log.info("Not delivered (%s): %s", where, error.message)
        return
    if not isinstance(update, Update):  # polling or webhook trouble, not tied to a message
        level = logging.WARNING if isinstance(error, NetworkError) else logging.ERROR
        log.log(
            level, "Error outside any update: %s", error, exc_info=error if level >= logging.ERROR else None
        )
        return
    log.error("Failed to handle %s", where, exc_info=error)
    chat = update.effective_chat
    if chat is None:  # inline queries have no chat to apologise in
        return
    try:
        await chat.send_message(texts.APOLOGY)
    except TelegramError as exc:  # logged once above already; don't let the apology fail loudly
        log.warning("Could not send the apology to chat %s: %s", chat.id, exc)


def _describe(update: object, error: BaseException) -> str:
    """`update 42 (callback_query) in on_question`: enough to find it, nothing the user wrote."""
    frames = traceback.extract_tb(error.__traceback__)  # outermost first: the handler, then helpers
    handler = next((f.name for f in frames if f.filename.startswith(_BOT_DIR)), "?")
    if not isinstance(update, Update):
        return f"no update, in {handler}"
    kind = next((name for name in Update.ALL_TYPES if getattr(update, name, None) is not None), "unknown")
    chat = update.effective_chat
    return f"update {update.update_id} ({kind}{f' in chat {chat.id}' if chat else ''}) in {handler}"
