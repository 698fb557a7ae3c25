"""A broken, corrupt, locked or full database never raises into the bot: calls return, errors count."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from faq.analytics import AnalyticsStore
from tests.test_analytics_fixture import answer, clarify, fallback


def exercise(store: AnalyticsStore) -> None:
    """Every recording call the bot makes; none may raise."""
    t = store.record_question("what is dystonia", answer("what_is_dystonia"), 1)
    assert store.record_feedback(t, "what_is_dystonia", True) is True
    c = store.record_question("can i drive", clarify("a", "b"), 2)
    store.record_choice(c, None)
    store.record_question("weather", fallback(), 3)


def test_unwritable_path(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with caplog.at_level(logging.WARNING, "faq.analytics"), AnalyticsStore(blocker / "a.sqlite3") as store:
        exercise(store)
        exercise(store)
        assert store.flush()
        stats = store.stats()
    assert stats.errors >= 1 and stats.failed == 10 and stats.written == 0
    assert stats.last_error and "cannot open" in stats.last_error
    assert len([r for r in caplog.records if "cannot open" in r.getMessage()]) == 1  # logged once


def test_corrupt_database(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    db.write_bytes(b"this is not a database, just some bytes " * 200)
    with AnalyticsStore(db) as store:
        exercise(store)
        assert store.flush()
        stats = store.stats()
    assert stats.errors >= 1 and stats.written == 0 and stats.failed == 5


def test_locked_database_then_recovers(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, busy_timeout=0.05) as store:
        store.record_question("first", fallback(), 1)
        assert store.flush()
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            exercise(store)
            assert store.flush()
            assert store.stats().errors >= 1 and store.stats().failed == 5
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        store.record_question("after the lock", fallback(), 1)
        assert store.flush()
        assert store.stats().written == 2
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT text FROM questions ORDER BY ts")] == [
        "first",
        "after the lock",
    ]
    conn.close()


def test_full_queue_drops_and_counts(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    # A writer stuck on a locked database would fill the queue the same way; a tiny queue is quicker.
    with (
        caplog.at_level(logging.WARNING, "faq.analytics"),
        AnalyticsStore(blocker / "a.db", queue_size=2) as store,
    ):
        for _ in range(200):
            store.record_question("q", fallback(), 1)
        assert store.flush()
        stats = store.stats()
    assert stats.dropped > 0 and stats.dropped + stats.failed == 200
    assert len([r for r in caplog.records if "queue is full" in r.getMessage()]) == 1


def test_bad_reply_does_not_raise(tmp_path: Path) -> None:
    with AnalyticsStore(tmp_path / "a.sqlite3") as store:
        token = store.record_question("x", object(), 1)  # type: ignore[arg-type]
        assert isinstance(token, str)


async def test_locked_database_never_blocks_the_event_loop(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, busy_timeout=1.0) as store:
        store.record_question("first", fallback(), 1)
        assert store.flush()
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # the writer now waits a second per batch
        try:
            start = time.perf_counter()
            for _ in range(50):
                exercise(store)
                await asyncio.sleep(0)
            assert time.perf_counter() - start < 0.5  # 250 calls while the writer is stuck
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.flush()
