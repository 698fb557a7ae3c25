"""Long work shows progress on a terminal, and nothing when its output is piped or JSON;
`bench` names the machine and compares with the naive baseline of the same run."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from faq import bench
from faq.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def big_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A large case file: the eval set six times over (more than a second of matching)."""
    path = tmp_path_factory.mktemp("cases") / "big.yaml"
    path.write_text((DATA / "eval.yaml").read_text(encoding="utf-8") * 6, encoding="utf-8")
    return path


def on_terminal(*args: str) -> str:
    """Run `python -m faq ARGS` with its output on a pseudo-terminal; everything it wrote there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal's size
    process = subprocess.Popen(
        [sys.executable, "-m", "faq", *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_eval_on_a_large_file_shows_a_progress_bar_on_a_terminal(big_cases: Path) -> None:
    out = on_terminal("eval", str(big_cases))
    assert f"eval {big_cases}" in out and "step" in out and "%|" in out
    assert "in-scope accuracy" in out


def test_no_progress_bar_when_piped_or_json(big_cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(big_cases)]) == 0  # captured: like a pipe, not a terminal
    piped = capsys.readouterr()
    assert piped.err == "" and "in-scope accuracy" in piped.out
    assert "%|" not in on_terminal("eval", str(big_cases), "--json")


def test_bench_names_the_machine_and_gives_ratios_to_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "SCALES", (1, 2))
    load_ms, rows = bench.run(rounds=1)
    assert [r.scale for r in rows] == [1, 2] and load_ms > 0
    assert all(r.speedup_p50 == pytest.approx(r.baseline_p50_ms / r.p50_ms) for r in rows)
    table = bench.table(load_ms, rows)
    assert table.startswith(f"Machine: {os.cpu_count()} cores (")
    assert "measured in the same run" in table and "| x faster p50 | x faster p99 |" in table
