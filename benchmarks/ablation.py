"""`python -m benchmarks.ablation [CASES.yaml ...]`: what each part of the matcher is worth.

Every variant switches off one part of today's matcher and is scored like `dystonia-faq eval`
on the same case files, so each row shows what that part adds. `--phrasings-from OLD.yaml` adds
a row with today's matcher and answers but the phrasings and synonyms of an older knowledge file
(e.g. `git show REV:intents.yaml`), to measure a round of content edits.

The default case files are the blind sets (tests/data/blind_*.yaml) and holdout2.yaml: questions
written by people who never saw intents.yaml. `blind_final.yaml` is the honest final figure and
is left out unless named.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from faq import analyzer as analyzer_module
from faq import clauses as clauses_module
from faq import index as index_module
from faq import matcher as matcher_module
from faq.analyzer import Analysis, Analyzer
from faq.aspect import asked_aspect
from faq.evaluation import EvalResult, evaluate, load_cases
from faq.knowledge import KnowledgeBase
from faq.loader import load_knowledge
from faq.matcher import Match, Matcher, Thresholds

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_CASES = ("blind_phone.yaml", "blind_hard.yaml", "holdout2.yaml")
OFF = math.inf


def _full(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def _no_partial(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb, Thresholds(aspect_rarity=OFF, aspect_known_rarity=OFF, partial_topic=OFF))


def _analysis_with(**changes: object) -> Callable[[KnowledgeBase], Matcher]:
    """Today's matcher, reading every question with some fields of its analysis overridden."""

    def build(kb: KnowledgeBase) -> Matcher:
        matcher = Matcher(kb)
        analyze = Analyzer.analyze

        def changed(self: Analyzer, text: str, correct: bool = True) -> Analysis:
            return dataclasses.replace(analyze(self, text, correct), **changes)  # type: ignore[arg-type]

        matcher.analyzer.analyze = changed.__get__(matcher.analyzer)  # type: ignore[method-assign]
        return matcher

    return build


def _question_words_damped(kb: KnowledgeBase) -> Matcher:
    """ "where", "when", "why", "who" damped by their English frequency like any everyday word."""
    saved = getattr(index_module, "ASKING_FOR")  # noqa: B009 (the index's own reference)
    setattr(index_module, "ASKING_FOR", frozenset())  # noqa: B010
    try:
        return Matcher(kb)
    finally:
        setattr(index_module, "ASKING_FOR", saved)  # noqa: B010


def _skipping(step: str) -> Callable[[KnowledgeBase], Matcher]:
    """Today's matcher with one reading step of the analyzer (a method that returns its words
    rewritten) skipped, for the phrasings and the questions alike."""

    def as_written(self: Analyzer, words: object) -> object:
        return words

    def build(kb: KnowledgeBase) -> Matcher:
        saved = getattr(Analyzer, step)
        setattr(Analyzer, step, as_written)
        try:
            matcher = Matcher(kb)  # the phrasings are read without it too
        finally:
            setattr(Analyzer, step, saved)
        setattr(matcher.analyzer, step, as_written.__get__(matcher.analyzer))
        return matcher

    return build


def _one_question_at_a_time(kb: KnowledgeBase) -> Matcher:
    """Two questions in one message ("does it hurt and will it get worse") matched only as a whole."""
    matcher = Matcher(kb)
    matcher._one_by_one = lambda text: None  # type: ignore[method-assign]
    return matcher


def _advice_words_covered(kb: KnowledgeBase) -> Matcher:
    """A word that only refusals and a declining answer use ("botox") is not an uncovered aspect."""
    matcher = Matcher(kb)
    matcher._uncovered = matcher.index.refusals
    return matcher


def _module_patched(module: object, name: str, value: object) -> Callable[[KnowledgeBase], Matcher]:
    """Today's matcher with one module-level helper or pattern replaced while it is built and while
    it matches."""

    def build(kb: KnowledgeBase) -> Matcher:
        saved = getattr(module, name)
        setattr(module, name, value)
        try:
            matcher = Matcher(kb)
        finally:
            setattr(module, name, saved)
        match = matcher.match

        def patched(text: str) -> Match:
            setattr(module, name, value)
            try:
                return match(text)
            finally:
                setattr(module, name, saved)

        matcher.match = patched  # type: ignore[method-assign]
        return matcher

    return build


# The clause delimiters without punctuation said aloud, from the live pattern, so the two stay in step.
_UNSPOKEN = re.compile(
    clauses_module._DELIMITERS.pattern.replace(f"|{clauses_module._DICTATED}", ""), re.IGNORECASE
)


def _with(**changes: float) -> Callable[[KnowledgeBase], Matcher]:
    return lambda kb: Matcher(kb, Thresholds(**changes))  # type: ignore[arg-type]


