"""Hot reload of the knowledge base: file watching, SIGHUP and /reload all end in `Reloader.reload`.

The new `Brain` is built completely in a worker thread (off the event loop, which keeps
answering meanwhile) and then replaces the one reference, `BotState.brain`: a handler reads that
reference once, so every question is answered wholly by the old or wholly by the new knowledge
base, never by half of each. An invalid file is refused with a log line naming file, line and
intent (`KnowledgeError`), and the previous knowledge base keeps serving.

The watcher polls the file's stat() (no extra dependency; a second's delay is fine for curators).
Editors often write a file in several steps, so a change is loaded only once the file has stayed
the same for one more poll; and a refused version is not tried again until the file changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faq import Brain, KnowledgeError
from faq.loader import default_path

log = logging.getLogger(__name__)

SETTLE_SECONDS = 0.5  # at most this long between the two looks that tell a file has settled

Signature = tuple[int, int, int] | None  # (inode, size, mtime_ns); None: the file is missing


class Holder(Protocol):
    """Where the brain in use lives (`BotState`): one attribute, read by every handler."""

    brain: Brain


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    path: Path
    intents: int  # in the knowledge base now serving
    previous: int  # in the one before (equal to `intents` when refused)
    error: KnowledgeError | None = None


def signature(path: Path) -> Signature:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class Reloader:
    """Owns reloading for one Application: `reload()`, `watch()`, and the SIGHUP handler."""

    def __init__(self, holder: Holder, path: Path | None, poll_seconds: float = 1.0) -> None:
        self.holder = holder
        self.path = path if path is not None else default_path()
        self.poll_seconds = poll_seconds
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Task[ReloadResult]] = set()
        self.loaded = signature(self.path)  # what the brain serving now was built from (roughly)

    @property
    def brain(self) -> Brain:
        return self.holder.brain

    async def reload(self, reason: str) -> ReloadResult:
        """Load the file again; swap it in if valid, else keep serving the old one. Never raises
        for a bad file. Reloads are serialised: two at once would only race to the same result."""
        async with self._lock:
            before = signature(self.path)
            old = self.brain
            try:
                new = await asyncio.to_thread(Brain.load, self.path)
            except KnowledgeError as exc:
                self.loaded = before  # don't retry this version until the file changes again
                log.warning("Reload (%s) refused, still serving the previous knowledge base. %s", reason, exc)
                n = len(old.kb.intents)
                return ReloadResult(False, self.path, n, n, exc)
            self.holder.brain = new  # the swap: one reference, replaced at once
            self.loaded = before
            result = ReloadResult(True, self.path, len(new.kb.intents), len(old.kb.intents))
            log.info(
                "Reloaded %s (%s): %d intents (was %d)", self.path, reason, result.intents, result.previous
            )
            return result

    # ---------------------------------------------------------------------------- watching

    async def check(self) -> ReloadResult | None:
        """One poll: reload if the file changed and has settled since the last poll."""
        now = signature(self.path)
        if now == self.loaded or now is None:  # unchanged, or mid-save (deleted and rewritten)
            return None
        await asyncio.sleep(min(self.poll_seconds, SETTLE_SECONDS))
        if signature(self.path) != now:  # still being written: look again next poll
            return None
        return await self.reload("file changed")

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.check()
            except Exception:  # never let the watcher die quietly
                log.exception("Watching %s failed; trying again", self.path)

    # ---------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start watching (unless poll_seconds is 0) and listen for SIGHUP. Call on the bot's loop."""
        loop = asyncio.get_running_loop()
        if self.poll_seconds > 0 and self._task is None:
            self._task = loop.create_task(self.watch(), name="intents-watcher")
            log.info("Watching %s for changes every %.1f s", self.path, self.poll_seconds)
        sighup = getattr(signal, "SIGHUP", None)
        if sighup is None:
            return
        try:
            loop.add_signal_handler(sighup, self._on_sighup)
        except (NotImplementedError, RuntimeError, ValueError) as exc:  # not the main thread, Windows
            log.debug("SIGHUP reload unavailable: %s", exc)
        else:
            self._signal_loop = loop

    def _on_sighup(self) -> None:
        task = asyncio.get_running_loop().create_task(self.reload("SIGHUP"))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def stop(self) -> None:
        if self._signal_loop is not None:
            with contextlib.suppress(Exception):
                self._signal_loop.remove_signal_handler(signal.SIGHUP)
            self._signal_loop = None
        tasks = [t for t in (self._task, *self._pending) if t is not None]
        self._task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
