"""Builders of scripted updates: what a user does (a message, a command, an edit, a sticker or photo, a button
press, an inline query), queued for the bot's next ``getUpdates`` and shaped like Telegram's updates."""

from __future__ import annotations

import copy
from typing import Any

from fake_bot_api.html_check import utf16_len
from fake_bot_api.state import ApiState, now


class ScriptedUpdates(ApiState):
    """The update-scripting part of ``FakeBotApi``."""

    @staticmethod
    def _user(user_id: int, first_name: str = "Ann") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    def _chat(self, chat_id: int, chat_type: str = "private", first_name: str = "Ann") -> dict[str, Any]:
        with self._cond:
            known = self._chats.get(chat_id)
            if known is not None:
                return dict(known)
            if chat_type == "private":
                chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
            else:
                chat = {"id": chat_id, "type": chat_type, "title": "Test chat"}
            self._chats[chat_id] = chat
            return dict(chat)

    def _new_query_id(self) -> str:
        with self._cond:
            self._query_counter += 1
            return str(4_700_000_000_000_000_000 + self._query_counter * 7919)

    @staticmethod
    def _default_chat_id(user_id: int, chat_id: int | None, chat_type: str) -> int:
        if chat_id is not None:
            return chat_id
        if chat_type == "private":
            return user_id
        if chat_type == "group":
            return -4_000_000_001
        return -1_001_000_000_001

    def add_update(self, update: dict[str, Any]) -> int:
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._updates.append(update)
            self.update_history[update_id] = update
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._cond.notify_all()
            return update_id

    def message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Ann",
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
    ) -> int:
        with self._cond:
            cid = self._default_chat_id(user_id, chat_id, chat_type)
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(cid),
                "from": self._user(user_id, first_name),
                "chat": self._chat(cid, chat_type, first_name),
                "date": now(),
                "text": text,
            }
            ents = entities if entities is not None else self._command_entities(text)
            if ents:
                msg["entities"] = ents
            if reply_to_bot:
                msg["reply_to_message"] = self._bot_message_for_reply(cid)
            self._messages[(cid, msg["message_id"])] = msg
            return self.add_update({"message": copy.deepcopy(msg)})

    @staticmethod
    def _command_entities(text: str) -> list[dict[str, Any]]:
        if not text.startswith("/"):
            return []
        first = text.split(maxsplit=1)[0] if text.strip() else text
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(first)}]

    def _bot_message_for_reply(self, chat_id: int) -> dict[str, Any]:
        last = self._last_bot_message.get(chat_id)
        if last is not None:
            reply = copy.deepcopy(last)
            reply.pop("reply_to_message", None)
            return reply
        return {
            "message_id": self._new_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat_for_send(chat_id),
            "date": now() - 60,
            "text": "…",
        }

    def command(self, name: str, args: str = "", **kw: Any) -> int:
        text = "/" + name.lstrip("/") + (f" {args}" if args else "")
        return self.message(text, **kw)

    def edited_message(
        self, message_id: int, text: str, *, user_id: int = 1001, chat_id: int | None = None
    ) -> int:
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            old = self._messages.get((cid, message_id))
            msg: dict[str, Any] = (
                copy.deepcopy(old)
                if old is not None
                else {
                    "message_id": message_id,
                    "from": self._user(user_id),
                    "chat": self._chat(cid),
                    "date": now() - 60,
                }
            )
            msg["text"] = text
            msg.pop("entities", None)
            ents = self._command_entities(text)
            if ents:
                msg["entities"] = ents
            msg["edit_date"] = now()
            self._messages[(cid, message_id)] = msg
            return self.add_update({"edited_message": copy.deepcopy(msg)})

    def non_text(
        self, kind: str, *, user_id: int = 1001, chat_id: int | None = None, caption: str | None = None
    ) -> int:
        n = self._next_update_id
        fid = {"file_id": f"AgACAgIAAxkBAAIB{n}{kind}", "file_unique_id": f"AQAD{n}{kind[:3]}"}
        payloads: dict[str, Any] = {
            "sticker": {
                **fid,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "🙂",
            },
            "photo": [
                {**fid, "file_id": fid["file_id"] + "s", "width": 90, "height": 67, "file_size": 1200},
                {**fid, "width": 800, "height": 600, "file_size": 64000},
            ],
            "voice": {**fid, "duration": 3, "mime_type": "audio/ogg", "file_size": 12000},
            "document": {
                **fid,
                "file_name": "report.pdf",
                "mime_type": "application/pdf",
                "file_size": 34567,
            },
            "location": {"latitude": 52.52, "longitude": 13.405},
            "video": {**fid, "width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4"},
            "audio": {
                **fid,
                "duration": 120,
                "performer": "Artist",
                "title": "Song",
                "mime_type": "audio/mpeg",
            },
            "contact": {"phone_number": "+15550100", "first_name": "Bob", "user_id": 2002},
            "animation": {**fid, "width": 320, "height": 240, "duration": 2},
            "video_note": {**fid, "length": 240, "duration": 3},
            "dice": {"emoji": "🎲", "value": 3},
        }
        if kind not in payloads:
            raise ValueError(f"unknown non-text kind {kind!r}; choose from {sorted(payloads)}")
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(cid),
                "from": self._user(user_id),
                "chat": self._chat(cid),
                "date": now(),
                kind: payloads[kind],
            }
            if caption is not None and kind in ("photo", "voice", "document", "video", "audio", "animation"):
                msg["caption"] = caption
            self._messages[(cid, msg["message_id"])] = msg
            return self.add_update({"message": copy.deepcopy(msg)})

    def callback(
        self, data: str, *, user_id: int = 1001, chat_id: int | None = None, message_id: int | None = None
    ) -> int:
        with self._cond:
            cid = chat_id if chat_id is not None else user_id
            if message_id is None:
                last = self._last_bot_message.get(cid)
                if last is None:
                    raise ValueError(
                        f"the bot has not sent anything to chat {cid}; pass message_id explicitly"
                    )
                msg = copy.deepcopy(last)
            else:
                stored = self._messages.get((cid, message_id))
                msg = (
                    copy.deepcopy(stored)
                    if stored is not None
                    else {
                        "message_id": message_id,
                        "from": self.bot_user,
                        "chat": self._chat_for_send(cid),
                        "date": now() - 60,
                        "text": "…",
                    }
                )
            query_id = self._new_query_id()
            self._open_callback_queries[query_id] = {"data": data, "user_id": user_id, "chat_id": cid}
            query = {
                "id": query_id,
                "from": self._user(user_id),
                "message": msg,
                "chat_instance": str(-(abs(cid) * 7 + 3_141_592_653)),
                "data": data,
            }
            return self.add_update({"callback_query": query})

    def inline_query(self, query: str, *, user_id: int = 1001) -> int:
        with self._cond:
            query_id = self._new_query_id()
            self._open_inline_queries[query_id] = {"query": query, "user_id": user_id}
            return self.add_update(
                {
                    "inline_query": {
                        "id": query_id,
                        "from": self._user(user_id),
                        "query": query,
                        "offset": "",
                        "chat_type": "sender",
                    }
                }
            )

    def message_id_of(self, update_id: int) -> int:
        """The message_id of the (edited_)message / callback message carried by a scripted update."""
        with self._cond:
            update = self.update_history[update_id]
            for key in ("message", "edited_message", "channel_post"):
                if key in update:
                    return int(update[key]["message_id"])
            if "callback_query" in update:
                return int(update["callback_query"]["message"]["message_id"])
            raise KeyError(f"update {update_id} carries no message")
