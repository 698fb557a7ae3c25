"""The curator's loop through the real Application, against the stand-in Bot API (issue #5).

Questions, "did you mean" choices and 👍/👎 taps end up in the analytics SQLite file, which is read
back with sqlite3 after `store.flush()`; /privacy and /stats; a broken database or ANALYTICS=off.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import analytics, texts
from bot.config import Settings
from fake_bot_api import TOKEN, FakeBotApi, buttons, callback_data, urls
from faq import Brain, Outcome
from faq.analytics import AnalyticsStore, load_report
from tests.harness import BOT_USERNAME, Driver, assert_token_absent, running_bot

ADMIN = 4242
# Distinctive, so that finding them anywhere in the database means they were stored.
USER, OTHER_USER = 918273645, 827364519
FIRST_NAME, OTHER_NAME = "Zebediah", "Philomena"
GROUP = -1_005_554_443_331
CLARIFYING = ("cramp", "muscles", "spasm", "children", "twisting", "shaking")
UNKNOWN = "what's the weather in Paris"


def make_settings(env: pytest.MonkeyPatch, api: FakeBotApi, **extra: str) -> Settings:
    env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    env.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    env.setenv("ADMIN_USER_IDS", str(ADMIN))
    env.setenv("THROTTLE_BURST", "0")  # these conversations are faster than any person (issue #4)
    for name, value in extra.items():
        env.setenv(name, value)
    return Settings()  # type: ignore[call-arg]  # from the environment, like main()


@pytest.fixture
def store(tmp_path: Path) -> AnalyticsStore:
    return AnalyticsStore(tmp_path / "analytics.sqlite3", salt="test-salt")


@pytest.fixture
async def curated(
    clean_env: pytest.MonkeyPatch,
    api: FakeBotApi,
    brain: Brain,
    store: AnalyticsStore,
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[Driver]:
    caplog.set_level(logging.DEBUG)
    async with running_bot(api, brain, make_settings(clean_env, api), store) as driver:
        yield driver
    assert_token_absent(caplog)


def store_of(bot: Driver) -> AnalyticsStore:
    return bot.app.bot_data.analytics


def message_id(bot: Driver, params: dict[str, Any]) -> int:
    call = next(c for c in bot.api.calls_of("sendMessage") if c.params == params)
    return int(call.response["message_id"])


def clarifying_question(brain: Brain) -> str:
    return next(q for q in CLARIFYING if brain.reply(q).outcome is Outcome.CLARIFY)


async def tap(bot: Driver, data: str, *, chat_id: int = USER, msg: dict[str, Any] | None = None) -> str:
    """Tap a button that sends no message (👍/👎); returns the toast the callback query got."""
    before = len(bot.api.answered_callback_queries)
    mid = message_id(bot, msg) if msg is not None else None
    bot.api.callback(data, user_id=chat_id if chat_id > 0 else USER, chat_id=chat_id, message_id=mid)
    await bot.api.wait_for_async(lambda api: len(api.answered_callback_queries) > before)
    await bot.settle()  # the keyboard edit follows the toast
    return str(list(bot.api.answered_callback_queries.values())[-1].get("text"))


def feedback_data(params: dict[str, Any]) -> list[str]:
    return [d for d in callback_data(params) if d.startswith("1f:")]


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def all_text(db: Path) -> str:
    """Every value of every table, as text."""
    conn = sqlite3.connect(db)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(row) for table in tables for row in conn.execute(f"SELECT * FROM {table}"))
    finally:
        conn.close()


# ---------------------------------------------------------------------------------- the loop


async def test_conversation_produces_exactly_the_expected_rows(
    curated: Driver, store: AnalyticsStore, brain: Brain
) -> None:
    bot, api = curated, curated.api
    me = {"user_id": USER, "first_name": FIRST_NAME}

    # An answer; 👍, then a second tap on the same answer is refused politely.
    answer = await bot.ask("what is writer's cramp", **me)
    up, down = feedback_data(answer)
    token_a = up.split(":")[1]
    assert (up, down) == (f"1f:{token_a}:writers_cramp:+", f"1f:{token_a}:writers_cramp:-")
    assert [b["text"] for b in buttons(answer)][-2:] == [texts.HELPFUL_BUTTON, texts.NOT_HELPFUL_BUTTON]
    sent = len(api.sent())
    assert await tap(bot, up, msg=answer) == texts.FEEDBACK_THANKS
    [edit] = api.calls_of("editMessageReplyMarkup")
    assert edit.ok and edit.params["message_id"] == message_id(bot, answer)
    kept = {"inline_keyboard": answer["reply_markup"]["inline_keyboard"][:-1]}  # links, related
    assert edit.params["reply_markup"] == kept and urls(edit.params) == urls(answer)
    assert await tap(bot, down, msg=answer) == texts.FEEDBACK_ALREADY
    assert len(api.sent()) == sent  # acknowledged quietly: no new message

    # "Did you mean": tap a candidate, then 👎 on the answer it opens.
    question = clarifying_question(brain)
    candidates = brain.reply(question).candidates
    clarify = await bot.ask(question, **me)
    token_c = callback_data(clarify)[0].split(":")[1]
    assert callback_data(clarify) == [f"1c:{token_c}:{t.id}" for t in candidates] + [f"1c:{token_c}:-"]
    [chosen] = await bot.expect(lambda: api.callback(f"1c:{token_c}:{candidates[0].id}", user_id=USER))
    assert chosen["text"].startswith(f"<b>{html.escape(candidates[0].title, quote=False)}</b>")
    _, chosen_down = feedback_data(chosen)
    token_e = chosen_down.split(":")[1]
    assert token_e not in (token_a, token_c)
    assert await tap(bot, chosen_down, msg=chosen) == texts.FEEDBACK_THANKS

    # Another person: "None of these", then a question nobody can answer, then one in a group.
    other = {"user_id": OTHER_USER, "first_name": OTHER_NAME}
    clarify2 = await bot.ask(question, **other)
    token_d = callback_data(clarify2)[0].split(":")[1]
    [fallback] = await bot.expect(
        lambda: api.callback(f"1c:{token_d}:-", user_id=OTHER_USER), chat_id=OTHER_USER
    )
    assert fallback["text"].startswith(html.escape(brain.kb.messages.fallback[:30], quote=False))
    unknown = await bot.ask(UNKNOWN, **other)
    assert feedback_data(unknown) == [] and all(d.startswith("1t:") for d in callback_data(unknown))
    in_group = await bot.ask(
        f"@{BOT_USERNAME} what is writer's cramp", chat_id=GROUP, chat_type="supergroup", **other
    )
    token_g = feedback_data(in_group)[0].split(":")[1]

    assert await asyncio.to_thread(store.flush)
    db = store.path
    assert rows(db, "SELECT token, outcome, text, intent, offered FROM questions ORDER BY id") == [
        (token_a, "answer", "what is writer's cramp", "writers_cramp", "[]"),
        (token_c, "clarify", question, None, json.dumps([t.id for t in candidates])),
        (token_d, "clarify", question, None, json.dumps([t.id for t in candidates])),
        (
            rows(db, "SELECT token FROM questions WHERE outcome = 'fallback'")[0][0],
            "fallback",
            UNKNOWN,
            None,
            "[]",
        ),
        (token_g, "answer", "what is writer's cramp", "writers_cramp", "[]"),
    ]
    assert rows(db, "SELECT COUNT(DISTINCT user_hash) FROM questions") == [(2,)]
    assert sorted(rows(db, "SELECT token, intent FROM choices"), key=str) == sorted(
        [(token_c, candidates[0].id), (token_d, None)], key=str
    )
    assert sorted(rows(db, "SELECT token, intent, vote FROM feedback")) == sorted(
        [(token_a, "writers_cramp", 1), (token_e, candidates[0].id, -1)]
    )
    assert dict(rows(db, "SELECT outcome, count FROM daily_counts")) == {
        "answer": 2,
        "clarify": 2,
        "fallback": 1,
    }

    # Privacy: no user id, chat id or name anywhere, neither in the values nor in the raw files.
    stored = all_text(db)
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    for secret in (USER, OTHER_USER, GROUP, abs(GROUP), FIRST_NAME, OTHER_NAME):
        assert str(secret) not in stored, secret
        assert str(secret).encode() not in raw, secret
    assert api.rejected == []


async def test_topic_buttons_get_feedback_with_a_fresh_token_but_small_talk_and_inline_do_not(
    curated: Driver, store: AnalyticsStore
) -> None:
    bot, api = curated, curated.api
    listing = (await bot.expect(lambda: api.command("topics")))[0]
    assert feedback_data(listing) == []
    [answer] = await bot.expect(lambda: api.callback("1t:treatment"))
    [up, _] = feedback_data(answer)
    assert up.endswith(":treatment:+")
    related = next(d for d in callback_data(answer) if d.startswith("1t:"))
    [second] = await bot.expect(lambda: api.callback(related))
    assert feedback_data(second)[0].split(":")[1] != up.split(":")[1]  # one token per answer

    hello = await bot.ask("hello")
    assert bot.brain.reply("hello").outcome is Outcome.ANSWER and feedback_data(hello) == []

    api.inline_query("writer's cramp")
    await api.wait_for_async(lambda a: len(a.answered_inline_queries) == 1)
    [results] = [q["results"] for q in api.answered_inline_queries.values()]
    assert results and not any(
        "callback_data" in b
        for r in results
        for row in (r.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    )
    assert await asyncio.to_thread(store.flush)
    assert rows(store.path, "SELECT text FROM questions") == [("hello",)]  # buttons are not questions
    assert api.rejected == []


async def test_feedback_in_a_group_and_a_double_tap_count_once(
    curated: Driver, store: AnalyticsStore
) -> None:
    api = curated.api
    answer = await curated.ask(
        f"@{BOT_USERNAME} what is writer's cramp", chat_id=GROUP, chat_type="supergroup"
    )
    up, down = feedback_data(answer)
    mid = message_id(curated, answer)
    before = len(api.answered_callback_queries)
    api.callback(down, user_id=USER, chat_id=GROUP, message_id=mid)  # two people, at once
    api.callback(up, user_id=OTHER_USER, chat_id=GROUP, message_id=mid)
    await api.wait_for_async(lambda a: len(a.answered_callback_queries) == before + 2)
    await curated.settle()
    toasts = [q.get("text") for q in list(api.answered_callback_queries.values())[before:]]
    assert sorted(toasts, key=str) == sorted([texts.FEEDBACK_THANKS, texts.FEEDBACK_ALREADY])
    assert len(api.sent()) == 1  # only the answer: taps never send messages, in groups neither
    assert await asyncio.to_thread(store.flush)
    [(intent, vote)] = rows(store.path, "SELECT intent, vote FROM feedback")  # the first tap's
    assert intent == "writers_cramp" and vote in (-1, 1)


@pytest.mark.parametrize(
    "data",
    [
        "1f",
        "1f:",
        "1f:short:writers_cramp:+",  # not a store token
        "1f:AAAAAAAA:writers_cramp:x",
        "1f:AAAAAAAA:writers_cramp",
        "1f:AAAAAAAA:writers_cramp:+:extra",
        "1f:AAAAAAAA:Bad-Intent:+",
        "1f:AAAAAAAA:no_such_intent:+",  # well formed, but no such answer (e.g. removed on reload)
        "1f:AAAAAAAA:" + "a" * 60 + ":+",
    ],
)
async def test_forged_or_stale_feedback_gets_the_stale_note_quietly(
    curated: Driver, store: AnalyticsStore, data: str
) -> None:
    answer = await curated.ask("what is writer's cramp")
    sent = len(curated.api.sent())
    assert await tap(curated, data, msg=answer) == texts.STALE_BUTTON
    assert len(curated.api.sent()) == sent and curated.api.calls_of("editMessageReplyMarkup") == []
    assert await asyncio.to_thread(store.flush)
    assert rows(store.path, "SELECT * FROM feedback") == []
    assert curated.api.rejected == []


@pytest.mark.parametrize("data", ["1c:short:writers_cramp", "1c:AAAAAAAA:no_such_intent", "1c:AAAAAAAA"])
async def test_forged_or_stale_choices_get_the_stale_note(
    curated: Driver, store: AnalyticsStore, data: str
) -> None:
    await curated.ask("what is writer's cramp")
    [note] = await curated.expect(lambda: curated.api.callback(data))
    assert note["text"] == texts.STALE_BUTTON
    assert await asyncio.to_thread(store.flush)
    assert rows(store.path, "SELECT * FROM choices") == []


async def test_all_callback_data_fits_telegram(curated: Driver, brain: Brain) -> None:
    for question in ("what is writer's cramp", clarifying_question(brain), UNKNOWN, "what is dystonia"):
        await curated.ask(question)
    data = [d for params in curated.api.sent() for d in callback_data(params)]
    assert any(d.startswith("1f:") for d in data) and any(d.startswith("1c:") for d in data)
    assert all(len(d.encode()) <= 64 for d in data)


# ---------------------------------------------------------------------------------- commands


async def test_privacy_says_what_is_kept_and_for_how_long(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, tmp_path: Path
) -> None:
    settings = make_settings(clean_env, api, ANALYTICS_RETENTION_DAYS="30")
    async with running_bot(api, brain, settings) as bot:  # the store from the environment
        [message] = await bot.expect(lambda: api.command("privacy"))
        store = store_of(bot)
    assert message["text"].startswith(html.escape(store.privacy_text(), quote=False) + "\n\n")
    assert "Voice notes" in message["text"]  # and what happens to them: tests/test_bot_voice.py
    assert "deleted after 30 days" in message["text"] and "Telegram id" in message["text"]
    assert store.path == Path("analytics.sqlite3") and (tmp_path / "analytics.sqlite3").is_file()
    assert "privacy" in [c["command"] for c in api.commands[('{"type": "default"}', "")]]
    assert "stats" not in [c["command"] for c in api.commands[('{"type": "default"}', "")]]


async def test_stats_for_an_admin_is_the_summary_computed_off_the_event_loop(
    curated: Driver, store: AnalyticsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = load_report

    def spy(*args: Any, **kw: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kw)

    monkeypatch.setattr(analytics, "load_report", spy)  # the name bot/analytics.py calls
    await curated.ask("what is writer's cramp")
    await curated.ask(UNKNOWN)
    [stats] = await curated.expect(lambda: curated.api.command("stats", user_id=ADMIN), chat_id=ADMIN)
    assert "Questions: 2 from 1 person. Answered 1 (50%)" in stats["text"]
    assert html.escape(UNKNOWN, quote=False)[:40] in stats["text"]
    assert "dystonia-faq report --html report.html" in stats["text"]
    assert threads and threads[0] is not threading.main_thread()

    [week] = await curated.expect(lambda: curated.api.command("stats", "7", user_id=ADMIN), chat_id=ADMIN)
    assert "(7 days, UTC)" in week["text"]
    assert curated.api.rejected == []


async def test_stats_for_anyone_else_is_an_unknown_command(curated: Driver) -> None:
    api = curated.api
    [unknown] = await curated.expect(lambda: api.command("nonsense"))
    [stats] = await curated.expect(lambda: api.command("stats"))
    [stats_days] = await curated.expect(lambda: api.command("stats", "7"))
    assert unknown["text"] == stats["text"] == stats_days["text"] == texts.UNKNOWN_COMMAND
    assert unknown.get("reply_markup") == stats.get("reply_markup")

    before = len(api.sent())
    api.command("stats", chat_id=GROUP, chat_type="supergroup")  # silence, as for unknown commands
    api.command(f"stats@{BOT_USERNAME}", chat_id=GROUP, chat_type="supergroup")
    await curated.settle()
    assert len(api.sent()) == before
    [note] = await curated.expect(
        lambda: api.command("stats", user_id=ADMIN, chat_id=GROUP, chat_type="supergroup"), chat_id=GROUP
    )
    assert note["text"] == texts.STATS_IN_GROUP  # an admin in a group: never the questions there
    assert api.rejected == []


# ---------------------------------------------------------------------------------- failures


def broken_directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-directory.sqlite3"
    path.mkdir()
    return path


def garbage_file(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"\x00\xffnot a database at all\x13\x37" * 512)
    return path


@pytest.mark.parametrize("make_db", [broken_directory, garbage_file], ids=["directory", "garbage"])
async def test_a_broken_database_never_stops_answers(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, tmp_path: Path, make_db: Any
) -> None:
    db = make_db(tmp_path)
    settings = make_settings(clean_env, api, ANALYTICS_DB=str(db))
    async with running_bot(api, brain, settings) as bot:
        await exercise(bot)
        store = store_of(bot)
        assert store.path == db
        await asyncio.to_thread(store.flush)
        assert store.stats().errors >= 1 and store.stats().written == 0
        [stats] = await bot.expect(lambda: api.command("stats", user_id=ADMIN), chat_id=ADMIN)
        assert "analytics database" in stats["text"] and "errors" in stats["text"]
    assert api.rejected == []


async def test_a_locked_database_never_stops_or_slows_answers(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, tmp_path: Path
) -> None:
    db = tmp_path / "locked.sqlite3"
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    locker.execute("CREATE TABLE other (x)")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("INSERT INTO other VALUES (1)")
    try:
        settings = make_settings(clean_env, api, ANALYTICS_DB=str(db))
        async with running_bot(api, brain, settings) as bot:  # the store waits up to 5 s for a lock
            started = time.monotonic()
            await exercise(bot)
            assert time.monotonic() - started < 4  # answered while the writer was stuck
            store = store_of(bot)
            assert store.stats().written == 0
            locker.rollback()  # the lock goes: what was queued is written after all
            assert await asyncio.to_thread(store.flush, 10)
            assert rows(db, "SELECT outcome FROM questions ORDER BY id") == [
                ("answer",),
                ("clarify",),
                ("fallback",),
            ]
            assert len(rows(db, "SELECT * FROM feedback")) == len(rows(db, "SELECT * FROM choices")) == 1
    finally:
        locker.close()
    assert api.rejected == []


async def exercise(bot: Driver) -> None:
    """Every recording path: a question, a "did you mean" choice, 👍 (twice) and a fallback."""
    answer = await bot.ask("what is writer's cramp")
    up, _ = feedback_data(answer)
    assert await tap(bot, up, chat_id=1001, msg=answer) == texts.FEEDBACK_THANKS
    assert await tap(bot, up, chat_id=1001, msg=answer) == texts.FEEDBACK_ALREADY
    clarify = await bot.ask(clarifying_question(bot.brain))
    [chosen] = await bot.expect(lambda: bot.api.callback(callback_data(clarify)[0]))
    assert chosen["text"].startswith("<b>")
    unknown = await bot.ask(UNKNOWN)
    assert "/topics" in unknown["text"]


async def test_analytics_off_means_no_buttons_and_no_database(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, tmp_path: Path
) -> None:
    db = tmp_path / "never.sqlite3"
    settings = make_settings(clean_env, api, ANALYTICS="off", ANALYTICS_DB=str(db))
    async with running_bot(api, brain, settings) as bot:
        answer = await bot.ask("what is writer's cramp")
        assert feedback_data(answer) == [] and all(d.startswith("1t:") for d in callback_data(answer))
        question = clarifying_question(brain)
        clarify = await bot.ask(question)
        assert callback_data(clarify) == [f"1t:{t.id}" for t in brain.reply(question).candidates] + ["1n"]
        assert await tap(bot, "1f:AAAAAAAA:writers_cramp:+", chat_id=1001, msg=answer) == texts.STALE_BUTTON
        [privacy] = await bot.expect(lambda: api.command("privacy"))
        assert "keeps nothing" in privacy["text"]
        [stats] = await bot.expect(lambda: api.command("stats", user_id=ADMIN), chat_id=ADMIN)
        assert stats["text"] == texts.STATS_OFF
    # No database, no salt file, nothing in the cwd either: only the delivery journal (README,
    # "Restart"), which keeps an update only until it is answered.
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("journal.sqlite3")] == []
    assert api.rejected == []


async def test_the_store_is_closed_on_shutdown(curated: Driver, store: AnalyticsStore) -> None:
    await curated.ask("what is writer's cramp")
    app = curated.app
    assert app.post_shutdown is not None
    await app.post_shutdown(app)  # what run_polling does after stopping (idempotent)
    assert store.flush(0.5) is False  # the writer thread has ended...
    assert rows(store.path, "SELECT text FROM questions") == [("what is writer's cramp",)]  # ...after writing
