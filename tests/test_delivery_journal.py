"""The delivery journal on its own: what survives a restart, redeliveries, pruning, its schema, and
bad days (locked, full disk, written by a newer version, a poison pill) that must never stop the bot."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot import delivery as delivery_module
from bot import journal_writer
from bot.delivery import MAX_ATTEMPTS, Delivery
from bot.journal import SCHEMA_VERSION, JournalFile


def update(update_id: int, text: str = "what is dystonia", chat_id: int = 1001) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ann"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ann"},
            "text": text,
        },
    }
    return Update.de_json(data, None)


async def finish(delivery: Delivery, u: Update) -> None:
    delivery.answered(u)
    await delivery.durable()


def fallbacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]


async def test_unanswered_updates_survive_a_restart_in_order_and_redeliveries_are_recognised(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    first = Delivery.open(path)
    assert first.enabled
    for n in range(1, 6):
        assert first.accept(update(n, f"question {n}"))
    for n in (2, 4):
        first.answered(update(n))
    await first.durable()
    assert first.waiting == 3
    first.close()

    second = Delivery.open(path)
    replayed = second.replay(None)
    assert [(u.update_id, u.message.text if u.message else None) for u in replayed] == [
        (1, "question 1"),
        (3, "question 3"),
        (5, "question 5"),
    ]
    assert second.waiting == 3 and second.replay(None) == []  # given back once
    assert not second.accept(update(2))  # answered by the last run: Telegram delivered it again
    assert not second.accept(update(3))  # already queued from the journal
    assert second.accept(update(6))
    for u in replayed:
        await finish(second, u)
    assert second.status() == {"journal": "on", "waiting": 1}
    second.close()


async def test_schema_version_and_migrations_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Delivery.open(path).close()
    Delivery.open(path).close()  # opening again applies nothing twice
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [(SCHEMA_VERSION,)]
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


async def test_answered_updates_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery_module, "KEEP_ANSWERED", 20)
    monkeypatch.setattr(journal_writer, "PRUNE_EVERY", 10)
    path = tmp_path / "journal.sqlite3"
    delivery = Delivery.open(path)
    for n in range(1, 301):
        delivery.accept(update(n))
        await finish(delivery, update(n))
    delivery.close()
    journal = JournalFile(path)
    waiting, answered = journal.counts()
    journal.close()
    assert waiting == 0 and answered <= 20 + 10
    assert path.stat().st_size < 64 * 1024


@pytest.mark.slow(2)
async def test_a_locked_journal_is_logged_once_and_delivery_goes_on_without_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "journal.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN EXCLUSIVE")  # another bot process on the same STATE_DIR
    try:
        delivery = Delivery.open(path)
        assert not delivery.enabled
        assert delivery.accept(update(1)) and delivery.accept(update(1))  # as without a journal
        await delivery.durable()  # returns at once
        delivery.answered(update(1))
        assert delivery.status() == {"journal": "failed", "waiting": None}
        delivery.close()
    finally:
        holder.close()
    [message] = fallbacks(caplog)
    assert "database is locked" in message and "Another process holds it" in message


class TinyDisk(JournalFile):
    """A journal on a disk that fills up after a few pages."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        self._conn.execute(f"PRAGMA max_page_count = {pages + 3}")


async def test_a_full_disk_mid_run_is_logged_once_and_delivery_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = Delivery(TinyDisk(tmp_path / "journal.sqlite3"))
    assert delivery.enabled
    long_text = "x" * 4000
    for n in range(1, 41):
        assert delivery.accept(update(n, long_text))
        await delivery.durable()  # never hangs, even once writing fails
    assert not delivery.enabled
    for n in range(41, 61):  # later updates pass straight through
        assert delivery.accept(update(n, long_text))
        await finish(delivery, update(n))
    delivery.close()
    [message] = fallbacks(caplog)
    assert "full" in message and "Free disk space" in message and "Falling back" in message


async def test_a_journal_from_a_newer_version_is_refused_and_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied REAL)")
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 0)")
    conn.close()
    delivery = Delivery.open(path)
    assert not delivery.enabled
    [message] = fallbacks(caplog)
    assert "newer version" in message
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [(99,)]
    conn.close()


async def test_an_update_no_start_can_finish_is_given_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "journal.sqlite3"
    delivery = Delivery.open(path)
    delivery.accept(update(7))  # each run dies while answering it
    await delivery.durable()
    delivery.close()
    for _ in range(MAX_ATTEMPTS):
        delivery = Delivery.open(path)
        assert [u.update_id for u in delivery.replay(None)] == [7]
        delivery.close()
    delivery = Delivery.open(path)
    assert delivery.replay(None) == [] and delivery.waiting == 0
    assert not delivery.accept(update(7))  # and a redelivery is not tried either
    delivery.close()
    assert any("Gave up on 1 update(s)" in r.getMessage() for r in caplog.records)


async def test_in_flight_tokens_come_back_only_once_the_answer_is_on_disk(tmp_path: Path) -> None:
    delivery = Delivery.open(tmp_path / "journal.sqlite3")
    delivery.limit_in_flight(2)
    updates = [update(n) for n in (1, 2, 3)]
    for u in updates:
        delivery.accept(u)
    assert await delivery.begin() and await delivery.begin()
    third = asyncio.ensure_future(delivery.begin())
    await asyncio.sleep(0.05)
    assert not third.done()  # two in flight: the third waits
    delivery.end(updates[0], token=True, handled=True)  # answered: written, then the token is back
    assert await asyncio.wait_for(third, 5) is True
    delivery.end(updates[1], token=True, handled=False)  # abandoned (shutdown): back at once
    assert await asyncio.wait_for(delivery.begin(), 5) is True
    delivery.close()
    reopened = Delivery.open(tmp_path / "journal.sqlite3")
    assert [u.update_id for u in reopened.replay(None)] == [2, 3]  # only 1 was answered
    reopened.close()


async def test_an_answered_update_leaves_no_text_behind(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    delivery = Delivery.open(path)
    for n in range(1, 201):
        delivery.accept(update(n, f"private question {n:04d}"))
    await delivery.durable()
    for n in range(1, 201):
        delivery.answered(update(n))
    delivery.close()
    files = b"".join(f.read_bytes() for f in tmp_path.iterdir())
    assert b"private question" not in files and path.exists()
