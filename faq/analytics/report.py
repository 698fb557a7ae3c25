"""The curator's report: what was asked, what the bot could not answer, what users thought.

`build_report` is pure (a database snapshot in, a `Report` out); `load_report` adds the I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from faq.analytics.grouping import SIMILARITY, cluster, most_common_original
from faq.analytics.reader import Snapshot, read_snapshot
from faq.dialogue import Brain
from faq.reply import Outcome

TOP_GROUPS = 20
MAX_WORDINGS = 5
MAX_EXAMPLES = 3


@dataclass(frozen=True)
class DayMix:
    day: str
    answered: int
    clarified: int
    fell_back: int

    @property
    def total(self) -> int:
        return self.answered + self.clarified + self.fell_back


@dataclass(frozen=True)
class Suggestion:
    intent: str
    score: float


@dataclass(frozen=True)
class Choice:
    intent: str
    count: int


@dataclass(frozen=True)
class QuestionGroup:
    question: str  # the most asked wording, as typed
    count: int
    fallback: int
    clarify: int
    none_of_these: int
    wordings: tuple[str, ...]  # distinct wordings, most asked first
    nearest: Suggestion | None  # the matcher's best intent for `question`, if it scores enough
    chosen: tuple[Choice, ...]  # intents users picked in "did you mean", most picked first

    @property
    def suggested_intent(self) -> str | None:
        """Users' own pick beats the matcher's guess, which is void if most users rejected it."""
        if self.chosen:
            return self.chosen[0].intent
        if self.nearest is None or 2 * self.none_of_these >= self.count:
            return None
        return self.nearest.intent


@dataclass(frozen=True)
class IntentVotes:
    intent: str
    up: int
    down: int
    downvoted: tuple[str, ...]  # questions whose answer got 👎, still within retention


@dataclass(frozen=True)
class Totals:
    questions: int
    answered: int
    clarified: int
    fell_back: int
    none_of_these: int
    distinct_users: int
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    generated: str  # ISO timestamp, UTC
    since: str  # first day, inclusive (UTC)
    until: str  # last day, inclusive
    days: tuple[DayMix, ...]
    totals: Totals
    groups: tuple[QuestionGroup, ...]
    votes: tuple[IntentVotes, ...]  # most 👎 first
    knowledge: str | None  # where suggestions came from; None: no suggestions

    @property
    def most_helpful(self) -> tuple[IntentVotes, ...]:
        return tuple(sorted((v for v in self.votes if v.up), key=lambda v: (-v.up, v.down, v.intent)))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for day, row in zip(self.days, data["days"], strict=True):
            row["total"] = day.total
        for group, row in zip(self.groups, data["groups"], strict=True):
            row["suggested_intent"] = group.suggested_intent
        data["most_helpful"] = [v.intent for v in self.most_helpful]
        return data


Suggester = Callable[[str], Suggestion | None]


def brain_suggester(brain: Brain, min_score: float | None = None) -> Suggester:
    """The nearest existing intent of a question, by the bot's own matcher.

    Below `min_score` there is no suggestion; by default that is the matcher's own "did you mean"
    threshold, since lower scores are mostly the subject word alone ("dystonia") matching.
    """
    floor = brain.matcher.thresholds.clarify if min_score is None else min_score

    def suggest(text: str) -> Suggestion | None:
        match = brain.matcher.match(text)
        if match.refusal or match.outcome is Outcome.PARTIAL:
            return None  # recognised as out of scope, or asks what no topic covers: no topic fits
        if not match.candidates or match.candidates[0].score < floor:
            return None
        return Suggestion(match.candidates[0].intent, round(match.candidates[0].score, 3))

    return suggest


def build_report(
    snap: Snapshot,
    *,
    today: date,
    suggest: Suggester | None = None,
    top: int = TOP_GROUPS,
    similarity: float = SIMILARITY,
    knowledge: str | None = None,
    generated: datetime | None = None,
) -> Report:
    days = _days(snap, today)
    groups = _groups(snap, suggest, similarity)[:top]
    votes = _votes(snap)
    totals = Totals(
        questions=sum(d.total for d in days),
        answered=sum(d.answered for d in days),
        clarified=sum(d.clarified for d in days),
        fell_back=sum(d.fell_back for d in days),
        none_of_these=sum(1 for r in snap.unanswered if r.none_of_these),
        distinct_users=snap.distinct_users,
        up=sum(v.up for v in votes),
        down=sum(v.down for v in votes),
    )
    return Report(
        generated=(generated or datetime.now(UTC)).isoformat(timespec="seconds"),
        since=snap.start.isoformat(),
        until=today.isoformat(),
        days=days,
        totals=totals,
        groups=tuple(groups),
        votes=votes,
        knowledge=knowledge if suggest is not None else None,
    )


def load_report(
    db: str | Path,
    *,
    days: int = 30,
    brain: Brain | None = None,
    top: int = TOP_GROUPS,
    today: date | None = None,
) -> Report:
    """Read the database and build the report of the last `days` days (today included).

    Blocking I/O: from the bot, call it through `asyncio.to_thread`. Raises AnalyticsReadError.
    """
    end = today or datetime.now(UTC).date()
    snap = read_snapshot(db, end - timedelta(days=max(days, 1) - 1))
    suggest = brain_suggester(brain) if brain is not None else None
    return build_report(
        snap, today=end, suggest=suggest, top=top, knowledge=brain.kb.path if brain is not None else None
    )


def _days(snap: Snapshot, today: date) -> tuple[DayMix, ...]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in snap.daily:
        counts[row.day][row.outcome] += row.count
    out = []
    day = snap.start
    while day <= today:
        c = counts[day.isoformat()]
        out.append(DayMix(day.isoformat(), c["answer"], c["clarify"], c["fallback"]))
        day += timedelta(days=1)
    return tuple(out)


def _groups(snap: Snapshot, suggest: Suggester | None, similarity: float) -> list[QuestionGroup]:
    rows = snap.unanswered
    texts = [r.text for r in rows]
    groups = []
    for c in cluster(texts, similarity):
        members = [rows[i] for i in c.members]
        wordings = tuple(most_common_original(texts, c.members, key) for key, _ in c.wordings)
        picked = Counter(r.picked for r in members if r.picked)
        groups.append(
            QuestionGroup(
                question=wordings[0],
                count=c.size,
                fallback=sum(1 for r in members if r.outcome == "fallback"),
                clarify=sum(1 for r in members if r.outcome == "clarify"),
                none_of_these=sum(1 for r in members if r.none_of_these),
                wordings=wordings[:MAX_WORDINGS],
                nearest=suggest(wordings[0]) if suggest else None,
                chosen=tuple(Choice(i, n) for i, n in sorted(picked.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return groups


def _votes(snap: Snapshot) -> tuple[IntentVotes, ...]:
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for v in snap.votes:
        (up if v.helpful else down)[v.intent] += 1
        question = " ".join((v.question or "").split())
        seen = examples[v.intent]
        if not v.helpful and question and question not in seen and len(seen) < MAX_EXAMPLES:
            seen.append(question)
    intents = set(up) | set(down)
    rows = [IntentVotes(i, up[i], down[i], tuple(examples[i])) for i in intents]
    return tuple(sorted(rows, key=lambda v: (-v.down, -v.up, v.intent)))
