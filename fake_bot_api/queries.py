"""Bot API methods that answer the user's queries: answerCallbackQuery (a button press) and
answerInlineQuery (with Telegram's checks on the results)."""

from __future__ import annotations

from typing import Any

from fake_bot_api.errors import QUERY_TOO_OLD, ApiError
from fake_bot_api.state import ApiState
from fake_bot_api.validation import check_markup, format_text

MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64


def answer_callback_query(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        query_id = _open_query_id(params.get("callback_query_id"), api._open_callback_queries)
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        api.answered_callback_queries[query_id] = params
        del api._open_callback_queries[query_id]
        return True


def answer_inline_query(api: ApiState, params: dict[str, Any]) -> Any:
    with api._cond:
        query_id = _open_query_id(params.get("inline_query_id"), api._open_inline_queries)
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not isinstance(result.get("type"), str):
                raise ApiError(400, "Bad Request: can't parse inline query result: type is missing")
            raw_id = result.get("id")
            result_id = raw_id if isinstance(raw_id, str) else ""
            id_size = len(result_id.encode("utf-8"))
            if not 1 <= id_size <= MAX_INLINE_RESULT_ID_BYTES:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if result_id in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if result["type"] == "article" and not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                format_text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
            elif result["type"] == "article":
                raise ApiError(
                    400, "Bad Request: can't parse inline query result: input_message_content is missing"
                )
            check_markup(result.get("reply_markup"))
        api.answered_inline_queries[query_id] = params
        del api._open_inline_queries[query_id]
        return True


def _open_query_id(raw: Any, open_queries: dict[str, dict[str, Any]]) -> str:
    """The id of a query that can still be answered; Telegram's "too old" error otherwise."""
    query_id = str(raw or "")
    if query_id not in open_queries:
        raise ApiError(400, QUERY_TOO_OLD)
    return query_id
