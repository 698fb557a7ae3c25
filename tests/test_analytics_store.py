"""The store records exactly what the bot did, once per answer, and never a user id."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from faq.analytics import PRIVACY_TEXT, AnalyticsReadError, AnalyticsSettings, AnalyticsStore, privacy_text
from faq.analytics.privacy import salt_path
from faq.analytics.reader import read_snapshot
from faq.analytics.schema import MIGRATIONS, SCHEMA_VERSION
from faq.analytics.settings import DEFAULT_DB
from tests.test_analytics_fixture import NOW, USER_IDS, answer, at, build_fixture_db, clarify, fallback


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_scripted_sequence_records_exactly_these_rows(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, clock=NOW.timestamp, salt="s") as store:
        a = store.record_question("what is dystonia", answer("what_is_dystonia"), 111, at=at(9))
        c = store.record_question("can i drive", clarify("what_is_dystonia", "treatment"), 222, at=at(9, 11))
        n = store.record_question("is it catching", clarify("cause", "inherited"), 333, at=at(9, 12))
        store.record_question("weather?", fallback(), 111, at=at(10))
        store.record_choice(c, "treatment", at=at(9, 11))
        store.record_choice(n, None, at=at(9, 12))
        assert store.record_feedback(a, "what_is_dystonia", False, at=at(9)) is True
        assert store.record_feedback(a, "what_is_dystonia", True, at=at(9)) is False  # once per answer
        assert store.flush()
        assert store.stats().written == 7
    assert len({a, c, n}) == 3 and all(len(t) == 8 for t in (a, c, n))

    questions = rows(db, "SELECT day, token, outcome, text, intent, offered FROM questions ORDER BY ts")
    assert questions == [
        ("2026-03-09", a, "answer", "what is dystonia", "what_is_dystonia", "[]"),
        ("2026-03-09", c, "clarify", "can i drive", None, json.dumps(["what_is_dystonia", "treatment"])),
        ("2026-03-09", n, "clarify", "is it catching", None, json.dumps(["cause", "inherited"])),
        (
            "2026-03-10",
            rows(db, "SELECT token FROM questions WHERE outcome = 'fallback'")[0][0],
            "fallback",
            "weather?",
            None,
            "[]",
        ),
    ]
    hashes = rows(db, "SELECT user_hash FROM questions ORDER BY ts")
    assert hashes[0] == hashes[3] != hashes[1]  # the same person, counted once, never named
    assert rows(db, "SELECT token, day, intent FROM choices ORDER BY ts") == [
        (c, "2026-03-09", "treatment"),
        (n, "2026-03-09", None),
    ]
    assert rows(db, "SELECT token, intent, vote FROM feedback") == [(a, "what_is_dystonia", -1)]
    assert rows(db, "SELECT day, outcome, count FROM daily_counts ORDER BY day, outcome") == [
        ("2026-03-09", "answer", 1),
        ("2026-03-09", "clarify", 2),
        ("2026-03-10", "fallback", 1),
    ]


def test_no_user_id_appears_anywhere(tmp_path: Path) -> None:
    db = build_fixture_db(tmp_path / "a.sqlite3")
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    cells = [str(v) for t in tables for row in conn.execute(f"SELECT * FROM {t}") for v in row]
    conn.close()
    assert cells
    for user in USER_IDS:
        assert not any(str(user) in cell for cell in cells)
    files = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]  # db, -wal, -shm, .salt
    raw = b"".join(p.read_bytes() for p in files)
    assert not any(str(user).encode() in raw for user in USER_IDS)


def test_duplicate_vote_refused_after_restart(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, salt="s") as store:
        token = store.record_question("what is dystonia", answer("what_is_dystonia"), 1)
        assert store.record_feedback(token, "what_is_dystonia", True)
    with AnalyticsStore(db, salt="s") as store:
        assert store.flush()  # the writer has opened the database and loaded the votes
        assert store.record_feedback(token, "what_is_dystonia", False) is False
        assert store.record_feedback(store.new_token(), "treatment", False) is True
    assert rows(db, "SELECT vote FROM feedback ORDER BY ts") == [(1,), (-1,)]


def test_salt_file_created_once_and_private(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "a.sqlite3"
    for _ in range(2):
        with AnalyticsStore(db) as store:
            store.record_question("hi", fallback(), 918273645)  # 9 digits: never by chance in a hash
    salt = salt_path(db)
    assert stat.S_IMODE(os.stat(salt).st_mode) == 0o600
    assert len(salt.read_text().strip()) == 64
    hashes = rows(db, "SELECT DISTINCT user_hash FROM questions")
    assert len(hashes) == 1 and "918273645" not in str(hashes[0][0])


def test_disabled_store_keeps_nothing(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    store = AnalyticsStore.from_env({"ANALYTICS": "off", "ANALYTICS_DB": str(db)})
    token = store.record_question("hi", answer("greeting"), 1)
    assert isinstance(token, str) and token
    assert store.record_feedback(token, "greeting", True) is False
    store.record_choice(token, None)
    assert store.flush()
    store.close()
    assert not db.exists()
    assert not store.stats().enabled
    assert "keeps nothing" in store.privacy_text()


def test_settings_from_env() -> None:
    s = AnalyticsSettings.from_env({})
    assert s == AnalyticsSettings(enabled=True, db_path=DEFAULT_DB, retention_days=90, salt=None)
    s = AnalyticsSettings.from_env(
        {
            "ANALYTICS": "on",
            "ANALYTICS_DB": "/x/y.db",
            "ANALYTICS_RETENTION_DAYS": "30",
            "ANALYTICS_SALT": "k",
        }
    )
    assert s == AnalyticsSettings(enabled=True, db_path=Path("/x/y.db"), retention_days=30, salt="k")
    assert AnalyticsSettings.from_env({"ANALYTICS_RETENTION_DAYS": "soon"}).retention_days == 90
    assert not AnalyticsSettings.from_env({"ANALYTICS": "OFF"}).enabled


def test_privacy_text_says_what_and_how_long() -> None:
    assert "90 days" in PRIVACY_TEXT
    for kept in ("question", "did you mean", "👍"):
        assert kept in PRIVACY_TEXT
    assert "Telegram id" in PRIVACY_TEXT and "chat id" in PRIVACY_TEXT
    assert "<" not in PRIVACY_TEXT  # plain text: the bot may send it without parse_mode
    assert "30 days" in privacy_text(30)
    assert "keeps nothing" in privacy_text(None)


# ---------------------------------------------------------------------------------- schema version


def test_a_new_database_records_its_migrations_and_version(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with AnalyticsStore(db, clock=NOW.timestamp, salt="s") as store:
        store.record_question("what is dystonia", answer("what_is_dystonia"), 111, at=at(9))
    assert [name for (name,) in rows(db, "SELECT name FROM migrations")] == [n for _, n, _ in MIGRATIONS]
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_database_from_before_migrations_were_recorded_keeps_its_rows(tmp_path: Path) -> None:
    db = build_fixture_db(tmp_path / "a.sqlite3")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE migrations")  # as written by the first release: version 1, no table
    before = rows(db, "SELECT count(*) FROM questions")
    with AnalyticsStore(db, clock=NOW.timestamp, salt="s") as store:
        store.record_question("what is dystonia", answer("what_is_dystonia"), 111, at=at(9))
    assert rows(db, "SELECT name FROM migrations") == [("initial",)]
    assert rows(db, "SELECT count(*) FROM questions")[0][0] == int(str(before[0][0])) + 1


def test_a_database_of_a_newer_schema_is_refused_by_the_writer_and_the_reader(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(AnalyticsReadError, match="schema version is"):
        read_snapshot(db, NOW.date())
    with AnalyticsStore(db, clock=NOW.timestamp, salt="s") as store:
        store.record_question("what is dystonia", answer("what_is_dystonia"), 111, at=at(9))
        assert store.flush()
        stats = store.stats()
    assert stats.errors >= 1 and "schema version" in str(stats.last_error)
    assert rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'") == []  # nothing written
