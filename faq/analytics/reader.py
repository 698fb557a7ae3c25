"""Read what the report needs from the database, read-only. The only I/O of the report side."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from faq.analytics.schema import TABLES, check_version
from faq.analytics.writer import BUSY_TIMEOUT


class AnalyticsReadError(Exception):
    """The database cannot be read; `str()` is one sentence for the curator."""


@dataclass(frozen=True)
class DayCount:
    day: str
    outcome: str
    count: int


@dataclass(frozen=True)
class UnansweredRow:
    """A question that got "did you mean" or the fallback, with what the user did next."""

    text: str
    outcome: str  # clarify / fallback
    picked: str | None  # intent chosen in "did you mean"
    none_of_these: bool


@dataclass(frozen=True)
class VoteRow:
    intent: str
    helpful: bool
    question: str | None  # the question that was answered, if still kept


@dataclass(frozen=True)
class Snapshot:
    start: date  # first day of the window (UTC)
    daily: tuple[DayCount, ...]
    unanswered: tuple[UnansweredRow, ...]
    votes: tuple[VoteRow, ...]
    distinct_users: int


def read_snapshot(path: str | Path, start: date) -> Snapshot:
    file = Path(path)
    if not file.is_file():
        raise AnalyticsReadError(f"No analytics database at {file} (pass --db PATH or set ANALYTICS_DB).")
    since = datetime.combine(start, time(), UTC).timestamp()
    try:
        # Not `mode=ro`: a read-only connection cannot tidy up, and would leave `-wal`/`-shm` files
        # behind. `mode=rw` never creates the file, `query_only` keeps this connection from writing,
        # and closing the last connection removes the WAL files (the bot's, if it runs, stay its own).
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise AnalyticsReadError(f"Cannot open the analytics database {file}: {exc}.") from None
    try:
        return _read(conn, start, since)
    except sqlite3.Error as exc:
        raise AnalyticsReadError(f"Cannot read the analytics database {file}: {exc}.") from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, start: date, since: float) -> Snapshot:
    check_version(conn)  # a newer schema than this code knows: refused, never misread
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in TABLES if t not in present]
    if missing:
        raise sqlite3.DatabaseError(f"it is not an analytics database (no table {missing[0]})")
    daily = tuple(
        DayCount(day, outcome, count)
        for day, outcome, count in conn.execute(
            "SELECT day, outcome, count FROM daily_counts WHERE day >= ? ORDER BY day, outcome",
            (start.isoformat(),),
        )
    )
    unanswered = tuple(
        UnansweredRow(text, outcome, picked, tapped is not None and picked is None)
        for text, outcome, picked, tapped in conn.execute(
            "SELECT q.text, q.outcome, c.intent, c.token FROM questions q"
            " LEFT JOIN choices c ON c.token = q.token"
            " WHERE q.ts >= ? AND q.outcome IN ('clarify', 'fallback') ORDER BY q.ts, q.id",
            (since,),
        )
    )
    votes = tuple(
        VoteRow(intent, vote > 0, question)
        for intent, vote, question in conn.execute(
            "SELECT f.intent, f.vote, (SELECT q.text FROM questions q WHERE q.token = f.token LIMIT 1)"
            " FROM feedback f WHERE f.ts >= ? ORDER BY f.ts",
            (since,),
        )
    )
    (users,) = conn.execute(
        "SELECT COUNT(DISTINCT user_hash) FROM questions WHERE ts >= ?", (since,)
    ).fetchone()
    return Snapshot(start, daily, unanswered, votes, int(users))
