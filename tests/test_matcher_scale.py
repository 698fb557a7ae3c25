"""A large knowledge base gets the same replies as if every posting were walked.

The matcher stops walking a word's postings once enough intents are ahead of what the words left
could give any other (faq/index.py, `TermIndex.coverage`): a word nearly every intent uses is looked up
only for the intents already reached. That must never change a reply, only its speed.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from faq.bench import question_set, scaled
from faq.evaluation import load_cases
from faq.matcher import Match, Matcher
from tests.knowledge import shared_brain

DATA = Path(__file__).parent / "data"


def walk_everything(matcher: Matcher) -> Matcher:
    """The matcher as it was: every posting of every term of the question walked."""
    index = matcher.index

    def coverage(weights: dict[str, float], excluded: frozenset[int]) -> dict[int, float]:
        covered: dict[int, float] = defaultdict(float)
        for t, w in weights.items():
            for n in index.owners(t) - excluded:
                covered[n] += w
        return covered

    index.coverage = coverage  # type: ignore[method-assign]
    return matcher


def reply(match: Match) -> tuple[object, ...]:
    """What a user is shown: the scores only to nine places (terms are added up in another order)."""
    offered = tuple((c.intent, round(c.score, 9)) for c in match.candidates)
    return match.outcome, match.intent, round(match.score, 9), offered, match.refusal, match.aspect


@pytest.mark.slow(4)
def test_a_ten_times_larger_knowledge_base_gets_the_replies_of_a_full_walk() -> None:
    big = scaled(shared_brain().kb, 10)
    fast, full = Matcher(big), walk_everything(Matcher(big))
    questions = [*question_set(), *(c.question for c in load_cases(DATA / "eval.yaml"))]
    assert len(questions) > 300
    differ = [q for q in questions if reply(fast.match(q)) != reply(full.match(q))]
    assert differ == []


def test_the_real_knowledge_base_gets_the_replies_of_a_full_walk() -> None:
    kb = shared_brain().kb
    fast, full = Matcher(kb), walk_everything(Matcher(kb))
    sets = ("blind_dev3.yaml", "blind_final3.yaml")
    questions = [c.question for name in sets for c in load_cases(DATA / name)]
    differ = [q for q in questions if reply(fast.match(q)) != reply(full.match(q))]
    assert differ == []
