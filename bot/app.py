"""Build the Application: handlers, error handler, start-up registration, defaults, rate limiter."""

from __future__ import annotations

import logging
from typing import TypedDict

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import admin, handlers, reliability, texts, voice
from bot.analytics import FEEDBACK_PATTERN, close_store, feedback, open_store, privacy, stats
from bot.config import Settings
from bot.delivery import Delivery
from bot.errors import on_error
from bot.logsafe import protect
from bot.state import CONTEXT_TYPES, BotApp
from faq import Brain
from faq.analytics import AnalyticsStore

log = logging.getLogger(__name__)

__all__ = ["ALLOWED_UPDATES", "BotApp", "build_application", "webhook_options"]

# Only what we handle. Edited messages are not requested: an edit is never answered a second time
# (answering "only if never answered" would mean remembering every message we answered).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]


class WebhookOptions(TypedDict):
    listen: str
    port: int
    url_path: str
    webhook_url: str | None
    secret_token: str | None
    allowed_updates: list[str]


def webhook_options(settings: Settings) -> WebhookOptions:
    """Arguments for `run_webhook` (and `updater.start_webhook` in tests): one source of truth."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return WebhookOptions(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=settings.webhook_path,
        webhook_url=settings.webhook_url,
        secret_token=secret,  # PTB answers 403 to any request without this header value
        allowed_updates=ALLOWED_UPDATES,
    )


def build_application(
    settings: Settings,
    brain: Brain,
    analytics: AnalyticsStore | None = None,
    delivery: Delivery | None = None,
) -> BotApp:
    """The bot, ready to run. `analytics`: the store for questions and 👍/👎 (default: from ANALYTICS*
    in the environment or .env); `delivery`: the delivery journal (default: from JOURNAL and
    STATE_DIR). Both are closed in post_shutdown."""
    protect([settings.token])  # before the Bot exists: it logs its URLs, token included
    delivery = delivery if delivery is not None else reliability.open_delivery(settings)
    builder = ApplicationBuilder().context_types(CONTEXT_TYPES)  # bot_data is a BotState
    reliability.journaling(builder, settings, delivery)  # confirm to Telegram only what is journaled
    application = (
        builder.token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,  # a deleted question must not lose its answer
            )
        )
        .rate_limiter(reliability.rate_limiter(settings))  # retries, and Telegram's limits unless off
        .concurrent_updates(reliability.update_processor(settings, delivery))  # per-chat order kept
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    state = application.bot_data
    state.brain = brain
    state.settings = settings
    state.analytics = analytics if analytics is not None else open_store()
    voice.install(application, settings)  # whether and how voice notes are heard (bot/voice.py)
    add_handlers(application)
    reliability.install(application, settings)  # throttle ahead of all handlers, hot reload
    reliability.install_delivery(application, settings, delivery)  # and the health endpoint
    return application


def add_handlers(application: BotApp) -> None:
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    # Never edited_message (see ALLOWED_UPDATES), and never an answer someone shared from inline
    # mode: it is not a question, and it even mentions us in its attribution.
    new_message = filters.UpdateType.MESSAGE & ~filters.VIA_BOT
    for name, callback in (
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("topics", handlers.topics),
        ("resources", handlers.resources),
        ("about", handlers.about),
        ("privacy", privacy),
        ("stats", stats),  # admins only; to anyone else it behaves as an unknown command
    ):
        application.add_handler(CommandHandler(name, callback, filters=new_message))
    application.add_handler(CommandHandler("reload", admin.reload_command, filters=new_message & private))
    application.add_handler(MessageHandler(new_message & private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(new_message & private & filters.TEXT, handlers.question))
    application.add_handler(MessageHandler(new_message & private & filters.VOICE, handlers.voice_note))
    application.add_handler(
        MessageHandler(new_message & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text)
    )
    # Commands for other bots are the group's business; everything else is checked for a mention.
    application.add_handler(
        MessageHandler(
            new_message & groups & ~filters.COMMAND & ~filters.StatusUpdate.ALL, handlers.group_message
        )
    )
    application.add_handler(CallbackQueryHandler(feedback, pattern=FEEDBACK_PATTERN))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_error_handler(on_error)


async def post_init(application: BotApp) -> None:
    """Register the command menu and descriptions; a failure here must not stop the bot serving."""
    bot = application.bot
    try:
        await bot.set_my_commands(list(texts.COMMANDS))
        await bot.set_my_description(texts.DESCRIPTION)
        await bot.set_my_short_description(texts.SHORT_DESCRIPTION)
    except TelegramError as exc:
        log.warning("Could not register the command menu and descriptions: %s", exc)
    if not bot.supports_inline_queries:
        log.info("Inline mode is off for @%s; turn it on with /setinline at @BotFather", bot.username)
    log.info("Started as @%s", bot.username)
    reliability.start(application)  # watch intents.yaml, reload on SIGHUP
    voice.start(application)  # load the speech-to-text model in the background
    reliability.replay(application)  # what the last run left unanswered, before anything new


async def post_shutdown(application: BotApp) -> None:
    await close_store(application.bot_data.analytics)
    await reliability.close_delivery(application)


async def post_stop(application: BotApp) -> None:
    await reliability.stop(application)
    await voice.stop(application)
