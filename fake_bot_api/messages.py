"""Bot API methods that send, edit and delete messages: sendMessage, sendPhoto / sendDocument / sendSticker,
editMessageText, editMessageReplyMarkup, deleteMessage, sendChatAction.  Each takes the shared state and the
decoded parameters and returns the ``result`` (or raises ``ApiError``)."""

from __future__ import annotations

import copy
from typing import Any

from fake_bot_api.errors import NOT_MODIFIED, ApiError
from fake_bot_api.state import ApiState, now
from fake_bot_api.validation import chat_id_of, check_markup, format_text

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _stored_message(api: ApiState, params: dict[str, Any], *, verb: str) -> dict[str, Any]:
    chat_id = chat_id_of(params)
    message_id = params.get("message_id")
    if message_id is None:
        raise ApiError(400, "Bad Request: message identifier is not specified")
    msg = api._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
    if msg is None:
        raise ApiError(400, f"Bad Request: message to {verb} not found")
    return msg


def _send_media(api: ApiState, kind: str, params: dict[str, Any]) -> Any:
    with api._cond:
        chat_id = chat_id_of(params)
        media = params.get(kind)
        if media is None or media == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption, entities = format_text(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = check_markup(params.get("reply_markup"))
        reply_to = _reply_target(api, chat_id, params)
        mid = api._new_message_id(chat_id)
        file_obj: dict[str, Any] = {
            "file_id": f"BQACAgIAAxkDAAI{chat_id}_{mid}",
            "file_unique_id": f"AgAD{mid}",
        }
        if isinstance(media, dict):  # an uploaded file (multipart)
            file_obj["file_size"] = media.get("size", 0)
            if kind == "document":
                file_obj["file_name"] = media.get("filename", "file")
        payload: Any = file_obj
        if kind == "photo":
            payload = [{**file_obj, "width": 800, "height": 600}]
        elif kind == "sticker":
            payload = {
                **file_obj,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        msg: dict[str, Any] = {
            "message_id": mid,
            "from": api.bot_user,
            "chat": api._chat_for_send(chat_id),
            "date": now(),
            kind: payload,
        }
        if caption:
            msg["caption"] = caption
        if entities:
            msg["caption_entities"] = entities
        return _post(api, chat_id, msg, reply_to, markup)


def send_photo(api: ApiState, params: dict[str, Any]) -> Any:
    return _send_media(api, "photo", params)


def send_document(api: ApiState, params: dict[str, Any]) -> Any:
    return _send_media(api, "document", params)


def send_sticker(api: ApiState, params: dict[str, Any]) -> Any:
    return _send_media(api, "sticker", params)


def send_message(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        chat_id = chat_id_of(params)
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_markup(params.get("reply_markup"))
        reply_to = _reply_target(api, chat_id, params)
        msg: dict[str, Any] = {
            "message_id": api._new_message_id(chat_id),
            "from": api.bot_user,
            "chat": api._chat_for_send(chat_id),
            "date": now(),
            "text": text,
        }
        if entities:
            msg["entities"] = entities
        return _post(api, chat_id, msg, reply_to, markup)


def _post(
    api: ApiState, chat_id: int, msg: dict[str, Any], reply_to: dict[str, Any] | None, markup: Any
) -> dict[str, Any]:
    """Add the reply and keyboard to a message the bot sends, keep it in the chat, and return a copy
    (what Telegram answers). The caller holds `api._cond`."""
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    if markup is not None:
        msg["reply_markup"] = markup
    api._messages[(chat_id, msg["message_id"])] = msg
    api._last_bot_message[chat_id] = msg
    return copy.deepcopy(msg)


def _reply_target(api: ApiState, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
    reply = params.get("reply_parameters")
    message_id: Any = None
    allow_missing = bool(params.get("allow_sending_without_reply"))
    if isinstance(reply, dict):
        message_id = reply.get("message_id")
        allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        if reply.get("chat_id") not in (None, chat_id):
            return None
    elif params.get("reply_to_message_id") is not None:
        message_id = params.get("reply_to_message_id")
    if message_id is None:
        return None
    target = api._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
    if target is None:
        if allow_missing:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")
    target = copy.deepcopy(target)
    target.pop("reply_to_message", None)
    return target


def edit_message_text(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        msg = _stored_message(api, params, verb="edit")
        if msg.get("from", {}).get("id") != api.bot_id or "text" not in msg:
            raise ApiError(400, "Bad Request: message can't be edited")
        if (
            msg.get("text") == text
            and msg.get("entities", []) == entities
            and msg.get("reply_markup") == markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        msg["text"] = text
        msg.pop("entities", None)
        if entities:
            msg["entities"] = entities
        return _edited(msg, markup)


def edit_message_reply_markup(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        markup = check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        msg = _stored_message(api, params, verb="edit")
        if msg.get("from", {}).get("id") != api.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        if msg.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        return _edited(msg, markup)


def delete_message(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        msg = _stored_message(api, params, verb="delete")
        key = (msg["chat"]["id"], msg["message_id"])
        api._messages.pop(key, None)
        last = api._last_bot_message.get(key[0])
        if last is not None and last["message_id"] == key[1]:
            del api._last_bot_message[key[0]]
        return True


def send_chat_action(api: ApiState, params: dict[str, Any]) -> Any:
    chat_id_of(params)
    if params.get("action") not in CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")
    return True


def _edited(msg: dict[str, Any], markup: Any) -> dict[str, Any]:
    """Give a stored message its new keyboard (or none) and an edit date; return what Telegram returns."""
    msg.pop("reply_markup", None)
    if markup is not None:
        msg["reply_markup"] = markup
    msg["edit_date"] = now()
    return copy.deepcopy(msg)
