"""Thin update handlers: parse the update, ask the brain, render, send.

The current `Brain` lives in `bot_data` and is read only through `brain_of()`, so a later reload
can swap it without touching the handlers. Questions, "did you mean" choices and 👍/👎 taps go to
the analytics store through `bot.curation` (no user ids, names or chat ids; see /privacy).
"""

from __future__ import annotations

import logging
import re
from typing import cast

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import callbacks, curation, render, texts, voice
from bot.callbacks import AllTopics, Ask, Choose, NoneOfThese, ShowTopic, TopicsPage
from bot.render import Rendered
from faq import Brain, Outcome, Reply

log = logging.getLogger(__name__)

BRAIN_KEY = "brain"
RESOURCES_TOPIC = "resources"
Context = ContextTypes.DEFAULT_TYPE


def brain_of(context: Context) -> Brain:
    """The brain in use now; the single place handlers get it from (see module docstring)."""
    return cast(Brain, context.bot_data[BRAIN_KEY])


async def send(
    chat: Chat, parts: list[Rendered], *, quote: Message | None = None, thread: int | None = None
) -> None:
    """Send rendered parts in order; in groups the first one quotes the question it answers."""
    for i, (text, keyboard) in enumerate(parts):
        if quote is not None and i == 0:
            await quote.reply_html(text, reply_markup=keyboard, do_quote=True)
        else:
            await chat.send_message(text, reply_markup=keyboard, message_thread_id=thread)


async def _answer(message: Message, parts: list[Rendered]) -> None:
    in_group = message.chat.type != ChatType.PRIVATE
    thread = message.message_thread_id if message.is_topic_message else None
    await send(message.chat, parts, quote=message if in_group else None, thread=thread)


# ---------------------------------------------------------------------------------- commands


async def start(update: Update, context: Context) -> None:
    message = cast(Message, update.effective_message)
    brain = brain_of(context)
    user = update.effective_user
    popular = brain.fallback().candidates  # the brain's own pick of topics to offer first
    await _answer(message, [render.welcome(user.first_name if user else None, brain.kb.source, popular)])


async def help_command(update: Update, context: Context) -> None:
    await _answer(cast(Message, update.effective_message), [render.help_message(context.bot.username)])


async def topics(update: Update, context: Context) -> None:
    await _answer(
        cast(Message, update.effective_message), [render.topics_page(brain_of(context).topics(), 0)]
    )


def resources_messages(brain: Brain) -> list[Rendered]:
    """/resources: the `resources` topic (a few buttons, each organisation named once), else every link."""
    reply = brain.answer(RESOURCES_TOPIC)
    return render.render_reply(reply) if reply else [render.resources(brain.kb.links.values())]


async def resources(update: Update, context: Context) -> None:
    await _answer(cast(Message, update.effective_message), resources_messages(brain_of(context)))


async def about(update: Update, context: Context) -> None:
    await _answer(cast(Message, update.effective_message), [render.about(brain_of(context).kb.source)])


async def unknown_command(update: Update, context: Context) -> None:
    await _answer(cast(Message, update.effective_message), [(texts.UNKNOWN_COMMAND, None)])


# ---------------------------------------------------------------------------------- messages


async def question(update: Update, context: Context) -> None:
    """A text message in a private chat: always a question for the brain."""
    message = cast(Message, update.effective_message)
    text = message.text or ""
    await _answer(message, curation.render_question(context, text, brain_of(context).reply(text), update))


async def non_text(update: Update, context: Context) -> None:
    """A sticker, photo, voice note... in a private chat: one friendly sentence."""
    message = cast(Message, update.effective_message)
    if message.text is not None:  # an empty text is still text: let the brain say it found no words
        await question(update, context)
        return
    await _answer(message, [(texts.NON_TEXT, None)])


async def voice_note(update: Update, context: Context) -> None:
    """A voice note in a private chat: answered like the question it asks (bot/voice.py)."""
    message = cast(Message, update.effective_message)
    await _answer(message, await voice.listen(message, update, context, brain_of(context)))


async def group_message(update: Update, context: Context) -> None:
    """Any message in a group: answer only if it mentions the bot or replies to it, else stay quiet."""
    message = cast(Message, update.effective_message)
    question_text = addressed_text(message, context.bot.username, context.bot.id)
    if question_text is None:
        return
    if message.voice is not None:  # a voice note in reply to one of ours
        await _answer(message, await voice.listen(message, update, context, brain_of(context)))
        return
    if message.text is None:
        await _answer(message, [(texts.NON_TEXT, None)])
        return
    reply = brain_of(context).reply(question_text)
    await _answer(message, curation.render_question(context, question_text, reply, update))


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


# ---------------------------------------------------------------------------------- buttons


async def button(update: Update, context: Context) -> None:
    """Every button press. The query is answered first, always, so the spinner never hangs."""
    query = update.callback_query
    assert query is not None
    action = callbacks.decode(query.data)
    if query.message is None:  # a button under an inline-mode message: no chat to answer in
        await _dismiss(query, texts.STALE_BUTTON)
        return
    await _dismiss(query)
    chat, brain = query.message.chat, brain_of(context)
    thread = (
        query.message.message_thread_id
        if isinstance(query.message, Message) and query.message.is_topic_message
        else None
    )
    reply: Reply | None = None
    match action:
        case TopicsPage(page):
            text, keyboard = render.topics_page(brain.topics(), page)
            await _edit(chat.id, query.message.message_id, text, keyboard, context)
            return
        case AllTopics():
            await send(chat, [render.topics_page(brain.topics(), 0)], thread=thread)
            return
        case ShowTopic(intent_id):
            reply = brain.answer(intent_id)
        case NoneOfThese():
            reply = brain.fallback()
        case Choose():
            reply = curation.choose(context, action)
        case Ask(text):
            reply = brain.reply(text)
    if reply is None:  # forged or stale data, or a topic that no longer exists
        await send(chat, [(texts.STALE_BUTTON, None)], thread=thread)
        return
    await send(chat, curation.render_tapped(context, reply), thread=thread)


async def _dismiss(query: CallbackQuery, text: str | None = None) -> None:
    try:
        await query.answer(text)
    except TelegramError as exc:  # e.g. the query is too old: nothing the user can see anyway
        log.info("Could not answer callback query %s: %s", query.id, exc)


async def _edit(
    chat_id: int, message_id: int, text: str, keyboard: InlineKeyboardMarkup | None, context: Context
) -> None:
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap: the page is already shown
            raise


# ---------------------------------------------------------------------------------- inline mode


async def inline_query(update: Update, context: Context) -> None:
    """`@bot writer's cramp` in any chat: the matching answers, ready to share."""
    query = update.inline_query
    assert query is not None
    brain = brain_of(context)
    text = query.query.strip()
    if not text:
        replies = [brain.answer(t.id) for t in brain.fallback().candidates]
    else:
        reply = brain.reply(text)
        if reply.outcome is Outcome.ANSWER:
            replies = [reply]
        elif reply.outcome in (Outcome.CLARIFY, Outcome.PARTIAL):
            replies = [brain.answer(t.id) for t in reply.candidates]
        else:
            replies = []
    results = [
        render.inline_result(r, context.bot.username, brain.kb.source)
        for r in replies
        if r is not None and r.intent is not None and _is_topic(brain, r.intent)
    ]
    await query.answer(results, cache_time=60, is_personal=False)


def _is_topic(brain: Brain, intent_id: str) -> bool:
    intent = brain.kb.intent(intent_id)
    return intent is not None and intent.is_topic  # small talk ("hello") is no answer to share
