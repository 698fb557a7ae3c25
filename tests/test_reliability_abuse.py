"""Abuse: one user flooding the bot is throttled (one friendly notice per streak) and cannot slow
it down for others; forged or stale button data gets a polite note and nothing else."""

from __future__ import annotations

import logging
import time

import pytest

from benchmarks.workload import expected_texts
from bot import texts
from bot.throttle import PRUNE_EVERY, Throttle, Verdict
from fake_bot_api import FakeBotApi
from faq import Brain
from tests.harness import BOT_USERNAME, running_bot
from tests.reliability_support import make_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_burst_refill_and_one_notice_per_streak() -> None:
    clock = Clock()
    throttle = Throttle(burst=5, rate=1.0, clock=clock)
    verdicts = [throttle.check(1) for _ in range(8)]
    assert verdicts == [Verdict.ALLOW] * 5 + [Verdict.NOTICE, Verdict.DROP, Verdict.DROP]
    assert throttle.check(2) is Verdict.ALLOW  # per user
    clock.now += 1.0  # one token back
    assert throttle.check(1) is Verdict.ALLOW  # ends the streak...
    assert [throttle.check(1) for _ in range(2)] == [Verdict.NOTICE, Verdict.DROP]  # ...a new one
    clock.now += 100
    assert [throttle.check(1) for _ in range(6)] == [Verdict.ALLOW] * 5 + [Verdict.NOTICE]  # capped


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    throttle = Throttle(burst=5, rate=1.0, clock=clock)
    for user in range(PRUNE_EVERY - 1):
        throttle.check(user)
    assert len(throttle) == PRUNE_EVERY - 1
    clock.now += 5.0  # everyone's bucket is full again
    throttle.check(-1)  # the PRUNE_EVERY-th check sweeps
    assert len(throttle) == 1


async def test_a_flooding_user_is_throttled_with_one_notice_and_others_are_served(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(api, throttle_burst=5, throttle_per_second=1.0, rate_limiter=False)
    async with running_bot(api, brain, settings) as bot:
        start = time.monotonic()
        for i in range(40):
            api.message("what is dystonia", user_id=666)
            if i % 8 == 0:
                api.message("what is writer's cramp", user_id=700 + i)
        others = [700 + i for i in range(0, 40, 8)]
        await api.wait_for_async(lambda a: all(a.sent(u) for u in others), timeout=5)
        served_in = time.monotonic() - start
        await bot.settle()
    flood = [m["text"] for m in api.sent(666)]
    answer = expected_texts(brain, "what is dystonia", BOT_USERNAME)[0]
    assert flood == [answer] * 5 + [texts.THROTTLED]  # 5 answered (the burst), one notice, quiet
    for user in others:
        assert [m["text"] for m in api.sent(user)] == expected_texts(
            brain, "what is writer's cramp", BOT_USERNAME
        )
    assert served_in < 2.0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_button_flood_is_throttled_and_every_query_still_answered(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    settings = make_settings(api, throttle_burst=2, throttle_per_second=0.5)
    async with running_bot(api, brain, settings) as bot:
        await bot.ask("/topics")  # 1 token
        for _ in range(4):
            api.callback("1t:treatment")
        await bot.settle()
    assert len(api.answered_callback_queries) == 4  # no spinner left hanging
    toasts = [q.get("text") for q in api.answered_callback_queries.values()]
    assert toasts.count(texts.THROTTLED) == 1
    assert len(api.sent()) == 2  # /topics and one answer: the rest were throttled


async def test_admins_are_not_throttled(clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain) -> None:
    settings = make_settings(api, throttle_burst=1, admin_user_ids=(9,))
    async with running_bot(api, brain, settings) as bot:
        for _ in range(4):
            api.message("what is dystonia", user_id=9)
        await api.wait_until_sent_async(4, chat_id=9)
        await bot.settle()
    assert texts.THROTTLED not in [m["text"] for m in api.sent(9)]


async def test_group_chatter_not_meant_for_the_bot_costs_nothing(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    settings = make_settings(api, throttle_burst=1)
    async with running_bot(api, brain, settings) as bot:
        for _ in range(5):
            api.message("just chatting in the group", user_id=3, chat_type="group")
        reply = await bot.ask(f"@{BOT_USERNAME} what is dystonia", user_id=3, chat_type="group")
        await bot.settle()
    assert reply["text"] != texts.THROTTLED
    assert len(api.sent()) == 1


FORGED = [
    "",
    "1",
    "1x",
    "1t:",
    "1t:Not_An_Id",
    "1t:no_such_topic",
    "1p:-1",
    "1p:01",
    "1p:99999",
    "1n:extra",
    "1a:extra",
    "1q:",
    "1q:   ",
    "0t:treatment",
    "2t:treatment",
    "t:treatment",
    "1t:treatment\n",
    "<b>hi</b>",
    "1c:short:treatment",
    "1f:AAAAAAAA:treatment:?",
    "1f:AAAAAAAA:treatment",
    "🙂" * 16,
    "x" * 64,
]


async def test_forged_or_stale_button_data_gets_only_a_polite_note(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        await bot.ask("/topics")
        for data in FORGED:
            if data:  # Telegram never sends empty data; the stand-in would accept it though
                api.callback(data)
        await bot.settle()
    replies = [m["text"] for m in api.sent()][1:]
    assert set(replies) <= {texts.STALE_BUTTON}, replies
    assert len(api.answered_callback_queries) == len(FORGED) - 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert api.rejected == []
