"""The HTML report is well-formed, self-contained, escaped, and says what the JSON says."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from faq.analytics.html_report import render_html
from faq.analytics.reader import Snapshot, UnansweredRow, VoteRow, read_snapshot
from faq.analytics.report import Report, build_report
from tests.test_analytics_fixture import NOW, START, TODAY, build_fixture_db, fake_suggest

EVIL = "<script>alert('x')</script> & \"quotes\" ]]> <!-- &amp;"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    db = build_fixture_db(tmp_path_factory.mktemp("analytics") / "a.sqlite3")
    return build_report(read_snapshot(db, START), today=TODAY, suggest=fake_suggest, generated=NOW)


def parse(page: str) -> ET.Element:
    assert page.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))  # XHTML-compatible: XML parses it


class Balance(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "hr", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:  # `<meta ... />` arrives as a start and an end
            return
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def cells(row: ET.Element) -> list[str]:
    return ["".join(td.itertext()) for td in row if local(td.tag) == "td"]


def test_well_formed_and_self_contained(report: Report) -> None:
    page = render_html(report)
    root = parse(page)
    checker = Balance()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
    tags = {local(e.tag) for e in root.iter()}
    assert "svg" in tags and "rect" in tags and "style" in tags
    assert not tags & {"script", "link", "img", "iframe", "object"}
    assert "src=" not in page and "href=" not in page and "url(" not in page


def test_numbers_match_the_json(report: Report) -> None:
    data = report.to_dict()
    root = parse(render_html(report))
    for key, value in data["totals"].items():
        found = root.find(f".//*[@id='total-{key}']")
        assert found is not None and found.text == str(value), key
    day_rows = [cells(r) for r in root.iter() if r.get("class") == "day"]
    assert day_rows == [
        [d["day"], str(d["answered"]), str(d["clarified"]), str(d["fell_back"]), str(d["total"])]
        for d in data["days"]
        if d["total"]
    ]
    groups = [r for r in root.iter() if r.get("class") == "group"]
    assert len(groups) == len(data["groups"])
    for row, g in zip(groups, data["groups"], strict=True):
        by_class = {td.get("class", "").split()[-1]: td for td in row}
        assert by_class["count"].text == str(g["count"])
        assert by_class["fallback"].text == str(g["fallback"])
        assert by_class["clarify"].text == str(g["clarify"])
        assert by_class["none"].text == str(g["none_of_these"])
        assert by_class["question"].text == g["question"]
        assert by_class["suggestion"].get("data-intent") == (g["suggested_intent"] or "")
    votes = [cells(r)[:3] for r in root.iter() if r.get("class") == "vote"]
    assert votes == [[v["intent"], str(v["down"]), str(v["up"])] for v in data["votes"]]
    bars = [e for e in root.iter() if local(e.tag) == "rect" and e.get("fill") == "#1565c0"]
    assert len(bars) == len(data["groups"])


def test_user_text_is_escaped() -> None:
    snap = Snapshot(
        START, (), (UnansweredRow(EVIL, "fallback", None, False),), (VoteRow("treatment", False, EVIL),), 1
    )
    report = build_report(snap, today=TODAY)
    page = render_html(report)
    root = parse(page)
    assert "<script" not in page
    assert not [e for e in root.iter() if local(e.tag) == "script"]
    texts = ["".join(e.itertext()) for e in root.iter() if e.get("class") == "question"]
    assert texts == [" ".join(EVIL.split())]


def test_empty_report_renders(tmp_path: Path) -> None:
    page = render_html(build_report(Snapshot(START, (), (), (), 0), today=TODAY))
    parse(page)
    assert "No unanswered questions" in page
