"""`dystonia-faq` (also `python -m faq`): ask, chat, validate, eval, bench, report.

Every command prints one clear sentence and exits 1 on bad input; no tracebacks for users. The
knowledge file is `--intents PATH`, else $INTENTS_PATH, else `intents.yaml` in the current
directory, else the copy bundled with the package (see `loader.default_path`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from faq import bench
from faq.analytics import AnalyticsStore
from faq.analytics.report_cli import add_report_parser
from faq.dialogue import Brain
from faq.evaluation import CaseFileError, evaluate, load_cases
from faq.invocation import program_name
from faq.loader import KnowledgeError, choose_path, describe_path, load_knowledge
from faq.progress import bar, wanted
from faq.terminal import chat, render


def knowledge_file(args: argparse.Namespace) -> tuple[Path, str]:
    """The knowledge file to use, and the sentence that says which one it is and why."""
    if getattr(args, "path", None):
        return Path(args.path), describe_path(args.path, "the command line")
    return choose_path(args.intents)


def _brain(args: argparse.Namespace) -> Brain:
    return Brain(load_knowledge(knowledge_file(args)[0]))


def cmd_ask(args: argparse.Namespace) -> int:
    brain = _brain(args)
    question = " ".join(args.question)
    reply = brain.reply(question)
    if args.json:
        payload = {
            "outcome": reply.outcome.value,
            "intent": reply.intent,
            "score": round(reply.score, 4),
            # A refusal (an out-of-scope intent won) is a fallback with that intent's own text; a
            # partial reply's uncovered aspect is in "reply".
            "refusal": reply.refusal,
            "candidates": [{"intent": i, "score": round(s, 4)} for i, s in reply.scores],
            "reply": reply.to_dict(),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(render(reply)[0])
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    path, described = knowledge_file(args)
    brain = Brain(load_knowledge(path))
    # --record: keep questions and choices in ANALYTICS_DB, as the bot does, to try the report.
    store = AnalyticsStore.from_env() if args.record else None
    try:
        return chat(brain, store=store, knowledge=described)
    except KeyboardInterrupt:
        print("\nBye!")
        return 0
    finally:
        if store is not None:
            store.close()


def cmd_validate(args: argparse.Namespace) -> int:
    path, described = knowledge_file(args)
    kb = load_knowledge(path)
    phrasings = sum(len(i.questions) for i in kb.intents)
    counts = f"{len(kb.intents)} intents, {phrasings} phrasings, {len(kb.synonyms)} synonym groups"
    print(f"OK: {counts} in {described}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    brain = _brain(args)
    known = frozenset(i.id for i in brain.kb.intents)
    files = {path: load_cases(path, known) for path in args.cases}  # every file checked before the work
    results = {}
    with bar(sum(map(len, files.values())), "eval", wanted(args.json)) as progress:
        for path, cases in files.items():
            progress.set_description(f"eval {path}")
            results[path] = evaluate(brain.matcher, cases, brain.kb.declining, tick=progress.update)
    if args.json:
        only = len(results) == 1
        payload = (
            next(iter(results.values())).to_dict() if only else {p: r.to_dict() for p, r in results.items()}
        )
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    for path, r in results.items():
        print(f"{path}: {r.cases} cases ({r.in_scope} in scope, {r.out_of_scope} out of scope)")
        print(f"  in-scope accuracy     {r.in_scope_accuracy:.3f}")
        print(f"  out-of-scope recall   {r.out_of_scope_recall:.3f}")
        print(f"  confident-wrong rate  {r.confident_wrong_rate:.3f}")
        print(f"  clarify rate          {r.clarify_rate:.3f}")
        print(f"  one-tap rate          {r.one_tap_rate:.3f}")
        print(f"  latency ms            p50 {r.latency_p50_ms:.3f}  p99 {r.latency_p99_ms:.3f}")
        for f in r.failures[: args.show]:
            print(f"  x {f.question!r}: expected {f.expected}, got {f.outcome} {f.got} ({f.score:.2f})")
        if len(r.failures) > args.show:
            print(f"  ... {len(r.failures) - args.show} more failures (--show N, or --json)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=program_name(), description="The dystonia FAQ brain.")
    parser.add_argument(
        "--intents",
        metavar="PATH",
        help="knowledge file (default: $INTENTS_PATH, else ./intents.yaml, else the bundled copy)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="machine-readable outcome, scores and reply")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="talk to the bot in the terminal (no Telegram needed)")
    p.add_argument("--record", action="store_true", help="record questions in ANALYTICS_DB, as the bot does")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("validate", help="check a knowledge file and report problems by line")
    p.add_argument("path", nargs="?")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("eval", help="measure accuracy on case files")
    p.add_argument("cases", nargs="+", metavar="CASES.yaml")
    p.add_argument("--json", action="store_true")
    p.add_argument("--show", type=int, default=20, metavar="N", help="failures to list (default 20)")
    p.set_defaults(func=cmd_eval)

    bench.add_parser(sub)
    add_report_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KnowledgeError as exc:
        problems = exc.lines()
        count = f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}"
        print(f"The knowledge file {exc.path} is not valid ({count}):", *problems, sep="\n", file=sys.stderr)
        return 1
    except CaseFileError as exc:
        print(f"The case file is not valid: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `dystonia-faq chat | head`: the reader left; nothing left to say
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
