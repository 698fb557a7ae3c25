"""Curators edit intents.yaml while the bot runs: the file watcher, SIGHUP and /reload pick up a
valid edit; an invalid one is refused (file, line and intent named) and the old one keeps serving;
a reload in the middle of a burst causes no error and no half-and-half answer."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.bot_process import bot_process, sigterm
from benchmarks.workload import expected_texts
from bot import texts
from bot.reload import Reloader
from bot.state import BotState
from fake_bot_api import TOKEN, FakeBotApi
from fake_bot_api.html_check import telegram_html_error
from faq import Brain
from faq.loader import default_path
from tests.harness import BOT_USERNAME, running_bot
from tests.reliability_support import make_settings
from tests.test_bot_process import bot_env

TITLE = '    title: "Writer\'s cramp"\n'
ADMIN = 4242


@pytest.fixture
def intents(tmp_path: Path) -> Path:
    path = tmp_path / "intents.yaml"
    path.write_text(default_path().read_text(encoding="utf-8"), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    bump = time.time_ns() + 1_000_000_000  # a coarse file-system clock must still see a change
    os.utime(path, ns=(bump, bump))


def title_line(path: Path) -> int:
    """The line of writers_cramp's title (1-based), as the loader reports it."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return next(i for i, line in enumerate(lines, start=1) if line.startswith("    title: \"Writer's cramp"))


def retitle(path: Path, title: str) -> None:
    edit(path, TITLE, f'    title: "{title}"\n')