VARIANTS: dict[str, Callable[[KnowledgeBase], Matcher]] = {
    "today's matcher": _full,
    "without partial replies": _no_partial,
    # unknown words count as the asked-about aspect in descriptions too, not only in questions
    "unknown words are aspects in descriptions too": _analysis_with(asking=True),
    # the aspect is looked for in every clause, not only in the one that asks (as before)
    "aspects looked for in every clause, not only the one that asks": _analysis_with(asked=None),
    # a word no intent knows after "or" ("... or is that rubbish") is an uncovered aspect too
    'unknown words after "or" are aspects too': _analysis_with(alternative=frozenset()),
    "question words damped as everyday English": _question_words_damped,
    "answer margin 0.03 (was)": _with(margin=0.03),
    # close topics always get a "did you mean", however typical of one of them the question is
    "without the typicality second opinion": _with(typical_lead=math.inf),
    # "does my son have it", "is my twitch dystonia" read as written, not as asking about oneself
    "yes/no questions about someone else read as written": _module_patched(
        analyzer_module, "first_person", lambda clause, subject, anchors: clause
    ),
    "words only refusals and declining answers use are covered": _advice_words_covered,
    # "could I have cervical dystonia?" answered with the form's topic, not with "do I have it?"
    "asking whether one has a named form answered with the form": _analysis_with(whether=frozenset()),
    "two questions in one message matched only as a whole": _one_question_at_a_time,
    # "my doctor mentioned dystonia, what is that?" read as written, not as asking for a definition
    '"what is that" after a story read as written': _skipping("_definitions"),
    # "could you tell me what dystonia is" read as written, not as asking for a definition
    "asking what dystonia is read as written": _skipping("_what_the_subject_is"),
    # "should my mum take ..." read as written, not as advice asked for oneself
    "advice for someone one cares for read as written": _module_patched(
        analyzer_module, "for_someone", lambda clause: clause
    ),
    # "my son is 9 comma his foot turns in": "comma" read as a word
    "punctuation said aloud read as words": _module_patched(clauses_module, "_DELIMITERS", _UNSPOKEN),
    # "what is blepharospasm i cant even pronounce it": the story after it asked about too
    "a question running on into a story read as one": _module_patched(
        clauses_module, "_runs_on", lambda c: 0
    ),
    # who leads, and by how much, judged on scores capped at 1, not before the cap
    "who leads judged on the capped score": _module_patched(matcher_module, "_lead", lambda c: c.score),
    # a refusal that wins by adding up words of its unrelated questions ("legs", "neck") still wins
    "a refusal with no word of its own still wins": _module_patched(
        matcher_module, "unfounded", lambda *args: False
    ),
    # "could my son's clumsy walking be this": "clumsy" asked about beyond the answer (partial)
    "words describing someone's trouble are aspects": _module_patched(
        matcher_module, "asked_aspect", lambda *args: asked_aspect(*args[:7])
    ),
    # "does it run in families and at what age does it start" matched only as a whole
    "a second question opening with a preposition not split off": _module_patched(
        clauses_module, "_PREPOSITIONS", frozenset()
    ),
}


def _with_phrasings_of(kb: KnowledgeBase, older: Path) -> KnowledgeBase:
    """`kb` with the phrasings and synonyms an older file had (intents it lacked keep theirs)."""
    data = yaml.safe_load(older.read_text(encoding="utf-8"))
    questions = {i["id"]: tuple(i["questions"]) for i in data["intents"]}
    intents = tuple(dataclasses.replace(i, questions=questions.get(i.id, i.questions)) for i in kb.intents)
    synonyms = {k: tuple(v) for k, v in data.get("synonyms", {}).items()}
    return dataclasses.replace(kb, intents=intents, synonyms=synonyms, _by_id={})


def _cell(r: EvalResult) -> str:
    return (
        f"{r.in_scope_accuracy:.3f} / {r.out_of_scope_recall:.3f} / {r.confident_wrong_rate:.3f}"
        f" / {r.one_tap_rate:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ablation", description=__doc__)
    parser.add_argument("cases", nargs="*", help="case files (default: the blind sets and holdout2)")
    parser.add_argument("--phrasings-from", metavar="OLD.yaml", help="a row with an older file's phrasings")
    args = parser.parse_args(argv)
    paths = [Path(c) for c in args.cases] or [DATA / name for name in DEFAULT_CASES]
    kb = load_knowledge()
    known = frozenset(i.id for i in kb.intents)
    cases = {p.name: load_cases(p, known) for p in paths}
    print("Each cell: in-scope accuracy / out-of-scope recall / confident-wrong / one-tap rate.\n")
    print("| variant | " + " | ".join(f"`{name}`" for name in cases) + " |")
    print("|---|" + "---|" * len(cases))
    rows = [(name, build(kb), kb) for name, build in VARIANTS.items()]
    if args.phrasings_from:
        older = _with_phrasings_of(kb, Path(args.phrasings_from))
        rows.append((f"phrasings and synonyms of {Path(args.phrasings_from).name}", Matcher(older), older))
    for name, matcher, base in rows:
        cells = [_cell(evaluate(matcher, c, base.declining)) for c in cases.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
