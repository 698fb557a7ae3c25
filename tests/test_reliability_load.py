"""Many people at once: a burst of 200 users is answered completely and correctly (not timed: the
figures come from `python -m benchmarks.bot_load`), each chat in order, one slow chat blocking
no one."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from pathlib import Path

import pytest
from telegram import Chat, Message, Update

from benchmarks.workload import expected_texts, question_mix
from bot.journal import JournalFile
from bot.processing import OneAtATimeProcessor, PerChatOrderedProcessor
from fake_bot_api import FakeBotApi
from faq import Brain
from tests.harness import BOT_USERNAME, running_bot
from tests.reliability_support import make_settings


@pytest.mark.slow(2.5)
async def test_burst_of_200_users_each_answered_exactly_once_correctly(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    questions = question_mix(200)
    users = range(50_001, 50_201)
    settings = make_settings(api, rate_limiter=False)  # 200 chats at Telegram's 30/s would take 7 s
    async with running_bot(api, brain, settings) as bot:
        assert isinstance(bot.app.update_processor, PerChatOrderedProcessor)
        for user, text in zip(users, questions, strict=True):
            api.message(text, user_id=user)
        expected = {u: expected_texts(brain, q, BOT_USERNAME) for u, q in zip(users, questions, strict=True)}
        total = sum(len(parts) for parts in expected.values())
        await api.wait_until_sent_async(total, timeout=60)
        await bot.settle()
    for user in users:
        got = [m["text"] for m in api.sent(user)]
        assert got == expected[user], (user, questions[user - users[0]])
    assert len(api.sent()) == total  # nothing else, nothing twice
    assert api.rejected == [] and api.errors == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_one_chat_is_answered_in_order(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    questions = ["what is dystonia", "wrtiers cramp", "/topics", "is it hereditary", "asdfgh", "/about"]
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.delay("sendMessage", 0.3)  # the first answer is slow: the others must still wait for it
        for text in questions:
            api.message(text, user_id=7)
        expected = [t for q in questions for t in expected_texts(brain, q, BOT_USERNAME)]
        await api.wait_until_sent_async(len(expected), chat_id=7)
        await bot.settle()
    sends = [c for c in api.calls_of("sendMessage") if c.ok and c.params["chat_id"] == 7]
    delivered = sorted(sends, key=lambda c: c.response["message_id"])  # Telegram's order, not arrival
    assert [c.params["text"] for c in delivered] == expected


@pytest.mark.slow(2)
async def test_a_slow_chat_does_not_hold_up_the_others(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain
) -> None:
    async with running_bot(api, brain, make_settings(api)) as bot:
        api.delay("sendMessage", 2.0)  # the first send takes 2 s (Telegram being slow for one chat)
        api.message("what is dystonia", user_id=1)
        await api.wait_for_async(lambda a: bool(a.calls_of("sendMessage")))
        start = time.monotonic()
        for user in range(2, 12):
            api.message("what is writer's cramp", user_id=user)
        await api.wait_for_async(lambda a: all(a.sent(u) for u in range(2, 12)), timeout=5)
        assert time.monotonic() - start < 1.5  # not queued behind the slow one
        await api.wait_until_sent_async(1, chat_id=1)
        await bot.settle()


async def test_one_at_a_time_with_the_journal_answers_in_order_and_records_every_answer(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, tmp_path: Path
) -> None:
    questions = ["what is dystonia", "wrtiers cramp", "/about", "is it hereditary"] * 5
    settings = make_settings(api, rate_limiter=False, concurrent_updates=1)
    async with running_bot(api, brain, settings) as bot:
        assert isinstance(bot.app.update_processor, OneAtATimeProcessor)
        for text in questions:
            for user in (31, 32, 33):
                api.message(text, user_id=user)
        expected = [t for q in questions for t in expected_texts(brain, q, BOT_USERNAME)]
        for user in (31, 32, 33):
            await api.wait_until_sent_async(len(expected), chat_id=user)
        await bot.settle()
    for user in (31, 32, 33):
        assert [m["text"] for m in api.sent(user)] == expected
    journal = JournalFile(tmp_path / "journal.sqlite3")  # closed by the bot's shutdown
    try:
        assert journal.counts() == (0, 3 * len(questions))  # nothing waiting, every answer recorded
    finally:
        journal.close()


async def test_a_flood_from_one_chat_holds_no_slots() -> None:
    """Updates waiting for their chat's turn take none of the `limit` concurrent slots."""
    processor = PerChatOrderedProcessor(limit=2)
    release = asyncio.Event()
    order: list[tuple[int, int]] = []

    async def work(chat: int, n: int, wait: bool) -> None:
        if wait:
            await release.wait()
        order.append((chat, n))

    def update(chat_id: int) -> Update:
        return Update(1, message=Message(1, dt.datetime.now(dt.UTC), Chat(chat_id, "private")))

    flood = [
        asyncio.create_task(processor.process_update(update(1), work(1, i, wait=True))) for i in range(20)
    ]
    await asyncio.sleep(0.05)
    assert processor.waiting_chats == 1
    other = asyncio.create_task(processor.process_update(update(2), work(2, 0, wait=False)))
    await asyncio.wait_for(other, 1)  # got a slot while chat 1's twenty updates wait in line
    release.set()
    await asyncio.gather(*flood)
    assert [n for chat, n in order if chat == 1] == list(range(20))
    assert processor.waiting_chats == 0
