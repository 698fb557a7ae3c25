"""Telegram's checks on what the bot sends: chat ids, text and captions (HTML parsed by ``html_check``,
lengths counted in UTF-16 after parsing), reply markup (buttons, callback data, URLs)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from fake_bot_api.errors import ApiError
from fake_bot_api.html_check import TelegramHtmlError, parse_telegram_html, utf16_len

MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units after entity parsing
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100

INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def chat_id_of(params: dict[str, Any]) -> int:
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def format_text(
    text: Any, parse_mode: Any, entities: Any, *, caption: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    empty = "Bad Request: message caption is empty" if caption else "Bad Request: message text is empty"
    if text is None or text == "":
        if caption:
            return "", []
        raise ApiError(400, empty)
    text = str(text)
    mode = str(parse_mode or "").lower()
    ents: list[dict[str, Any]] = []
    if isinstance(entities, list) and entities:
        visible, ents = text, [dict(e) for e in entities if isinstance(e, dict)]
    elif mode == "html":
        try:
            visible, ents = parse_telegram_html(text)
        except TelegramHtmlError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    elif mode in ("", "markdown", "markdownv2"):
        visible = text  # Markdown is passed through unvalidated
    else:
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    stripped = visible.strip()
    if stripped != visible:
        lead = utf16_len(visible[: len(visible) - len(visible.lstrip())])
        total = utf16_len(stripped)
        adjusted = []
        for ent in ents:
            start = max(0, int(ent["offset"]) - lead)
            end = min(total, int(ent["offset"]) + int(ent["length"]) - lead)
            if end > start:
                adjusted.append({**ent, "offset": start, "length": end - start})
        visible, ents = stripped, adjusted
    if not visible:
        if caption:
            return "", []
        raise ApiError(400, empty)
    limit = MAX_CAPTION_LENGTH if caption else MAX_MESSAGE_LENGTH
    if utf16_len(visible) > limit:
        too_long = "caption is too long" if caption else "is too long"
        raise ApiError(400, f"Bad Request: message {too_long}")
    return visible, ents


def check_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup; return what Telegram echoes in the Message (inline keyboards only)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(400, "Bad Request: can't parse inline keyboard markup JSON object")
        count = 0
        for row in rows:
            for button in row:
                count += 1
                if not isinstance(button, dict):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        "InlineKeyboardButton must be an Object",
                    )
                text = button.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                actions = [a for a in INLINE_BUTTON_ACTIONS if a in button]
                if not actions:
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                if len(actions) > 1:
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        f"exactly one of the optional fields must be used, got {actions}",
                    )
                if "callback_data" in button:
                    data = button["callback_data"]
                    size = len(data.encode("utf-8")) if isinstance(data, str) else 0
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if "url" in button:
                    url = button["url"]
                    parsed = urllib.parse.urlsplit(url) if isinstance(url, str) else None
                    if parsed is None or not (
                        (parsed.scheme in ("http", "https") and parsed.netloc) or parsed.scheme == "tg"
                    ):
                        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        if count > MAX_INLINE_BUTTONS:
            raise ApiError(400, "Bad Request: BUTTONS_TOO_MUCH")
        return {"inline_keyboard": rows}
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise ApiError(400, "Bad Request: keyboard button text is empty")
        return None
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return None
    raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
