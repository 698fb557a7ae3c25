"""Crash-safe delivery: which updates the bot holds, and when Telegram may forget them.

`Delivery` keeps the journal (bot/journal.py) from the event loop's side. An update is `accept`ed
when it arrives and marked answered when its handling `end`s; a background thread writes both in
group commits (bot/journal_writer.py), so the event loop never waits for the disk. `durable()`
waits until everything accepted or answered so far is on disk: the bot awaits it before it
confirms updates to Telegram (the next `getUpdates`, or the 2xx to a webhook post; see
bot/confirming.py).

In flight: an update takes a token when its handling `begin`s and gives it back only once its
answered mark is on disk. With `limit_in_flight(n)` tokens, a crash can make the bot answer at
most n updates twice (those it was handling, or had answered without recording it yet). The
processor (bot/processing.py) uses 2 x CONCURRENT_UPDATES: while one round of answers is being
recorded, the next round is already being handled, so recording costs no throughput.

`accept` also recognises a redelivery (an update id the journal holds, waiting or recently
answered) so that it is not answered twice. On start, `replay` gives back the updates an earlier
run journaled and never answered, oldest first.

Bad days: a journal that cannot be opened (corrupt, locked by another process, unwritable) or that
fails later (disk full) is logged once; the bot then carries on as without a journal (confirming
on receipt) and says so. It never stops the bot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections import OrderedDict, deque
from pathlib import Path
from typing import Any

from telegram import Bot, Update

from bot.journal import JournalFile, Waiting
from bot.journal_writer import JournalWriter

log = logging.getLogger(__name__)

KEEP_ANSWERED = 1000  # answered ids kept to recognise redeliveries (Telegram redelivers <= 100)
MAX_ATTEMPTS = 3  # starts that may replay an update before it is given up (a poison pill)
DEFAULT_IN_FLIGHT = 16  # until `limit_in_flight` says otherwise


class Delivery:
    """The journal seen from the event loop (all methods but `close` run on it)."""

    def __init__(self, journal: JournalFile | None, *, replay: list[Waiting] | None = None,
                 answered: list[int] | None = None, problem: str | None = None) -> None:  # fmt: skip
        self.path = journal.path if journal is not None else None
        self.problem = problem  # why the journal failed (None: it works, or JOURNAL=off)
        self._replay = replay or []
        self._waiting: set[int] = {w.update_id for w in self._replay}
        self._answered: OrderedDict[int, None] = OrderedDict.fromkeys(answered or [])
        self._raw: dict[int, dict[str, Any]] = {}  # fetched updates as Telegram sent them, by id
        self._free = 0  # in-flight tokens left (see `limit_in_flight`)
        self._token_waiters: deque[asyncio.Future[bool]] = deque()
        self._writer: JournalWriter | None = None
        if journal is not None:
            self._writer = JournalWriter(
                journal, keep_answered=KEEP_ANSWERED, on_commit=self._give_back, on_failure=self._failed
            )
        self.limit_in_flight(DEFAULT_IN_FLIGHT)

    @classmethod
    def open(cls, path: Path) -> Delivery:
        """The journal at `path`, or a Delivery that is off (logged once) if it cannot be used."""
        path = path.absolute()
        try:
            journal = JournalFile(path)
        except (sqlite3.Error, OSError) as exc:
            return cls._unusable(path, exc)
        try:
            contents, given_up = journal.start(MAX_ATTEMPTS)
        except sqlite3.Error as exc:
            journal.close()
            return cls._unusable(path, exc)
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
    def _unusable(cls, path: Path, exc: BaseException) -> Delivery:
        delivery = cls(None, problem=str(exc))
        _log_fallback(path, exc)
        return delivery

    @classmethod
    def off(cls) -> Delivery:
        """No journal (JOURNAL=off): updates are confirmed on receipt, as python-telegram-bot does."""
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self._writer is not None and self.problem is None

    @property
    def waiting(self) -> int:
        """Updates journaled and not yet answered."""
        return len(self._waiting) if self.enabled else 0

    def status(self) -> dict[str, Any]:
        """For the health endpoint: is the journal on, and how many updates wait in it."""
        if self.enabled:
            return {"journal": "on", "waiting": self.waiting}
        return {"journal": "failed" if self.problem is not None else "off", "waiting": None}

    # ------------------------------------------------------------------------------ arriving

    def fetched(self, raw: dict[str, Any]) -> None:
        """An update as `getUpdates` returned it, about to be `accept`ed: journaling the JSON as
        Telegram sent it costs a tenth of turning the parsed `Update` back into JSON."""
        if self.enabled and isinstance(raw.get("update_id"), int):
            self._raw[raw["update_id"]] = raw

    def accept(self, update: Update) -> bool:
        """Journal a newly arrived update; False for a redelivery the journal already holds."""
        update_id = update.update_id
        raw = self._raw.pop(update_id, None)
        if not self.enabled or self._writer is None:
            return True
        if update_id in self._waiting or update_id in self._answered:
            log.debug("Update %d was delivered again; it is already in the journal", update_id)
            return False
        self._waiting.add(update_id)
        self._writer.received(update, raw)  # written when someone waits for the disk
        return True

    async def durable(self) -> None:
        """Wait until everything accepted or answered so far is on disk (or the journal is off)."""
        if self.enabled and self._writer is not None:
            await self._writer.durable()

    def replay(self, bot: Bot | None) -> list[Update]:
        """The updates an earlier run journaled and never answered, oldest first (once)."""
        pending, self._replay = self._replay, []
        updates = []
        for entry in pending:
            try:
                update = Update.de_json(json.loads(entry.payload), bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("Update %d in the journal cannot be read (%r); skipped", entry.update_id, exc)
                self._mark_answered(entry.update_id, token=False)
                continue
            updates.append(update)
        if updates:
            log.info("Finishing %d update(s) left in the journal by the last run", len(updates))
        return updates

    # ------------------------------------------------------------------------------ in flight

    def limit_in_flight(self, tokens: int) -> None:
        """At most `tokens` updates between being taken for handling and their answered mark being
        on disk: the most a crash can make the bot answer twice."""
        self._free = tokens
        if self._writer is not None:
            self._writer.eager = max(1, tokens // 4)  # record answers well before the tokens run out

    async def begin(self) -> bool:
        """Take an in-flight token (waiting, if need be, for answered marks to reach the disk).
        False: the journal is off, nothing to give back."""
        if not self.enabled or self._writer is None:
            return False
        self._writer.bind(asyncio.get_running_loop())
        if self._free > 0 and not self._token_waiters:
            self._free -= 1
            return True
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._token_waiters.append(future)
        self._writer.flush_soon(True)
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled() and future.result():
                self._give_back(1)  # got one just as we were cancelled
            raise

    def end(self, update: object, *, token: bool, handled: bool) -> None:
        """Handling is over (`handled`) or was abandoned: record the answer; the token comes back
        once that record is on disk."""
        if handled and self.enabled and isinstance(update, Update):
            self._mark_answered(update.update_id, token=token)
        elif token:
            self._give_back(1)

    def answered(self, update: object) -> None:
        """Record an answer outside the in-flight accounting (tests)."""
        self.end(update, token=False, handled=True)

    def _mark_answered(self, update_id: int, *, token: bool) -> None:
        self._waiting.discard(update_id)
        self._answered[update_id] = None
        while len(self._answered) > KEEP_ANSWERED:
            self._answered.popitem(last=False)
        if self._writer is not None and self.enabled:
            self._writer.answered(update_id, token=token)
        elif token:
            self._give_back(1)

    def _give_back(self, tokens: int) -> None:
        self._free += tokens
        while self._token_waiters and (self._free > 0 or not self.enabled):
            future = self._token_waiters.popleft()
            if future.done():
                continue
            if self.enabled:
                self._free -= 1
            future.set_result(self.enabled)
        if not self._token_waiters and self._writer is not None:
            self._writer.flush_soon(False)

    def _failed(self, exc: BaseException) -> None:
        """From the writer thread, once: carry on without the journal."""
        self.problem = str(exc)
        _log_fallback(self.path or Path("?"), exc)

    def close(self) -> None:
        """Write what is left and close the file (blocks: call it off the event loop)."""
        if self._writer is not None:
            self._writer.close()


def _log_fallback(path: Path, exc: BaseException) -> None:
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
