"""Measure the matcher on a case file: how often it answers right, refuses off-topic, and errs.

A case file is a YAML list of `{question: str, intent: id | [ids] | null}`. A list means any of
those intents is right; null means the bot must not answer directly: a fallback, a "did you mean",
a partial reply, or an answer that itself declines (`declines: true` in intents.yaml, such as
`medical_advice`, which points to a doctor) all count as refusing.

In-scope accuracy counts only direct answers with a right intent. The one-tap rate also counts a
"did you mean" or partial reply that offers a right topic: one tap away from the answer.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.matcher import Matcher
from faq.reply import Outcome
from faq.yamlfile import YamlSyntaxError, parse_yaml


class CaseFileError(Exception):
    """A case file that cannot be evaluated; `str()` names the file and the case."""


@dataclass(frozen=True)
class Case:
    question: str
    expected: tuple[str, ...]  # empty: out of scope


@dataclass(frozen=True)
class Failure:
    question: str
    expected: list[str] | None
    got: str | None
    outcome: str
    score: float


@dataclass(frozen=True)
class EvalResult:
    cases: int
    in_scope: int
    out_of_scope: int
    in_scope_accuracy: float
    out_of_scope_recall: float
    confident_wrong_rate: float
    clarify_rate: float
    one_tap_rate: float
    latency_p50_ms: float
    latency_p99_ms: float
    failures: tuple[Failure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "in_scope_accuracy": round(self.in_scope_accuracy, 4),
            "out_of_scope_recall": round(self.out_of_scope_recall, 4),
            "confident_wrong_rate": round(self.confident_wrong_rate, 4),
            "clarify_rate": round(self.clarify_rate, 4),
            "one_tap_rate": round(self.one_tap_rate, 4),
            "latency_ms": {"p50": round(self.latency_p50_ms, 4), "p99": round(self.latency_p99_ms, 4)},
            "failures": [f.__dict__ for f in self.failures],
        }


def load_cases(path: str | Path, known_intents: frozenset[str] | None = None) -> list[Case]:
    shown = str(path)
    try:
        data, lines = parse_yaml(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CaseFileError(f"{shown}: cannot read the file ({exc.strerror})") from None
    except YamlSyntaxError as exc:
        raise CaseFileError(
            "\n".join(
                f"{shown}:{line}: {what}" if line else f"{shown}: {what}" for line, what in exc.findings
            )
        ) from None
    if not isinstance(data, list) or not data:
        raise CaseFileError(f"{shown}: expected a non-empty list of {{question, intent}} cases")
    return [
        _case(item, f"{shown}:{lines.line((n,))}: case #{n + 1}", known_intents)
        for n, item in enumerate(data)
    ]


def _case(item: Any, where: str, known_intents: frozenset[str] | None) -> Case:
    if not isinstance(item, dict) or set(item) != {"question", "intent"}:
        raise CaseFileError(f"{where}: needs exactly the keys 'question' and 'intent'")
    question, intent = item["question"], item["intent"]
    if not isinstance(question, str) or not question.strip():
        raise CaseFileError(f"{where}: 'question' must be non-empty text")
    expected = (intent,) if isinstance(intent, str) else tuple(intent or ())
    if intent is not None and (not expected or not all(isinstance(i, str) for i in expected)):
        raise CaseFileError(f"{where}: 'intent' must be an id, a list of ids, or null")
    unknown = [i for i in expected if known_intents is not None and i not in known_intents]
    if unknown:
        raise CaseFileError(f"{where}: unknown intent {unknown[0]!r}")
    return Case(question, expected)


def evaluate(
    matcher: Matcher,
    cases: list[Case],
    declining: frozenset[str] = frozenset(),
    tick: Callable[[], object] | None = None,
) -> EvalResult:
    """Score `matcher` on `cases`; an answer with an intent in `declining` counts as a refusal.
    `tick` is called after each case (a progress bar's step)."""
    latencies: list[float] = []
    failures: list[Failure] = []
    right = one_tap = refused = wrong = clarified = 0
    for case in cases:
        if tick is not None:
            tick()
        start = time.perf_counter()
        match = matcher.match(case.question)
        latencies.append((time.perf_counter() - start) * 1000)
        answered = match.outcome is Outcome.ANSWER
        clarified += match.outcome is Outcome.CLARIFY
        offered = match.outcome in (Outcome.CLARIFY, Outcome.PARTIAL) and any(
            c.intent in case.expected for c in match.candidates
        )
        if case.expected and answered and match.intent in case.expected:
            right += 1
            one_tap += 1
            continue
        one_tap += offered
        if not case.expected and (not answered or match.intent in declining):
            refused += 1
            continue
        wrong += answered
        failures.append(
            Failure(
                question=case.question,
                expected=list(case.expected) or None,
                got=match.intent if answered else ",".join(c.intent for c in match.candidates) or None,
                outcome=match.outcome.value,
                score=round(match.score, 4),
            )
        )
    in_scope = sum(1 for c in cases if c.expected)
    out_scope = len(cases) - in_scope
    return EvalResult(
        cases=len(cases),
        in_scope=in_scope,
        out_of_scope=out_scope,
        in_scope_accuracy=right / in_scope if in_scope else 1.0,
        out_of_scope_recall=refused / out_scope if out_scope else 1.0,
        confident_wrong_rate=wrong / len(cases),
        clarify_rate=clarified / len(cases),
        one_tap_rate=one_tap / in_scope if in_scope else 1.0,
        latency_p50_ms=statistics.median(latencies),
        latency_p99_ms=percentile(latencies, 99),
        failures=tuple(failures),
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: p99 of 300 values is the 297th smallest."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
