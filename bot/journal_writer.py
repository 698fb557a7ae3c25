"""The thread that owns the journal file (bot/journal.py): the event loop never waits for the disk.

The event loop hands over new updates (`received`) and answered marks (`answered`) without
blocking; the thread writes them in group commits: one transaction, and one fsync, for everything
handed over since the last one. It commits when someone waits for the disk (`durable`, or
`flush_soon` when an update waits for an in-flight token), when `eager` answered marks holding
in-flight tokens are waiting (so tokens come back before they run out), and at the latest after
`IDLE_FLUSH`.

After each commit it calls back on the event loop (`on_commit(n)`) with the number of answered
marks now on disk that held an in-flight token (bot/delivery.py gives those tokens back). A write
that fails (disk full, file locked) calls `on_failure` once, from this thread, then `on_commit` on
the event loop; nothing more is written, and whoever waits for the disk is let go.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.journal import JournalFile

IDLE_FLUSH = 1.0  # seconds: what nobody waits for is written after this at the latest
PRUNE_EVERY = 500  # answered marks between two prunes

Received = tuple[Update, dict[str, Any] | None, float]  # the update, its JSON as received, when


class JournalWriter:
    def __init__(
        self,
        journal: JournalFile,
        *,
        keep_answered: int,
        on_commit: Callable[[int], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self._journal = journal
        self._keep_answered = keep_answered
        self._on_commit = on_commit
        self._on_failure = on_failure
        self._loop: asyncio.AbstractEventLoop | None = None
        self._cond = threading.Condition()
        self._received: list[Received] = []
        self._answers: list[tuple[int, float, bool]] = []  # (update id, when, held a token)
        self._waiters: list[asyncio.Future[None]] = []
        self._starved = False  # an update waits for an in-flight token: commit answered marks
        self.eager = 1 << 30  # commit once this many answered marks hold tokens (set by Delivery)
        self._token_marks = 0  # answered marks waiting to be written that hold a token
        self._busy = False
        self._closing = False
        self._failed = False
        self._failure_untold = False  # the event loop has not heard of the failure yet
        self._since_prune = 0
        self._thread = threading.Thread(target=self._run, name="delivery-journal", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------------------ event loop

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def received(self, update: Update, raw: dict[str, Any] | None) -> None:
        with self._cond:
            self._received.append((update, raw, time.time()))

    def answered(self, update_id: int, *, token: bool) -> None:
        with self._cond:
            self._answers.append((update_id, time.time(), token))
            self._token_marks += token
            if self._starved or self._token_marks >= self.eager:
                self._cond.notify()

    def flush_soon(self, starved: bool) -> None:
        """An update waits for an in-flight token (True), or no longer does (False)."""
        with self._cond:
            self._starved = starved
            if starved:
                self._cond.notify()

    async def durable(self) -> None:
        """Wait until everything handed over so far is on disk (or writing has failed)."""
        with self._cond:
            if self._failed or not (self._received or self._answers or self._busy):
                return
            self._loop = self._loop or asyncio.get_running_loop()
            future: asyncio.Future[None] = self._loop.create_future()
            self._waiters.append(future)
            self._cond.notify()
        await future

    def close(self) -> None:
        """Write what is left, close the file, end the thread (blocks: call it off the event loop)."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()

    # ------------------------------------------------------------------------------ the thread

    def _due(self) -> bool:
        marks = (self._starved and self._answers) or self._token_marks >= self.eager
        return bool(self._waiters or self._closing or marks)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due():
                    if not self._cond.wait(IDLE_FLUSH) and (self._received or self._answers):
                        break  # nobody waited for a while: write anyway
                received, self._received = self._received, []
                answers, self._answers = self._answers, []
                self._token_marks = 0
                waiters, self._waiters = self._waiters, []
                closing = self._closing
                self._busy = True
            tokens = self._write(received, answers) if received or answers else 0
            with self._cond:
                self._busy = False
            self._call_back(waiters, tokens)
            if closing and not (received or answers or waiters):
                break
        self._journal.close()

    def _write(self, received: list[Received], answers: list[tuple[int, float, bool]]) -> int:
        """Commit; returns how many of the answered marks held a token (all of them on failure:
        the tokens are given back either way)."""
        tokens = sum(1 for _, _, token in answers if token)
        if self._failed:
            return tokens
        try:
            rows = [(u.update_id, json.dumps(raw) if raw else u.to_json(), at) for u, raw, at in received]
            self._journal.write(rows, ((update_id, at) for update_id, at, _ in answers))
            self._since_prune += len(answers)
            if self._since_prune >= PRUNE_EVERY:
                self._since_prune = 0
                self._journal.prune(self._keep_answered)
        except (sqlite3.Error, OSError) as exc:
            with self._cond:
                self._failed = self._failure_untold = True
                tokens += sum(1 for _, _, token in self._answers if token)
                self._received.clear()
                self._answers.clear()
            self._on_failure(exc)
        return tokens

    def _call_back(self, waiters: list[asyncio.Future[None]], tokens: int) -> None:
        loop = self._loop
        untold, self._failure_untold = self._failure_untold, False
        if loop is None or not (waiters or tokens or untold):
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(self._committed, waiters, tokens)

    def _committed(self, waiters: list[asyncio.Future[None]], tokens: int) -> None:
        for future in waiters:
            if not future.done():
                future.set_result(None)
        self._on_commit(tokens)
