"""Question texts, choices and votes go after the retention period; daily numbers stay."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faq.analytics import AnalyticsStore
from tests.test_analytics_fixture import answer, fallback

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("questions", "choices", "feedback", "daily_counts")
        }
    finally:
        conn.close()


def record_pair(store: AnalyticsStore, when: datetime) -> None:
    t = store.record_question("old or new", answer("treatment"), 1, at=when)
    store.record_feedback(t, "treatment", True, at=when)
    store.record_choice(store.record_question("q", fallback(), 1, at=when), None, at=when)


def test_prune_on_open(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, clock=T0.timestamp, retention_days=90) as store:
        record_pair(store, T0 - timedelta(days=91))
        record_pair(store, T0 - timedelta(days=89))
        assert store.flush()
    assert counts(db) == {"questions": 4, "choices": 2, "feedback": 2, "daily_counts": 4}
    with AnalyticsStore(db, clock=T0.timestamp, retention_days=90) as store:
        assert store.flush()
    assert counts(db) == {"questions": 2, "choices": 1, "feedback": 1, "daily_counts": 4}


def test_prune_daily_while_running(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    now = [T0.timestamp()]
    with AnalyticsStore(db, clock=lambda: now[0], retention_days=7) as store:
        record_pair(store, T0 - timedelta(days=6))
        assert store.flush()
        assert counts(db)["questions"] == 2
        now[0] += timedelta(days=1, hours=1).total_seconds()  # a day later: nothing changed yet ...
        store.record_question("today", fallback(), 2)  # ... until the writer next wakes up
        assert store.flush()
    assert counts(db) == {"questions": 1, "choices": 0, "feedback": 0, "daily_counts": 3}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT text, day FROM questions").fetchall() == [("today", "2026-06-02")]
    conn.close()
