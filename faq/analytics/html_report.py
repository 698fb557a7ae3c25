"""The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external assets.

Written as XHTML-compatible HTML (every element closed, only XML entities) so it can be checked
with an XML parser. Every piece of user text goes through `_e`.
"""

from __future__ import annotations

from html import escape

from faq.analytics.report import Report

COLOURS = {"answered": "#2e7d32", "clarified": "#f9a825", "fell_back": "#c62828"}
LABELS = {"answered": "answered", "clarified": "did you mean", "fell_back": "fell back"}
CHART_W, CHART_H, PAD = 760, 200, 30
CHART_GROUPS = 10

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222;max-width:60rem;
margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eee;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666;font-size:.9rem}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
svg{max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#444}
ul.wordings{margin:.2rem 0;padding-left:1.1rem;color:#555}#totals{width:auto;min-width:16rem}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def render_html(report: Report) -> str:
    t = report.totals
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        f"<title>FAQ bot report {_e(report.since)} to {_e(report.until)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>What people asked the dystonia FAQ bot</h1>",
        f'<p class="muted">{_e(report.since)} to {_e(report.until)} (UTC),',
        f"generated {_e(report.generated)}</p>",
        '<table id="totals"><tbody>',
    ]
    for key, label in (
        ("questions", "Questions"),
        ("answered", "Answered"),
        ("clarified", "Did you mean"),
        ("fell_back", "Fell back"),
        ("none_of_these", "“None of these”"),
        ("distinct_users", "People"),
        ("up", "👍"),
        ("down", "👎"),
    ):
        parts.append(f'<tr><th>{label}</th><td class="n" id="total-{key}">{getattr(t, key)}</td></tr>')
    parts.append("</tbody></table>")
    parts += _days_section(report)
    parts += _groups_section(report)
    parts += _votes_section(report)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _days_section(report: Report) -> list[str]:
    out = ["<h2>Outcome mix per day</h2>", '<p class="legend muted">']
    out += [f'<span style="background:{COLOURS[k]}"></span>{LABELS[k]}' for k in COLOURS]
    out.append("</p>")
    days = report.days
    peak = max((d.total for d in days), default=0) or 1
    step = (CHART_W - 2 * PAD) / max(len(days), 1)
    plot_h = CHART_H - 2 * PAD
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {CHART_H}" '
        f'width="{CHART_W}" height="{CHART_H}" role="img" aria-label="questions per day by outcome">'
    )
    out.append(f'<text x="2" y="{PAD}">{peak}</text><text x="2" y="{CHART_H - PAD}">0</text>')
    for n, d in enumerate(days):
        x, y = PAD + n * step, CHART_H - PAD
        for key in ("answered", "clarified", "fell_back"):
            h = getattr(d, key) / peak * plot_h
            if h:
                y -= h
                out.append(
                    f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                    f'fill="{COLOURS[key]}"><title>{_e(d.day)}: {getattr(d, key)} {LABELS[key]}</title>'
                    "</rect>"
                )
    last = len(days) - 1
    for n in sorted({0, last // 2, last}) if days else []:
        anchor = "start" if n == 0 else "end" if n == last else "middle"  # keep labels inside the chart
        x = PAD + (n + (1 if anchor == "end" else 0.5 if anchor == "middle" else 0)) * step
        out.append(f'<text x="{x:.1f}" y="{CHART_H - 8}" text-anchor="{anchor}">{_e(days[n].day)}</text>')
    out.append("</svg>")
    out.append(
        '<table id="days"><thead><tr><th>Day</th><th class="n">Answered</th><th class="n">Did you mean</th>'
        '<th class="n">Fell back</th><th class="n">Total</th></tr></thead><tbody>'
    )
    for d in days:
        if d.total:
            out.append(
                f'<tr class="day"><td>{_e(d.day)}</td><td class="n">{d.answered}</td>'
                f'<td class="n">{d.clarified}</td><td class="n">{d.fell_back}</td>'
                f'<td class="n">{d.total}</td></tr>'
            )
    out.append('</tbody></table><p class="muted">Days without questions are left out of the table.</p>')
    return out


def _groups_section(report: Report) -> list[str]:
    out = [
        "<h2>Most common unanswered questions</h2>",
        '<p class="muted">Questions that fell back or got “did you mean”, grouped by similarity. '
        "The suggestion is the intent users picked, else the nearest intent by the matcher.</p>",
    ]
    shown = report.groups[:CHART_GROUPS]
    if shown:
        peak = max(g.count for g in shown)
        label_w, row_h = 330, 22
        width = CHART_W - label_w - 40
        height = row_h * len(shown) + 4
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" '
            f'height="{height}" role="img" aria-label="most common unanswered questions">'
        )
        for n, g in enumerate(shown):
            y = n * row_h + 2
            w = max(g.count / peak * width, 1)
            label = g.question if len(g.question) <= 48 else g.question[:47] + "…"
            out.append(f'<text x="0" y="{y + 15}">{_e(label)}</text>')
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 6}" fill="#1565c0">'
                f"<title>{_e(g.question)}: {g.count}</title></rect>"
            )
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{g.count}</text>')
        out.append("</svg>")
    out.append(
        '<table id="groups"><thead><tr><th class="n">Asked</th><th>Question (and other wordings)</th>'
        '<th class="n">Fell back</th><th class="n">Did you mean</th><th class="n">None of these</th>'
        "<th>Suggestion</th></tr></thead><tbody>"
    )
    for g in report.groups:
        wordings = "".join(f"<li>{_e(w)}</li>" for w in g.wordings[1:])
        hint = []
        if g.chosen:
            hint.append("users chose " + ", ".join(f"{_e(c.intent)} ×{c.count}" for c in g.chosen))
        if g.nearest:
            hint.append(f"nearest {_e(g.nearest.intent)} ({g.nearest.score:.2f})")
        if g.suggested_intent is None:
            hint.append("no suggestion (a new intent?)")
        out.append(
            f'<tr class="group"><td class="n count">{g.count}</td><td class="question">{_e(g.question)}'
            + (f'<ul class="wordings">{wordings}</ul>' if wordings else "")
            + f'</td><td class="n fallback">{g.fallback}</td><td class="n clarify">{g.clarify}</td>'
            f'<td class="n none">{g.none_of_these}</td>'
            f'<td class="suggestion" data-intent="{_e(g.suggested_intent or "")}">'
            f"{'; '.join(hint)}</td></tr>"
        )
    out.append("</tbody></table>")
    if not report.groups:
        out.append('<p class="muted">No unanswered questions in this period.</p>')
    return out


def _votes_section(report: Report) -> list[str]:
    out = [
        "<h2>Was this helpful?</h2>",
        '<table id="votes"><thead><tr><th>Intent</th><th class="n">👎</th><th class="n">👍</th>'
        "<th>Questions answered unhelpfully</th></tr></thead><tbody>",
    ]
    for v in report.votes:
        examples = "; ".join(_e(q) for q in v.downvoted)
        out.append(
            f'<tr class="vote"><td class="intent">{_e(v.intent)}</td><td class="n down">{v.down}</td>'
            f'<td class="n up">{v.up}</td><td>{examples}</td></tr>'
        )
    out.append("</tbody></table>")
    if not report.votes:
        out.append('<p class="muted">No feedback in this period.</p>')
    return out
