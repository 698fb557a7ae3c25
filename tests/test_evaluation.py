"""The bar the matcher must clear on real, typo-ridden questions, and the eval command itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq import Brain
from faq.evaluation import CaseFileError, evaluate, load_cases
from tests.cli_runner import run_cli

DATA = Path(__file__).parent / "data"


def test_the_eval_set_is_big_and_varied_enough() -> None:
    cases = load_cases(DATA / "eval.yaml")
    assert len(cases) >= 250
    assert sum(1 for c in cases if not c.expected) >= 70


def test_accuracy_on_the_eval_set(brain: Brain) -> None:
    known = frozenset(i.id for i in brain.kb.intents)
    result = evaluate(brain.matcher, load_cases(DATA / "eval.yaml", known), brain.kb.declining)
    failures = "\n".join(f"{f.question!r}: {f.expected} -> {f.outcome} {f.got}" for f in result.failures)
    assert result.in_scope_accuracy >= 0.95, failures
    assert result.out_of_scope_recall >= 0.95, failures
    assert result.confident_wrong_rate <= 0.02, failures


@pytest.mark.parametrize("case_file", sorted(p.name for p in DATA.glob("*.yaml")))
def test_case_questions_are_not_copied_into_the_knowledge_base(brain: Brain, case_file: str) -> None:
    """Short, canonical questions ("how is dystonia treated") belong in both; whole sentences
    people wrote for a case file must not be pasted in, or that file would measure nothing."""
    from faq.normalize import normalize

    phrasings = {normalize(q) for i in brain.kb.intents for q in i.questions}
    long_cases = [c.question for c in load_cases(DATA / case_file) if len(normalize(c.question).split()) >= 6]
    copied = [q for q in long_cases if normalize(q) in phrasings]
    assert len(long_cases) >= 50
    assert copied == []


def test_eval_json_has_the_documented_keys_at_the_top_level(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- {question: what is writer's cramp, intent: writers_cramp}\n"
        "- {question: what is the capital of France, intent: null}\n"
        "- {question: does it hurt, intent: [pain, symptoms]}\n",
        encoding="utf-8",
    )
    run = run_cli("eval", str(cases), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    for key in ("in_scope_accuracy", "out_of_scope_recall", "confident_wrong_rate", "latency_ms", "failures"):
        assert key in report
    assert set(report["latency_ms"]) == {"p50", "p99"}
    assert report["in_scope_accuracy"] == 1.0 and report["out_of_scope_recall"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- {question: hi}\n", "cases.yaml:1: case #1: needs exactly the keys 'question' and 'intent'"),
        ("- {question: '', intent: null}\n", "cases.yaml:1: case #1: 'question' must be non-empty text"),
        (
            "- {question: hi, intent: null}\n\n- question: hello\n  intent: nope\n",
            "cases.yaml:3: case #2: unknown intent 'nope'",
        ),
        ("- {question: hi, intent: [1]}\n", "case #1: 'intent' must be an id, a list of ids, or null"),
        ("[unclosed\n", "cases.yaml:2: YAML syntax error"),
        ("{}\n", "expected a non-empty list"),
    ],
)
def test_malformed_case_files_exit_1_with_a_clear_message(tmp_path: Path, content: str, message: str) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(content, encoding="utf-8")
    run = run_cli("eval", str(cases))
    assert run.returncode == 1
    assert message in run.stderr and "Traceback" not in run.stderr


def test_load_cases_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="cannot read the file"):
        load_cases(tmp_path / "nope.yaml")
