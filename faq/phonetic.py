"""Sound-alike matching for questions heard by speech-to-text, and the vocabulary that helps it hear.

Speech-to-text writes what it hears in everyday words: "dystonia" comes out as "this Tonya",
"blepharospasm" as "blef a row spasm", "torticollis" as "tortie collis". To edit distance
(faq/spelling.py) these are not typos of anything; to the ear they are the same word. `SoundAlike`
compares a phonetic key (Metaphone, from jellyfish) of one to four heard words run together with
the keys of the knowledge base's hard words, and restores the word the speaker most likely said,
before the question goes to the matcher as usual.

Only words that are unusual in English and unknown to the knowledge base start a rewrite, so
"distance" or "this stone" stay as they are. Without jellyfish (it comes with the `voice` extra)
nothing is rewritten: transcripts are matched like typed questions.

`hearing_prompt` is the same vocabulary as a transcriber's initial prompt (Whisper's
`initial_prompt`): a glossary that makes "dystonia" more likely than "this Tonya" in the first place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from faq.knowledge import KnowledgeBase
from faq.normalize import STOPWORDS, normalize, words
from faq.spelling import english_zipf

metaphone: Callable[[str], str] | None
try:  # the voice extra; a plain install matches transcripts like typed text
    from jellyfish import metaphone
except ImportError:  # pragma: no cover - exercised only without the extra
    metaphone = None

HARD_WORD_ZIPF = 3.0  # rarer than this in English: a term speech-to-text may not know
HEARD_WORD_ZIPF = 3.5  # a heard word rarer than this (and unknown to us) may be a mangled term
MIN_TERM_LEN = 5
MAX_SPAN = 4  # "blef a row spasm": up to four heard words for one term
MIN_LETTERS_SIMILARITY = 50.0  # rapidfuzz ratio of the letters, for an exact key match ...
NEAR_LETTERS_SIMILARITY = 75.0  # ... and for a key one edit away ("dystopia" -> "dystonia")
MAX_PROMPT_WORDS = 30  # Whisper reads at most 224 prompt tokens; titles and 30 words fit well

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Metaphone keeps voiced and voiceless pairs apart ("T"/"D", "P"/"B"); the ear does not, and neither
# does speech-to-text: "th" (0) is heard as "d", "y" is a glide that comes and goes.
_FOLD = str.maketrans({"0": "T", "D": "T", "B": "P", "G": "K", "J": "K", "V": "F", "Z": "S", "Y": None})


def phonetic_key(word: str) -> str:
    """The folded Metaphone key of a word (letters only), or "" without jellyfish."""
    if metaphone is None or not word:
        return ""
    return metaphone(word).upper().translate(_FOLD)


@dataclass(frozen=True)
class _Term:
    word: str
    key: str


class SoundAlike:
    """Restores the knowledge base's hard words in a transcript ("this Tonya" -> "dystonia")."""

    def __init__(self, terms: Iterable[str], known: Iterable[str], prompt: str = "") -> None:
        self.prompt = prompt  # for the transcriber: see `hearing_prompt`
        self._known = frozenset(known)
        self._terms = [_Term(t, phonetic_key(t)) for t in sorted(set(terms))]
        self._terms = [t for t in self._terms if len(t.key) >= 3]
        self._by_key: dict[str, list[_Term]] = {}
        for term in self._terms:
            self._by_key.setdefault(term.key, []).append(term)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> SoundAlike:
        return cls(hard_words(kb), vocabulary(kb), hearing_prompt(kb))

    @property
    def enabled(self) -> bool:
        return bool(self._terms)

    def restore(self, text: str) -> str:
        """`text` with sound-alikes of hard words replaced by the words; punctuation kept."""
        if not self.enabled:
            return text
        tokens = list(_WORD.finditer(text))
        out, last, i = [], 0, 0
        while i < len(tokens):
            for n in range(min(MAX_SPAN, len(tokens) - i), 0, -1):
                span = [normalize(t.group()) for t in tokens[i : i + n]]
                term = self._match(span)
                if term is not None:
                    out.append(text[last : tokens[i].start()] + term)
                    last, i = tokens[i + n - 1].end(), i + n
                    break
            else:
                i += 1
        out.append(text[last:])
        return "".join(out)

    def _match(self, span: list[str]) -> str | None:
        if not any(self._suspect(w) for w in span):
            return None  # every word heard is a word we know or an everyday one: trust it
        joined = "".join(span)
        if len(joined) < MIN_TERM_LEN or joined in self._known:
            return None
        key = phonetic_key(joined)
        if len(key) < 3:
            return None
        exact = [t for t in self._by_key.get(key, ()) if fuzz.ratio(joined, t.word) >= MIN_LETTERS_SIMILARITY]
        near = [
            t
            for t in self._terms
            if len(key) >= 4
            and Levenshtein.distance(key, t.key, score_cutoff=1) <= 1
            and fuzz.ratio(joined, t.word) >= NEAR_LETTERS_SIMILARITY
        ]
        found = exact or near
        return max(found, key=lambda t: fuzz.ratio(joined, t.word)).word if found else None

    def _suspect(self, word: str) -> bool:
        """A heard word that may be part of a mangled term: neither ours nor common in English."""
        return word not in self._known and english_zipf(word) < HEARD_WORD_ZIPF


def vocabulary(kb: KnowledgeBase) -> set[str]:
    """Every word of the knowledge base's phrasings, titles and synonyms, and the stopwords."""
    known = set(STOPWORDS)
    for intent in kb.intents:
        for text in (*intent.questions, intent.title):
            known.update(words(text))
    for canonical, variants in kb.synonyms.items():
        for text in (canonical, *variants):
            known.update(words(text))
    return known


def hard_words(kb: KnowledgeBase) -> list[str]:
    """The knowledge base's words that are rare in English, spelled as its answers and titles spell
    them (its synonyms include typos on purpose: those are not words to restore); most used first."""
    counts: dict[str, int] = {}
    for intent in kb.intents:
        if intent.is_topic:
            for text in (intent.answer, intent.title, *intent.questions):
                for word in words(text):
                    counts[word] = counts.get(word, 0) + 1
    spelled = {w for i in kb.intents if i.is_topic for w in words(f"{i.answer} {i.title}")}
    for canonical, variants in kb.synonyms.items():  # real words only: typos have no frequency
        if not set(words(canonical)) <= counts.keys():
            continue  # a synonym of small talk ("hello": "hiya", "howdy"): no topic to hear
        for word in (w for text in (canonical, *variants) for w in words(text)):
            if english_zipf(word, rare_words=True) > 1.0:
                spelled.add(word)
                counts[word] = counts.get(word, 0) + 1
    hard = [w for w in spelled if len(w) >= MIN_TERM_LEN and english_zipf(w) < HARD_WORD_ZIPF]
    return sorted(hard, key=lambda w: (-counts.get(w, 0), w))


def hearing_prompt(kb: KnowledgeBase) -> str:
    """A glossary for the transcriber: the hard words, then the topics' titles, in plain text.

    Of hard words that sound alike ("dystonia", "dysphonia") only the most used is listed: a
    glossary that offers both makes the transcriber pick the rarer one as often as the right one.
    """
    listed: list[str] = []
    keys: list[str] = []
    for word in hard_words(kb):
        key = phonetic_key(word)
        if key and any(Levenshtein.distance(key, k, score_cutoff=1) <= 1 for k in keys):
            continue
        listed.append(word)
        keys.append(key)
        if len(listed) == MAX_PROMPT_WORDS:
            break
    return ", ".join(listed) + ". " + " ".join(i.title for i in kb.topics)
