"""Hand the curator ready-to-edit YAML: evaluation cases and new phrasings per intent. Pure functions."""

from __future__ import annotations

from collections.abc import Collection

import yaml

from faq.analytics.report import QuestionGroup, Report
from faq.invocation import command
from faq.normalize import normalize
from faq.schema import MAX_PHRASING_CHARS


def _item(value: object, indent: str = "") -> str:
    """One YAML list item, quoted as needed by PyYAML itself."""
    text = yaml.safe_dump([value], allow_unicode=True, sort_keys=False, width=10_000)
    return "".join(indent + line + "\n" for line in text.splitlines())


def _evidence(g: QuestionGroup) -> str:
    mix = f"fell back {g.fallback}, did you mean {g.clarify}, none of these {g.none_of_these}"
    parts = [f"asked {g.count}× ({mix})"]
    parts.append(f"nearest {g.nearest.intent} {g.nearest.score:.2f}" if g.nearest else "no near intent")
    if g.chosen:
        parts.append("users chose " + ", ".join(f"{c.intent} ×{c.count}" for c in g.chosen))
    return "; ".join(parts)


def cases_yaml(report: Report) -> str:
    """The groups as evaluation cases, the format `dystonia-faq eval` reads."""
    out = [
        f"# Evaluation cases from the analytics report, {report.since} to {report.until}.\n",
        "# One case per group of unanswered questions. Confirm or correct each `intent`\n",
        "# (null: the bot should not answer directly), then add the cases to tests/data/eval.yaml.\n",
    ]
    if not report.groups:
        return "".join([*out, "[]\n"])
    for g in report.groups:
        out.append(f"# {_evidence(g)}\n")
        out.append(_item({"question": g.question, "intent": g.suggested_intent}))
    return "".join(out)


def suggested_phrasings(
    report: Report, existing: Collection[str]
) -> dict[str, list[tuple[str, QuestionGroup]]]:
    """New phrasings per suggested intent: the groups' wordings that intents.yaml lacks.

    `existing` holds the normalised phrasings of intents.yaml: the loader rejects a phrasing
    that normalises like one it already has, so those are left out.
    """
    seen = set(existing)
    out: dict[str, list[tuple[str, QuestionGroup]]] = {}
    for g in report.groups:
        intent = g.suggested_intent
        if intent is None:
            continue
        for wording in g.wordings:
            key = normalize(wording)
            if key and key not in seen and len(wording) <= MAX_PHRASING_CHARS:
                seen.add(key)
                out.setdefault(intent, []).append((wording, g))
    return out


def phrasings_yaml(report: Report, existing: Collection[str]) -> str:
    """`{intent_id: [phrasing, ...]}` with a how-to header, ready to paste into intents.yaml."""
    out = [
        f"# Suggested new phrasings from the analytics report, {report.since} to {report.until}.\n",
        "# How to use: for each intent id below, check every phrasing really asks what that intent\n",
        "# answers, delete the ones that do not, and paste the rest under `questions:` of the intent\n",
        f"# with that id in intents.yaml. Then run `{command()} validate` and `{command()} eval`.\n",
        "# Phrasings intents.yaml already has were left out.\n",
    ]
    suggestions = suggested_phrasings(report, existing)
    if not suggestions:
        return "".join([*out, "{}\n"])
    for intent, items in suggestions.items():
        out.append(f"{intent}:\n")
        for wording, g in items:
            out.append(f"  # {_evidence(g)}\n")
            out.append(_item(wording, "  "))
    return "".join(out)
