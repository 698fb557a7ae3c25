"""The delivery journal on disk: one SQLite file of the updates the bot has taken from Telegram.

An update is written here when it arrives and marked answered when its handling is over; only then
may Telegram forget it without a crash losing it (bot/delivery.py decides when to confirm). The
file is opened in WAL mode with `synchronous=FULL` (a commit is on disk before it returns) and in
exclusive locking mode, so a second bot process cannot share it by accident.

This module is plain storage, used by one thread at a time: no asyncio, no Telegram. Errors are
`sqlite3.Error` (or `OSError` for the directory); bot/delivery.py turns them into a fallback.

Schema changes are numbered migrations, applied in order and recorded in `schema_migrations`
(and in `PRAGMA user_version`); a file written by a newer version is refused, never rewritten.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (  # (version, what it does, statements)
    (
        1,
        "updates waiting to be answered, and the recently answered ones",
        (
            """CREATE TABLE updates (
                update_id INTEGER PRIMARY KEY,
                payload   TEXT,                       -- the update as JSON, NULL once answered
                received  REAL NOT NULL,              -- unix seconds
                answered  REAL,                       -- NULL while waiting
                attempts  INTEGER NOT NULL DEFAULT 0  -- starts that replayed it (poison pills stop)
            )""",
            "CREATE INDEX updates_waiting ON updates (update_id) WHERE answered IS NULL",
        ),
    ),
)
if MIGRATIONS[-1][0] != SCHEMA_VERSION:
    raise RuntimeError("the last journal migration must bring the schema to SCHEMA_VERSION")

WAL_PAGES = 256  # checkpoint the write-ahead log at about 1 MB
BUSY_TIMEOUT_MS = 2000  # another process holding the file: give up (and fall back) after this


@dataclass(frozen=True)
class Waiting:
    """An update journaled by an earlier run and never answered."""

    update_id: int
    payload: str
    attempts: int  # including this start


@dataclass(frozen=True)
class Contents:
    waiting: list[Waiting]  # oldest first
    answered: list[int]  # recently answered update ids, oldest first


class JournalFile:
    """The open journal. Not thread-safe: one thread at a time (opened by one, used by another)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            self._prepare()
        except BaseException:
            self._conn.close()
            raise

    def _prepare(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # before WAL: no shared-memory index either
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode!r})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")  # an answered update's text is overwritten, not left
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")  # keep the write-ahead log short
        conn.execute(f"PRAGMA journal_size_limit = {WAL_PAGES * 4096}")  # and truncate it after
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        self._migrate()

    def _migrate(self) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock now: a second process fails here
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied REAL NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            newest = max(done, default=0)
            if newest > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"written by a newer version of the bot (schema {newest}, "
                    f"this one knows {SCHEMA_VERSION})"
                )
            for version, name, statements in MIGRATIONS:
                if version in done:
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)",
                    (version, name, time.time()),
                )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def schema_versions(self) -> list[int]:
        return [
            row[0] for row in self._conn.execute("SELECT version FROM schema_migrations ORDER BY version")
        ]

    def start(self, max_attempts: int) -> tuple[Contents, list[int]]:
        """Count this start against every waiting update, and read what the journal holds. Updates
        replayed `max_attempts` times already are given up (marked answered) and returned apart."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("UPDATE updates SET attempts = attempts + 1 WHERE answered IS NULL")
            given_up = [
                row[0]
                for row in conn.execute(
                    "SELECT update_id FROM updates WHERE answered IS NULL AND attempts > ?"
                    " ORDER BY update_id",
                    (max_attempts,),
                )
            ]
            conn.executemany(
                "UPDATE updates SET payload = NULL, answered = ? WHERE update_id = ?",
                [(time.time(), update_id) for update_id in given_up],
            )
            waiting = [
                Waiting(row[0], row[1], row[2])
                for row in conn.execute(
                    "SELECT update_id, payload, attempts FROM updates WHERE answered IS NULL"
                    " ORDER BY update_id"
                )
            ]
            answered = [
                row[0]
                for row in conn.execute(
                    "SELECT update_id FROM updates WHERE answered IS NOT NULL ORDER BY answered, update_id"
                )
            ]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return Contents(waiting, answered), given_up

    def write(
        self, received: Iterable[tuple[int, str, float]], answered: Iterable[tuple[int, float]]
    ) -> None:
        """One transaction, on disk when this returns: new updates first, then answered marks."""
        conn = self._conn
        conn.execute("BEGIN")
        try:
            conn.executemany(
                "INSERT OR IGNORE INTO updates (update_id, payload, received) VALUES (?, ?, ?)", received
            )
            conn.executemany(
                "UPDATE updates SET payload = NULL, answered = ? WHERE update_id = ?",
                ((at, update_id) for update_id, at in answered),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def prune(self, keep_answered: int) -> int:
        """Forget all but the `keep_answered` most recently answered updates; returns how many went."""
        cursor = self._conn.execute(
            "DELETE FROM updates WHERE answered IS NOT NULL AND update_id NOT IN ("
            " SELECT update_id FROM updates WHERE answered IS NOT NULL"
            " ORDER BY answered DESC, update_id DESC LIMIT ?)",
            (keep_answered,),
        )
        return cursor.rowcount

    def counts(self) -> tuple[int, int]:
        """(waiting, answered) rows: for tests and diagnostics."""
        waiting, answered = self._conn.execute(
            "SELECT COUNT(*) FILTER (WHERE answered IS NULL), COUNT(*) FILTER (WHERE answered IS NOT NULL)"
            " FROM updates"
        ).fetchone()
        return int(waiting), int(answered)

    def close(self) -> None:
        self._conn.close()
