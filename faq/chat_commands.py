"""The terminal chat's commands: /start, /help, /topics, /resources, /about, /privacy, as the
Telegram bot has them, in words that fit a terminal (type a number, not "tap").

Each command gives the text to print and the topics it offers as numbered choices.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from faq.analytics import AnalyticsStore
from faq.dialogue import Brain
from faq.knowledge import Source
from faq.reply import Topic

WIDTH = 78
Shown = tuple[str, list[Topic]]  # the text, and the topics offered as numbered choices

INTRO = (
    "Ask me about dystonia in your own words. /help shows how, /topics lists what I know; "
    "'quit' or Ctrl-D leaves."
)
EMPTY_LINE = "Type a question about dystonia, or /help."
UNKNOWN_COMMAND = "I don't know that command. /help shows how to ask, and /topics what I can answer."
HELP = """\
How to ask: type a question in your own words; short questions work best, and typos are fine.
If I'm not sure what you mean, I offer a few topics: type a topic's number to read it.

  /topics      everything I can answer
  /resources   where to learn more and find support
  /about       where my answers come from
  /privacy     what this chat keeps
  quit         leave (or Ctrl-D)

For example: What is writer's cramp? Does dystonia run in families? How is dystonia treated?"""
ABOUT = (
    "Everything I say is based on the article \u201c{title}\u201d by {author}, published by {publisher} "
    "on {date}{url}. I put its facts in my own words and keep them short.\n"
    "Its figures date from {year}, so some may be out of date; NINDS and the Dystonia Medical "
    "Research Foundation have current information.\n"
    "I'm a bot, not a doctor. Nothing I say is medical advice, and I can't diagnose anyone. For "
    "your own situation, please talk to a doctor, ideally a neurologist."
)
NOT_RECORDING = (
    "Privacy: this chat keeps nothing you type; questions are answered and forgotten. "
    "(Started with --record, it keeps questions in ANALYTICS_DB as the Telegram bot does, "
    "to try the curator's report.)"
)
RECORDING = (
    "Privacy: recording is on (--record). Each question you type, and what you pick in "
    '"did you mean", is kept in {db} for {days} days for the curator\'s report. No name or '
    "user id is kept."
)


def run_command(text: str, brain: Brain, store: AnalyticsStore | None = None) -> Shown:
    """The reply to a line starting with "/" (or the bare word "topics")."""
    name = text.split()[0].lstrip("/").split("@")[0].lower()
    if name == "start":
        return welcome(brain)
    if name == "help":
        return HELP, []
    if name == "topics":
        topics = list(brain.topics())
        return "Here is everything I can tell you about. Type a number to read it.", topics
    if name == "resources":
        return resources(brain), []
    if name == "about":
        return about(brain.kb.source), []
    if name == "privacy":
        return privacy(store), []
    return UNKNOWN_COMMAND, []


def welcome(brain: Brain) -> Shown:
    source = brain.kb.source
    text = (
        "Hello! I answer common questions about dystonia: what it is, the kinds there are, symptoms, "
        f"causes and treatment, summarised in my own words from an article by {source.author} "
        f"({source.published[:4]}). I'm a bot, not a doctor: I can't diagnose anyone, and nothing I "
        "say is medical advice.\n"
        "Ask me anything in your own words (for example: What is writer's cramp?), or type the "
        "number of a topic (/topics lists them all):"
    )
    return _wrap(text), list(brain.fallback().candidates)


def resources(brain: Brain) -> str:
    lines = ["Where to learn more and find support:"]
    for link in brain.kb.links.values():
        where = f": {link.url}" if link.url else " (no current website I can confirm)"
        lines.append(f"  - {link.title}{where}")
    return "\n".join(lines)


def about(source: Source) -> str:
    published = dt.date.fromisoformat(source.published)
    text = ABOUT.format(
        title=source.title,
        author=source.author,
        publisher=source.publisher,
        date=f"{published.day} {published:%B %Y}",
        url=f" ({source.url})" if source.url else "",
        year=published.year,
    )
    return _wrap(text)


def privacy(store: AnalyticsStore | None) -> str:
    if store is None or not store.enabled:
        return _wrap(NOT_RECORDING)
    return _wrap(RECORDING.format(db=store.path, days=store.retention_days))


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(p, WIDTH) for p in text.split("\n"))
