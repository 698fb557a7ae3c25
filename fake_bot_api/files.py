"""Files: voice notes a user sends (``voice``), the ``getFile`` method, and the download itself, which
Telegram serves at ``/file/bot<token>/<file_path>`` beside the API (see ``server``).

A voice note is queued with its audio bytes (or ``None``: a file Telegram knows but the test never
expects to be fetched, e.g. a 10-minute note the bot must decline unheard). ``downloads`` records each
file path fetched, so a test can tell that a file was never downloaded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from fake_bot_api.errors import ApiError
from fake_bot_api.state import ApiState, now
from fake_bot_api.updates import ScriptedUpdates

MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API lets bots download files of up to 20 MB


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None  # None: never to be downloaded (the download answers 404)
    size: int


class VoiceNotes(ScriptedUpdates):
    """The voice-note part of ``FakeBotApi``: queue a voice message whose file can be fetched."""

    def voice(
        self,
        audio: bytes | None,
        *,
        duration: int,
        file_size: int | None = None,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
        declare_size: bool = True,
    ) -> int:
        """Queue a voice note of `duration` seconds; `file_size` defaults to the audio's length, and
        is left out of the message (as Telegram may) with `declare_size=False`."""
        with self._cond:
            n = len(self.files) + 1
            size = file_size if file_size is not None else len(audio or b"")
            stored = StoredFile(
                f"AwACAgIAAxkBAAIC{n:04d}voice", f"AgAD{n:04d}", f"voice/file_{n}.oga", audio, size
            )
            self.files[stored.file_id] = stored
            cid = chat_id if chat_id is not None else (user_id if chat_type == "private" else -4_000_000_001)
            payload: dict[str, Any] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
            }
            if declare_size:
                payload["file_size"] = size
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(cid),
                "from": self._user(user_id),
                "chat": self._chat(cid, chat_type),
                "date": now(),
                "voice": payload,
            }
            if reply_to_bot:
                msg["reply_to_message"] = self._bot_message_for_reply(cid)
            self._messages[(cid, msg["message_id"])] = msg
            return self.add_update({"message": copy.deepcopy(msg)})

    def download(self, file_path: str) -> bytes | None:
        """The bytes served at /file/bot<token>/<file_path>, or None (404); recorded in ``downloads``."""
        with self._cond:
            self.downloads.append(file_path)
            self._cond.notify_all()
            for stored in self.files.values():
                if stored.file_path == file_path:
                    return stored.data
            return None


def get_file(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    file_id = params.get("file_id")
    with state._cond:
        stored = state.files.get(file_id) if isinstance(file_id, str) else None
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if stored.size > MAX_DOWNLOAD:
        raise ApiError(400, "Bad Request: file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }
