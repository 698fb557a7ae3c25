"""The asked-about aspect: the words of a question that say what it asks beyond its topic ("fly" in
"can I fly with cervical dystonia"), which make an answer an honest partial reply."""

from __future__ import annotations

from faq.analyzer import Analysis
from faq.index import TermIndex
from faq.spelling import english_zipf
from faq.thresholds import Thresholds

__all__ = ["asked_aspect"]


def asked_aspect(
    index: TermIndex,
    uncovered: frozenset[int],
    n: int,
    weights: dict[str, float],
    analysis: Analysis,
    least: float,
    th: Thresholds,
    describing: bool = False,
) -> tuple[str, ...]:
    """Words of the asking clause that intent n does not explain and no topic uses (only the
    `uncovered` intents, or none): in the user's own words. `least`: how rare in English a word
    no intent uses must be to count; `describing`: such words describe, not ask."""
    asked = weights.keys() if analysis.asked is None else analysis.asked
    out = []
    for t in asked:
        owners = index.owners(t)
        if t not in weights or n in owners or index.is_context(t) or t in analysis.scene:
            continue
        if owners and not owners <= uncovered:
            continue  # another topic's word: the scores have weighed it already
        word = analysis.surface.get(t) or index.surface.get(t, t)
        # A word only our refusals use ("flying", "cost") is a known uncovered aspect, in a
        # fragment too ("cost of botox"). A word no intent uses counts only if it is rare in
        # English (common ones are mostly how people talk), and only in a question: in "the
        # pen slips because my fingers curl", "slips" describes.
        if t in index.foreign:
            need = th.aspect_known_rarity
        elif analysis.asking and t not in analysis.alternative and not describing:
            need = least
        else:
            continue
        if index.rarity(word) >= need and not _adverb(word, th.adverb_base_zipf):
            out.append(analysis.said.get(t, word))
    return tuple(out)


def _adverb(word: str, base_zipf: float) -> bool:
    """Adverbs ("uncontrollably", "roughly") say how, not what is asked. An adverb is a word in
    -ly made from an English word: "rough" + "ly"; "family" and "fly" are not."""
    if len(word) < 5 or not word.endswith("ly"):
        return False
    bases = (word[:-2], word[:-3] + "y", word[:-1] + "e")  # rough-ly, happ-ily, uncontrollab-ly
    return any(english_zipf(base) >= base_zipf for base in bases)
