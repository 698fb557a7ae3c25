"""What a button means, packed into Telegram's 64-byte `callback_data`.

The scheme is versioned so that buttons sent by an older bot are recognised as stale rather than
misread: `<version><kind>[:<payload>]`, e.g. "1t:writers_cramp". Decoding is total: anything we
did not write (forged, truncated, from another version) decodes to `Stale`, never to an error.

    1t:<intent_id>  show a topic's answer        1p:<page>  turn the topic list to a page
    1n              "None of these" -> fallback  1a         send the topic list
    1q:<question>   ask an example question (/help)

With analytics on, replies carry the store's 8-character token so a tap can be linked to them:

    1c:<token>:<intent_id>  a "did you mean" choice   1c:<token>:-  "None of these" (a choice too)
    1f:<token>:<intent_id>:+ / - 👍 / 👎 under an answer (at most 3+8+1+41+2 = 55 bytes)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import InlineKeyboardButtonLimit

VERSION = "1"
MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # Telegram's limit on callback_data (64)
MAX_PAGE = 999
_INTENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")  # same shape as ids in intents.yaml
_PAGE = re.compile(r"^(0|[1-9][0-9]{0,2})$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8}$")  # AnalyticsStore tokens: 6 random bytes, url-safe base64


@dataclass(frozen=True)
class ShowTopic:
    """Show the answer of one intent (topic, related topic or "did you mean" candidate)."""

    intent_id: str


@dataclass(frozen=True)
class NoneOfThese:
    """None of the "did you mean" candidates: show the fallback."""


@dataclass(frozen=True)
class TopicsPage:
    """Turn the topic list this button is on to another page (edits the message)."""

    page: int


@dataclass(frozen=True)
class AllTopics:
    """Send the topic list as a new message (from the /start keyboard, whose text must stay)."""


@dataclass(frozen=True)
class Ask:
    """Ask a question, as if typed (the example questions under /help)."""

    question: str


@dataclass(frozen=True)
class Choose:
    """A tap in "did you mean": a candidate's intent id, or None for "None of these"."""

    token: str
    intent_id: str | None


@dataclass(frozen=True)
class Feedback:
    """👍 (helpful) or 👎 under the answer with this token."""

    token: str
    intent_id: str
    helpful: bool


@dataclass(frozen=True)
class Stale:
    """Data we cannot use: an old, foreign or forged button."""


Action = ShowTopic | NoneOfThese | TopicsPage | AllTopics | Ask | Choose | Feedback | Stale


def encode(action: ShowTopic | NoneOfThese | TopicsPage | AllTopics | Ask | Choose | Feedback) -> str:
    """The callback_data for `action`; ValueError if it cannot be represented within 64 bytes."""
    match action:
        case ShowTopic(intent_id):
            if not _INTENT_ID.fullmatch(intent_id):
                raise ValueError(f"not an intent id: {intent_id!r}")
            data = f"{VERSION}t:{intent_id}"
        case NoneOfThese():
            data = f"{VERSION}n"
        case TopicsPage(page):
            if not 0 <= page <= MAX_PAGE:
                raise ValueError(f"page out of range: {page}")
            data = f"{VERSION}p:{page}"
        case AllTopics():
            data = f"{VERSION}a"
        case Ask(question):
            data = f"{VERSION}q:{question}"
        case Choose(token, intent_id):
            _check_token(token)
            if intent_id is not None and not _INTENT_ID.fullmatch(intent_id):
                raise ValueError(f"not an intent id: {intent_id!r}")
            data = f"{VERSION}c:{token}:{intent_id or '-'}"
        case Feedback(token, intent_id, helpful):
            _check_token(token)
            if not _INTENT_ID.fullmatch(intent_id):
                raise ValueError(f"not an intent id: {intent_id!r}")
            data = f"{VERSION}f:{token}:{intent_id}:{'+' if helpful else '-'}"
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: object) -> Action:
    """The action behind `data`; `Stale()` for anything that is not exactly what `encode` writes."""
    if not isinstance(data, str) or len(data.encode("utf-8")) > MAX_BYTES or not data.startswith(VERSION):
        return Stale()
    kind, _, payload = data[len(VERSION) :].partition(":")
    if kind == "t" and _INTENT_ID.fullmatch(payload):
        return ShowTopic(payload)
    if kind == "n" and data == f"{VERSION}n":
        return NoneOfThese()
    if kind == "a" and data == f"{VERSION}a":
        return AllTopics()
    if kind == "p" and _PAGE.fullmatch(payload):
        return TopicsPage(int(payload))
    if kind == "q" and payload.strip():
        return Ask(payload)
    if kind == "c":
        token, _, choice = payload.partition(":")
        if _TOKEN.fullmatch(token) and (choice == "-" or _INTENT_ID.fullmatch(choice)):
            return Choose(token, None if choice == "-" else choice)
    if kind == "f":
        parts = payload.split(":")
        token, intent_id, vote = parts if len(parts) == 3 else ("", "", "")
        if _TOKEN.fullmatch(token) and _INTENT_ID.fullmatch(intent_id) and vote in ("+", "-"):
            return Feedback(token, intent_id, vote == "+")
    return Stale()


def _check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"not an analytics token: {token!r}")
