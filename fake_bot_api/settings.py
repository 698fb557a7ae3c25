"""Bot API methods about the bot itself and its chats: getMe, the command lists, descriptions and name,
the chat menu button, getChat, and close / logOut."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fake_bot_api.errors import ApiError
from fake_bot_api.state import ApiState
from fake_bot_api.validation import chat_id_of


def get_me(api: ApiState, params: dict[str, Any]) -> Any:
    return {
        **api.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope")
    scope_key = json.dumps(scope, sort_keys=True) if isinstance(scope, dict) else '{"type": "default"}'
    return scope_key, str(params.get("language_code") or "")


def set_my_commands(api: ApiState, params: dict[str, Any]) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    for cmd in commands:
        if not isinstance(cmd, dict):
            raise ApiError(400, "Bad Request: can't parse BotCommand: BotCommand must be an Object")
        name, description = cmd.get("command"), cmd.get("description")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name.lower()):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise ApiError(
                400,
                "Bad Request: command description is empty"
                if not description
                else "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
            )
    with api._cond:
        api.commands[_scope_key(params)] = [
            {"command": c["command"].lower(), "description": c["description"]} for c in commands
        ]
    return True


def get_my_commands(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        return copy.deepcopy(api.commands.get(_scope_key(params), []))


def delete_my_commands(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        api.commands.pop(_scope_key(params), None)
    return True


def _set_text_setting(
    api: ApiState, store: dict[str, str], key: str, limit: int, params: dict[str, Any]
) -> Any:
    value = params.get(key)
    value = "" if value is None else str(value)
    if len(value) > limit:
        raise ApiError(400, f"Bad Request: {key.upper()}_INVALID")
    with api._cond:
        store[str(params.get("language_code") or "")] = value
    return True


def set_my_description(api: ApiState, params: dict[str, Any]) -> Any:
    return _set_text_setting(api, api.descriptions, "description", 512, params)


def set_my_short_description(api: ApiState, params: dict[str, Any]) -> Any:
    return _set_text_setting(api, api.short_descriptions, "short_description", 120, params)


def set_my_name(api: ApiState, params: dict[str, Any]) -> Any:
    return _set_text_setting(api, api.names, "name", 64, params)


def get_my_description(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        return {"description": api.descriptions.get(str(params.get("language_code") or ""), "")}


def get_my_short_description(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        return {"short_description": api.short_descriptions.get(str(params.get("language_code") or ""), "")}


def get_my_name(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        return {"name": api.names.get(str(params.get("language_code") or ""), api.bot_first_name)}


def set_chat_menu_button(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        button = params.get("menu_button")
        chat_id = params.get("chat_id")
        api.menu_buttons[chat_id if isinstance(chat_id, int) else None] = (
            button if isinstance(button, dict) else {"type": "default"}
        )
    return True


def get_chat_menu_button(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        chat_id = params.get("chat_id")
        return api.menu_buttons.get(chat_id if isinstance(chat_id, int) else None, {"type": "commands"})


def get_chat(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        chat_id = chat_id_of(params)
        if chat_id not in api._chats:
            raise ApiError(400, "Bad Request: chat not found")
        return {**api._chats[chat_id], "accent_color_id": 0, "max_reaction_count": 11}


def answer_true(api: ApiState, params: dict[str, Any]) -> Any:
    return True
