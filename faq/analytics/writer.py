"""The single background thread that owns the database connection.

Callers (the bot's event loop) only put records on a bounded queue, which never blocks: when it is
full the record is dropped and counted. Every database or file error is caught here, counted and
logged once, so a locked, corrupt or unwritable database never stops the bot from answering.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faq.analytics import schema
from faq.analytics.events import Event, QuestionEvent
from faq.analytics.privacy import hash_user, load_salt

log = logging.getLogger("faq.analytics")

DAY = 86_400.0
BATCH = 200  # records per transaction: few commits under load, small rollbacks on error
BUSY_TIMEOUT = 5.0  # seconds to wait for a database another process holds, then give up
WAIT_SECONDS = 5.0  # the longest flush() and close() wait for the writer thread, by default
IDLE_WAKE = 60.0  # seconds between checks for the daily prune when nothing is written
MAX_LOGGED = 20  # distinct error messages logged; later ones are only counted


@dataclass(frozen=True)
class StoreStats:
    enabled: bool
    pending: int  # records waiting in the queue
    written: int
    dropped: int  # queue full: never reached the database
    failed: int  # lost to a database error
    errors: int  # database errors (opening, writing, pruning)
    last_error: str | None


@dataclass(frozen=True)
class _Item:
    event: Event
    user: int | str | None  # the raw id lives only in memory, until the writer hashes it


class _Flush:
    def __init__(self) -> None:
        self.done = threading.Event()


_STOP = object()


class Writer:
    def __init__(
        self,
        path: Path,
        *,
        retention_days: int,
        salt: str | None,
        busy_timeout: float,
        queue_size: int,
        clock: Callable[[], float],
        on_voted: Callable[[set[str]], None],
    ) -> None:
        self.path = path
        self._retention = retention_days * DAY
        self._salt = salt
        self._busy_timeout = busy_timeout
        self._clock = clock
        self._on_voted = on_voted
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._lock = threading.Lock()
        self._written = self._dropped = self._failed = self._errors = 0
        self._last_error: str | None = None
        self._logged: set[str] = set()
        self._next_prune = 0.0
        self._thread = threading.Thread(target=self._run, name="faq-analytics-writer", daemon=True)
        self._thread.start()

    # --- caller side: never blocks, never raises -------------------------------------------

    def submit(self, event: Event, user: int | str | None = None) -> bool:
        try:
            self._queue.put_nowait(_Item(event, user))
            return True
        except queue.Full:
            with self._lock:
                self._dropped += 1
                first = self._dropped == 1
            if first:
                log.warning("analytics: the write queue is full; dropping records (counted in stats)")
            return False

    def flush(self, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until everything queued so far is written (or lost). Not for the event loop."""
        if not self._thread.is_alive():
            return False
        marker = _Flush()
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        return marker.done.wait(timeout)

    def close(self, timeout: float = WAIT_SECONDS) -> None:
        if not self._thread.is_alive():
            return
        try:
            self._queue.put(_STOP, timeout=timeout)
        except queue.Full:
            return  # daemon thread: it dies with the process
        self._thread.join(timeout)

    def stats(self) -> StoreStats:
        with self._lock:
            return StoreStats(
                True,
                self._queue.qsize(),
                self._written,
                self._dropped,
                self._failed,
                self._errors,
                self._last_error,
            )

    # --- writer thread -------------------------------------------------------------------------

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        stop = False
        while not stop:
            try:
                batch = [self._queue.get(timeout=IDLE_WAKE)]
            except queue.Empty:
                batch = []
            while batch and len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            items = [b for b in batch if isinstance(b, _Item)]
            stop = any(b is _STOP for b in batch)
            if items or self._clock() >= self._next_prune:
                conn = self._open(conn)
            if conn is not None and items:
                conn = self._write(conn, items)
            elif items:
                self._count(failed=len(items))
            if conn is not None and self._clock() >= self._next_prune:
                conn = self._prune(conn)
            for b in batch:
                if isinstance(b, _Flush):
                    b.done.set()
        if conn is not None:
            conn.close()

    def _open(self, conn: sqlite3.Connection | None) -> sqlite3.Connection | None:
        if conn is not None:
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout)
            schema.prepare(conn)
            if self._salt is None:
                self._salt = self._load_salt()
            self._on_voted(schema.voted_tokens(conn))
        except (sqlite3.Error, OSError) as exc:
            self._error("cannot open", exc)
            if conn is not None:
                conn.close()
            return None
        return self._prune(conn)  # prune on open, then daily

    def _load_salt(self) -> str:
        try:
            return load_salt(self.path)
        except OSError as exc:
            # Distinct users are then counted per run only; better than not answering.
            self._error("cannot keep the salt file", exc)
            return secrets.token_hex(32)

    def _write(self, conn: sqlite3.Connection, items: list[_Item]) -> sqlite3.Connection | None:
        salt = self._salt or ""
        events = [
            dataclasses.replace(i.event, user_hash=hash_user(salt, i.user))
            if isinstance(i.event, QuestionEvent)
            else i.event
            for i in items
        ]
        try:
            schema.write(conn, events)
        except (sqlite3.Error, OSError) as exc:
            self._error("cannot write", exc)
            self._count(failed=len(items))
            conn.close()  # reopened on the next batch: the file may have been fixed or unlocked
            return None
        self._count(written=len(items))
        return conn

    def _prune(self, conn: sqlite3.Connection) -> sqlite3.Connection | None:
        now = self._clock()
        try:
            schema.prune(conn, now - self._retention)
        except sqlite3.Error as exc:
            self._error("cannot prune", exc)
            conn.close()
            return None
        self._next_prune = now + DAY
        return conn

    def _count(self, written: int = 0, failed: int = 0) -> None:
        with self._lock:
            self._written += written
            self._failed += failed

    def _error(self, doing: str, exc: BaseException) -> None:
        message = f"{doing} {self.path}: {exc}"
        with self._lock:
            self._errors += 1
            self._last_error = message
            first = message not in self._logged and len(self._logged) < MAX_LOGGED
            if first:
                self._logged.add(message)
        if first:
            log.warning("analytics: %s (the bot keeps answering; errors are counted in stats)", message)
