"""What is kept about users, and the helpers that keep it that way.

No Telegram user id, name or chat id is ever written: a user is at most a salted, truncated
SHA-256 (enough to count distinct people, useless to find one without the salt).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from faq.analytics.settings import DEFAULT_RETENTION_DAYS

TOKEN_BYTES = 6  # 8 url-safe characters: short enough for Telegram's 64-byte callback data
HASH_CHARS = 16  # 64 bits: no collisions at the scale of a FAQ bot


def privacy_text(retention_days: int | None = DEFAULT_RETENTION_DAYS) -> str:
    """The /privacy message; `None` when analytics is off."""
    if retention_days is None:
        return (
            "Privacy: this bot keeps nothing you send once it has answered. A message is kept only "
            "until its answer is sent (so that a restart cannot lose it); after that, no names, ids "
            "or messages are stored."
        )
    return (
        "Privacy: what this bot keeps, and for how long.\n"
        "\n"
        "Kept, to improve the answers:\n"
        "- the text of each question you type, and whether the bot answered it, asked "
        '"did you mean", or did not know;\n'
        '- which option you picked in "did you mean" (including "none of these");\n'
        "- your 👍 / 👎 taps under answers.\n"
        "\n"
        "Not kept: your name, username, Telegram id or chat id. To count how many different people "
        "use the bot, a scrambled code made from your id with a secret key is stored instead; "
        "it cannot be turned back into your id.\n"
        "\n"
        f"Questions, choices and taps are deleted after {retention_days} days. Only daily totals "
        "(numbers of answered and unanswered questions, no text) are kept longer.\n"
        "Everything stays on the bot owner's own server; nothing is sent to any other service. "
        "Please do not type names, phone numbers or other personal details into your questions."
    )


PRIVACY_TEXT = privacy_text()


def new_token() -> str:
    """An opaque id for one bot reply, random so it reveals nothing about the chat or message."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_user(salt: str, user: int | str | None) -> str | None:
    if user is None:
        return None
    return hashlib.sha256(f"{salt}:{user}".encode()).hexdigest()[:HASH_CHARS]


def salt_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".salt")


def load_salt(db_path: Path) -> str:
    """The salt kept next to the database, created (owner-readable only) on first use.

    Raises OSError when the file can neither be read nor created; the caller decides what then.
    """
    path = salt_path(db_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        salt = path.read_text(encoding="utf-8").strip()
        if salt:
            return salt
        raise OSError(f"the salt file {path} is empty") from None
    salt = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(salt + "\n")
    return salt
