"""The shape of `intents.yaml`, declared with pydantic so that structural errors come for free.

Cross-references (links, related, duplicate ids and questions) need the whole file at once and
are checked in `loader.py`, which also maps every error to a line of the file.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_ANSWER_CHARS = 900  # a phone screen or two; Telegram's own limit is 4096
MAX_PHRASING_CHARS = 200  # one phrasing in `questions:` (what people type is cut at 500)
MIN_CONTENT_QUESTIONS = 10

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PHRASING_CHARS)
]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ANSWER_CHARS)]
Url = Annotated[str, StringConstraints(pattern=r"^https://\S+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    title: Text
    author: Text
    publisher: Text
    published: dt.date
    url: Url | None = None


class LinkModel(_Strict):
    title: Text
    url: Url | None = None


PARTIAL_FIELDS = frozenset({"aspect", "topic"})


class MessagesModel(_Strict):
    fallback: Answer
    clarify: Text
    empty: Text
    too_long: Text
    partial: Answer  # with {aspect} (what was asked) and {topic} (the topic's title)
    urgent: Text | None = None  # the line to call for help, above any reply that names an emergency

    @field_validator("partial")
    @classmethod
    def _placeholders(cls, text: str) -> str:
        try:
            named = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise ValueError(f"a stray brace ({exc}); write {{{{ or }}}} for a literal one") from None
        if named != PARTIAL_FIELDS:
            raise ValueError("must use exactly the placeholders {aspect} and {topic}")
        return text


class IntentModel(_Strict):
    id: Id
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    kind: Literal["content", "smalltalk", "out_of_scope"] = "content"
    questions: Annotated[list[Question], Field(min_length=1)]
    answer: Answer
    links: list[Id] = []
    related: list[Id] = []
    declines: bool = False
    offers_topic: bool = False
    answers_whether_one_has_it: bool = False
    urgent: bool = False
    # Lines the answer must carry, checked by faq/content_rules.py: a doctor line (reachable from
    # someone describing their own body), the emergency line, the article's full credit.
    must_say: list[Literal["doctor", "emergency", "credit"]] = []


class KnowledgeFileModel(_Strict):
    version: Literal[1]
    source: SourceModel
    links: dict[Id, LinkModel]
    subject: list[Text] = []
    synonyms: dict[Text, list[Text]] = {}
    messages: MessagesModel
    intents: Annotated[list[IntentModel], Field(min_length=1)]
