"""The database layout, and the only statements that write to it.

Rows that hold question text are pruned after the retention period; `daily_counts` holds only
numbers, so the outcome mix over time outlives the text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from faq.analytics.events import ChoiceEvent, Event, FeedbackEvent, QuestionEvent, day_of

SCHEMA_VERSION = 1
TABLES = ("questions", "choices", "feedback", "daily_counts")

SCHEMA = """
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


def prepare(conn: sqlite3.Connection) -> None:
    # WAL: the report (and /stats) can read while the bot writes.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.commit()


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
