"""Thin update handlers: parse the update, ask the brain, render, send.

The current `Brain` is `context.bot_data.brain` (bot/state.py), read once per update, so a reload
can swap it without touching the handlers. Questions, "did you mean" choices and 👍/👎 taps go to
the analytics store through `bot.analytics` (no user ids, names or chat ids; see /privacy).
Sending, replying in groups and answering button presses are bot/replies.py's.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import analytics, callbacks, render, replies, texts, voice
from bot.callbacks import AllTopics, Ask, Choose, NoneOfThese, ShowTopic, TopicsPage
from bot.render import Rendered
from bot.replies import addressed_text, answer, dismiss, send
from bot.state import Context
from faq import Brain, Outcome, Reply

log = logging.getLogger(__name__)

RESOURCES_TOPIC = "resources"


def _message(update: Update) -> Message:
    """The message a message handler was called for (PTB's filters guarantee there is one)."""
    message = update.effective_message
    if message is None:
        raise TypeError(f"update {update.update_id} has no message for a message handler")
    return message


# ---------------------------------------------------------------------------------- commands


async def start(update: Update, context: Context) -> None:
    message = _message(update)
    brain = context.bot_data.brain
    user = update.effective_user
    popular = brain.fallback().candidates  # the brain's own pick of topics to offer first
    await answer(message, [render.welcome(user.first_name if user else None, brain.kb.source, popular)])


async def help_command(update: Update, context: Context) -> None:
    await answer(_message(update), [render.help_message(context.bot.username)])


async def topics(update: Update, context: Context) -> None:
    await answer(_message(update), [render.topics_page(context.bot_data.brain.topics(), 0)])


def resources_messages(brain: Brain) -> list[Rendered]:
    """/resources: the `resources` topic (a few buttons, each organisation named once), else every link."""
    reply = brain.answer(RESOURCES_TOPIC)
    return render.render_reply(reply) if reply else [render.resources(brain.kb.links.values())]


async def resources(update: Update, context: Context) -> None:
    await answer(_message(update), resources_messages(context.bot_data.brain))


async def about(update: Update, context: Context) -> None:
    await answer(_message(update), [render.about(context.bot_data.brain.kb.source)])


async def unknown_command(update: Update, context: Context) -> None:
    await replies.unknown_command(_message(update))


# ---------------------------------------------------------------------------------- messages


async def question(update: Update, context: Context) -> None:
    """A text message in a private chat: always a question for the brain."""
    message = _message(update)
    text = message.text or ""
    await answer(
        message, analytics.render_question(context, text, context.bot_data.brain.reply(text), update)
    )


async def non_text(update: Update, context: Context) -> None:
    """A sticker, photo, voice note... in a private chat: one friendly sentence."""
    message = _message(update)
    if message.text is not None:  # an empty text is still text: let the brain say it found no words
        await question(update, context)
        return
    await answer(message, [(texts.NON_TEXT, None)])


async def voice_note(update: Update, context: Context) -> None:
    """A voice note in a private chat: answered like the question it asks (bot/voice.py)."""
    message = _message(update)
    await answer(message, await voice.listen(message, update, context, context.bot_data.brain))


async def group_message(update: Update, context: Context) -> None:
    """Any message in a group: answer only if it mentions the bot or replies to it, else stay quiet."""
    message = _message(update)
    question_text = addressed_text(message, context.bot.username, context.bot.id)
    if question_text is None:
        return
    if message.voice is not None:  # a voice note in reply to one of ours
        await answer(message, await voice.listen(message, update, context, context.bot_data.brain))
        return
    if message.text is None:
        await answer(message, [(texts.NON_TEXT, None)])
        return
    reply = context.bot_data.brain.reply(question_text)
    await answer(message, analytics.render_question(context, question_text, reply, update))


# ---------------------------------------------------------------------------------- buttons


async def button(update: Update, context: Context) -> None:
    """Every button press. The query is answered first, always, so the spinner never hangs."""
    query = update.callback_query
    if query is None:  # only registered for callback queries
        return
    action = callbacks.decode(query.data)
    if query.message is None:  # a button under an inline-mode message: no chat to answer in
        await dismiss(query, texts.STALE_BUTTON)
        return
    await dismiss(query)
    chat, brain = query.message.chat, context.bot_data.brain
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
            reply = analytics.choose(context, action)
        case Ask(text):
            reply = brain.reply(text)
    if reply is None:  # forged or stale data, or a topic that no longer exists
        await send(chat, [(texts.STALE_BUTTON, None)], thread=thread)
        return
    await send(chat, analytics.render_tapped(context, reply), thread=thread)


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
    if query is None:  # only registered for inline queries
        return
    brain = context.bot_data.brain
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
