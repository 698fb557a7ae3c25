"""Bot API methods that deliver updates: getUpdates (long polling, offsets, allowed_updates) and the
webhook methods that interact with it (setWebhook, deleteWebhook, getWebhookInfo)."""

from __future__ import annotations

import copy
import time
from typing import Any

from fake_bot_api.errors import ApiError
from fake_bot_api.state import ApiState

# Telegram's default when allowed_updates is [] or was never set.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def _update_type(update: dict[str, Any]) -> str:
    return next((k for k in update if k != "update_id"), "")


def get_updates(api: ApiState, params: dict[str, Any]) -> Any:
    offset = int(params.get("offset") or 0)
    limit = min(max(int(params.get("limit") or 100), 1), 100)
    timeout = max(float(params.get("timeout") or 0), 0.0)
    allowed = params.get("allowed_updates")
    deadline = time.monotonic() + timeout
    with api._cond:
        if api.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        if isinstance(allowed, list):
            api._allowed_updates = [str(a) for a in allowed] or None
        api._poll_generation += 1
        generation = api._poll_generation
        if offset > 0:
            api._updates = [u for u in api._updates if int(u["update_id"]) >= offset]
            api._confirmed_offset = max(api._confirmed_offset, offset)
        elif offset < 0:
            keep = api._updates[offset:]
            if len(keep) < len(api._updates):
                api._confirmed_offset = max(api._confirmed_offset, int(keep[0]["update_id"]) if keep else 0)
            api._updates = keep
        api._cond.notify_all()
        while True:
            kept: list[dict[str, Any]] = []
            for update in api._updates:
                kind = _update_type(update)
                ok = (
                    (kind in api._allowed_updates)
                    if api._allowed_updates
                    else (kind not in DEFAULT_EXCLUDED_UPDATES)
                )
                (kept if ok else api.discarded_updates).append(update)
            api._updates = kept
            if kept or api._stopping or generation != api._poll_generation:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            api._cond.wait(remaining)
        if generation != api._poll_generation or api._stopping:
            return []
        return copy.deepcopy(api._updates[:limit])


def _drop_pending(api: ApiState, params: dict[str, Any]) -> None:
    if params.get("drop_pending_updates") is True:
        api.discarded_updates.extend(api._updates)
        if api._updates:
            api._confirmed_offset = max(api._confirmed_offset, int(api._updates[-1]["update_id"]) + 1)
        api._updates = []
        api._cond.notify_all()


def set_webhook(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        _drop_pending(api, params)
        api.webhook_url = str(params.get("url") or "")
        api.webhook_secret = str(params.get("secret_token") or "")
        api.webhook_info = {
            "url": api.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        if api.webhook_url:
            api.webhook_info["max_connections"] = int(params.get("max_connections") or 40)
            if isinstance(params.get("allowed_updates"), list):
                api.webhook_info["allowed_updates"] = params["allowed_updates"]
        api._poll_generation += 1  # a webhook terminates long polls
        api._cond.notify_all()
    return True


def delete_webhook(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        _drop_pending(api, params)
        api.webhook_url = ""
        api.webhook_info = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    return True


def get_webhook_info(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        return {**api.webhook_info, "pending_update_count": len(api._updates)}
