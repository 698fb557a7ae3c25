"""Settings (pydantic-settings) and the redacting log filter."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_errors
from bot.logsafe import REDACTED, RedactingFilter
from fake_bot_api import TOKEN, TOKEN_SECRET


def load() -> Settings:
    return Settings()  # type: ignore[call-arg]


def errors_of(env: pytest.MonkeyPatch, **values: str) -> list[str]:
    for name, value in values.items():
        env.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        load()
    return describe_errors(caught.value)


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = load()
    assert settings.token == TOKEN
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.bot_mode == "polling" and settings.log_level == "INFO"
    assert settings.intents_path is None and settings.admin_user_ids == ()
    assert TOKEN_SECRET not in repr(settings) and TOKEN_SECRET not in str(settings.model_dump())
    assert settings.journal is True and settings.journal_path == Path("journal.sqlite3")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"ANALYTICS_DB": "/srv/bot/data/analytics.sqlite3"}, "/srv/bot/data/journal.sqlite3"),
        ({"ANALYTICS_DB": "/srv/a.sqlite3", "STATE_DIR": "/var/lib/bot"}, "/var/lib/bot/journal.sqlite3"),
        ({"STATE_DIR": "", "ANALYTICS_DB": ""}, "journal.sqlite3"),
    ],
)
def test_the_journal_lives_in_state_dir_else_beside_the_analytics_database(
    clean_env: pytest.MonkeyPatch, values: dict[str, str], expected: str
) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name, value in values.items():
        clean_env.setenv(name, value)
    assert load().journal_path == Path(expected)
    clean_env.setenv("JOURNAL", "off")
    assert load().journal is False


def test_env_file_and_parsing(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nBOT_MODE=Webhook\nWEBHOOK_URL=https://bot.example.org/tg/hook/\n"
        "WEBHOOK_SECRET=abc_DEF-123\nWEBHOOK_PORT=8443\nLOG_LEVEL=debug\nADMIN_USER_IDS=11, 22,33\n"
        "INTENTS_PATH=\nSOMETHING_ELSE=ignored\nTELEGRAM_API_BASE_URL=http://localhost:8081/bot/\n",
        encoding="utf-8",
    )
    settings = load()
    assert settings.bot_mode == "webhook" and settings.webhook_port == 8443
    assert settings.webhook_path == "tg/hook" and settings.log_level == "DEBUG"
    assert settings.admin_user_ids == (11, 22, 33) and settings.intents_path is None
    assert settings.telegram_api_base_url == "http://localhost:8081/bot"
    assert settings.base_file_url == "http://localhost:8081/file/bot"


@pytest.mark.parametrize("value", [None, "", "  "])
def test_missing_token(clean_env: pytest.MonkeyPatch, value: str | None) -> None:
    [sentence] = errors_of(clean_env) if value is None else errors_of(clean_env, TELEGRAM_BOT_TOKEN=value)
    assert sentence.startswith("TELEGRAM_BOT_TOKEN is not set")
    assert "@BotFather" in sentence and "dystonia-faq chat`" in sentence


@pytest.mark.parametrize("token", ["abc", "123:" + "x" * 10, TOKEN + "!", "bot" + TOKEN])
def test_malformed_token_is_never_echoed(clean_env: pytest.MonkeyPatch, token: str) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(ValidationError) as caught:
        load()
    [sentence] = describe_errors(caught.value)
    assert "does not look like a bot token" in sentence
    assert token not in sentence and token not in str(caught.value)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"BOT_MODE": "carrier-pigeon"}, "BOT_MODE is invalid"),
        ({"WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT is invalid"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT is invalid"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL is invalid"),
        ({"ADMIN_USER_IDS": "12,bob"}, "ADMIN_USER_IDS is invalid"),
        ({"TELEGRAM_API_BASE_URL": "api.telegram.org"}, "TELEGRAM_API_BASE_URL is invalid"),
        ({"BOT_MODE": "webhook"}, "WEBHOOK_URL must be set"),
        (
            {"BOT_MODE": "webhook", "WEBHOOK_URL": "http://insecure.example.org/x"},
            "WEBHOOK_URL must be an https:// address (Telegram posts webhooks only over HTTPS), not http://",
        ),
        (
            {"BOT_MODE": "webhook", "WEBHOOK_URL": "bot.example.org/x"},
            "WEBHOOK_URL must be an https:// address",
        ),
        ({"BOT_MODE": "webhook", "WEBHOOK_URL": "https://b.example.org/x"}, "WEBHOOK_SECRET must be set"),
        (
            {"BOT_MODE": "webhook", "WEBHOOK_URL": "https://b.example.org/x", "WEBHOOK_SECRET": "has spaces"},
            "WEBHOOK_SECRET must be set",
        ),
    ],
)
def test_bad_settings_are_one_clear_sentence(
    clean_env: pytest.MonkeyPatch, values: dict[str, str], expected: str
) -> None:
    [sentence] = errors_of(clean_env, TELEGRAM_BOT_TOKEN=TOKEN, **values)
    assert sentence.startswith(expected) and sentence.endswith(".")
    assert "\n" not in sentence and TOKEN_SECRET not in sentence


# ---------------------------------------------------------------------------------- log redaction


@pytest.fixture
def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([TOKEN]))
    logger = logging.getLogger("tests.bot.redaction")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_redacting_filter_covers_message_args_and_tracebacks(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.debug("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.info(f"token in the message itself: {TOKEN}")
    logger.warning(
        "another bot's URL: %s", "https://x/bot987654:ABCdefGHIjklMNOpqrSTUvwxYZ012345/sendMessage"
    )
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/getUpdates")
    except RuntimeError:
        logger.exception("with a traceback")
    logger.info("broken %d format", "not a number")
    output = stream.getvalue()
    assert TOKEN_SECRET not in output and "ABCdefGHI" not in output
    assert output.count(REDACTED) >= 4
    assert "https://api.telegram.org/bot[REDACTED]/getMe" in output
    assert "bot 123456789" not in output


def test_redact_leaves_ordinary_text_alone() -> None:
    redactor = RedactingFilter([TOKEN])
    for text in ("12:30 meeting", "ratio 3:2", "update 100000001 (message in chat 1001)"):
        assert redactor.redact(text) == text


def test_every_setting_is_explained_in_env_example() -> None:
    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, name
