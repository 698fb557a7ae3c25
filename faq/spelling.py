"""Word-by-word typo correction against the knowledge base's own vocabulary.

A word is corrected only when it is not a known word and not a common English word (so
"weather" stays "weather" and counts as off-topic evidence, while "wrtiers" becomes "writers").
Candidates come from rapidfuzz over words of similar length, scored with optimal string
alignment, so a swapped pair of letters costs one edit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

# Words at least this frequent in English are taken as meant, not as typos (Zipf scale: 3 is
# about once per million words; "weather" 4.9; typos are 0).
COMMON_WORD_ZIPF = 3.0
MIN_CORRECTABLE_LEN = 4
SHORT_WORD = 5


def max_edits(word: str) -> int:
    """Longer words tolerate more typos; short ones would match too much."""
    if len(word) < MIN_CORRECTABLE_LEN:
        return 0
    return 1 if len(word) < 7 else 2 if len(word) < 10 else 3


@lru_cache(maxsize=100_000)  # asked several times per word while indexing; wordfreq tokenizes each time
def english_zipf(word: str, rare_words: bool = False) -> float:
    """Frequency in English, Zipf scale. wordfreq's "small" list holds every word of Zipf 3 and up
    (rarer ones read 0): all the matcher needs, and it loads in a tenth of the time of "large".
    `rare_words`: the large list, which also knows "botulinum" (1.5) from a typo (0)."""
    return float(zipf_frequency(word, "en", wordlist="large" if rare_words else "small"))


class SpellIndex:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._freq = Counter(vocabulary)
        self._by_len: dict[int, list[str]] = defaultdict(list)
        # Every word and its one-letter deletions -> the words: two words within one edit of each
        # other (a swap counts as one) share a key, so candidates are found without a scan.
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for word in self._freq:
            self._by_len[len(word)].append(word)
            for key in _deletions(word):
                self._deletes[key].append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._freq

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` was most likely meant to be, or None."""
        k = max_edits(word)
        if k == 0 or word.isdigit() or english_zipf(word) >= COMMON_WORD_ZIPF:
            return None
        near = {cand for key in _deletions(word) for cand in self._deletes.get(key, ())}
        best = self._best(word, near, k)
        if best is None and k >= 2:  # two or more typos: compare with every word of similar length
            lengths = range(len(word) - k, len(word) + k + 1)
            similar = (w for n in lengths for w in self._by_len.get(n, ()))
            found = process.extract(word, list(similar), scorer=OSA.distance, score_cutoff=k, limit=8)
            best = self._best(word, {cand for cand, _, _ in found}, k)
        return best

    def _best(self, word: str, candidates: Iterable[str], k: int) -> str | None:
        """The closest candidate within k edits; ties go to the word the knowledge base uses most."""
        ranked = []
        for cand in candidates:
            if len(word) <= SHORT_WORD and cand[0] != word[0]:
                continue  # short words rarely lose their first letter: "cose" is not "dose"
            dist = OSA.distance(word, cand, score_cutoff=k)
            if dist <= k:
                ranked.append((dist, -self._freq[cand], cand))
        return min(ranked)[2] if ranked else None


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
