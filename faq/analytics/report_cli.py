"""`dystonia-faq report`: the curator's report on the terminal, as JSON, HTML or YAML to edit.

The main CLI registers it with `add_report_parser(subparsers)`; its `--intents` option (the
knowledge file used for suggestions) is read from the namespace when present.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from faq.analytics.export import cases_yaml, phrasings_yaml
from faq.analytics.html_report import render_html
from faq.analytics.reader import AnalyticsReadError, read_snapshot
from faq.analytics.report import TOP_GROUPS, brain_suggester, build_report
from faq.analytics.settings import db_path_from_env
from faq.analytics.text_report import format_text
from faq.dialogue import Brain
from faq.loader import KnowledgeError, choose_path, load_knowledge
from faq.normalize import normalize

_SPAN = re.compile(r"^\s*(\d{1,5})\s*([dw])\s*$", re.IGNORECASE)


class UsageError(Exception):
    """A bad option value; `str()` is one sentence."""


def parse_since(value: str, today: date) -> date:
    """`30d` (the last 30 days, today included), `4w`, or a first day `2026-11-01`."""
    m = _SPAN.match(value)
    if m:
        days = int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1)
        if days < 1:
            raise UsageError(f"--since must be at least 1 day, not {value!r}.")
        return today - timedelta(days=days - 1)
    try:
        start = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--since must look like 30d, 4w or 2026-11-01, not {value!r}.") from None
    if start > today:
        raise UsageError(f"--since {value} is in the future.")
    return start


def add_report_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "report",
        help="what users asked: outcome mix, unanswered questions, feedback (from the analytics database)",
        description="Report on the analytics database: outcome mix per day, the most common unanswered "
        "questions grouped with a suggested intent, and the intents with the most 👎 / 👍.",
    )
    p.add_argument(
        "--db", metavar="PATH", help="analytics database (default: $ANALYTICS_DB or ./analytics.sqlite3)"
    )
    p.add_argument(
        "--since",
        default="30d",
        metavar="SPAN",
        help="period: 30d, 4w, or a first day like 2026-11-01 (default 30d)",
    )
    p.add_argument(
        "--top",
        type=int,
        default=TOP_GROUPS,
        metavar="N",
        help=f"question groups to show and export (default {TOP_GROUPS})",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    p.add_argument("--export-cases", metavar="FILE", help="also write the groups as eval cases (YAML)")
    p.add_argument(
        "--export-questions",
        metavar="FILE",
        help="also write suggested new phrasings per intent (YAML for intents.yaml)",
    )
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except (UsageError, AnalyticsReadError) as exc:
        print(str(exc), file=sys.stderr)
    except KnowledgeError as exc:
        print(f"The knowledge file is not valid:\n{exc}", file=sys.stderr)
    return 1


def _run(args: argparse.Namespace) -> int:
    today = datetime.now(UTC).date()
    start = parse_since(args.since, today)
    if args.top < 1:
        raise UsageError(f"--top must be at least 1, not {args.top}.")
    db = Path(args.db) if args.db else db_path_from_env()
    snap = read_snapshot(db, start)
    brain = Brain(load_knowledge(choose_path(getattr(args, "intents", None))[0]))
    report = build_report(
        snap, today=today, suggest=brain_suggester(brain), top=args.top, knowledge=brain.kb.path
    )
    existing = {normalize(q) for intent in brain.kb.intents for q in intent.questions}
    renderers: list[tuple[str | None, Callable[[], str]]] = [
        (args.html, lambda: render_html(report)),
        (args.export_cases, lambda: cases_yaml(report)),
        (args.export_questions, lambda: phrasings_yaml(report, existing)),
    ]
    for target, render in renderers:
        if target:
            try:
                Path(target).write_text(render(), encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"Cannot write {target}: {exc.strerror or exc}.") from None
            print(f"wrote {target}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_text(report), end="")
    return 0
