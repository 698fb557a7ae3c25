"""`python -m benchmarks.bot_load`: the Telegram bot under load, against the stand-in Bot API.

The bot runs in this process exactly as `python -m bot` builds it (`build_application`, long
polling); the stand-in (fake_bot_api/) runs in a child process, so the two do not share a
GIL. Latency is measured inside the bot: from the moment an update enters the Application's
update queue to the moment its reply reaches the API (time.monotonic() is one system-wide clock
on Linux, so the child's arrival times compare with ours).

Scenarios (rate limiter off unless said; "sequential" is the old one-update-at-a-time baseline,
"concurrent N" the per-chat ordered processing with N updates at once, N=8 by default):

* burst     1,000 different users, one message each, within one second, a realistic mix (typos,
            off-topic, commands): every one answered exactly once, with the brain's answer;
* capacity  3,000 messages waiting at once: sustained messages per second, for several N;
* steady    100 messages per second for 6 s: the latency the bot adds at a realistic load;
* rtt50     500 messages waiting, each reply taking 50 ms at the API, as a distant Telegram would:
            what concurrency is for (the stand-in on localhost answers in well under 1 ms);
* limited   (unless --quick) the 1,000-user burst with the rate limiter on, as in production:
            Telegram's ~30 messages/s is then the bottleneck.

Every scenario runs with the delivery journal on, as in production (a fresh journal in a scratch
directory); the default setting's rows are run again with JOURNAL=off, to show what crash safety
costs (the "journal" column, and the comparison under the table).

Peak memory is the process's high-water mark (VmHWM, reset before each scenario where Linux allows).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import platform
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update

from benchmarks.workload import expected_texts, question_mix
from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from fake_bot_api import TOKEN, FakeBotApi
from faq import Brain
from faq.analytics import AnalyticsStore
from faq.evaluation import percentile

BOT_USERNAME = "dystonia_faq_bot"
TARGET_CAPACITY = 500.0  # messages/s
TARGET_P99_MS = 20.0  # at 100 messages/s
TARGET_RSS_MB = 150.0
TELEGRAM_LIMIT = 30  # messages per second to different chats, per bot


# ---------------------------------------------------------------------------------- the stand-in


def _serve(conn: Connection) -> None:
    """Child process: a FakeBotApi driven by commands over a pipe."""
    with FakeBotApi() as api:
        conn.send(api.base_url)
        while True:
            command, *args = conn.recv()
            if command == "stop":
                conn.send(None)
                return
            if command == "queue":  # [(user_id, text)], over `seconds`, in a thread
                messages, seconds = args
                threading.Thread(target=_feed, args=(api, messages, seconds), daemon=True).start()
                conn.send(None)
            elif command == "wait_sent":
                n, timeout = args
                conn.send(_wait_sent(api, n, timeout))
            elif command == "rtt":  # every reply takes this long, like a distant Telegram
                api.delay("sendMessage", args[0], times=1 << 30)
                conn.send(None)
            elif command == "sends":
                conn.send(
                    [
                        (c.params.get("chat_id"), c.params.get("text"), c.at)
                        for c in api.calls
                        if c.ok and c.method in ("sendMessage", "editMessageText")
                    ]
                )
            elif command == "problems":
                conn.send((len(api.rejected), len(api.errors), api.pending_updates))


def _wait_sent(api: FakeBotApi, n: int, timeout: float) -> bool:
    """Poll, rather than `api.wait_for`: that re-scans every call on each request, which would
    slow the stand-in down under load and so distort the figures."""
    deadline = time.monotonic() + timeout
    while len(api.sent()) < n:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _feed(api: FakeBotApi, messages: list[tuple[int, str]], seconds: float) -> None:
    start = time.monotonic()
    for i, (user, text) in enumerate(messages):
        due = start + seconds * i / max(1, len(messages))
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        api.message(text, user_id=user)


class StandIn:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        self.base_url: str = self.conn.recv()

    def call(self, *command: Any) -> Any:
        self.conn.send(command)
        return self.conn.recv()

    async def acall(self, *command: Any) -> Any:
        return await asyncio.to_thread(self.call, *command)

    def close(self) -> None:
        self.call("stop")
        self.process.join(5)


# ---------------------------------------------------------------------------------- measuring


@dataclass
class Result:
    scenario: str
    mode: str
    messages: int
    journal: bool = True
    answered: int = 0
    wrong: int = 0
    duplicates: int = 0
    lost: int = 0
    seconds: float = 0.0  # first update received -> last reply at the API
    latencies_ms: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    cpu_seconds: float = 0.0  # the bot process's CPU time (all its threads) for the whole run
    problems: str = ""

    @property
    def cpu_ms(self) -> float:
        """CPU per answered message in the bot's process: what capacity costs without the stand-in."""
        return 1000 * self.cpu_seconds / self.answered if self.answered else float("nan")

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q) if self.latencies_ms else float("nan")


