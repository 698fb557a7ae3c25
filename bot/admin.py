"""/reload: reload intents.yaml now, for the user ids in ADMIN_USER_IDS only.

For anyone else the command does not exist: they get exactly the unknown-command reply. It is
not in the command menu either.
"""

from __future__ import annotations

from typing import cast

from telegram import Message, Update

from bot import handlers, render, texts
from bot.access import is_admin
from bot.reload import RELOADER_KEY, Reloader


async def reload_command(update: Update, context: handlers.Context) -> None:
    if not is_admin(update, context):
        await handlers.unknown_command(update, context)
        return
    message = cast(Message, update.effective_message)
    reloader = cast(Reloader, context.bot_data[RELOADER_KEY])
    user = update.effective_user
    result = await reloader.reload(f"/reload by user {user.id if user else '?'}")
    if result.ok:
        text = texts.RELOADED.format(
            path=render.escape(str(result.path)), intents=result.intents, previous=result.previous
        )
        await handlers.send(message.chat, [(text, None)])
        return
    head = [texts.RELOAD_REFUSED.format(path=render.escape(str(result.path)))]
    await handlers.send(message.chat, render.compose(str(result.error), head=head, keyboard=None))
