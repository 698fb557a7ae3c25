"""`python -m bot` as a real process: a clean run against the stand-in, and clean start-up failures
(one as a real process; the others run `bot.main.main()` in this process, tests/bot_runner.py)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from benchmarks.bot_process import SETTINGS_VARS, bot_process, sigterm
from fake_bot_api import TOKEN, TOKEN_SECRET, FakeBotApi
from tests.bot_runner import run_bot_start
from tests.cli_runner import Ran
from tests.harness import free_port

REPO = Path(__file__).resolve().parent.parent


def bot_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env["PYTHONPATH"] = str(REPO)  # run from tmp_path, so no stray .env is read
    env["HOME"] = str(tmp_path)
    env.update(settings)
    return env


@contextmanager
def running_bot(
    tmp_path: Path, api: FakeBotApi, log: Path, **settings: str
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m bot` against the stand-in `api`, in `tmp_path`, its output appended to `log`;
    killed on the way out if the test left it running (`bot_process`)."""
    env = bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url, **settings)
    with log.open("a") as sink, bot_process(tmp_path, env, stdout=sink, stderr=subprocess.STDOUT) as process:
        yield process


def stop(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM (if still running) and the exit code; killed, and the wait re-raised, after 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def run_bot(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot` as a process that is expected to end at start-up."""
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=bot_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=30,
    )


def start_fails(tmp_path: Path, **settings: str) -> Ran:
    """The same, in this process (tests/bot_runner.py): a start-up that must end before the bot is built."""
    return run_bot_start(tmp_path, bot_env(tmp_path, **settings))


@pytest.mark.slow(3)
def test_runs_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with FakeBotApi() as api:
        env = bot_env(
            tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url, LOG_LEVEL="DEBUG"
        )
        out = tmp_path / "output.log"
        with (
            out.open("w") as sink,
            bot_process(tmp_path, env, stdout=sink, stderr=subprocess.STDOUT) as process,
        ):
            api.wait_for(lambda a: bool(a.calls_of("getUpdates")), timeout=20)
            api.message("what is writer's cramp")
            [reply] = api.wait_until_sent(1, timeout=10)
            assert reply["text"].startswith("<b>Writer's cramp</b>")
            assert api.commands  # post_init ran
            code = sigterm(process)
    output = out.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert TOKEN_SECRET not in output
    assert "DEBUG" in output and "Started as @dystonia_faq_bot" in output
    # The voice model starts loading at start-up, and this stop usually comes before it is loaded:
    # the exit waits for the load (an exit under CTranslate2's loader aborted the process, -6).
    assert "Voice model loaded from" in output
    assert re.search(r"Knowledge base: .* \(the copy bundled with the package; .*\), \d+ intents", output)
    assert api.rejected == []


@pytest.mark.slow(3)
def test_webhook_mode_runs_checks_the_secret_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    update = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": 1001, "type": "private", "first_name": "Ann"},
            "from": {"id": 1001, "is_bot": False, "first_name": "Ann"},
            "text": "what is writer's cramp",
        },
    }
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    with FakeBotApi() as api:
        env = bot_env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            BOT_MODE="webhook",
            WEBHOOK_URL="https://bot.example.org/telegram/webhook",
            WEBHOOK_SECRET="s3cret",
            WEBHOOK_PORT=str(port),
            VOICE="off",  # a stop while the voice model loads: the polling test above
        )
        with bot_process(tmp_path, env, stderr=subprocess.PIPE, text=True) as process:
            api.wait_for(lambda a: bool(a.calls_of("setWebhook")), timeout=20)
            assert wait_for_port(port)
            assert httpx.post(url, json=update).status_code == 403
            assert api.sent() == []
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            assert httpx.post(url, json=update, headers=headers).status_code == 200
            [reply] = api.wait_until_sent(1)
            assert reply["text"].startswith("<b>Writer's cramp</b>")
            code = sigterm(process)
    assert process.stderr is not None
    output = process.stderr.read()
    assert code == 0, output
    assert "Traceback" not in output and TOKEN_SECRET not in output and "s3cret" not in output
    assert api.rejected == []


def wait_for_port(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def assert_one_clear_sentence(result: Ran | subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert TOKEN_SECRET not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("dystonia-bot: ") and first.rstrip().endswith((".", ":"))
    for text in expected:
        assert text in result.stderr
    return first


@pytest.mark.slow(2.5)
def test_missing_token_exits_2_with_a_clear_sentence(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    first = assert_one_clear_sentence(result, "TELEGRAM_BOT_TOKEN is not set", "@BotFather", "chat`")
    assert result.stderr == first + "\n"
    # The suggested command works from where the user is, even with the venv not on PATH.
    suggested = re.search(r"run `([^`]+)`", first)
    assert suggested is not None, first
    env = bot_env(tmp_path, PATH="/usr/bin:/bin")
    chat = subprocess.run(
        shlex.split(suggested.group(1)), cwd=tmp_path, env=env, input="quit\n", capture_output=True, text=True
    )
    assert chat.returncode == 0 and "Bye" in chat.stdout, chat.stderr


@pytest.mark.parametrize("token", ["123456789", "not a token", TOKEN + " extra", "123:short", TOKEN[:-20]])
def test_malformed_token_exits_2_without_echoing_it(tmp_path: Path, token: str) -> None:
    result = start_fails(tmp_path, TELEGRAM_BOT_TOKEN=token)
    assert_one_clear_sentence(result, "does not look like a bot token", "@BotFather")
    assert token not in result.stderr


def test_bad_setting_exits_2_naming_the_variable(tmp_path: Path) -> None:
    result = start_fails(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, BOT_MODE="webhook")
    assert_one_clear_sentence(result, "WEBHOOK_URL")


def test_broken_intents_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "intents.yaml"
    broken.write_text("version: 1\nintents: [\n", encoding="utf-8")
    start = time.monotonic()
    result = start_fails(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, INTENTS_PATH=str(broken))
    assert time.monotonic() - start < 20
    first = assert_one_clear_sentence(result, str(broken), "YAML")
    assert "is invalid" in first


def test_token_rejected_by_telegram_exits_2(tmp_path: Path) -> None:
    wrong = "987654321:ZZZ-wrong-token-abcdefghijklmnopqrs"
    with FakeBotApi() as api:
        result = start_fails(tmp_path, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=api.base_url)
    assert_one_clear_sentence(result, "Telegram rejected TELEGRAM_BOT_TOKEN", "@BotFather")
    assert wrong.split(":")[1] not in result.stderr


def test_unreachable_api_exits_1_with_a_clear_sentence(tmp_path: Path) -> None:
    with FakeBotApi() as api:
        base_url = api.base_url  # a port that was just closed: nothing listens there now
    result = start_fails(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and TOKEN_SECRET not in result.stderr
    assert result.stderr.startswith(f"dystonia-bot: Cannot reach the Telegram Bot API at {base_url}")
