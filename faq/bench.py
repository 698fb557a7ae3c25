"""`dystonia-faq bench`: index build time and per-question latency at 1x, 10x and 100x scale.

The larger knowledge bases are synthetic: copies of the real intents in which about half of
the content words are replaced by copy-specific pseudo-words, so both the number of phrasings
and the vocabulary grow. The baseline is the naive approach the matcher replaces: rapidfuzz
`WRatio` over every phrasing with `process.extractOne`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from dataclasses import dataclass, replace
from typing import Any

import wordfreq
from rapidfuzz import fuzz, process

from faq.analyzer import stem
from faq.evaluation import percentile
from faq.knowledge import Intent, KnowledgeBase
from faq.loader import load_knowledge
from faq.matcher import Matcher
from faq.normalize import STOPWORDS, normalize
from faq.progress import bar, wanted
from faq.spelling import english_zipf

QUESTIONS = (
    "what is dystonia",
    "what is writer's cramp",
    "my hand cramps when I write",
    "my neck keeps turning to one side",
    "is dystonia hereditary",
    "how common is it",
    "can children get dystonia",
    "is there a cure",
    "does it hurt",
    "will it get worse over time",
    "my eyes keep closing on their own",
    "my jaw clenches shut",
    "my voice keeps breaking",
    "what causes dystonia",
    "how many types are there",
    "where can I find more information",
    "what doctor should I see",
    "hello",
    "thanks so much",
    "what is parkinson's disease",
    "how many people live in the US",
    "what's the weather like tomorrow",
    "writer's block",
    "my mum was just told she has cervical dystonia, what is that?",
    "what are the early signs",
    "can physical therapy help",
    "where does this information come from",
    "dystonia in the arms and legs",
    "what is focal dystonia",
    "blepharospasm",
)
SCALES = (1, 10, 100)
# Passes over the question set for the matcher's latencies: its p99 is then the 12th slowest of
# 1,200 samples, not the 3rd of 300, so one hiccup of a shared machine does not move the ratios.
ROUNDS = 20
# Builds per scale, of which the median counts: a small build lasts a tenth of a second, where one
# hiccup of a shared machine would move the ratio; a slow spell of a few seconds moves a 100x build.
# The 1x build is timed this many times before the large builds and as many times after them.
BUILD_REPEATS = {1: 5, 10: 3, 100: 3}


def typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters of one longer word: the most common phone typo."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def question_set() -> list[str]:
    rng = random.Random(7)
    return [*QUESTIONS, *(typo(q, rng) for q in QUESTIONS)]


def scaled(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    if factor == 1:
        return kb
    intents: list[Intent] = list(kb.intents)
    for copy in range(1, factor):
        rng = random.Random(copy)
        # A made-up suffix of letters ("zqab"): with digits, every copied word would be read as a
        # number (scene-setting, like "10") and looked up on wordfreq's slower path for numbers.
        tag = "zq" + "".join(chr(97 + copy // 26**k % 26) for k in (1, 0))

        def mutate(text: str, rng: random.Random = rng, tag: str = tag) -> str:
            return " ".join(
                w + tag if w not in STOPWORDS and rng.random() < 0.5 else w for w in normalize(text).split()
            )

        for intent in kb.intents:
            intents.append(
                replace(
                    intent,
                    id=f"{intent.id}_{copy}",
                    questions=tuple(mutate(q) for q in intent.questions),
                    title=mutate(intent.title),
                    related=(),
                )
            )
    return replace(kb, intents=tuple(intents), _by_id={})


@dataclass(frozen=True)
class Row:
    scale: int
    intents: int
    phrasings: int
    build_ms: float
    p50_ms: float
    p99_ms: float
    baseline_p50_ms: float
    baseline_p99_ms: float

    @property
    def speedup_p50(self) -> float:
        """How many times faster than the naive baseline measured in the same run."""
        return self.baseline_p50_ms / self.p50_ms

    @property
    def speedup_p99(self) -> float:
        return self.baseline_p99_ms / self.p99_ms

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "speedup_p50": round(self.speedup_p50, 1),
            "speedup_p99": round(self.speedup_p99, 1),
        }


def machine() -> str:
    """The machine the figures were measured on, printed with them."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), ""
            )
    except OSError:
        pass
    cpu = model or platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}, {platform.machine()}), Python {platform.python_version()}, "
        f"{platform.system()}"
    )


