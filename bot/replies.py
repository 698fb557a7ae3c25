"""How the bot answers, in one place: send rendered parts, reply in groups, answer button presses.

In a group the first message of an answer quotes the question it answers, and it stays in the forum
topic the question came from; in a private chat it is simply sent. Every button press is answered
(its spinner stopped) through `dismiss`, which never raises.
"""

from __future__ import annotations

import logging
import re

from telegram import CallbackQuery, Chat, Message, MessageEntity
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import render, texts
from bot.render import Rendered

log = logging.getLogger(__name__)


async def send(
    chat: Chat, parts: list[Rendered], *, quote: Message | None = None, thread: int | None = None
) -> None:
    """Send rendered parts in order; in groups the first one quotes the question it answers."""
    for i, (text, keyboard) in enumerate(parts):
        if quote is not None and i == 0:
            await quote.reply_html(text, reply_markup=keyboard, do_quote=True)
        else:
            await chat.send_message(text, reply_markup=keyboard, message_thread_id=thread)


async def answer(message: Message, parts: list[Rendered]) -> None:
    """The reply to `message`: quoted in groups, in its forum topic if it has one."""
    in_group = message.chat.type != ChatType.PRIVATE
    thread = message.message_thread_id if message.is_topic_message else None
    await send(message.chat, parts, quote=message if in_group else None, thread=thread)


async def answer_plain(message: Message, plain_text: str) -> None:
    """Plain text (escaped, split if long) in reply to a command; quoted in groups."""
    await answer(message, render.compose(plain_text, keyboard=None))


async def unknown_command(message: Message) -> None:
    """The reply to a command we do not have, or one this user may not use (/reload, /stats)."""
    await answer(message, [(texts.UNKNOWN_COMMAND, None)])


async def dismiss(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (stop its spinner), with a toast if `text`; never raises."""
    try:
        await query.answer(text)
    except TelegramError as exc:  # e.g. the query is too old: nothing the user can see anyway
        log.info("Could not answer callback query %s: %s", query.id, exc)


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot (mention stripped), or None if not for us."""
    text = message.text or message.caption or ""
    mention = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
    mentioned = bool(mention.search(text)) or any(
        entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id
        for entity in message.entities or ()
    )
    replied = message.reply_to_message is not None and (
        message.reply_to_message.from_user is not None and message.reply_to_message.from_user.id == bot_id
    )
    if not (mentioned or replied):
        return None
    return " ".join(mention.sub(" ", text).split())
