"""Render replies as plain text for the terminal, and the `chat` loop built on them."""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from faq.analytics import AnalyticsStore
from faq.dialogue import Brain
from faq.reply import Outcome, Reply, Topic

WIDTH = 78


def render(reply: Reply) -> tuple[str, list[Topic]]:
    """The reply as text, and the topics offered as numbered choices."""
    out: list[str] = []
    if reply.notice:
        out.append(f"({reply.notice})")
    if reply.title:
        out.append(reply.title.upper())
    out.extend(textwrap.fill(p, WIDTH) for p in reply.text.split("\n") if p.strip())
    for link in reply.links:
        out.append(f"  - {link.title}" + (f": {link.url}" if link.url else ""))
    choices = list(reply.candidates if reply.outcome is not Outcome.ANSWER else reply.related)
    if choices:
        heading = {
            Outcome.ANSWER: "Related:",
            Outcome.CLARIFY: "",
            Outcome.PARTIAL: "",
            Outcome.FALLBACK: "Topics I know:",
        }
        if heading[reply.outcome]:
            out.append(heading[reply.outcome])
        out.extend(f"  [{n}] {topic.title}" for n, topic in enumerate(choices, start=1))
        if reply.outcome is Outcome.CLARIFY:
            out.append(f"  [{len(choices) + 1}] None of these")
    return "\n".join(out), choices


def chat(
    brain: Brain,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    store: AnalyticsStore | None = None,
) -> int:
    """A conversation in the terminal. A number picks one of the offered topics. With a `store`,
    questions and "did you mean" choices are recorded as the bot records them (for `faq report`)."""
    interactive = stdin.isatty()
    print("Ask me about dystonia (Ctrl-D or 'quit' to leave). Type 'topics' to see them all.", file=stdout)
    choices: list[Topic] = []
    clarifying = False
    token = ""
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit"}:
            print("Take care. Bye!", file=stdout)
            return 0
        text = line.strip()
        if text.lower() == "topics":
            reply = Reply(
                Outcome.FALLBACK, "Here is everything I can tell you about:", candidates=brain.topics()
            )
        elif text.isdigit() and 1 <= int(text) <= len(choices) + clarifying:
            pick = int(text)
            chosen = choices[pick - 1].id if pick <= len(choices) else None  # None: "None of these"
            if store is not None and clarifying:
                store.record_choice(token, chosen)
            reply = (brain.answer(chosen) if chosen else None) or brain.fallback()
        else:
            reply = brain.reply(text)
            if store is not None:
                token = store.record_question(text, reply, user="terminal")
        rendered, choices = render(reply)
        clarifying = reply.outcome is Outcome.CLARIFY
        print(rendered + "\n", file=stdout, flush=True)