def reset_peak_rss() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass  # not Linux, or not allowed: the peak is then the whole run's


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


async def run_scenario(
    name: str,
    mode: str,
    brain: Brain,
    messages: list[tuple[int, str]],
    seconds: float,
    *,
    concurrency: int,
    rate_limiter: bool,
    rtt: float = 0.0,
    check: bool,
    timeout: float,
    journal: bool = True,
) -> Result:
    standin = StandIn()
    received: dict[int, float] = {}
    scratch = Path(tempfile.mkdtemp(prefix="bot-load-"))
    settings = Settings(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=standin.base_url,
        rate_limiter=rate_limiter,
        concurrent_updates=concurrency,
        journal=journal,
        state_dir=scratch,
    )  # the other settings as in production: throttling on, the intents watcher on
    # Analytics and the journal on, as in production, but in a scratch directory.
    store = AnalyticsStore(scratch / "analytics.sqlite3")
    app = build_application(settings, brain, store)
    queue = app.update_queue
    original_put = queue.put

    async def timed_put(item: object) -> None:
        if isinstance(item, Update) and item.effective_chat is not None:
            received.setdefault(item.effective_chat.id, time.monotonic())
        await original_put(item)

    queue.put = timed_put  # type: ignore[method-assign]
    expected = {user: expected_texts(brain, text, BOT_USERNAME) for user, text in messages} if check else {}
    total = sum(len(v) for v in expected.values()) if check else len(messages)
    counter = CountingHandler()
    logging.getLogger().addHandler(counter)
    reset_peak_rss()
    try:
        async with app:
            assert app.post_init is not None and app.updater is not None
            await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            if rtt:
                await standin.acall("rtt", rtt)
            cpu_start = time.process_time()
            await standin.acall("queue", messages, seconds)
            done = await standin.acall("wait_sent", total, timeout)
            cpu_seconds = time.process_time() - cpu_start
            await asyncio.sleep(0.3)  # a duplicate would show now
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        if app.post_shutdown is not None:  # closes the analytics store
            await app.post_shutdown(app)
        sends: list[tuple[int, str, float]] = await standin.acall("sends")
        rejected, errors, pending = await standin.acall("problems")
    finally:
        logging.getLogger().removeHandler(counter)
        standin.close()
    result = Result(name, mode, len(messages), journal, peak_rss_mb=peak_rss_mb(), cpu_seconds=cpu_seconds)
    by_chat: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for chat_id, text, at in sends:
        by_chat[chat_id].append((text, at))
    result.answered = sum(1 for user, _ in messages if by_chat.get(user))
    result.lost = len(messages) - result.answered
    if check:
        for user, want in expected.items():
            got = [t for t, _ in by_chat.get(user, [])]
            if len(got) > len(want):
                result.duplicates += len(got) - len(want)
            if got and got[: len(want)] != want:
                result.wrong += 1
    first_in = min(received.values(), default=0.0)
    last_out = max((at for _, _, at in sends), default=first_in)
    result.seconds = last_out - first_in
    result.latencies_ms = [
        (by_chat[user][0][1] - received[user]) * 1000
        for user, _ in messages
        if user in received and by_chat.get(user)
    ]
    problems = []
    if not done:
        problems.append("timed out")
    if rejected or errors or pending:
        problems.append(f"{rejected} rejected, {errors} stand-in errors, {pending} pending")
    if counter.counts:
        problems.append(", ".join(f"{n} {level}" for level, n in counter.counts.items()))
    result.problems = "; ".join(problems)
    return result


