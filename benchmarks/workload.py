"""The questions a realistic crowd sends the bot, and the replies it must give them: the load
benchmark (benchmarks/bot_load.py) and the reliability tests send and check these."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import yaml

from bot import handlers, render, texts
from bot.render import Rendered
from faq import Brain

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval.yaml"
COMMANDS = ("/start", "/help", "/topics", "/about", "/resources", "/nonsense")
OFF_TOPIC = (
    "what's the weather in Paris",
    "asdfgh",
    "is diabetes hereditary",
    "tell me a joke",
    "🙂🙂🙂",
    "<b>hi</b> & *bold*",
)


def question_mix(n: int, seed: int = 4) -> list[str]:
    """A realistic mix: questions from the evaluation set (typos included), off-topic, commands."""
    cases = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    questions = [str(c["question"]) for c in cases]
    rng = random.Random(seed)
    mix = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1:
            mix.append(rng.choice(COMMANDS))
        elif roll < 0.2:
            mix.append(rng.choice(OFF_TOPIC))
        else:
            mix.append(rng.choice(questions))
    return mix


def expected_texts(brain: Brain, text: str, username: str, first_name: str = "Ann") -> list[str]:
    """The HTML text(s) the bot must send for `text` in a private chat, computed from the brain."""
    commands: dict[str, Callable[[], list[Rendered]]] = {
        "/start": lambda: [render.welcome(first_name, brain.kb.source, brain.fallback().candidates)],
        "/help": lambda: [render.help_message(username)],
        "/topics": lambda: [render.topics_page(brain.topics(), 0)],
        "/about": lambda: [render.about(brain.kb.source)],
        "/resources": lambda: handlers.resources_messages(brain),
    }
    if text.startswith("/"):
        parts = commands.get(text.split()[0], lambda: [(texts.UNKNOWN_COMMAND, None)])()
    else:
        parts = render.render_reply(brain.reply(text))
    return [html for html, _ in parts]
