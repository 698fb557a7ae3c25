"""Exported YAML: cases `dystonia-faq eval` loads, phrasings that paste cleanly into intents.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from faq import Brain
from faq.analytics.export import cases_yaml, phrasings_yaml
from faq.analytics.reader import Snapshot, UnansweredRow, read_snapshot
from faq.analytics.report import Report, Suggestion, build_report
from faq.analytics.report_cli import add_report_parser
from faq.evaluation import load_cases
from faq.loader import default_path, parse_knowledge
from faq.normalize import normalize
from tests.test_analytics_fixture import NOW, START, TODAY, build_fixture_db, fake_suggest

HOSTILE = [
    'botox: "how much"? # cost',
    "- null",
    "yes",
    "  what's   {dystonia} [really] & <more>  ",
    "émotions et dystonie 😢",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    db = build_fixture_db(tmp_path_factory.mktemp("analytics") / "a.sqlite3")
    return build_report(read_snapshot(db, START), today=TODAY, suggest=fake_suggest, generated=NOW)


def hostile_report() -> Report:
    rows = tuple(UnansweredRow(t, "fallback", None, False) for t in HOSTILE)
    snap = Snapshot(START, (), rows, (), 0)
    return build_report(snap, today=TODAY, suggest=lambda text: Suggestion("treatment", 0.3), similarity=99)


def test_cases_load_with_the_eval_loader(report: Report, brain: Brain, tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(cases_yaml(report), encoding="utf-8")
    cases = load_cases(path, frozenset(i.id for i in brain.kb.intents))
    assert [(c.question, c.expected) for c in cases] == [
        ("how much does botox cost", ("treatment",)),
        ("Can I drive with dystonia?", ("treatment",)),
        ("is dystonia contagious", ()),
        ("what causes it", ("cause",)),
    ]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert all(set(item) == {"question", "intent"} for item in data)  # the shape, checked directly too
    comments = [line for line in path.read_text().splitlines() if line.startswith("# asked")]
    assert comments[0] == "# asked 3× (fell back 3, did you mean 0, none of these 0); nearest treatment 0.41"
    assert "users chose treatment ×1" in comments[1]
    assert len(comments) == len(cases)


def test_awkward_text_survives_yaml(tmp_path: Path) -> None:
    r = hostile_report()
    cases = yaml.safe_load(cases_yaml(r))
    assert sorted(c["question"] for c in cases) == sorted(" ".join(t.split()) for t in HOSTILE)
    phrasings = yaml.safe_load(phrasings_yaml(r, set()))
    assert sorted(phrasings["treatment"]) == sorted(" ".join(t.split()) for t in HOSTILE)


def test_empty_report_exports_empty_yaml() -> None:
    r = build_report(Snapshot(START, (), (), (), 0), today=TODAY)
    assert yaml.safe_load(cases_yaml(r)) == []
    assert yaml.safe_load(phrasings_yaml(r, set())) == {}


def test_phrasings_skip_what_intents_yaml_has(report: Report) -> None:
    text = phrasings_yaml(report, {normalize("What causes it?")})
    assert text.startswith("# Suggested new phrasings")
    assert yaml.safe_load(text) == {
        "treatment": ["how much does botox cost", "botox cost how much", "Can I drive with dystonia?"]
    }


def test_phrasings_paste_into_intents_yaml(report: Report, brain: Brain) -> None:
    existing = {normalize(q) for i in brain.kb.intents for q in i.questions}
    suggested = yaml.safe_load(phrasings_yaml(report, existing))
    assert suggested
    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    for intent in data["intents"]:
        intent["questions"].extend(suggested.get(intent["id"], []))
    kb = parse_knowledge(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))  # raises if not valid
    for intent_id, phrasings in suggested.items():
        found = kb.intent(intent_id)
        assert found is not None and set(phrasings) <= set(found.questions)


def test_cli_writes_every_file(tmp_path: Path, report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    db = build_fixture_db(tmp_path / "a.sqlite3")
    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    out = {name: tmp_path / name for name in ("r.html", "cases.yaml", "phrasings.yaml")}
    args = parser.parse_args(
        [
            "report",
            "--db",
            str(db),
            "--since",
            "2026-02-01",
            "--html",
            str(out["r.html"]),
            "--export-cases",
            str(out["cases.yaml"]),
            "--export-questions",
            str(out["phrasings.yaml"]),
        ]
    )
    assert args.func(args) == 0
    assert "Most common unanswered questions" in capsys.readouterr().out
    assert all(p.stat().st_size > 0 for p in out.values())
    assert isinstance(yaml.safe_load(out["phrasings.yaml"].read_text()), dict)
    bad = parser.parse_args(["report", "--db", str(db), "--since", "2026-02-01", "--html", str(tmp_path)])
    assert bad.func(bad) == 1
    assert capsys.readouterr().err.startswith("Cannot write")
