"""The FAQ brain: knowledge base, matcher and dialogue. Transport-neutral: never imports Telegram."""

from faq.dialogue import Brain
from faq.knowledge import Intent, KnowledgeBase, Link
from faq.loader import KnowledgeError, load_knowledge
from faq.matcher import Match, Matcher, Thresholds
from faq.reply import Outcome, Reply, Topic

__all__ = [
    "Brain",
    "Intent",
    "KnowledgeBase",
    "KnowledgeError",
    "Link",
    "Match",
    "Matcher",
    "Outcome",
    "Reply",
    "Thresholds",
    "Topic",
    "load_knowledge",
]