def _latencies(fns: list[Any], questions: list[str], rounds: int, tick: Any) -> list[list[float]]:
    """Each function's latencies (ms) on every question, `rounds` times. The functions take turns
    on each question, so a slow spell of a shared machine lands on all of them alike and their
    ratios hold; each is timed in this thread's CPU time, so a neighbour's burst is not ours."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for q in questions:
            for fn, times in zip(fns, out, strict=True):
                start = time.thread_time()
                fn(q)
                times.append((time.thread_time() - start) * 1000)
        tick(len(questions) * len(fns))
    return out


def run(rounds: int = ROUNDS, show_progress: bool = False) -> tuple[float, list[Row]]:
    start = time.process_time()  # CPU time, as for the builds below: the neighbours' load is not ours
    kb = load_knowledge()
    Matcher(kb)
    load_ms = (time.process_time() - start) * 1000
    questions = question_set()
    # Steps: per scale, building and the baseline count as a pass of questions each, then every
    # timed question of the matcher.
    with bar(len(questions) * (rounds + 2) * len(SCALES), "bench", show_progress) as progress:
        built = []
        for factor in SCALES:
            progress.set_description(f"bench {factor}x: building")
            big = scaled(kb, factor)
            matcher, builds = _timed_builds(big, BUILD_REPEATS.get(factor, 1))
            built.append((factor, big, matcher, builds))
            progress.update(len(questions))
        # The smallest build is timed again after the large ones: a slow or fast spell of the
        # machine while it was first timed would otherwise move every ratio to it.
        factor, big, _, builds = built[0]
        builds.extend(_timed_builds(big, BUILD_REPEATS.get(factor, 1))[1])
        progress.set_description("bench: the matcher at every scale, in turn")
        ours = _latencies([m.match for _, _, m, _ in built], questions, rounds, progress.update)
        rows = []
        for (factor, big, _, builds), latencies in zip(built, ours, strict=True):
            choices = [normalize(q) for i in big.intents for q in i.questions]

            def naive(q: str, choices: list[str] = choices) -> Any:
                return process.extractOne(normalize(q), choices, scorer=fuzz.WRatio)

            progress.set_description(f"bench {factor}x: WRatio baseline")
            [base] = _latencies([naive], questions, 1, progress.update)
            rows.append(
                Row(
                    scale=factor,
                    intents=len(big.intents),
                    phrasings=len(choices),
                    build_ms=statistics.median(builds),
                    p50_ms=statistics.median(latencies),
                    p99_ms=percentile(latencies, 99),
                    baseline_p50_ms=statistics.median(base),
                    baseline_p99_ms=percentile(base, 99),
                )
            )
    return load_ms, rows


def _timed_builds(kb: KnowledgeBase, repeats: int) -> tuple[Matcher, list[float]]:
    """A matcher built from `kb`, and the CPU time of each of `repeats` builds, in ms."""
    builds = []
    for _ in range(repeats):
        _forget_words()
        start = time.process_time()  # CPU time: on a shared machine, wall time is the neighbours'
        matcher = Matcher(kb)
        builds.append((time.process_time() - start) * 1000)
    return matcher, builds


def _forget_words() -> None:
    """Forget cached folds, stems and English word frequencies, as a fresh process would, so that
    every build pays for all of its own words and builds of different sizes compare fairly (the 1x
    phrasings were folded already when the real knowledge base was loaded)."""
    normalize.cache_clear()
    stem.cache_clear()
    english_zipf.cache_clear()
    getattr(wordfreq, "_wf_cache", {}).clear()  # wordfreq's own memo of looked-up words


def ratios(rows: list[Row]) -> dict[str, float]:
    """The speed bar, as ratios within one run (the machine is shared and noisy)."""
    one, big = rows[0], rows[-1]
    return {
        "p99_1x_vs_wratio_p99": one.p99_ms / one.baseline_p99_ms,
        f"p99_{big.scale}x_vs_1x": big.p99_ms / one.p99_ms,
        f"build_{big.scale}x_vs_1x": big.build_ms / one.build_ms,
    }


def table(load_ms: float, rows: list[Row], measured_on: str = "") -> str:
    lines = [
        f"Machine: {measured_on or machine()}; one process.",
        f"Load + index of the real knowledge base: {load_ms:.0f} ms of CPU (wordfreq's first load included)",
        "Baseline: rapidfuzz WRatio over every phrasing, measured in the same run; "
        "'x faster' = baseline time / matcher time.",
        "",
        "| scale | intents | phrasings | build ms | p50 ms | p99 ms | WRatio p50 ms | WRatio p99 ms "
        "| x faster p50 | x faster p99 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.scale}x | {r.intents} | {r.phrasings} | {r.build_ms:.0f} | {r.p50_ms:.3f} | {r.p99_ms:.3f} "
        f"| {r.baseline_p50_ms:.3f} | {r.baseline_p99_ms:.3f} | {r.speedup_p50:.1f} | {r.speedup_p99:.1f} |"
        for r in rows
    ]
    lines.append("Ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios(rows).items()))
    lines.append("Build, load and latencies are CPU time (a shared machine's neighbours are not ours).")
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace) -> int:
    load_ms, rows = run(args.rounds, show_progress=wanted(args.json))
    if args.json:
        payload = {
            "machine": machine(),
            "load_ms": round(load_ms, 1),
            "rows": [r.to_dict() for r in rows],
            "ratios": ratios(rows),
        }
        print(json.dumps(payload, indent=2))
    else:
        print(table(load_ms, rows))
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="index build time and latency at 1x, 10x, 100x scale")
    p.add_argument("--json", action="store_true")
    p.add_argument("--rounds", type=int, default=ROUNDS, help=f"passes over the questions (default {ROUNDS})")
    p.set_defaults(func=cmd_bench)
