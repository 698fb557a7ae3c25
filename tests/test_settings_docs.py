"""One list of settings: the README's table, `.env.example` and the settings classes name the
same environment variables, so none is missing from the documentation or documented but unread."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings
from faq.analytics.settings import AnalyticsSettings

ROOT = Path(__file__).parent.parent


def readme_table() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)


def env_example() -> list[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)


def settings_classes() -> set[str]:
    analytics = {str(field.validation_alias) for field in AnalyticsSettings.model_fields.values()}
    return {name.upper() for name in Settings.model_fields} | analytics


def test_the_readme_table_env_example_and_settings_classes_name_the_same_variables() -> None:
    table, example, read = readme_table(), env_example(), settings_classes()
    assert len(table) == len(set(table)), "each variable has one row in the README's settings table"
    assert len(example) == len(set(example)), "each variable appears once in .env.example"
    assert set(table) == read, "README table vs the settings classes"
    assert set(example) == read, ".env.example vs the settings classes"
    assert {"RATE_LIMITER", "CONCURRENT_UPDATES", "THROTTLE_BURST", "RELOAD_POLL_SECONDS"} <= set(table)