async def test_valid_edit_is_picked_up_by_the_watcher(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(api, intents_path=intents, reload_poll_seconds=0.2)
    async with running_bot(api, Brain.load(intents), settings) as bot:
        before = await bot.ask("what is writer's cramp")
        assert before["text"].startswith("<b>Writer's cramp</b>")
        retitle(intents, "Writer's cramp (hand dystonia)")
        await api.wait_for_async(lambda _: "(hand" in str(bot.app.bot_data.brain.kb.intent("writers_cramp")))
        after = await bot.ask("what is writer's cramp")
    assert after["text"].startswith("<b>Writer's cramp (hand dystonia)</b>")
    assert any(r.getMessage().startswith(f"Reloaded {intents} (file changed)") for r in caplog.records)


async def test_invalid_edit_is_refused_naming_file_line_and_intent_and_old_content_served(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(api, intents_path=intents, reload_poll_seconds=0.2)
    line = title_line(intents)
    async with running_bot(api, Brain.load(intents), settings) as bot:
        retitle(intents, "")
        await api.wait_for_async(lambda _: any("refused" in r.getMessage() for r in caplog.records))
        reply = await bot.ask("what is writer's cramp")
        await asyncio.sleep(0.5)  # more polls: the same broken version is not tried again
    assert reply["text"].startswith("<b>Writer's cramp</b>")  # the previous knowledge base
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.WARNING
    assert f"{intents}:{line}: intent 'writers_cramp': title" in refused[0].getMessage()


async def test_sighup_reloads(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(api, intents_path=intents, reload_poll_seconds=0)  # no watcher
    async with running_bot(api, Brain.load(intents), settings) as bot:
        retitle(intents, "Writer's cramp, after SIGHUP")
        os.kill(os.getpid(), signal.SIGHUP)
        await api.wait_for_async(lambda _: "SIGHUP" in str(bot.app.bot_data.brain.kb.intent("writers_cramp")))
        reply = await bot.ask("what is writer's cramp")
    assert reply["text"].startswith("<b>Writer's cramp, after SIGHUP</b>")


async def test_reload_command_for_admins(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path
) -> None:
    settings = make_settings(api, intents_path=intents, admin_user_ids=(ADMIN,))
    line = title_line(intents)
    async with running_bot(api, Brain.load(intents), settings) as bot:
        n = len(bot.brain.kb.intents)
        retitle(intents, "")
        refused = await bot.ask("/reload", user_id=ADMIN)
        answer = await bot.ask("what is writer's cramp")
        edit(intents, '    title: ""\n', '    title: "Writer\'s cramp, reloaded"\n')
        ok = await bot.ask("/reload", user_id=ADMIN)
        reloaded = await bot.ask("what is writer's cramp")
    assert refused["text"].startswith("<b>Reload refused</b>")
    assert f"{intents}:{line}: intent 'writers_cramp': title" in refused["text"]
    assert telegram_html_error(refused["text"]) is None
    assert answer["text"].startswith("<b>Writer's cramp</b>")
    assert ok["text"] == texts.RELOADED.format(path=intents, intents=n, previous=n)
    assert reloaded["text"].startswith("<b>Writer's cramp, reloaded</b>")


async def test_reload_command_is_an_unknown_command_for_everyone_else(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path
) -> None:
    settings = make_settings(api, intents_path=intents, admin_user_ids=(ADMIN,))
    async with running_bot(api, Brain.load(intents), settings) as bot:
        retitle(intents, "Changed")
        for command in ("/reload", "/reload now", "/nonsense"):
            reply = await bot.ask(command, user_id=5)
            assert reply["text"] == texts.UNKNOWN_COMMAND
            assert "reply_markup" not in reply
        bot.api.message("/reload", user_id=5, chat_type="group")  # in a group: silence, as for /nonsense
        await bot.settle()
        served = await bot.ask("what is writer's cramp", user_id=5)
    assert served["text"].startswith("<b>Writer's cramp</b>")  # nothing was reloaded
    assert len(api.sent()) == 4
    assert "reload" not in [c["command"] for c in next(iter(api.commands.values()))]


@pytest.mark.slow(4)
async def test_reload_during_a_burst_no_errors_no_half_answers(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, intents: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = Brain.load(intents)
    retitle(intents, "Writer's cramp v2")
    new = Brain.load(intents)
    settings = make_settings(api, intents_path=intents, rate_limiter=False)
    questions = ["what is writer's cramp", "wrtiers cramp", "/topics", "what is dystonia", "asdfgh"]
    async with running_bot(api, old, settings) as bot:
        reloader = bot.app.bot_data.reloader
        for i in range(300):
            api.message(questions[i % len(questions)], user_id=10_000 + i)
            if i % 60 == 30:
                await reloader.reload("test")  # several swaps while the burst is being answered
        await api.wait_until_sent_async(300, timeout=30)
        await bot.settle()
    for i in range(300):
        question = questions[i % len(questions)]
        [got] = [m["text"] for m in api.sent(10_000 + i)]
        assert got in (
            expected_texts(old, question, BOT_USERNAME)[0],
            expected_texts(new, question, BOT_USERNAME)[0],
        )
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert api.rejected == []


async def test_reloader_swaps_only_a_fully_built_brain(intents: Path) -> None:
    state = BotState()
    state.brain = first = Brain.load(intents)
    reloader = Reloader(state, intents, poll_seconds=0)
    retitle(intents, "")
    result = await reloader.reload("test")
    assert not result.ok and result.error is not None and state.brain is first
    assert await reloader.check() is None  # the refused version is not retried until it changes
    edit(intents, '    title: ""\n', '    title: "Fixed"\n')
    fixed = await reloader.check()
    assert fixed is not None and fixed.ok and state.brain is not first
    assert fixed.intents == fixed.previous == len(first.kb.intents)


@pytest.mark.slow(3)
def test_sighup_reloads_the_running_process(tmp_path: Path, intents: Path) -> None:
    """`kill -HUP <pid>` on `python -m bot`: reloaded, still running, answers with the new content."""
    env = bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, INTENTS_PATH=str(intents))
    log = tmp_path / "bot.log"
    with FakeBotApi() as api:
        env["TELEGRAM_API_BASE_URL"] = api.base_url
        env["RELOAD_POLL_SECONDS"] = "0"  # only the signal
        env["VOICE"] = "off"  # not what this is about; its model would cost most of a second of CPU
        with (
            log.open("w") as sink,
            bot_process(tmp_path, env, stdout=sink, stderr=subprocess.STDOUT) as process,
        ):
            api.wait_for(lambda a: bool(a.calls_of("getUpdates")), timeout=30)
            retitle(intents, "Writer's cramp, reloaded by SIGHUP")
            process.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 10
            while "Reloaded" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.05)
            api.message("what is writer's cramp")
            [reply] = api.wait_until_sent(1, timeout=10)
            code = sigterm(process)
    assert code == 0, log.read_text()
    assert reply["text"].startswith("<b>Writer's cramp, reloaded by SIGHUP</b>")
    assert f"Reloaded {intents} (SIGHUP)" in log.read_text()
