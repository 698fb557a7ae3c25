"""The curator's loop from a fresh clone, without Telegram: chat (recording) -> report -> YAML -> eval."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from tests.cli_runner import Ran, run_cli
from tests.knowledge import shared_brain


def faq(*args: str, env: dict[str, str], cwd: Path, stdin: str | None = None) -> Ran:
    return run_cli(*args, env=env, cwd=cwd, stdin=stdin)  # `python -m faq ARGS`, in this process


def test_questions_asked_in_chat_come_back_as_report_groups_and_eval_cases(tmp_path: Path) -> None:
    db = tmp_path / "analytics.sqlite3"
    env = {**os.environ, "ANALYTICS_DB": str(db)}
    env.pop("ANALYTICS", None)
    conversation = "\n".join(
        [
            "is dystonia contagious",
            "is dystonia contagous",  # a typo of the same question: grouped with it
            "cramps",  # "did you mean"
            "1",  # ... the first candidate
            "what is writer's cramp",  # answered: counted, not listed as unanswered
            "quit",
        ]
    )
    chat = faq("chat", "--record", env=env, cwd=tmp_path, stdin=conversation + "\n")
    assert chat.returncode == 0, chat.stderr

    report = faq("report", "--json", env=env, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(db.name))
    assert left == [db.name, f"{db.name}.salt"], "the report leaves no -wal/-shm files behind"
    assert data["totals"]["questions"] == 4
    assert data["totals"]["answered"] == 1
    groups = {g["question"]: g for g in data["groups"]}
    assert groups["is dystonia contagious"]["count"] == 2
    picked = shared_brain().reply("cramps").candidates[0].id  # "1": the first topic offered
    assert groups["cramps"]["suggested_intent"] == picked

    cases = tmp_path / "cases.yaml"
    export = faq("report", "--export-cases", str(cases), env=env, cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    exported = yaml.safe_load(cases.read_text(encoding="utf-8"))
    assert {c["question"] for c in exported} == {"is dystonia contagious", "cramps"}

    evaluation = faq("eval", str(cases), "--json", env=env, cwd=tmp_path)
    assert evaluation.returncode == 0, evaluation.stderr
    assert json.loads(evaluation.stdout)["cases"] == 2
    assert "terminal" not in db.read_bytes().decode("latin-1"), "only a salted hash of the user is kept"
