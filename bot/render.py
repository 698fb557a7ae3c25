"""From the brain's transport-neutral `Reply` (and fixed texts) to Telegram messages.

Pure functions only: no network, no context. A rendered message is `(html_text, keyboard)`.
Content and user text is plain text: it is split first, then escaped and formatted, so every part
is valid Telegram HTML and within Telegram's 4096-character limit.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import MessageLimit, ParseMode

from bot import callbacks, texts
from bot.callbacks import AllTopics, Ask, Choose, Feedback, NoneOfThese, ShowTopic, TopicsPage
from faq import Link, Outcome, Reply, Topic
from faq.knowledge import Source

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH  # Telegram's limit for one message (4096)
TOPICS_PER_PAGE = 8
MAX_RELATED = 3

Rendered = tuple[str, InlineKeyboardMarkup | None]

# Where a part may end: after a sentence (., !, ? or … plus closing quotes/brackets) or a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n\s*")
_WORD_END = re.compile(r"\s+")


def escape(text: str) -> str:
    """Escape plain text for Telegram HTML (only <, > and & matter outside attributes)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units (an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


def _cost(text: str) -> int:
    return utf16_len(escape(text))


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split plain text into parts whose escaped form fits `limit`, preferring sentence ends.

    Sentences are packed greedily; a sentence too long on its own is split between words, and a
    word too long on its own between characters. Whitespace at the cuts is dropped; nothing else is.
    """
    if limit < 8:
        raise ValueError("limit too small to hold an escaped character")
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, _SENTENCE_END):
        if _cost((current + piece).rstrip()) <= limit:
            current += piece
            continue
        if current.strip():
            parts.append(current.strip())
        current = piece
        if _cost(piece.rstrip()) > limit:  # one sentence longer than a message
            words = _split_long(piece, limit)
            parts.extend(words[:-1])
            current = words[-1]
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(text: str, boundary: re.Pattern[str]) -> list[str]:
    """Cut `text` after each boundary match; the pieces concatenate back to `text`."""
    cuts = [m.end() for m in boundary.finditer(text)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if text[a:b]]


def _split_long(sentence: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for word in _pieces(sentence, _WORD_END):
        if _cost((current + word).rstrip()) <= limit:
            current += word
            continue
        if current.strip():
            parts.append(current.strip())
        current = ""
        for char in word:  # a "word" longer than a message: cut anywhere
            if _cost(current + char) > limit:
                parts.append(current.strip())
                current = ""
            current += char
    parts.append(current.strip())
    return [p for p in parts if p] or [""]


def compose(
    body: str, *, head: Sequence[str] = (), tail: Sequence[str] = (), keyboard: InlineKeyboardMarkup | None
) -> list[Rendered]:
    """Messages for plain `body` framed by HTML `head` (first part) and `tail` (last part) blocks.

    The keyboard goes on the last part, under the end of the text it belongs to.
    """
    head_html = "\n\n".join(head)
    tail_html = "\n\n".join(tail)
    room = MAX_MESSAGE - utf16_len(head_html) - utf16_len(tail_html) - 4  # 4: the blank lines
    bodies = [escape(part) for part in split_text(body, room)] or [""]
    bodies[0] = "\n\n".join(b for b in (head_html, bodies[0]) if b)
    bodies[-1] = "\n\n".join(b for b in (bodies[-1], tail_html) if b)
    return [(text, keyboard if i == len(bodies) - 1 else None) for i, text in enumerate(bodies)]


# ---------------------------------------------------------------------------------- replies


def render_reply(reply: Reply, token: str | None = None) -> list[Rendered]:
    """An answer, a "did you mean", or the fallback, as one or more Telegram messages.

    With an analytics `token` (see bot/analytics.py), an answer gets a 👍/👎 row and the "did you mean"
    buttons record the choice; without one, the buttons are plain topic buttons.
    """
    head = [f"<i>{escape(reply.notice)}</i>"] if reply.notice else []
    if reply.outcome is Outcome.ANSWER and reply.title:
        head.append(f"<b>{escape(reply.title)}</b>")
    tail = []
    if reply.outcome is Outcome.FALLBACK and "/topics" not in reply.text:
        tail.append(texts.FALLBACK_HINT)
    unlinked = [link.title for link in reply.links if link.url is None]
    if unlinked:
        tail.append(texts.ALSO_NAMED.format(names=escape(", ".join(unlinked))))
    return compose(reply.text, head=head, tail=tail, keyboard=reply_keyboard(reply, token))


def reply_keyboard(reply: Reply, token: str | None = None) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if reply.outcome is Outcome.CLARIFY:
        if token is None:
            rows += [[topic_button(t)] for t in reply.candidates]
            none_of_these = callbacks.encode(NoneOfThese())
        else:
            rows += [
                [InlineKeyboardButton(t.title, callback_data=callbacks.encode(Choose(token, t.id)))]
                for t in reply.candidates
            ]
            none_of_these = callbacks.encode(Choose(token, None))
        rows.append([InlineKeyboardButton(texts.NONE_OF_THESE_BUTTON, callback_data=none_of_these)])
        return InlineKeyboardMarkup(rows)
    if reply.outcome is Outcome.FALLBACK:
        rows += _pairs([topic_button(t) for t in reply.candidates])
    if reply.outcome is Outcome.PARTIAL:
        rows += [[topic_button(t)] for t in reply.candidates]
    rows += link_rows(reply.links)
    if reply.outcome is Outcome.ANSWER:
        rows += [[topic_button(t)] for t in reply.related[:MAX_RELATED]]
        if token is not None and reply.intent is not None:
            rows.append(feedback_row(token, reply.intent))
    return InlineKeyboardMarkup(rows) if rows else None


def feedback_row(token: str, intent_id: str) -> list[InlineKeyboardButton]:
    """The "Was this helpful?" 👍 / 👎 row, last under an answer; removed once tapped."""
    return [
        InlineKeyboardButton(
            texts.HELPFUL_BUTTON, callback_data=callbacks.encode(Feedback(token, intent_id, True))
        ),
        InlineKeyboardButton(
            texts.NOT_HELPFUL_BUTTON, callback_data=callbacks.encode(Feedback(token, intent_id, False))
        ),
    ]


def topic_button(topic: Topic) -> InlineKeyboardButton:
    return InlineKeyboardButton(topic.title, callback_data=callbacks.encode(ShowTopic(topic.id)))


def link_rows(links: Iterable[Link]) -> list[list[InlineKeyboardButton]]:
    """One URL button per row (organisation names are long); links without a URL get none."""
    return [[InlineKeyboardButton(link.title, url=link.url)] for link in links if link.url]


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


# ---------------------------------------------------------------------------------- commands


def credit(source: Source) -> str:
    """The article's full credit, escaped: “Title” by Author (Publisher, year)."""
    return (
        f"“{escape(source.title)}” by {escape(source.author)} "
        f"({escape(source.publisher)}, {escape(source.published[:4])})"
    )


def welcome(first_name: str | None, source: Source, popular: Sequence[Topic]) -> Rendered:
    greeting = f"Hello, {escape(first_name)}!" if first_name else "Hello!"
    rows = _pairs([topic_button(t) for t in popular])
    rows.append([InlineKeyboardButton(texts.ALL_TOPICS_BUTTON, callback_data=callbacks.encode(AllTopics()))])
    return texts.WELCOME.format(greeting=greeting, source=credit(source)), InlineKeyboardMarkup(rows)


def topics_page(topics: Sequence[Topic], page: int) -> Rendered:
    """One page of the topic list, with ◀ ▶ buttons that edit the message in place."""
    pages = max(1, math.ceil(len(topics) / TOPICS_PER_PAGE))
    page = min(max(page, 0), pages - 1)  # a stale page number still shows something sensible
    shown = topics[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [[topic_button(t)] for t in shown]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(texts.PREVIOUS_BUTTON, callback_data=callbacks.encode(TopicsPage(page - 1)))
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(texts.NEXT_BUTTON, callback_data=callbacks.encode(TopicsPage(page + 1)))
        )
    if nav:
        rows.append(nav)
    text = texts.TOPICS.format(page=texts.TOPICS_PAGE.format(page=page + 1, pages=pages) if pages > 1 else "")
    return text, InlineKeyboardMarkup(rows)


def help_message(username: str) -> Rendered:
    rows = [[InlineKeyboardButton(q, callback_data=callbacks.encode(Ask(q)))] for q in texts.HELP_EXAMPLES]
    return texts.HELP.format(username=escape(username)), InlineKeyboardMarkup(rows)


def resources(links: Iterable[Link]) -> Rendered:
    links = list(links)
    items = "\n".join(
        f"• {escape(link.title)}" + ("" if link.url else texts.RESOURCE_UNLINKED) for link in links
    )
    return texts.RESOURCES.format(items=items), InlineKeyboardMarkup(link_rows(links))


def about(source: Source) -> Rendered:
    published = dt.date.fromisoformat(source.published)
    title = f"“{escape(source.title)}”"
    if source.url:
        title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
    text = texts.ABOUT.format(
        title=title,
        author=escape(source.author),
        publisher=escape(source.publisher),
        date=f"{published.day} {published:%B %Y}",
        year=published.year,
    )
    return text, None


# ---------------------------------------------------------------------------------- inline mode


def inline_result(reply: Reply, username: str, source: Source) -> InlineQueryResultArticle:
    """An answer to share from inline mode: title, text, attribution and the URL buttons."""
    if reply.intent is None or reply.title is None:
        raise ValueError("inline results are answers: a reply with an intent and a title")
    attribution = (
        f"<i>{texts.INLINE_ATTRIBUTION.format(username=escape(username), source=credit(source))}</i>"
    )
    parts = split_text(reply.text, MAX_MESSAGE // 2)  # one message only: cut a (rare) long answer
    body = parts[0] + (" …" if len(parts) > 1 else "") if parts else ""
    text, _ = compose(body, head=[f"<b>{escape(reply.title)}</b>"], tail=[attribution], keyboard=None)[0]
    rows = link_rows(reply.links)
    return InlineQueryResultArticle(
        id=reply.intent,  # unique per query and at most 64 bytes, like intent ids
        title=reply.title,
        description=_preview(reply.text),
        input_message_content=InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


def _preview(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
