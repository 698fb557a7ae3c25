"""The command line a curator or developer uses: ask, chat, and which knowledge file they use."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from faq import Brain
from faq.loader import bundled_path
from faq.terminal import chat
from tests.cli_runner import Ran, run_cli

SCRIPT = Path(sysconfig.get_path("scripts")) / "dystonia-faq"


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Ran:
    """`python -m faq ARGS`, in this process (tests/cli_runner.py)."""
    return run_cli(*args, stdin=stdin, cwd=cwd, env=env)


def test_ask_prints_the_answer_with_its_links() -> None:
    out = run("ask", "what is writer's cramp")
    assert out.returncode == 0
    assert "WRITER" in out.stdout and "https://www.ninds.nih.gov/" in out.stdout
    assert "https://dystonia-foundation.org/" in out.stdout


def test_ask_json_has_outcome_intent_score_candidates_and_reply() -> None:
    out = run("ask", "wrtiers cramp", "--json")
    data = json.loads(out.stdout)
    assert set(data) >= {"outcome", "intent", "score", "candidates", "reply"}
    assert data["outcome"] == "answer" and data["intent"] == "writers_cramp"
    assert 0 < data["score"] <= 1 and data["candidates"][0]["intent"] == "writers_cramp"
    assert data["refusal"] is None


def test_ask_json_for_an_off_topic_question_is_a_fallback_naming_the_refusal_that_won() -> None:
    data = json.loads(run("ask", "what's the weather in Paris", "--json").stdout)
    assert data["outcome"] == "fallback" and data["intent"] is None
    assert data["refusal"] == "off_topic"
    assert json.loads(run("ask", "is diabetes hereditary", "--json").stdout)["refusal"] == "other_conditions"


def test_chat_answers_offers_choices_and_follows_a_number() -> None:
    out = run("chat", stdin="what is writer's cramp\n1\nquit\n")
    assert out.returncode == 0
    first, _, rest = out.stdout.partition("[1]")
    assert "WRITER" in first
    assert rest.count("https://www.ninds.nih.gov/") >= 1, "choosing [1] shows that related topic's answer"


def test_chat_ends_cleanly_at_end_of_input() -> None:
    out = run("chat", stdin="hello\n")
    assert out.returncode == 0 and "Bye" in out.stdout


def test_a_broken_knowledge_file_stops_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "intents.yaml"
    bad.write_text("version: 1\nintents: [\n", encoding="utf-8")
    out = run("--intents", str(bad), "ask", "hello")
    assert out.returncode == 1
    assert str(bad) in out.stderr and "YAML syntax error" in out.stderr and "Traceback" not in out.stderr


def chat_lines(brain: Brain, stdin: str) -> str:
    out = io.StringIO()
    assert chat(brain, stdin=io.StringIO(stdin), stdout=out) == 0
    return out.getvalue()


def test_chat_understands_the_bots_commands_in_terminal_words(brain: Brain) -> None:
    out = chat_lines(brain, "/start\n/topics\n/help\n/about\n/privacy\n/resources\ncramp\nquit\n")
    start, _, rest = out.partition("/topics lists them all")
    assert "I answer common questions about dystonia" in start and "not a doctor" in start
    assert "AT WHAT AGE" not in start, "/start is a command, not a question about the age of onset"
    assert "[1] What is dystonia?" in rest and "[13] Writer's cramp" in rest, "/topics lists every topic"
    assert "How to ask" in out and "Eric Troy" in out and "keeps nothing you type" in out
    assert "https://dystonia-foundation.org/" in out
    assert "Type its number:" in out and "Tap" not in out and "tap" not in out


def test_a_topic_number_from_topics_opens_it(brain: Brain) -> None:
    out = chat_lines(brain, "/topics\n13\n")
    assert "WRITER'S CRAMP" in out


def test_a_number_that_was_not_offered_says_so(brain: Brain) -> None:
    out = chat_lines(brain, "what is writer's cramp\n5\n")
    assert "There is no [5] here: type a number from 1 to 3, or ask a question." in out
    assert "Sorry" not in out.partition("There is no")[2], "no fallback answer"
    assert "There are no numbered topics" in chat_lines(brain, "7\n")


def test_an_empty_line_prints_one_short_hint(brain: Brain) -> None:
    out = chat_lines(brain, "\n")
    hint = out.split("\n")[1:3]
    assert hint == ["Type a question about dystonia, or /help.", ""]
    assert "https://" not in out and "[1]" not in out


def test_help_and_errors_name_the_command_the_user_ran() -> None:
    assert SCRIPT.is_file()
    usage = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, check=False)
    assert usage.stdout.startswith("usage: dystonia-faq ") and "python -m" not in usage.stdout
    wrong = subprocess.run([str(SCRIPT), "nonsense"], capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "dystonia-faq: error: argument COMMAND" in wrong.stderr


EDITED = "Writer's cramp, as edited by a curator a minute ago."


@pytest.fixture
def edited_checkout(tmp_path: Path) -> Path:
    """A folder with its own intents.yaml, as a curator's checkout has after an edit."""
    text = bundled_path().read_text(encoding="utf-8")
    answer = "      Writer's cramp is a form of dystonia that affects only the hands."
    assert answer in text
    (tmp_path / "intents.yaml").write_text(text.replace(answer, f"      {EDITED}"), encoding="utf-8")
    return tmp_path


def test_the_intents_yaml_in_the_current_directory_is_the_one_used(edited_checkout: Path) -> None:
    asked = run("ask", "what is writer's cramp", cwd=edited_checkout)
    assert EDITED in asked.stdout
    checked = run("validate", cwd=edited_checkout)
    assert checked.returncode == 0
    assert f"{edited_checkout / 'intents.yaml'} (intents.yaml in the current directory)" in checked.stdout
    chatted = run("chat", cwd=edited_checkout, stdin="what is writer's cramp\n")
    assert chatted.stdout.startswith(f"Knowledge file: {edited_checkout / 'intents.yaml'}")
    assert "as edited by a curator" in chatted.stdout


def test_intents_path_and_the_option_override_the_current_directory(
    edited_checkout: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    env = {**os.environ, "INTENTS_PATH": str(edited_checkout / "intents.yaml")}
    assert EDITED in run("ask", "what is writer's cramp", cwd=elsewhere, env=env).stdout
    assert "(from INTENTS_PATH)" in run("validate", cwd=elsewhere, env=env).stdout
    bundled = run("--intents", str(bundled_path()), "ask", "what is writer's cramp", cwd=edited_checkout)
    assert EDITED not in bundled.stdout and "WRITER'S CRAMP" in bundled.stdout
    plain = run("validate", cwd=elsewhere)
    assert "(the copy bundled with the package; no intents.yaml in the current directory)" in plain.stdout
