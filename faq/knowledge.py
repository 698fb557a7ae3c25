"""The knowledge base as plain, immutable data.

`loader.load_knowledge()` builds these from `intents.yaml`; everything else only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Content decisions, each named once: the topics offered when nothing matched (and on /start, and
# for an empty inline query), and the links every topic must carry and every fallback shows.
POPULAR_TOPICS = ("what_is_dystonia", "symptoms", "treatment", "types", "resources")
REQUIRED_LINKS = ("ninds", "dmrf")


class IntentKind(StrEnum):
    CONTENT = "content"  # a topic drawn from the article (or about it): listed in /topics
    SMALLTALK = "smalltalk"  # greetings, thanks, goodbye, help: answered, never listed
    # Questions we know we cannot answer (other conditions, off-topic): matched so that the bot
    # refuses them honestly, with a fitting pointer, instead of answering a look-alike topic.
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Link:
    key: str
    title: str
    url: str | None  # None: named only, no confirmed website


@dataclass(frozen=True)
class Source:
    title: str
    author: str
    publisher: str
    published: str  # ISO date
    url: str | None = None


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    kind: IntentKind
    questions: tuple[str, ...]
    answer: str
    links: tuple[str, ...]
    related: tuple[str, ...]
    # The answer itself declines and points to a doctor (`medical_advice`): to a question we do
    # not cover, it is a refusal, not a wrong answer.
    declines: bool = False
    # An out-of-scope intent for questions about a topic we do cover ("cost of botox for the
    # neck"): when it wins and a topic is named, the reply is partial and offers that topic.
    offers_topic: bool = False
    # The answer to "do I have it?" (`diagnosis`): it wins a yes/no question whether the asker or
    # someone they describe has it, even when the question names a form ("could I have cervical
    # dystonia?"); that form is then offered beside it.
    answers_whether_one_has_it: bool = False
    # Emergencies happening now (`emergency`): when it wins, its reply, which says to call the local
    # emergency number, is given, never a "did you mean" ("he can't breathe, his neck is twisted").
    urgent: bool = False

    @property
    def is_topic(self) -> bool:
        return self.kind is IntentKind.CONTENT


@dataclass(frozen=True)
class Messages:
    """Fixed texts the dialogue needs, kept with the content so editors can change them."""

    fallback: str
    clarify: str
    empty: str
    too_long: str
    partial: str  # {aspect}: what was asked, as the user wrote it; {topic}: the topic's title
    # Shown above any reply to a question that uses an emergency's own words ("seizure",
    # "overdose"), unless the reply already says to call the local emergency number.
    urgent: str | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    version: int
    source: Source
    links: dict[str, Link]
    synonyms: dict[str, tuple[str, ...]]  # canonical term -> variants people type
    subject: tuple[str, ...]  # words naming what the whole knowledge base is about
    messages: Messages
    intents: tuple[Intent, ...]
    path: str = ""
    _by_id: dict[str, Intent] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({intent.id: intent for intent in self.intents})

    def intent(self, intent_id: str) -> Intent | None:
        return self._by_id.get(intent_id)

    @property
    def topics(self) -> tuple[Intent, ...]:
        """Content intents, in file order: what /topics lists."""
        return tuple(i for i in self.intents if i.is_topic)

    @property
    def declining(self) -> frozenset[str]:
        """Intents whose answer declines (e.g. personal medical advice): a refusal, for `eval`."""
        return frozenset(i.id for i in self.intents if i.declines)

    def links_of(self, intent: Intent) -> tuple[Link, ...]:
        return tuple(self.links[key] for key in intent.links)
