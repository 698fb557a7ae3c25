"""The report on the scripted fixture database: outcome mix, groups, counts, suggestions, votes."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from faq.analytics import AnalyticsReadError, load_report, summary_text
from faq.analytics.grouping import cluster
from faq.analytics.reader import read_snapshot
from faq.analytics.report import Choice, DayMix, Report, Suggestion, brain_suggester, build_report
from faq.analytics.report_cli import UsageError, add_report_parser, parse_since
from faq.analytics.text_report import format_text
from tests.knowledge import shared_brain
from tests.test_analytics_fixture import NOW, START, TODAY, build_fixture_db, fake_suggest


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("analytics") / "a.sqlite3")


@pytest.fixture(scope="module")
def report(fixture_db: Path) -> Report:
    return build_report(read_snapshot(fixture_db, START), today=TODAY, suggest=fake_suggest, generated=NOW)


def test_outcome_mix_per_day(report: Report) -> None:
    assert (report.since, report.until, len(report.days)) == ("2026-02-09", "2026-03-10", 30)
    active = [d for d in report.days if d.total]
    assert active == [
        DayMix("2026-03-08", answered=2, clarified=0, fell_back=5),
        DayMix("2026-03-09", answered=1, clarified=3, fell_back=1),
        DayMix("2026-03-10", answered=1, clarified=0, fell_back=0),
    ]
    t = report.totals
    assert (t.questions, t.answered, t.clarified, t.fell_back, t.none_of_these) == (13, 4, 3, 6, 1)
    assert t.distinct_users == 12  # the question before the window is not counted
    assert (t.up, t.down) == (2, 2)


def test_groups_counts_and_suggestions(report: Report) -> None:
    summary = [(g.question, g.count, g.fallback, g.clarify, g.none_of_these) for g in report.groups]
    assert summary == [
        ("how much does botox cost", 3, 3, 0, 0),
        ("Can I drive with dystonia?", 2, 0, 2, 1),
        ("is dystonia contagious", 2, 2, 0, 0),
        ("what causes it", 1, 0, 1, 0),
    ]  # the emoji-only message has no words and forms no group
    botox, drive, contagious, causes = report.groups
    assert botox.wordings == ("how much does botox cost", "botox cost how much")
    assert contagious.wordings == ("is dystonia contagious", "is dystonia contagous")
    assert botox.nearest == Suggestion("treatment", 0.41) and botox.suggested_intent == "treatment"
    assert drive.chosen == (Choice("treatment", 1),)  # the second tap on the same question is ignored
    assert drive.suggested_intent == "treatment"  # the user's pick beats the matcher's guess
    assert contagious.nearest is None and contagious.suggested_intent is None
    assert causes.suggested_intent == "cause"


def test_none_of_these_voids_the_matchers_guess(fixture_db: Path) -> None:
    snap = read_snapshot(fixture_db, START)
    only_rejected = snap.unanswered[5:6]  # "can i drive with dystonia", answered "None of these"
    assert only_rejected[0].none_of_these
    r = build_report(
        type(snap)(snap.start, snap.daily, only_rejected, snap.votes, 1), today=TODAY, suggest=fake_suggest
    )
    assert r.groups[0].nearest == Suggestion("what_is_dystonia", 0.57)
    assert r.groups[0].suggested_intent is None


def test_votes(report: Report) -> None:
    assert [(v.intent, v.up, v.down) for v in report.votes] == [
        ("treatment", 0, 2),
        ("what_is_dystonia", 2, 0),
    ]
    assert report.votes[0].downvoted == ("how is dystonia treated", "botox")
    assert [v.intent for v in report.most_helpful] == ["what_is_dystonia"]


def test_window_excludes_older_questions(fixture_db: Path) -> None:
    wide = build_report(read_snapshot(fixture_db, date(2026, 1, 1)), today=TODAY)
    assert wide.groups[0].count == 4 and wide.totals.questions == 14
    assert "how much does botox cost now" in wide.groups[0].wordings


def test_json_roundtrip(report: Report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["totals"]["questions"] == 13
    assert data["groups"][0]["suggested_intent"] == "treatment"
    assert data["days"][-1] == {
        "day": "2026-03-10",
        "answered": 1,
        "clarified": 0,
        "fell_back": 0,
        "total": 1,
    }
    assert data["most_helpful"] == ["what_is_dystonia"]


def test_summary_fits_one_screen(report: Report) -> None:
    text = summary_text(report)
    assert len(text.splitlines()) <= 20
    assert "Questions: 13 from 12 people" in text
    assert "how much does botox cost → treatment?" in text
    assert "is dystonia contagious → new intent?" in text
    assert "treatment (2)" in text
    assert "how much does botox cost" in format_text(report)


def test_grouping_is_greedy_by_frequency() -> None:
    texts = ["b c d", "what is it", "What is it?", "what is it now", "it is what", "x"]
    clusters = cluster(texts, similarity=85)
    assert [c.key for c in clusters] == ["what is it", "b c d", "what is it now", "x"]
    assert clusters[0].members == (1, 2, 4)  # word order does not matter to token_sort_ratio
    assert clusters[0].wordings == (("what is it", 2), ("it is what", 1))


def test_real_brain_suggests_the_nearest_intent() -> None:
    suggest = brain_suggester(shared_brain())
    hit = suggest("what is dystonia exactly")
    assert hit is not None and hit.intent == "what_is_dystonia" and 0 < hit.score <= 1
    assert suggest("zxqv blorp") is None


def test_parse_since() -> None:
    today = date(2026, 3, 10)
    assert parse_since("30d", today) == date(2026, 2, 9)
    assert parse_since("1d", today) == today
    assert parse_since("2w", today) == date(2026, 2, 25)
    assert parse_since("2026-03-01", today) == date(2026, 3, 1)
    for bad in ("soon", "0d", "2027-01-01", "-3d"):
        with pytest.raises(UsageError):
            parse_since(bad, today)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_cli_errors_are_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--db", str(tmp_path / "missing.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("No analytics database at") and err.count("\n") == 1
    assert run(["report", "--db", str(tmp_path / "missing.sqlite3"), "--since", "lately"]) == 1
    assert "--since must look like" in capsys.readouterr().err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"garbage " * 100)
    assert run(["report", "--db", str(junk)]) == 1
    assert capsys.readouterr().err.startswith("Cannot read the analytics database")
    with pytest.raises(AnalyticsReadError):
        read_snapshot(junk, START)


def test_cli_json(fixture_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--db", str(fixture_db), "--since", "2026-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["questions"] == 14
    assert data["knowledge"]


def test_load_report_for_the_bots_stats(fixture_db: Path) -> None:
    r = load_report(fixture_db, days=2, today=TODAY)
    assert (r.since, r.totals.questions, r.knowledge) == ("2026-03-09", 6, None)
    assert "Questions: 6 from" in summary_text(r)
