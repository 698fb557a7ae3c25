"""Group similar questions: pure functions, no I/O.

Questions are compared on normalised text with rapidfuzz's token_sort_ratio, which ignores word
order ("botox dystonia cost" ~ "cost of botox for dystonia" is not enough, but "how much is botox"
~ "botox how much is it" is). Greedy by frequency: the most asked wording founds a group and
absorbs every later wording close enough to it, so a group is named after its most common form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from faq.normalize import normalize

SIMILARITY = 85.0  # token_sort_ratio needed to join a group


@dataclass(frozen=True)
class Cluster:
    members: tuple[int, ...]  # indexes into the input, in input order
    wordings: tuple[tuple[str, int], ...]  # normalised forms with their counts, most common first

    @property
    def key(self) -> str:
        return self.wordings[0][0]

    @property
    def size(self) -> int:
        return len(self.members)


def cluster(texts: Sequence[str], similarity: float = SIMILARITY) -> list[Cluster]:
    """Clusters of `texts`, biggest first; texts without words (emoji, punctuation) are left out."""
    keys = [normalize(t) for t in texts]
    counts = Counter(k for k in keys if k)
    founders: list[str] = []
    wordings: list[list[str]] = []
    group_of: dict[str, int] = {}
    for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        hit = process.extractOne(key, founders, scorer=fuzz.token_sort_ratio, score_cutoff=similarity)
        if hit is None:
            founders.append(key)
            wordings.append([key])
            group_of[key] = len(founders) - 1
        else:
            wordings[hit[2]].append(key)
            group_of[key] = hit[2]
    members: list[list[int]] = [[] for _ in founders]
    for i, key in enumerate(keys):
        if key:
            members[group_of[key]].append(i)
    clusters = [
        Cluster(tuple(m), tuple((k, counts[k]) for k in w)) for m, w in zip(members, wordings, strict=True)
    ]
    clusters.sort(key=lambda c: (-c.size, c.key))
    return clusters


def most_common_original(texts: Sequence[str], members: Sequence[int], key: str) -> str:
    """The most typed form (as typed, whitespace tidied) among members whose normalised text is `key`."""
    forms = Counter(" ".join(texts[i].split()) for i in members if normalize(texts[i]) == key)
    return min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]
