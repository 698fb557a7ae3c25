"""Analytics, Telegram side: record questions, "did you mean" choices and 👍/👎 taps for the
curator's loop; /stats and /privacy.

The `AnalyticsStore` (faq/analytics) is `BotState.analytics` (bot/state.py). Its recording
methods only put a record on a queue for its writer thread, so they are called straight from the
event loop: they never block and never raise, and a broken or locked database never stops an answer.
Only /stats reads the database, in a worker thread (`asyncio.to_thread`).

What gets a token, and so 👍/👎 or recorded choices (decisions, documented for the curator):
- a typed question (private chat, or addressed to the bot in a group): recorded with the reply,
  whatever its outcome; its token goes into the reply's buttons;
- an answer opened from a button (topic lists, related topics, "did you mean", /help examples): a
  fresh token, so it gets 👍/👎 too, but there is no question row to link it to;
- inline-mode results: no buttons and nothing recorded (a shared answer is not a question, and a
  tap under it would come from people who never asked);
- small talk ("hello", "thanks"): recorded as a question, but no 👍/👎 under the answer.
With ANALYTICS=off every reply is rendered exactly as before: plain topic buttons, no 👍/👎.

No Telegram user id, name or chat id goes to the store except the user id handed to
`record_question`, which the store only ever writes as a salted hash.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import callbacks, render, replies, texts
from bot.access import is_admin
from bot.callbacks import Choose, Feedback
from bot.render import Rendered
from bot.state import Context
from faq import Brain, Outcome, Reply
from faq.analytics import AnalyticsReadError, AnalyticsSettings, AnalyticsStore, load_report, summary_text

log = logging.getLogger(__name__)

STATS_DAYS = 30  # the window /stats shows unless given another: /stats 7
MAX_STATS_DAYS = 3660
STATS_FLUSH_SECONDS = 2.0  # /stats waits at most this long for what was just asked to be written
FEEDBACK_PATTERN = rf"^{callbacks.VERSION}f(:|$)"  # every 👍/👎 tap, well-formed or not


# ---------------------------------------------------------------------------------- rendering


def render_question(context: Context, text: str, reply: Reply, update: Update) -> list[Rendered]:
    """Record a typed question with the brain's reply; render the reply with the record's token."""
    store = context.bot_data.analytics
    if not store.enabled:
        return render.render_reply(reply)
    user = update.effective_user
    token = store.record_question(text, reply, user.id if user is not None else None)
    return render.render_reply(reply, _token_for(context, reply, token))


def render_tapped(context: Context, reply: Reply) -> list[Rendered]:
    """A reply to a button (not a typed question): nothing recorded, a fresh token for 👍/👎."""
    store = context.bot_data.analytics
    if not store.enabled:
        return render.render_reply(reply)
    return render.render_reply(reply, _token_for(context, reply, store.new_token()))


def _token_for(context: Context, reply: Reply, token: str) -> str | None:
    """The token for the buttons, or None when they should be plain (an answer that is small talk)."""
    if reply.outcome is not Outcome.ANSWER:
        return token
    intent = context.bot_data.brain.kb.intent(reply.intent) if reply.intent else None
    return token if intent is not None and intent.is_topic else None


# ---------------------------------------------------------------------------------- "did you mean"


def choose(context: Context, choice: Choose) -> Reply | None:
    """Record a "did you mean" tap and return what to show: the chosen answer or the fallback.

    None when the candidate no longer exists (the brain was reloaded): then nothing is recorded.
    """
    brain = context.bot_data.brain
    reply = brain.fallback() if choice.intent_id is None else brain.answer(choice.intent_id)
    if reply is not None:
        context.bot_data.analytics.record_choice(choice.token, choice.intent_id)
    return reply


# ---------------------------------------------------------------------------------- 👍 / 👎


async def feedback(update: Update, context: Context) -> None:
    """A 👍/👎 tap: recorded once per answer, acknowledged with a toast, and the row removed.

    No new message is sent. Forged, stale or foreign data gets the stale note as the toast.
    """
    query = update.callback_query
    if query is None:  # only registered for callback queries
        return
    action = callbacks.decode(query.data)
    store = context.bot_data.analytics
    if (
        not isinstance(action, Feedback)
        or not store.enabled
        or not isinstance(query.message, Message)  # an inline-mode message, or one too old to see
        or context.bot_data.brain.kb.intent(action.intent_id) is None
    ):
        await replies.dismiss(query, texts.STALE_BUTTON)
        return
    accepted = store.record_feedback(action.token, action.intent_id, action.helpful)
    await replies.dismiss(query, texts.FEEDBACK_THANKS if accepted else texts.FEEDBACK_ALREADY)
    await _remove_feedback_row(query, query.message)


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The keyboard minus its 👍/👎 buttons (links and related topics stay); None if nothing is left."""
    if markup is None:
        return None
    rows = [
        [b for b in row if not isinstance(callbacks.decode(b.callback_data), Feedback)]
        for row in markup.inline_keyboard
    ]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def _remove_feedback_row(query: CallbackQuery, message: Message) -> None:
    markup = without_feedback(message.reply_markup)
    if markup == message.reply_markup:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except TelegramError as exc:  # e.g. "not modified" after a double tap: the toast said it all
        log.info("Could not remove the feedback buttons: %s", exc)


