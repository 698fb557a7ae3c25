"""Restart: SIGTERM in the middle of a burst of 300 messages, then start again. Every message is
answered, before the exit or after the restart (its update was never confirmed); none is lost,
and duplicates are counted (and, with a clean stop, there are none)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest

from fake_bot_api import TOKEN_SECRET, FakeBotApi
from tests.reliability_support import write_burst
from tests.test_bot_process import running_bot, stop

BURST = 300
RATE = 100  # messages per second: people keep writing while the bot goes down


@pytest.mark.slow(13)
def test_sigterm_mid_burst_then_restart_loses_nothing(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    users = list(range(80_001, 80_001 + BURST))
    with FakeBotApi() as api, ExitStack() as processes:
        first = processes.enter_context(running_bot(tmp_path, api, log))
        api.wait_for(lambda a: bool(a.calls_of("getUpdates")), timeout=30)
        down = threading.Event()
        writer = write_burst(api, users, RATE, down)
        api.wait_for(lambda a: len(a.sent()) >= 60, timeout=30)  # mid-burst
        assert first.poll() is None
        code = stop(first)
        stopped_at = time.monotonic()
        down.set()
        writer.join()
        before = len(api.sent())
        assert code == 0
        assert before < BURST, "the burst was over before SIGTERM: nothing was tested"

        second = processes.enter_context(running_bot(tmp_path, api, log))
        try:
            api.wait_for(lambda a: len({m["chat_id"] for m in a.sent()}) >= BURST, timeout=40)
            time.sleep(0.5)  # any duplicate would arrive now
        finally:
            assert stop(second) == 0
        sent = api.sent()
        after_restart = [c for c in api.calls_of("sendMessage") if c.ok and c.at > stopped_at]

    per_user = Counter(m["chat_id"] for m in sent)
    lost = [u for u in users if per_user[u] == 0]
    duplicates = sum(n - 1 for n in per_user.values() if n > 1)
    print(
        f"\nrestart: {BURST} messages, {before} answered before SIGTERM exit, "
        f"{len(after_restart)} after restart, {duplicates} duplicates, {len(lost)} lost"
    )
    assert lost == []
    assert set(per_user) == set(users)
    assert after_restart, "nothing was left for the second run: the restart path was not tested"
    assert duplicates == 0  # a clean stop confirms exactly the updates it answered
    assert all(m["text"].startswith("<b>What is dystonia?</b>") for m in sent)
    output = log.read_text()
    assert "Traceback" not in output and TOKEN_SECRET not in output
