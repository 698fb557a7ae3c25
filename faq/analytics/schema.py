"""The database layout, and the only statements that write to it.

Rows that hold question text are pruned after the retention period; `daily_counts` holds only
numbers, so the outcome mix over time outlives the text.

Schema changes are named migrations (`MIGRATIONS`), applied in order when the writer opens the
file, each in one transaction that also records it in the `migrations` table (name and time, as
sqlite-utils' sqlite-migrate does) and sets `PRAGMA user_version` to its number. A file whose
version is newer than this code knows is refused by the writer and the reader alike
(`SchemaVersionError`), never written or read wrongly. To change the schema, append a migration.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

from faq.analytics.events import ChoiceEvent, Event, FeedbackEvent, QuestionEvent, day_of

TABLES = ("questions", "choices", "feedback", "daily_counts")

INITIAL = """
CREATE TABLE IF NOT EXISTS questions (
    id        INTEGER PRIMARY KEY,
    ts        REAL NOT NULL,               -- unix seconds, UTC
    day       TEXT NOT NULL,               -- YYYY-MM-DD, UTC
    token     TEXT NOT NULL,               -- opaque reply id, links choices and feedback
    outcome   TEXT NOT NULL CHECK (outcome IN ('answer', 'clarify', 'fallback')),
    text      TEXT NOT NULL,               -- the question as typed (pruned after retention)
    intent    TEXT,                        -- answered intent, answer only
    score     REAL NOT NULL,
    offered   TEXT NOT NULL DEFAULT '[]',  -- JSON list of "did you mean" intent ids
    user_hash TEXT                         -- salted hash, for counting distinct users
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions (ts);
CREATE INDEX IF NOT EXISTS questions_token ON questions (token);

CREATE TABLE IF NOT EXISTS choices (       -- first tap per "did you mean"
    token  TEXT PRIMARY KEY,
    ts     REAL NOT NULL,
    day    TEXT NOT NULL,
    intent TEXT                            -- NULL: "None of these"
);
CREATE INDEX IF NOT EXISTS choices_ts ON choices (ts);

CREATE TABLE IF NOT EXISTS feedback (      -- one vote per answer
    token  TEXT PRIMARY KEY,
    ts     REAL NOT NULL,
    day    TEXT NOT NULL,
    intent TEXT NOT NULL,
    vote   INTEGER NOT NULL CHECK (vote IN (-1, 1))
);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);

CREATE TABLE IF NOT EXISTS daily_counts (  -- numbers only, never pruned
    day     TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (day, outcome)
);
"""


# (version, name, statements): append only; a file at version N has had migrations 1..N.
# "initial" creates only what is missing, so files written before migrations were recorded (at
# version 1, with no `migrations` table) take it as a no-op and get it recorded.
MIGRATIONS: tuple[tuple[int, str, str], ...] = ((1, "initial", INITIAL),)
SCHEMA_VERSION = MIGRATIONS[-1][0]
if [v for v, _, _ in MIGRATIONS] != list(range(1, SCHEMA_VERSION + 1)):
    raise RuntimeError("MIGRATIONS must be numbered 1, 2, 3... in order")


class SchemaVersionError(sqlite3.DatabaseError):
    """The file was written by a newer version of this code: its schema is unknown here."""


def check_version(conn: sqlite3.Connection) -> int:
    """The file's schema version; SchemaVersionError if it is newer than this code knows."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"its schema version is {version}, and this version of the software knows up to "
            f"{SCHEMA_VERSION}: upgrade the software, or use another ANALYTICS_DB"
        )
    return version


def prepare(conn: sqlite3.Connection) -> None:
    """Check the schema version and apply the migrations this file has not had yet."""
    # WAL: the report (and /stats) can read while the bot writes.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    check_version(conn)
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
    conn.commit()
    applied = {name for (name,) in conn.execute("SELECT name FROM migrations")}
    for version, name, statements in MIGRATIONS:
        if name not in applied:
            _migrate(conn, version, name, statements)


def _migrate(conn: sqlite3.Connection, version: int, name: str, statements: str) -> None:
    """One migration, all or nothing: its statements, its record, the new user_version."""
    record = f"INSERT INTO migrations (name, applied) VALUES ('{name}', {time.time()!r});"
    try:
        conn.executescript(f"BEGIN;\n{statements}\n{record}\nPRAGMA user_version={version};\nCOMMIT;")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.rollback()
        raise


def prune(conn: sqlite3.Connection, cutoff: float) -> int:
    """Delete text-bearing rows older than `cutoff`; returns how many went."""
    removed = 0
    with conn:
        for table in ("questions", "choices", "feedback"):
            removed += conn.execute(f"DELETE FROM {table} WHERE ts < ?", (cutoff,)).rowcount
    return removed


def voted_tokens(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT token FROM feedback")}


def write(conn: sqlite3.Connection, events: Iterable[Event]) -> None:
    """Write a batch in one transaction: all of it or (on error) none of it."""
    with conn:
        for event in events:
            _write_one(conn, event)


def _write_one(conn: sqlite3.Connection, event: Event) -> None:
    day = day_of(event.ts)
    if isinstance(event, QuestionEvent):
        conn.execute(
            "INSERT INTO questions (ts, day, token, outcome, text, intent, score, offered, user_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.ts,
                day,
                event.token,
                event.outcome,
                event.text,
                event.intent,
                event.score,
                json.dumps(list(event.offered)),
                event.user_hash,
            ),
        )
        conn.execute(
            "INSERT INTO daily_counts (day, outcome, count) VALUES (?, ?, 1)"
            " ON CONFLICT (day, outcome) DO UPDATE SET count = count + 1",
            (day, event.outcome),
        )
    elif isinstance(event, ChoiceEvent):
        conn.execute(
            "INSERT OR IGNORE INTO choices (token, ts, day, intent) VALUES (?, ?, ?, ?)",
            (event.token, event.ts, day, event.intent),
        )
    elif isinstance(event, FeedbackEvent):
        conn.execute(
            "INSERT OR IGNORE INTO feedback (token, ts, day, intent, vote) VALUES (?, ?, ?, ?, ?)",
            (event.token, event.ts, day, event.intent, 1 if event.helpful else -1),
        )
