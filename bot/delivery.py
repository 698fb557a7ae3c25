"""Crash-safe delivery: which updates the bot holds, and when Telegram may forget them.

`Delivery` keeps the journal (bot/journal.py) from the event loop's side. An update is `accept`ed
when it arrives, and `answered` when its handling is over; a background thread writes both to the
journal in group commits (one transaction, one fsync, for everything that arrived meanwhile), so
the event loop never waits for the disk. `durable()` waits until everything accepted or answered
so far is on disk: the bot awaits it before it confirms updates to Telegram (the next `getUpdates`,
or the 2xx to a webhook post) and before an update gives up its processing slot, so after a crash
the duplicates are at most the updates being handled at that moment (bot/confirming.py).

`accept` also recognises a redelivery (an update id the journal holds, waiting or recently
answered) so that it is not answered twice. On start, `replay` gives back the updates an earlier
run journaled and never answered, oldest first.

Bad days: a journal that cannot be opened (corrupt, locked by another process, unwritable) or that
fails later (disk full) is logged once; the bot then carries on as without a journal (confirming
on receipt) and says so. It never stops the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from telegram import Bot, Update

from bot.journal import JournalFile, Waiting

log = logging.getLogger(__name__)

KEEP_ANSWERED = 1000  # answered ids kept to recognise redeliveries (Telegram redelivers <= 100)
PRUNE_EVERY = 500  # answered marks between two prunes
MAX_ATTEMPTS = 3  # starts that may replay an update before it is given up (a poison pill)
IDLE_FLUSH = 1.0  # seconds: what nobody waits for is written after this at the latest


class Delivery:
    """The journal seen from the event loop. `accept`, `answered` and `waiting` are event-loop
    only; the writer thread shares nothing with it but the lists guarded by `_cond`."""

    def __init__(self, journal: JournalFile | None, *, replay: list[Waiting] | None = None,
                 answered: list[int] | None = None, problem: str | None = None) -> None:  # fmt: skip
        self._journal = journal
        self.path = journal.path if journal is not None else None
        self.problem = problem  # why the journal is off (None: on, or switched off by JOURNAL=off)
        self._replay = replay or []
        self._waiting: set[int] = {w.update_id for w in self._replay}
        self._answered: OrderedDict[int, None] = OrderedDict.fromkeys(answered or [])
        self._cond = threading.Condition()
        self._received: list[tuple[Update, dict[str, Any] | None, float]] = []
        self._raw: dict[int, dict[str, Any]] = {}  # fetched updates as Telegram sent them, by id
        self._answers: list[tuple[int, float]] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._busy = False
        self._closing = False
        self._since_prune = 0
        self._thread: threading.Thread | None = None
        if journal is not None:
            self._thread = threading.Thread(target=self._run, name="delivery-journal", daemon=True)
            self._thread.start()

    @classmethod
    def open(cls, path: Path) -> Delivery:
        """The journal at `path`, or a Delivery that is off (logged once) if it cannot be used."""
        path = path.absolute()
        try:
            journal = JournalFile(path)
        except (sqlite3.Error, OSError) as exc:
            delivery = cls(None, problem=str(exc))
            delivery._log_fallback(path, exc)
            return delivery
        try:
            contents, given_up = journal.start(MAX_ATTEMPTS)
        except sqlite3.Error as exc:
            journal.close()
            delivery = cls(None, problem=str(exc))
            delivery._log_fallback(path, exc)
            return delivery
        if given_up:
            log.warning(
                "Gave up on %d update(s) left in the journal (update ids %s): %d starts in a row "
                "ended before they were answered",
                len(given_up),
                ", ".join(map(str, given_up[:20])),
                MAX_ATTEMPTS,
            )
        log.info("Delivery journal on: %s (%d updates to finish)", path, len(contents.waiting))
        return cls(journal, replay=contents.waiting, answered=contents.answered)

    @classmethod
    def off(cls) -> Delivery:
        """No journal (JOURNAL=off): updates are confirmed on receipt, as python-telegram-bot does."""
        return cls(None)

    # ------------------------------------------------------------------------------ event loop

    @property
    def enabled(self) -> bool:
        return self._journal is not None and self.problem is None

    @property
    def waiting(self) -> int:
        """Updates journaled and not yet answered."""
        return len(self._waiting) if self.enabled else 0

    def fetched(self, raw: dict[str, Any]) -> None:
        """An update as `getUpdates` returned it, about to be `accept`ed: journaling the JSON as
        Telegram sent it costs a tenth of turning the parsed `Update` back into JSON."""
        if self.enabled and isinstance(raw.get("update_id"), int):
            self._raw[raw["update_id"]] = raw

    def accept(self, update: Update) -> bool:
        """Journal a newly arrived update; False for a redelivery the journal already holds."""
        update_id = update.update_id
        raw = self._raw.pop(update_id, None)
        if not self.enabled:
            return True
        if update_id in self._waiting or update_id in self._answered:
            log.debug("Update %d was delivered again; it is already in the journal", update_id)
            return False
        self._waiting.add(update_id)
        with self._cond:  # written when someone waits for the disk (`durable`), not before
            self._received.append((update, raw, time.time()))
        return True

    def answered(self, update: object) -> None:
        """Its handling is over: a restart must not answer it again."""
        if self.enabled and isinstance(update, Update):
            self._mark_answered(update.update_id)

    def _mark_answered(self, update_id: int) -> None:
        self._waiting.discard(update_id)
        self._answered[update_id] = None
        while len(self._answered) > KEEP_ANSWERED:
            self._answered.popitem(last=False)
        with self._cond:
            self._answers.append((update_id, time.time()))

    async def finish(self, update: object) -> None:
        """`answered`, then wait for the disk: what an update does before it leaves its slot."""
        self.answered(update)
        await self.durable()

    async def durable(self) -> None:
        """Wait until everything accepted or answered so far is on disk (or the journal is off)."""
        if not self.enabled:
            return
        with self._cond:
            if not (self._received or self._answers or self._busy):
                return
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(future)
            self._cond.notify()
        await future

    def replay(self, bot: Bot | None) -> list[Update]:
        """The updates an earlier run journaled and never answered, oldest first (once)."""
        pending, self._replay = self._replay, []
        updates = []
        for entry in pending:
            try:
                update = Update.de_json(json.loads(entry.payload), bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("Update %d in the journal cannot be read (%r); skipped", entry.update_id, exc)
                self._mark_answered(entry.update_id)
                continue
            updates.append(update)
        if updates:
            log.info("Finishing %d update(s) left in the journal by the last run", len(updates))
        return updates

    def status(self) -> dict[str, Any]:
        """For the health endpoint: is the journal on, and how many updates wait in it."""
        if self.enabled:
            return {"journal": "on", "waiting": self.waiting}
        return {"journal": "failed" if self.problem is not None else "off", "waiting": None}

    def close(self) -> None:
        """Write what is left and close the file (blocks: call it off the event loop)."""
        if self._thread is None:
            return
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()
        self._thread = None

    # ------------------------------------------------------------------------------ writer thread

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._waiters or self._closing):
                    if not self._cond.wait(IDLE_FLUSH) and (self._received or self._answers):
                        break  # nobody waited for a while: write anyway
                received, self._received = self._received, []
                answers, self._answers = self._answers, []
                waiters, self._waiters = self._waiters, []
                closing = self._closing
                self._busy = True
            if received or answers:
                self._write(received, answers)
            with self._cond:
                self._busy = False
            _wake(waiters)
            if closing and not (received or answers or waiters):
                break
        if self._journal is not None:
            self._journal.close()

    def _write(
        self, received: list[tuple[Update, dict[str, Any] | None, float]], answers: list[tuple[int, float]]
    ) -> None:
        journal = self._journal
        if journal is None or self.problem is not None:
            return
        try:
            rows = [(u.update_id, json.dumps(raw) if raw else u.to_json(), at) for u, raw, at in received]
            journal.write(rows, answers)
            self._since_prune += len(answers)
            if self._since_prune >= PRUNE_EVERY:
                self._since_prune = 0
                journal.prune(KEEP_ANSWERED)
        except (sqlite3.Error, OSError) as exc:
            self.problem = str(exc)
            self._log_fallback(journal.path, exc)
            with self._cond:  # nothing more is written: whoever waits for the disk goes on
                self._received.clear()
                self._answers.clear()

    def _log_fallback(self, path: Path, exc: BaseException) -> None:
        log.error(
            "The delivery journal %s cannot be used (%s). Falling back to confirming updates to "
            "Telegram as soon as they arrive, as without a journal: the bot keeps answering, but a "
            "crash now loses the updates it is handling. %s",
            path,
            exc,
            _advice(exc),
        )


def _advice(exc: BaseException) -> str:
    text = str(exc).lower()
    if "locked" in text:
        return "Another process holds it: run one bot per STATE_DIR, then restart."
    if "full" in text:
        return "Free disk space, then restart the bot."
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return "Move the damaged file away (a new one is created), then restart the bot."
    return "Fix the file or STATE_DIR, then restart the bot."


def _wake(waiters: list[asyncio.Future[None]]) -> None:
    if not waiters:
        return
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        waiters[0].get_loop().call_soon_threadsafe(_resolve, waiters)


def _resolve(waiters: list[asyncio.Future[None]]) -> None:
    for future in waiters:
        if not future.done():
            future.set_result(None)
