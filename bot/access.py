"""Who may do what: admin commands (/reload, /stats) for the user ids in ADMIN_USER_IDS only, and
the per-user throttle (bot/throttle.py) for everyone else, ahead of every handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.replies import addressed_text
from bot.state import Context
from bot.throttle import Verdict

log = logging.getLogger(__name__)


def is_admin(update: Update, context: Context) -> bool:
    """True only for a user listed in ADMIN_USER_IDS; admin commands stay invisible to others."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.admin_user_ids


def counts(update: Update, username: str, bot_id: int) -> bool:
    """Whether this update costs its sender a token (see bot/throttle.py)."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    return addressed_text(message, username, bot_id) is not None


async def throttle_gate(update: Update, context: Context) -> None:
    """Runs before every other handler (group -1); stops the update if its sender is over the limit."""
    throttle = context.bot_data.throttle
    user = update.effective_user
    if throttle is None or user is None or not counts(update, context.bot.username, context.bot.id):
        return
    if is_admin(update, context):
        return
    verdict = throttle.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    level = logging.INFO if verdict is Verdict.NOTICE else logging.DEBUG  # once per streak at INFO
    log.log(level, "Throttled user %s (%s)", user.id, verdict.value)
    try:
        await _tell(update, verdict)
    except TelegramError as exc:  # e.g. blocked meanwhile: the update must still stop here
        log.info("Could not tell throttled user %s: %s", user.id, exc)
    raise ApplicationHandlerStop


async def _tell(update: Update, verdict: Verdict) -> None:
    """The one notice of a streak; a throttled button press is always answered (its spinner)."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.THROTTLED if verdict is Verdict.NOTICE else None)
    elif verdict is Verdict.NOTICE and update.message is not None:
        in_group = update.message.chat.type != ChatType.PRIVATE
        await update.message.reply_html(texts.THROTTLED, do_quote=in_group)
