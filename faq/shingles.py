"""Hashed 7-word shingles: how the content rules spot wording shared with the source article.

The article is all rights reserved, so the project never stores its text. It stores only the
sha256 prefixes of every run of 7 words of the normalised article (`faq/article_shingles.txt`),
made by this module from a private copy of the article:

    python -m faq.shingles /work/shared/source/what-is-dystonia.txt > faq/article_shingles.txt

A run of 7 words in an answer whose hash is in that file is a run shared with the article. Names
(the article's title, the organisations and the forms of dystonia it names) may be shared: text is
cut at every name on both sides, so no run spans a name.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

RUN = 7  # words in a run: 7 or more shared words in a row is too close to the article
PREFIX = 16  # hex digits of sha256 kept per run (64 bits: a chance match is negligible)
DATA_FILE = "article_shingles.txt"

# Names that answers may repeat word for word. The article's own title is passed in separately.
NAMES = (
    "National Institute of Neurological Disorders and Stroke",
    "American Dystonia Society",
    "Dystonia Medical Research Foundation",
    "Spasmodic Torticollis",
    "Retrocollis",
    "Cervical Dystonia",
    "Oromandibular Dystonia",
    "Jaw Dystonia",
    "Laryngeal Dystonia",
    "Lingual Dystonia",
    "Writer's Cramp",
    "Blepharospasm",
    "Ground Up Strength",
    "Eric Troy",
)

_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CUT = "|"  # stands for a name: no run crosses it


def fold(text: str) -> str:
    """Lower-case ASCII words separated by spaces (apostrophes dropped: "writer's" -> "writers")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text.encode("ascii", "ignore").decode()).strip()


@cache
def _folded_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names folded like text, longest first (folded once: the loader checks every answer)."""
    return tuple(sorted({f for n in names if (f := fold(n))}, key=len, reverse=True))


def _segments(text: str, names: Iterable[str]) -> list[list[str]]:
    """The text's words, cut into segments at every name (longest names first)."""
    folded = f" {fold(text)} "
    for name in _folded_names(tuple(names)):
        folded = folded.replace(f" {name} ", f" {_CUT} ")
        folded = folded.replace(f" {name} ", f" {_CUT} ")  # twice: adjacent names share a space
    return [part.split() for part in folded.split(_CUT)]


def runs(text: str, names: Iterable[str] = ()) -> Iterator[tuple[str, ...]]:
    """Every run of RUN words in `text` that does not cross a name."""
    for segment in _segments(text, (*NAMES, *names)):
        for i in range(len(segment) - RUN + 1):
            yield tuple(segment[i : i + RUN])


def digest(run: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:PREFIX]


def fingerprint() -> str:
    """Identifies the settings a shingle file was made with: change them, and it must be remade."""
    settings = f"{RUN}/{PREFIX}/" + "/".join(fold(n) for n in NAMES)
    return hashlib.sha256(settings.encode()).hexdigest()[:12]


def build(article: str) -> list[str]:
    """The shingle file's lines for an article whose first non-empty line is its title."""
    title = next((line.strip() for line in article.splitlines() if line.strip()), "")
    hashes = sorted({digest(r) for r in runs(article, [title])})
    return [
        f"# sha256 prefixes of every {RUN}-word run of the source article, names cut out.",
        "# Made by `python -m faq.shingles ARTICLE.txt`; the article itself is never committed.",
        f"# settings {fingerprint()}",
        *hashes,
    ]


@cache
def article_shingles() -> tuple[str, frozenset[str]]:
    """(settings fingerprint, hashes) of the bundled shingle file."""
    text = (resources.files("faq") / DATA_FILE).read_text(encoding="utf-8")
    settings = ""
    hashes = set()
    for line in text.splitlines():
        if line.startswith("# settings "):
            settings = line.removeprefix("# settings ").strip()
        elif line and not line.startswith("#"):
            hashes.add(line.strip())
    return settings, frozenset(hashes)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m faq.shingles ARTICLE.txt > faq/article_shingles.txt", file=sys.stderr)
        return 2
    print("\n".join(build(Path(args[0]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
