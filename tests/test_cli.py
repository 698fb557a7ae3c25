"""The command line a curator or developer uses: ask, chat, bench."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "faq", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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


def test_ask_json_for_an_off_topic_question_is_a_fallback_without_intent() -> None:
    data = json.loads(run("ask", "what's the weather in Paris", "--json").stdout)
    assert data["outcome"] == "fallback" and data["intent"] is None


def test_chat_answers_offers_choices_and_follows_a_number() -> None:
    out = run("chat", stdin="what is writer's cramp\n1\nquit\n")
    assert out.returncode == 0
    first, _, rest = out.stdout.partition("[1]")
    assert "WRITER" in first
    assert rest.count("https://www.ninds.nih.gov/") >= 1, "choosing [1] shows that related topic's answer"


def test_chat_ends_cleanly_at_end_of_input() -> None:
    out = run("chat", stdin="hello\n")
    assert out.returncode == 0 and "Bye" in out.stdout


def test_a_broken_knowledge_file_stops_with_a_message_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "intents.yaml"
    bad.write_text("version: 1\nintents: [\n", encoding="utf-8")
    out = run("--intents", str(bad), "ask", "hello")
    assert out.returncode == 1
    assert str(bad) in out.stderr and "YAML syntax error" in out.stderr and "Traceback" not in out.stderr
