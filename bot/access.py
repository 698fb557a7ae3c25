"""Who may use admin commands (/reload, /stats): the user ids in ADMIN_USER_IDS, nobody else."""

from __future__ import annotations

from typing import cast

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings

SETTINGS_KEY = "settings"


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return cast(Settings, context.bot_data[SETTINGS_KEY])


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True only for a user listed in ADMIN_USER_IDS; admin commands stay invisible to others."""
    user = update.effective_user
    return user is not None and user.id in settings_of(context).admin_user_ids
