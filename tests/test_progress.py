"""Long work shows progress on a terminal, and nothing when its output is piped or JSON;
`bench` names the machine and compares with the naive baseline of the same run."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
import yaml

from faq import bench, progress
from faq.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def big_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A large case file: the eval set six times over (more than a second of matching)."""
    path = tmp_path_factory.mktemp("cases") / "big.yaml"
    path.write_text((DATA / "eval.yaml").read_text(encoding="utf-8") * 6, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def some_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short case file: the first 40 cases of the eval set."""
    path = tmp_path_factory.mktemp("cases") / "some.yaml"
    cases = yaml.safe_load((DATA / "eval.yaml").read_text(encoding="utf-8"))[:40]
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return path


def terminal() -> tuple[int, int]:
    """A pseudo-terminal of a real terminal's size: (leader, follower)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    return leader, follower


def read_all(leader: int, into: list[bytes]) -> None:
    """Everything written on the terminal, until its other side is closed."""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed: the writer is done
            break
        if not chunk:
            break
        into.append(chunk)


def on_terminal(*args: str) -> str:
    """Run `python -m faq ARGS` with its output on a pseudo-terminal; everything it wrote there."""
    leader, follower = terminal()
    process = subprocess.Popen(
        [sys.executable, "-m", "faq", *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks: list[bytes] = []
    read_all(leader, chunks)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def here_on_terminal(*args: str) -> str:
    """The same, `main(ARGS)` in this process with its standard output and error on the terminal."""
    leader, follower = terminal()
    chunks: list[bytes] = []
    reader = threading.Thread(target=read_all, args=(leader, chunks))  # the terminal's buffer is small
    reader.start()
    try:
        with (
            open(follower, "w", encoding="utf-8") as screen,  # closing it ends the reader
            contextlib.redirect_stdout(screen),
            contextlib.redirect_stderr(screen),
        ):
            assert main(list(args)) == 0
    finally:
        reader.join(timeout=30)
        os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow(3)
def test_eval_on_a_large_file_shows_a_progress_bar_on_a_terminal(big_cases: Path) -> None:
    out = on_terminal("eval", str(big_cases))
    assert f"eval {big_cases}" in out and "step" in out and "%|" in out
    assert "in-scope accuracy" in out


def test_no_progress_bar_when_piped_or_json(
    some_cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without the half-second delay a bar shows as soon as the work starts (the first run below
    # checks that), so even a short run would show one if piped output or JSON got one.
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0)
    cases = str(some_cases)
    assert "%|" in here_on_terminal("eval", cases)
    assert main(["eval", cases]) == 0  # captured: like a pipe, not a terminal
    piped = capsys.readouterr()
    assert piped.err == "" and "in-scope accuracy" in piped.out
    assert "%|" not in here_on_terminal("eval", cases, "--json")


def test_bench_names_the_machine_and_gives_ratios_to_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "SCALES", (1, 2))
    load_ms, rows = bench.run(rounds=1)
    assert [r.scale for r in rows] == [1, 2] and load_ms > 0
    assert all(r.speedup_p50 == pytest.approx(r.baseline_p50_ms / r.p50_ms) for r in rows)
    table = bench.table(load_ms, rows)
    assert table.startswith(f"Machine: {os.cpu_count()} cores (")
    assert "measured in the same run" in table and "| x faster p50 | x faster p99 |" in table