# ---------------------------------------------------------------------------------- commands


async def privacy(update: Update, context: Context) -> None:
    """/privacy: exactly what is kept and for how long, for the store's current settings."""
    message = update.effective_message
    if message is None:  # only registered for messages
        return
    await replies.answer_plain(
        message, f"{context.bot_data.analytics.privacy_text()}\n\n{privacy_note(context)}"
    )


def privacy_note(context: Context) -> str:
    """The /privacy paragraph on voice notes, for the current settings."""
    if context.bot_data.listening.transcriber is None:
        return texts.VOICE_PRIVACY_OFF
    kept = context.bot_data.analytics.enabled
    return texts.VOICE_PRIVACY.format(
        kept=texts.VOICE_PRIVACY_KEPT if kept else texts.VOICE_PRIVACY_FORGOTTEN
    )


async def stats(update: Update, context: Context) -> None:
    """/stats [days]: the curator's one-screen summary, for ADMIN_USER_IDS only.

    To anyone else it does not exist: the unknown-command reply in private chats, silence in groups.
    Admins get it only in a private chat, since it shows what people asked.
    """
    message = update.effective_message
    if message is None:  # only registered for messages
        return
    private = message.chat.type == ChatType.PRIVATE
    if not is_admin(update, context):
        if private:
            await replies.unknown_command(message)
        return
    if not private:
        await message.reply_text(texts.STATS_IN_GROUP, do_quote=True)
        return
    store = context.bot_data.analytics
    if not store.enabled:
        await replies.answer_plain(message, texts.STATS_OFF)
        return
    days = _days(context.args)
    text = await asyncio.to_thread(summary, store, context.bot_data.brain, days)
    await replies.answer_plain(message, text)


def summary(store: AnalyticsStore, brain: Brain, days: int = STATS_DAYS) -> str:
    """The /stats text. Blocking (waits for queued records, reads the database): run it in a thread."""
    store.flush(timeout=STATS_FLUSH_SECONDS)  # include what was just asked
    try:
        report = load_report(store.path, days=days, brain=brain)
    except AnalyticsReadError as exc:
        stats = store.stats()
        problems = f"\n\nStore problems since start: {stats.errors} errors. Last: {stats.last_error}"
        return str(exc) + (problems if stats.errors else "")
    return summary_text(report, store.stats())


def _days(args: list[str] | None) -> int:
    if args and args[0].isascii() and args[0].isdigit() and len(args[0]) <= 4:  # not "²", not 10**5000
        return min(max(int(args[0]), 1), MAX_STATS_DAYS)
    return STATS_DAYS


# ---------------------------------------------------------------------------------- lifecycle


def open_store(env_file: str | Path = ".env") -> AnalyticsStore:
    """The store configured by ANALYTICS, ANALYTICS_DB, ANALYTICS_RETENTION_DAYS and ANALYTICS_SALT.

    Read like the bot's other settings (pydantic-settings): the environment first, then the same
    `.env` file. Never raises, and does no I/O on the database: the writer thread opens it on the
    first record.
    """
    store = AnalyticsStore.from_settings(AnalyticsSettings.from_env_and_dotenv(env_file))
    log.info("Analytics %s", f"on: {store.path} (see /privacy)" if store.enabled else "off")
    return store


async def close_store(store: AnalyticsStore) -> None:
    """Write what is queued and stop the writer thread, off the event loop (it may wait a while)."""
    await asyncio.to_thread(store.close)
