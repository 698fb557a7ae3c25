"""/reload: reload intents.yaml now, for the user ids in ADMIN_USER_IDS only.

For anyone else the command does not exist: they get exactly the unknown-command reply. It is
not in the command menu either.
"""

from __future__ import annotations

from telegram import Update

from bot import render, replies, texts
from bot.access import is_admin
from bot.state import Context


async def reload_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:  # only registered for messages
        return
    if not is_admin(update, context):
        await replies.unknown_command(message)
        return
    user = update.effective_user
    result = await context.bot_data.reloader.reload(f"/reload by user {user.id if user else '?'}")
    if result.ok:
        text = texts.RELOADED.format(
            path=render.escape(str(result.path)), intents=result.intents, previous=result.previous
        )
        await replies.send(message.chat, [(text, None)])
        return
    head = [texts.RELOAD_REFUSED.format(path=render.escape(str(result.path)))]
    await replies.send(message.chat, render.compose(str(result.error), head=head, keyboard=None))
