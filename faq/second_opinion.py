"""Second opinions on who wins, beside the scores (faq/matcher.py scores and decides).

Scores ask whether an intent uses each word of a question at all; these look again where that
is not enough: between close topics, how typical the question is of each one's phrasings; and
when a refusal wins, whether it won with a word of its own or only by adding up words of its
many unrelated questions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from faq.analyzer import Analysis
from faq.index import TermIndex
from faq.thresholds import Thresholds

__all__ = ["typical", "unfounded"]


def typical(
    index: TermIndex,
    th: Thresholds,
    best: int,
    score: float,
    rivals: Sequence[int],
    weights: dict[str, float],
) -> bool:
    """Between close topics: scores ask whether a topic uses a word at all, typicality how many of
    its phrasings do ("focal": nearly all of `focal_dystonia`'s). The best topic (`best`, scoring
    `score`) is answered when it fits well, explains most of the question and is far more typical
    of it than each of the `rivals`."""
    if not rivals or score < th.typical_score:
        return False
    if math.fsum(index.unexplained(best, weights)) > th.typical_unexplained * math.fsum(weights.values()):
        return False
    mine = index.typicality(best, weights)
    return all(mine - index.typicality(n, weights) >= th.typical_lead for n in rivals)


def unfounded(
    index: TermIndex,
    th: Thresholds,
    topic: int,
    refusal: int,
    lead: float,
    names_a_topic: bool,
    weights: dict[str, float],
    analysis: Analysis,
) -> bool:
    """A refusal that wins (by `lead` over the best `topic`) with no word of its own, only by adding
    up words of several unrelated questions ("legs" from restless legs, "neck" from a stiff neck),
    loses to the topic when the topic explains every word with a closer phrasing ("can it be in
    the legs too or only the neck"), or when the question is about dystonia ("does it cause pain
    or is it just the movements"), every word is a topic's, the refusal is not one that names a
    topic ("cost of botox for the neck") and the topic is close enough to be offered."""
    if not index.unexplained(topic, weights):  # cheap, so asked before the phrasings are compared
        total = math.fsum(weights.values())
        if index.overlap(topic, weights, total) > index.overlap(refusal, weights, total):
            return True
    ours = all(index.owners(t) - index.refusals for t in weights)
    return analysis.anchored and ours and not names_a_topic and lead < th.candidate_window
