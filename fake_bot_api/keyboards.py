"""Reading the inline keyboard of a message the bot sent (its recorded parameters)."""

from __future__ import annotations

from typing import Any


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline keyboard of a sent message, flattened, in order."""
    markup = params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def callback_data(params: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(params) if "callback_data" in b]


def urls(params: dict[str, Any]) -> list[str]:
    return [b["url"] for b in buttons(params) if "url" in b]
