"""A scripted analytics database, built through the store API with fixed timestamps.

Shared by the analytics report, export and HTML tests; the tests here pin the script itself.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from faq.analytics import AnalyticsStore
from faq.analytics.report import Suggestion
from faq.normalize import normalize
from faq.reply import Outcome, Reply, Topic

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
START = date(2026, 2, 9)  # --since 30d

USER_IDS = list(range(987_654_301, 987_654_313))  # 12 distinct, recognisable if leaked


def answer(intent: str) -> Reply:
    return Reply(Outcome.ANSWER, "answer text", intent=intent, title=intent, score=0.9)


def clarify(*intents: str) -> Reply:
    return Reply(Outcome.CLARIFY, "which?", score=0.5, candidates=tuple(Topic(i, i) for i in intents))


def fallback() -> Reply:
    return Reply(Outcome.FALLBACK, "sorry", score=0.1, candidates=(Topic("what_is_dystonia", "What?"),))


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def build_fixture_db(path: Path) -> Path:
    """13 questions over three days (plus one before the window), choices and votes."""
    u = USER_IDS
    with AnalyticsStore(path, clock=NOW.timestamp, salt="fixture-salt") as store:
        t = store.record_question("what is dystonia", answer("what_is_dystonia"), u[0], at=at(8))
        assert store.record_feedback(t, "what_is_dystonia", True, at=at(8))
        t = store.record_question("how is dystonia treated", answer("treatment"), u[1], at=at(8))
        assert store.record_feedback(t, "treatment", False, at=at(8))
        for text, user in [
            ("how much does botox cost", u[2]),
            ("how much does botox cost", u[3]),
            ("botox cost how much", u[4]),
            ("is dystonia contagious", u[5]),
            ("is dystonia contagous", u[6]),
        ]:
            store.record_question(text, fallback(), user, at=at(8, 11))
        t = store.record_question(
            "can i drive with dystonia", clarify("what_is_dystonia", "treatment"), u[0], at=at(9)
        )
        store.record_choice(t, None, at=at(9))  # "None of these"
        t = store.record_question(
            "Can I drive with dystonia?", clarify("what_is_dystonia", "treatment"), u[7], at=at(9)
        )
        store.record_choice(t, "treatment", at=at(9))
        store.record_choice(t, "what_is_dystonia", at=at(9))  # a second tap: only the first counts
        store.record_question("what causes it", clarify("cause", "inherited"), u[8], at=at(9))
        store.record_question("😀", fallback(), u[9], at=at(9))
        t = store.record_question("botox", answer("treatment"), u[10], at=at(9))
        assert store.record_feedback(t, "treatment", False, at=at(9))
        assert not store.record_feedback(t, "treatment", True, at=at(9))  # duplicate tap refused
        t = store.record_question("what is dystonia?", answer("what_is_dystonia"), u[11], at=at(10))
        assert store.record_feedback(t, "what_is_dystonia", True, at=at(10))
        # Within retention, before the 30-day window.
        store.record_question(
            "how much does botox cost now", fallback(), u[2], at=datetime(2026, 1, 20, tzinfo=UTC)
        )
        assert store.flush()
        assert store.stats().errors == 0
    return path


SUGGESTIONS = {
    "how much does botox cost": Suggestion("treatment", 0.41),
    "can i drive with dystonia": Suggestion("what_is_dystonia", 0.57),
    "is dystonia contagious": None,
    "what causes it": Suggestion("cause", 0.5),
}


def fake_suggest(text: str) -> Suggestion | None:
    return SUGGESTIONS[normalize(text)]


def test_fixture_db_has_the_scripted_rows(tmp_path: Path) -> None:
    db = build_fixture_db(tmp_path / "a.sqlite3")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM questions").fetchone() == (14,)
    assert conn.execute("SELECT SUM(count) FROM daily_counts").fetchone() == (14,)
    assert conn.execute("SELECT COUNT(*) FROM choices").fetchone() == (2,)
    assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone() == (4,)
