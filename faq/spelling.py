"""Word-by-word typo correction against the knowledge base's own vocabulary.

A word is corrected only when it is not a known word and not a common English word (so
"weather" stays "weather" and counts as off-topic evidence, while "wrtiers" becomes "writers").
Candidates come from rapidfuzz over words of similar length, scored with optimal string
alignment, so a swapped pair of letters costs one edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

# Words at least this frequent in English are taken as meant, not as typos (Zipf scale: 3 is
# about once per million words; "dystopia" 2.7, "weather" 4.9; typos are mostly 0).
COMMON_WORD_ZIPF = 2.5
MIN_CORRECTABLE_LEN = 4
SHORT_WORD = 5


def max_edits(word: str) -> int:
    """Longer words tolerate more typos; short ones would match too much."""
    if len(word) < MIN_CORRECTABLE_LEN:
        return 0
    return 1 if len(word) < 7 else 2 if len(word) < 10 else 3


def english_zipf(word: str) -> float:
    return float(zipf_frequency(word, "en"))


class SpellIndex:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        counts = Counter(vocabulary)
        self._freq = counts
        self._by_len: dict[int, list[str]] = {}
        for word in counts:
            self._by_len.setdefault(len(word), []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._freq

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` was most likely meant to be, or None."""
        k = max_edits(word)
        if k == 0 or word.isdigit() or english_zipf(word) >= COMMON_WORD_ZIPF:
            return None
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - k, len(word) + k + 1):
            bucket = self._by_len.get(length)
            if not bucket:
                continue
            for cand, dist, _ in process.extract(word, bucket, scorer=OSA.distance, score_cutoff=k, limit=4):
                if len(word) <= SHORT_WORD and cand[0] != word[0]:
                    continue  # short words rarely lose their first letter: "cose" is not "dose"
                key = (int(dist), -self._freq[cand], cand)
                if best is None or key < best:
                    best = key
        return best[2] if best else None
