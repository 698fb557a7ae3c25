"""Failures on Telegram's side, the error handler, log hygiene and webhook mode."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from bot import texts
from bot.app import build_application, webhook_options
from bot.config import Settings
from bot.sending import ATTEMPTS
from fake_bot_api import TOKEN, FakeBotApi
from faq import Brain
from tests.harness import Driver, assert_token_absent, free_port


async def test_429_is_retried_by_the_rate_limiter_and_delivered_once(bot: Driver) -> None:
    bot.api.fail_next("sendMessage", 429, retry_after=1)
    reply = await bot.ask("what is writer's cramp")
    assert reply["text"].startswith("<b>Writer's cramp</b>")
    await bot.settle()
    attempts = bot.api.calls_of("sendMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # waited as told
    assert len(bot.api.sent()) == 1
    assert [c.status for c in bot.api.rejected] == [429]


async def test_blocked_user_is_logged_at_info_and_others_still_served(
    bot: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    bot.api.block_user(2002)
    bot.api.message("what is dystonia", user_id=2002)
    reply = await bot.ask("what is writer's cramp")  # another user, queued after the blocked one
    assert reply["chat_id"] == 1001
    await bot.settle()
    blocked = [r for r in caplog.records if r.name == "bot.errors" and "Not delivered" in r.getMessage()]
    assert [r.levelno for r in blocked] == [logging.INFO]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [c.params["chat_id"] for c in bot.api.rejected] == [2002]  # no apology attempted either
    assert [c.status for c in bot.api.rejected] == [403]


@pytest.mark.slow(1.5)
async def test_handler_failure_is_logged_once_and_the_user_gets_an_apology(
    bot: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    bot.api.fail_next("sendMessage", 500, times=ATTEMPTS)  # every try fails
    apology = await bot.ask("what is writer's cramp")
    assert apology["text"] == texts.APOLOGY
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "bot.errors" and errors[0].exc_info is not None
    assert "(message in chat 1001) in question" in errors[0].getMessage()
    again = await bot.ask("what is writer's cramp")  # still serving
    assert again["text"].startswith("<b>Writer's cramp</b>")
    assert [c.status for c in bot.api.rejected] == [500] * ATTEMPTS


async def test_token_absent_from_debug_logs_of_a_full_conversation(
    bot: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    await bot.expect(lambda: api.command("start"))
    await bot.expect(lambda: api.command("topics"))
    await bot.expect(lambda: api.callback("1p:1"))
    await bot.ask("wrtiers cramp")
    await bot.expect(lambda: api.callback("garbage"))
    api.fail_next("sendMessage", 500)  # a traceback in the log
    await bot.ask("what is dystonia")
    api.drop_connection("sendMessage")  # a network error, with its URL-bearing request behind it
    await bot.ask("what is dystonia")
    await bot.settle()
    assert any(r.levelno == logging.DEBUG for r in caplog.records)  # really captured at DEBUG
    assert_token_absent(caplog)


# ---------------------------------------------------------------------------------- webhook mode


def update_json(text: str, update_id: int = 1) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10 + update_id,
            "date": 1_700_000_000,
            "chat": {"id": 1001, "type": "private", "first_name": "Ann"},
            "from": {"id": 1001, "is_bot": False, "first_name": "Ann"},
            "text": text,
        },
    }


async def test_webhook_rejects_requests_without_the_secret(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = free_port()
    for name, value in {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/telegram/hook",
        "WEBHOOK_SECRET": "s3cret-Token_42",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }.items():
        clean_env.setenv(name, value)
    settings = Settings()  # type: ignore[call-arg]
    app = build_application(settings, brain)
    url = f"http://127.0.0.1:{port}/telegram/hook"
    async with app:
        assert app.updater is not None and app.post_init is not None
        await app.post_init(app)
        await app.start()
        await app.updater.start_webhook(**webhook_options(settings))  # what run_webhook does
        try:
            [set_webhook] = api.calls_of("setWebhook")
            assert set_webhook.params["url"] == "https://bot.example.org/telegram/hook"
            assert set_webhook.params["secret_token"] == "s3cret-Token_42"
            async with httpx.AsyncClient() as client:
                missing = await client.post(url, json=update_json("what is dystonia", 1))
                wrong = await client.post(
                    url,
                    json=update_json("what is dystonia", 2),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
                )
                assert (missing.status_code, wrong.status_code) == (403, 403)
                good = await client.post(
                    url,
                    json=update_json("what is writer's cramp", 3),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_42"},
                )
                assert good.status_code == 200
            [reply] = await api.wait_until_sent_async(1)
            assert reply["text"].startswith("<b>Writer's cramp</b>")
        finally:
            await app.updater.stop()
            await app.stop()
    assert len(api.sent()) == 1
    assert api.rejected == []
    assert_token_absent(caplog)
