"""The report as plain text: in full for the terminal, or one screen for the bot's /stats."""

from __future__ import annotations

from faq.analytics.report import IntentVotes, QuestionGroup, Report, Totals
from faq.analytics.writer import StoreStats
from faq.invocation import command

BAR_WIDTH = 30
SUMMARY_GROUPS = 5
SUMMARY_VOTES = 3


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _headline(report: Report) -> list[str]:
    t: Totals = report.totals
    return [
        f"Analytics {report.since} to {report.until} ({len(report.days)} days, UTC)",
        f"Questions: {t.questions} from {t.distinct_users} {'person' if t.distinct_users == 1 else 'people'}."
        f" Answered {t.answered} "
        f"({_pct(t.answered, t.questions)}), did you mean {t.clarified} ({_pct(t.clarified, t.questions)}), "
        f'fell back {t.fell_back} ({_pct(t.fell_back, t.questions)}); "none of these" {t.none_of_these}.',
        f"Feedback: 👍 {t.up}  👎 {t.down}",
    ]


def _suggestion(g: QuestionGroup) -> str:
    parts = []
    if g.nearest:
        parts.append(f"nearest {g.nearest.intent} ({g.nearest.score:.2f})")
    if g.chosen:
        parts.append("users chose " + ", ".join(f"{c.intent} ×{c.count}" for c in g.chosen))
    if g.suggested_intent is None:
        parts.append("no suggestion (a new intent?)")
    return "; ".join(parts)


def _vote_line(v: IntentVotes) -> str:
    line = f"  {v.intent}: 👎 {v.down}  👍 {v.up}"
    if v.downvoted:
        line += "  e.g. " + "; ".join(f'"{q}"' for q in v.downvoted)
    return line


def format_text(report: Report) -> str:
    """The whole report, for `dystonia-faq report`."""
    lines = _headline(report)
    peak = max((d.total for d in report.days), default=0)
    lines += ["", "Outcome mix per day (answered / did you mean / fell back); quiet days left out:"]
    for d in report.days:
        if d.total:
            scale = BAR_WIDTH / peak
            bar = (
                "#" * round(d.answered * scale)
                + "?" * round(d.clarified * scale)
                + "x" * round(d.fell_back * scale)
            )
            lines.append(f"  {d.day}  {d.answered:4d} / {d.clarified:3d} / {d.fell_back:3d}  {bar}")
    if not any(d.total for d in report.days):
        lines.append("  (no questions)")
    lines += ["", "Most common unanswered questions (fell back, did you mean, none of these), grouped:"]
    for n, g in enumerate(report.groups, 1):
        lines.append(f"{n:3d}. [{g.count}] {g.question}")
        lines.append(
            f"       fell back {g.fallback}, did you mean {g.clarify}, none of these {g.none_of_these}"
        )
        if len(g.wordings) > 1:
            lines.append("       also: " + "; ".join(f'"{w}"' for w in g.wordings[1:]))
        lines.append(f"       suggestion: {_suggestion(g)}")
    if not report.groups:
        lines.append("  (none)")
    if report.knowledge is None:
        lines.append("  (no suggestions: the knowledge base could not be loaded)")
    lines += ["", "Intents with the most 👎:"]
    lines += [_vote_line(v) for v in report.votes if v.down] or ["  (none)"]
    lines += ["", "Intents with the most 👍:"]
    lines += [f"  {v.intent}: 👍 {v.up}  👎 {v.down}" for v in report.most_helpful] or ["  (none)"]
    return "\n".join(lines) + "\n"


def summary_text(report: Report, stats: StoreStats | None = None) -> str:
    """One screen of plain text for the bot's admin /stats command."""
    lines = _headline(report)
    if report.groups:
        lines += ["", "Top unanswered:"]
        for g in report.groups[:SUMMARY_GROUPS]:
            hint = f" → {g.suggested_intent}?" if g.suggested_intent else " → new intent?"
            lines.append(f"{g.count:3d}× {g.question[:60]}{hint}")
    downs = [v for v in report.votes if v.down][:SUMMARY_VOTES]
    if downs:
        lines += ["", "Most 👎: " + ", ".join(f"{v.intent} ({v.down})" for v in downs)]
    if stats is not None and (stats.dropped or stats.errors or stats.failed):
        lines += [
            "",
            f"Store problems since start: {stats.errors} errors, {stats.failed + stats.dropped} "
            f"records lost. Last: {stats.last_error or 'queue full'}",
        ]
    lines += ["", f"Full report: {command()} report --html report.html"]
    return "\n".join(lines)
