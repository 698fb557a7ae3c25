"""Render replies as plain text for the terminal, and the `chat` loop built on them."""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TextIO

from faq.analytics import AnalyticsStore
from faq.chat_commands import EMPTY_LINE, INTRO, WIDTH, Shown, run_command
from faq.dialogue import Brain
from faq.reply import Outcome, Reply, Topic

# The knowledge base speaks Telegram ("Tap one:"); in the terminal one types a number instead.
_TERMINAL_WORDS = (
    (re.compile(r"\b([Tt])ap one\b"), r"\1ype its number"),
    (re.compile(r"\b([Tt])apping a topic\b"), r"\1yping a topic's number"),
    (re.compile(r"\b([Tt])ap a topic\b"), r"\1ype a topic's number"),
)


def for_terminal(text: str) -> str:
    for pattern, words in _TERMINAL_WORDS:
        text = pattern.sub(words, text)
    return text


def render(reply: Reply) -> Shown:
    """The reply as text, and the topics offered as numbered choices."""
    out: list[str] = []
    if reply.notice:
        out.append(f"({reply.notice})")
    if reply.title:
        out.append(reply.title.upper())
    out.extend(textwrap.fill(for_terminal(p), WIDTH) for p in reply.text.split("\n") if p.strip())
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
        out.extend(_numbered(choices))
        if reply.outcome is Outcome.CLARIFY:
            out.append(f"  [{len(choices) + 1}] None of these")
    return "\n".join(out), choices


def _numbered(topics: list[Topic]) -> list[str]:
    return [f"  [{n}] {topic.title}" for n, topic in enumerate(topics, start=1)]


class Conversation:
    """One terminal conversation: a line in, the text to print out. Numbers pick offered topics.
    With a `store`, questions and "did you mean" choices are recorded as the bot records them."""

    def __init__(self, brain: Brain, store: AnalyticsStore | None = None) -> None:
        self.brain = brain
        self.store = store
        self.choices: list[Topic] = []
        self.clarifying = False  # the choices end with "None of these"
        self.token = ""  # the analytics token of the last question

    def respond(self, line: str) -> str:
        text = line.strip()
        if not text:
            return EMPTY_LINE  # the offered numbers stay valid
        if text.isdigit():
            return self._pick(int(text))
        if text.startswith("/") or text.lower() == "topics":
            shown, choices = run_command(text, self.brain, self.store)
            if choices:
                shown += "\n" + "\n".join(_numbered(choices))
            return self._offer(shown, choices, clarifying=False)
        reply = self.brain.reply(text)
        if self.store is not None:
            self.token = self.store.record_question(text, reply, user="terminal")
        return self._show(reply)

    def _pick(self, number: int) -> str:
        offered = len(self.choices) + self.clarifying
        if not 1 <= number <= offered:
            if not offered:
                return "There are no numbered topics to pick from right now. Ask a question, or type /topics."
            return f"There is no [{number}] here: type a number from 1 to {offered}, or ask a question."
        chosen = self.choices[number - 1].id if number <= len(self.choices) else None  # None of these
        if self.store is not None and self.clarifying:
            self.store.record_choice(self.token, chosen)
        return self._show((self.brain.answer(chosen) if chosen else None) or self.brain.fallback())

    def _show(self, reply: Reply) -> str:
        text, choices = render(reply)
        return self._offer(text, choices, clarifying=reply.outcome is Outcome.CLARIFY)

    def _offer(self, text: str, choices: list[Topic], *, clarifying: bool) -> str:
        self.choices, self.clarifying = choices, clarifying
        return text


def chat(
    brain: Brain,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    store: AnalyticsStore | None = None,
    knowledge: str = "",
) -> int:
    """The conversation loop: reads lines until 'quit', 'exit' or end of input (default: the
    process's standard input and output, as they are when it is called)."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    interactive = stdin.isatty()
    if knowledge:
        print(f"Knowledge file: {knowledge}", file=stdout)
    print(INTRO, file=stdout)
    conversation = Conversation(brain, store)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit", "/quit", "/exit"}:
            print("Take care. Bye!", file=stdout)
            return 0
        print(conversation.respond(line) + "\n", file=stdout, flush=True)
