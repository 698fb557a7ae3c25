"""Routing of Bot API methods: which function answers which method (``HANDLERS``, keyed by the lower-cased
name, as Telegram's method names are case-insensitive), the canonical spelling recorded in ``Call.method``,
and the methods that a blocked user makes fail with 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fake_bot_api import files, messages, polling, queries, settings
from fake_bot_api.state import ApiState

Handler = Callable[[ApiState, dict[str, Any]], Any]

METHODS_WITH_CHAT = frozenset(
    {
        "sendmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
        "sendchataction",
        "sendphoto",
        "senddocument",
        "sendsticker",
        "sendlocation",
        "sendaudio",
        "sendvoice",
        "sendvideo",
        "forwardmessage",
        "copymessage",
        "deletemessage",
    }
)

HANDLERS: dict[str, Handler] = {
    "getme": settings.get_me,
    "getupdates": polling.get_updates,
    "sendmessage": messages.send_message,
    "editmessagetext": messages.edit_message_text,
    "editmessagereplymarkup": messages.edit_message_reply_markup,
    "deletemessage": messages.delete_message,
    "answercallbackquery": queries.answer_callback_query,
    "answerinlinequery": queries.answer_inline_query,
    "sendchataction": messages.send_chat_action,
    "sendphoto": messages.send_photo,
    "senddocument": messages.send_document,
    "sendsticker": messages.send_sticker,
    "setmycommands": settings.set_my_commands,
    "getmycommands": settings.get_my_commands,
    "deletemycommands": settings.delete_my_commands,
    "setmydescription": settings.set_my_description,
    "getmydescription": settings.get_my_description,
    "setmyshortdescription": settings.set_my_short_description,
    "getmyshortdescription": settings.get_my_short_description,
    "setmyname": settings.set_my_name,
    "getmyname": settings.get_my_name,
    "setchatmenubutton": settings.set_chat_menu_button,
    "getchatmenubutton": settings.get_chat_menu_button,
    "setwebhook": polling.set_webhook,
    "deletewebhook": polling.delete_webhook,
    "getwebhookinfo": polling.get_webhook_info,
    "getchat": settings.get_chat,
    "getfile": files.get_file,
    "close": settings.answer_true,
    "logout": settings.answer_true,
}
CANONICAL: dict[str, str] = {
    name.lower(): name
    for name in [
        "getMe",
        "sendPhoto",
        "sendDocument",
        "sendSticker",
        "getUpdates",
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
        "answerInlineQuery",
        "sendChatAction",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "getMyDescription",
        "setMyShortDescription",
        "getMyShortDescription",
        "setMyName",
        "getMyName",
        "setChatMenuButton",
        "getChatMenuButton",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "getChat",
        "getFile",
        "close",
        "logOut",
    ]
}