def _scenario_child(conn: Connection, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    name, mode, messages = args
    conn.send(asyncio.run(run_scenario(name, mode, Brain.load(), messages, **kwargs)))


def in_fresh_process(*args: Any, **kwargs: Any) -> Result:
    """Each scenario in a new process, as a freshly started bot: memory figures stay comparable."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_scenario_child, args=(child, args, kwargs))
    process.start()
    result: Result = parent.recv()
    process.join(10)
    return result


# ---------------------------------------------------------------------------------- report


def users(first: int, texts: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(texts, start=first))


def row(r: Result) -> str:
    correct = f"{r.wrong}" if r.scenario in ("burst", "limited") else "-"
    return (
        f"| {r.scenario:<8} | {r.mode:<10} | {'on' if r.journal else 'off':<7} | {r.messages:>5} | "
        f"{r.answered:>5} | {correct:>5} | "
        f"{r.duplicates:>4} | {r.lost:>4} | {r.seconds:>6.2f} | {r.rate:>7.0f} | {r.p(50):>7.1f} | "
        f"{r.p(99):>7.1f} | {r.peak_rss_mb:>6.0f} | {r.cpu_ms:>6.2f} | {r.problems or 'none'} |"
    )


async def main_async(args: argparse.Namespace) -> list[Result]:
    default = Settings.model_fields["concurrent_updates"].default
    mix = question_mix(1000, seed=11)
    plain = [q for q in question_mix(4000, seed=12) if not q.startswith("/")]
    modes = [(1, "sequential"), (default, f"concurrent {default}")]
    results = []

    async def run(name: str, mode: str, concurrency: int, first: int, texts: list[str], **kw: Any) -> None:
        print(f"... {name} ({mode}, journal {'on' if kw.get('journal', True) else 'off'})", flush=True)
        kw.setdefault("rate_limiter", False)
        kw.setdefault("check", False)
        msgs = users(first, texts)
        results.append(
            await asyncio.to_thread(in_fresh_process, name, mode, msgs, concurrency=concurrency, **kw)
        )

    if args.journal_cost:  # only the on/off pairs at the default setting, alternately, N times
        for _ in range(args.journal_cost):
            for journal in (False, True):
                await run("burst", modes[1][1], default, 100_000, mix, seconds=1.0, check=True, timeout=120,
                          journal=journal)  # fmt: skip
                await run("capacity", modes[1][1], default, 200_000, plain[: args.capacity], seconds=0.0,
                          timeout=180, journal=journal)  # fmt: skip
                steady = plain[: args.steady_seconds * 100]
                await run("steady", modes[1][1], default, 300_000, steady,
                          seconds=float(args.steady_seconds), timeout=60, journal=journal)  # fmt: skip
        return results
    journals = {default: (True, False), 1: (True,)}  # JOURNAL=off again at the default setting
    for concurrency, mode in modes:
        for journal in journals[concurrency]:
            await run("burst", mode, concurrency, 100_000, mix, seconds=1.0, check=True, timeout=120,
                      journal=journal)  # fmt: skip
    for concurrency in sorted({1, 4, default, 16, 64}):
        mode = "sequential" if concurrency == 1 else f"concurrent {concurrency}"
        for journal in journals.get(concurrency, (True,)):
            await run("capacity", mode, concurrency, 200_000, plain[: args.capacity], seconds=0.0,
                      timeout=180, journal=journal)  # fmt: skip
    for concurrency, mode in modes:
        steady = plain[: args.steady_seconds * 100]
        for journal in journals[concurrency]:
            await run("steady", mode, concurrency, 300_000, steady, seconds=float(args.steady_seconds),
                      timeout=60, journal=journal)  # fmt: skip
    for concurrency, mode in modes:
        for journal in journals[concurrency]:
            await run("rtt50", mode, concurrency, 400_000, plain[:500], seconds=0.0, rtt=0.05, timeout=120,
                      journal=journal)  # fmt: skip
    if not args.quick:
        await run("limited", modes[1][1], default, 500_000, mix, seconds=1.0, rate_limiter=True, check=True,
                  timeout=120)  # fmt: skip
    return results


def report(results: list[Result]) -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}; "
        "bot and stand-in in separate processes.",
        "Latency = update in the bot's queue -> reply at the API, in ms. 'wrong' = replies that differ "
        "from what the brain gives for that question. CPU ms = the bot process's CPU time per answered "
        "message.",
        "",
        "| scenario | processing | journal | msgs  | answd | wrong | dupl | lost | secs   | msg/s   "
        "| p50 ms  | p99 ms  | RSS MB | CPU ms | problems |",
        "|----------|------------|---------|-------|-------|-------|------|------|--------|---------"
        "|---------|---------|--------|--------|----------|",
        *[row(r) for r in results],
        "",
    ]
    capacity = {r.mode: r.rate for r in results if r.scenario == "capacity" and r.journal}
    best = max(capacity, key=lambda mode: capacity[mode], default="")
    default = Settings.model_fields["concurrent_updates"].default
    cap = capacity.get(f"concurrent {default}", 0.0)
    steady = next(
        (r for r in results if r.scenario == "steady" and r.mode != "sequential" and r.journal), None
    )
    rss = max((r.peak_rss_mb for r in results), default=0)
    lines.append(
        f"Capacity at the default CONCURRENT_UPDATES={default} (rate limiter off): {cap:.0f} msg/s — "
        f"target >= {TARGET_CAPACITY:.0f}: {'met' if cap >= TARGET_CAPACITY else 'NOT met'} "
        f"(best in this run: {best}, {capacity.get(best, 0):.0f} msg/s); "
        f"{cap / TELEGRAM_LIMIT:.0f}x Telegram's ~{TELEGRAM_LIMIT} msg/s per bot."
    )
    cap_run = next(
        (r for r in results if r.mode == f"concurrent {default}" and r.scenario == "capacity" and r.journal),
        None,
    )
    if cap_run is not None:
        lines.append(
            f"The stand-in shares the 2 cores. The bot's own CPU per message in that run is "
            f"{cap_run.cpu_ms:.2f} ms: one process on a core of its own could answer about "
            f"{1000 / cap_run.cpu_ms:.0f} msg/s."
        )
    if steady is not None:
        p99 = steady.p(99)
        lines.append(
            f"p99 latency at 100 msg/s ({steady.mode}): {p99:.1f} ms — target <= {TARGET_P99_MS:.0f} ms: "
            f"{'met' if p99 <= TARGET_P99_MS else 'NOT met'}."
        )
    verdict = "met" if rss <= TARGET_RSS_MB else "NOT met"
    lines.append(f"Peak RSS: {rss:.0f} MB — target <= {TARGET_RSS_MB:.0f} MB: {verdict}.")
    lines.extend(journal_cost(results, f"concurrent {default}"))
    return "\n".join(lines)


def journal_cost(results: list[Result], mode: str) -> list[str]:
    """The journal's cost at the default setting: medians of the on and off runs, and their ratio."""
    measures: list[tuple[str, str, Callable[[Result], float]]] = [
        ("capacity", "capacity msg/s", lambda r: r.rate),
        ("burst", "burst p99 ms", lambda r: r.p(99)),
        ("steady", "steady p50 ms", lambda r: r.p(50)),
        ("steady", "steady p99 ms", lambda r: r.p(99)),
        ("rtt50", "rtt50 msg/s", lambda r: r.rate),
    ]
    lines = []
    for scenario, label, measure in measures:
        on = [measure(r) for r in results if r.scenario == scenario and r.mode == mode and r.journal]
        off = [measure(r) for r in results if r.scenario == scenario and r.mode == mode and not r.journal]
        if on and off:
            a, b = statistics.median(off), statistics.median(on)
            lines.append(
                f"Journal cost ({mode}, median of {len(off)} off / {len(on)} on): {label} {a:.1f} without, "
                f"{b:.1f} with: {b / a:.2f}x."
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bot_load", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="skip the 35 s run with the rate limiter on")
    parser.add_argument("--capacity", type=int, default=3000, help="messages in the capacity run")
    parser.add_argument("--steady-seconds", type=int, default=6, help="length of the 100 msg/s run")
    parser.add_argument(
        "--journal-cost",
        type=int,
        default=0,
        metavar="N",
        help="only the burst, capacity and steady runs at the default setting, journal off and on, N times",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    results = asyncio.run(main_async(args))
    print(report(results))


if __name__ == "__main__":
    main()
