"""Telegram misbehaving: getUpdates failing for a while, sendMessage answering 429, 5xx, 403, or
timing out. The bot recovers by itself and, per the policy in bot/sending.py, loses no answer."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

import pytest

from benchmarks.workload import expected_texts
from bot import texts
from bot.sending import ATTEMPTS
from fake_bot_api import FakeBotApi
from faq import Brain
from tests.harness import BOT_USERNAME, running_bot
from tests.knowledge import shared_brain
from tests.reliability_support import make_settings

QUESTIONS = ["what is dystonia", "wrtiers cramp", "is it hereditary", "/topics", "asdfgh"]


def queue_questions(api: FakeBotApi) -> dict[int, list[str]]:
    """One question from each of five users; what each must receive."""
    brain = shared_brain()
    expected = {}
    for user, text in enumerate(QUESTIONS, start=301):
        api.message(text, user_id=user)
        expected[user] = expected_texts(brain, text, BOT_USERNAME)
    return expected


@pytest.mark.slow(5)
@pytest.mark.parametrize(
    "break_polling",
    [
        pytest.param(lambda api: api.fail_next("getUpdates", 500, times=3), id="http-500"),
        pytest.param(lambda api: api.fail_next("getUpdates", 502, times=2), id="http-502"),
        pytest.param(lambda api: api.drop_connection("getUpdates", times=2), id="connection-reset"),
        pytest.param(lambda api: api.delay("getUpdates", 7.5), id="read-hangs-past-timeout"),
    ],
)
async def test_get_updates_failing_for_a_while_then_every_waiting_message_answered(
    clean_env: pytest.MonkeyPatch,
    api: FakeBotApi,
    brain: Brain,
    caplog: pytest.LogCaptureFixture,
    break_polling: Callable[[FakeBotApi], None],
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        await api.wait_for_async(lambda a: len(a.calls_of("getUpdates")) >= 1)
        break_polling(api)  # the next polls fail; meanwhile people keep writing
        await api.wait_for_async(lambda a: a.calls_of("getUpdates")[-1].status is None or bool(a.rejected))
        expected = queue_questions(api)
        total = sum(len(v) for v in expected.values())
        await api.wait_until_sent_async(total, timeout=20)
        await bot.settle()
    for user, texts_ in expected.items():
        assert [m["text"] for m in api.sent(user)] == texts_  # each once, none lost
    assert len(api.sent()) == total
    polls = api.calls_of("getUpdates")
    failed = [c for c in polls if c.status != 200]
    assert failed, "the fault was not hit"
    for earlier, later in itertools.pairwise(failed):  # backing off, not hammering
        assert later.at - earlier.at >= 0.9
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_429_without_the_rate_limiter_waits_and_delivers_once(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    async with running_bot(api, brain, make_settings(api, rate_limiter=False)) as bot:
        api.fail_next("sendMessage", 429, retry_after=1)
        reply = await bot.ask("what is writer's cramp")
        await bot.settle()
    assert reply["text"].startswith("<b>Writer's cramp</b>")
    attempts = api.calls_of("sendMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert len(api.sent()) == 1


@pytest.mark.slow(3)
async def test_5xx_is_retried_a_bounded_number_of_times(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.fail_next("sendMessage", 500, times=ATTEMPTS - 1)
        reply = await bot.ask("what is writer's cramp")  # the last try gets through
        assert reply["text"].startswith("<b>Writer's cramp</b>")
        assert [c.status for c in api.calls_of("sendMessage")] == [500] * (ATTEMPTS - 1) + [200]
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

        api.fail_next("sendMessage", 503, times=ATTEMPTS)
        apology = await bot.ask("what is writer's cramp", user_id=2)  # every try fails: give up
        await bot.settle()
    assert apology["text"] == texts.APOLOGY
    statuses = [c.status for c in api.calls_of("sendMessage") if c.params["chat_id"] == 2]
    assert statuses == [503] * ATTEMPTS + [200]  # no more tries than ATTEMPTS, then the apology
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1  # logged once


async def test_403_blocked_user_skipped_and_logged_once_others_unaffected(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.block_user(666)
        api.message("what is dystonia", user_id=666)
        expected = queue_questions(api)
        await api.wait_until_sent_async(sum(len(v) for v in expected.values()))
        await bot.settle()
    for user, texts_ in expected.items():
        assert [m["text"] for m in api.sent(user)] == texts_
    to_blocked = [c for c in api.calls if c.params.get("chat_id") == 666]
    assert [c.status for c in to_blocked] == [403]  # tried once: no retry, no apology
    logged = [r for r in caplog.records if "Not delivered" in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# Policy for a send whose outcome is unknown (timed out, or the answer lost on the way back):
# send it again. At least once, never lost; a possible duplicate is the price, and is counted here.


async def test_send_whose_answer_was_lost_is_sent_again_one_duplicate_no_loss(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.drop_connection("sendMessage", processed=True)  # delivered, but the bot never hears so
        await bot.expect(lambda: api.message("what is writer's cramp"), n=2)
        await bot.settle()
    first, second = api.sent()
    assert first == second and first["text"].startswith("<b>Writer's cramp</b>")  # a duplicate
    assert texts.APOLOGY not in [m["text"] for m in api.sent()]


async def test_send_that_never_arrived_is_sent_again_exactly_once(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.drop_connection("sendMessage")  # the connection breaks before Telegram does anything
        reply = await bot.ask("what is writer's cramp")
        await bot.settle()
    assert reply["text"].startswith("<b>Writer's cramp</b>")
    assert [c.status for c in api.calls_of("sendMessage")] == [0, 200]
    assert len(api.sent()) == 1


@pytest.mark.slow(6)
async def test_send_that_timed_out_is_sent_again(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.delay("sendMessage", 5.5)  # longer than PTB's 5 s read timeout; Telegram delivers late
        await bot.expect(lambda: api.message("what is writer's cramp"), n=1, chat_id=1001)
        await api.wait_until_sent_async(2, timeout=10)  # the late original arrives too
        await bot.settle()
    sent = api.sent()
    assert len(sent) == 2 and sent[0]["text"] == sent[1]["text"]  # one duplicate, nothing lost
    assert any("Timed out" in r.getMessage() for r in caplog.records if r.name == "bot.sending")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
