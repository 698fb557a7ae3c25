"""Unit tests for the pure parts: rendering, splitting, callback data, fixed texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup, InputTextMessageContent

from bot import callbacks, render, texts
from bot.callbacks import AllTopics, Ask, NoneOfThese, ShowTopic, Stale, TopicsPage
from bot.render import MAX_MESSAGE, split_text, utf16_len
from fake_bot_api.html_check import telegram_html_error, visible_text
from faq import Brain, Link, Outcome, Reply, Topic

NINDS = Link("ninds", "NINDS: Dystonia", "https://www.ninds.nih.gov/health-information/disorders/dystonia")
ADS = Link("ads", "American Dystonia Society", None)


def all_callback_data(markup: InlineKeyboardMarkup | None) -> list[str]:
    if markup is None:
        return []
    return [
        str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data is not None
    ]


def assert_sendable(parts: list[render.Rendered]) -> None:
    for text, markup in parts:
        assert telegram_html_error(text) is None, text
        assert 0 < utf16_len(text) <= MAX_MESSAGE
        assert all(len(d.encode()) <= callbacks.MAX_BYTES for d in all_callback_data(markup))


# ---------------------------------------------------------------------------------- escaping


def test_content_and_user_text_are_escaped() -> None:
    reply = Reply(
        Outcome.ANSWER,
        text="Use <b>bold</b> & <script>x</script> freely",
        intent="x",
        title="A < B & C",
        notice="Read <only> part & more",
        links=(NINDS, ADS),
        related=(Topic("types", "Types & <kinds>"),),
    )
    [(text, markup)] = render.render_reply(reply)
    assert text.startswith("<i>Read &lt;only&gt; part &amp; more</i>\n\n<b>A &lt; B &amp; C</b>\n\n")
    assert "Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in text
    assert "American Dystonia Society" in text  # named, not linked
    assert markup is not None
    assert [b.url for row in markup.inline_keyboard for b in row if b.url] == [NINDS.url]
    assert [b.text for row in markup.inline_keyboard for b in row][
        -1
    ] == "Types & <kinds>"  # buttons are plain
    assert_sendable([(text, markup)])


def test_clarify_has_candidates_and_none_of_these() -> None:
    reply = Reply(Outcome.CLARIFY, "Which one?", candidates=(Topic("a", "A"), Topic("b_c", "B")))
    [(text, markup)] = render.render_reply(reply)
    assert text == "Which one?"
    assert all_callback_data(markup) == ["1t:a", "1t:b_c", "1n"]


def test_fallback_mentions_topics_and_offers_links() -> None:
    reply = Reply(Outcome.FALLBACK, "No idea.", links=(NINDS,), candidates=(Topic("types", "Types"),))
    [(text, markup)] = render.render_reply(reply)
    assert "/topics" in text and "/resources" in text
    assert all_callback_data(markup) == ["1t:types"]


# ---------------------------------------------------------------------------------- splitting


def test_short_text_is_one_part() -> None:
    assert split_text("One. Two.") == ["One. Two."]
    assert split_text("   ") == []


def test_split_prefers_sentence_boundaries() -> None:
    sentence = "Dystonia makes muscles tighten on their own & that can hurt. "
    text = sentence * 200  # ~12,000 characters, more once escaped
    parts = split_text(text, 1000)
    assert len(parts) > 10
    assert all(part.endswith("hurt.") for part in parts)
    assert all(utf16_len(render.escape(p)) <= 1000 for p in parts)
    assert " ".join(parts) == text.strip()


def test_split_long_sentence_between_words_and_long_word_anywhere() -> None:
    words = split_text("word " * 100, 50)
    assert all(len(p) <= 50 and not p.startswith(" ") for p in words)
    assert " ".join(words).split() == ["word"] * 100
    blob = "&" * 120  # escapes to 600 characters
    chunks = split_text(blob, 50)
    assert "".join(chunks) == blob and all(utf16_len(render.escape(c)) <= 50 for c in chunks)
    assert split_text("&" + " " * 20 + "&" * 5 + " end.", 8) == ["&", "&", "&", "&", "&", "&", "end."]


def test_split_counts_utf16_units() -> None:
    parts = split_text("😀" * 30, 10)  # each emoji is two UTF-16 units
    assert [len(p) for p in parts] == [5] * 6


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>.!?\n😀é")), max_size=400), st.integers(8, 120))
def test_split_property(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(p and p == p.strip() for p in parts)
    assert all(utf16_len(render.escape(p)) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())  # nothing lost but whitespace


def test_huge_reply_is_split_into_valid_messages() -> None:
    text = " ".join(f"Sentence {i} has <tags> & ampersands & more." for i in range(900))
    reply = Reply(Outcome.ANSWER, text, intent="x", title="Big", notice="Long one", links=(NINDS,))
    parts = render.render_reply(reply)
    assert len(parts) >= 2
    assert_sendable(parts)
    assert parts[0][0].startswith("<i>Long one</i>\n\n<b>Big</b>")
    assert all(markup is None for _, markup in parts[:-1]) and parts[-1][1] is not None
    shown = " ".join(visible_text(t) for t, _ in parts)
    assert "Sentence 0 has <tags>" in shown and "Sentence 899 has <tags> & ampersands & more." in shown


# ---------------------------------------------------------------------------------- the real content


@pytest.fixture
def real_brain(brain: Brain) -> Brain:
    return brain  # the session's (tests/conftest.py)


def test_every_answer_and_keyboard_is_sendable(real_brain: Brain) -> None:
    for intent in real_brain.kb.intents:
        reply = real_brain.answer(intent.id)
        assert reply is not None
        assert_sendable(render.render_reply(reply))
        if intent.is_topic:
            inline = render.inline_result(reply, "dystonia_faq_bot", real_brain.kb.source)
            assert isinstance(inline.input_message_content, InputTextMessageContent)
            message = inline.input_message_content.message_text
            assert telegram_html_error(message) is None and utf16_len(message) <= MAX_MESSAGE
    assert_sendable(render.render_reply(real_brain.fallback()))


def test_topic_pages_cover_every_topic_and_clamp(real_brain: Brain) -> None:
    topics = real_brain.topics()
    pages = [render.topics_page(topics, n) for n in range(5)]
    ids = [d[3:] for _, m in pages[:3] for d in all_callback_data(m) if d.startswith("1t:")]
    assert ids == [t.id for t in topics]
    assert pages[3] == pages[2] == pages[4]  # a stale page number shows the last page
    assert render.topics_page(topics, -5) == pages[0]
    assert_sendable(pages)


def test_command_messages_are_sendable(real_brain: Brain) -> None:
    kb = real_brain.kb
    messages = [
        render.welcome("<Ann> & co", kb.source, real_brain.fallback().candidates),
        render.welcome(None, kb.source, ()),
        render.help_message("dystonia_faq_bot"),
        render.resources(kb.links.values()),
        render.about(kb.source),
    ]
    assert_sendable(messages)
    help_examples = [callbacks.decode(d) for d in all_callback_data(messages[2][1])]
    assert help_examples == [Ask(q) for q in texts.HELP_EXAMPLES]
    for question in texts.HELP_EXAMPLES:  # examples must really be answered
        assert real_brain.reply(question).outcome is Outcome.ANSWER, question


def test_fixed_texts_are_valid_html_and_within_limits() -> None:
    for name in dir(texts):
        value = getattr(texts, name)
        if name.isupper() and isinstance(value, str):
            assert telegram_html_error(re.sub(r"\{\w+\}", "x", value)) is None, name
    assert len(texts.DESCRIPTION) <= 512 and len(texts.SHORT_DESCRIPTION) <= 120
    assert all(re.fullmatch(r"[a-z]{1,32}", c.command) for c in texts.COMMANDS)


# ---------------------------------------------------------------------------------- callbacks


@pytest.mark.parametrize(
    "action",
    [
        ShowTopic("writers_cramp"),
        NoneOfThese(),
        TopicsPage(0),
        TopicsPage(12),
        AllTopics(),
        Ask("What is it?"),
    ],
)
def test_callback_round_trip(action: ShowTopic | NoneOfThese | TopicsPage | AllTopics | Ask) -> None:
    data = callbacks.encode(action)
    assert len(data.encode()) <= 64
    assert callbacks.decode(data) == action


def test_callback_encode_refuses_what_does_not_fit() -> None:
    with pytest.raises(ValueError):
        callbacks.encode(Ask("é" * 40))  # 80 bytes
    with pytest.raises(ValueError):
        callbacks.encode(ShowTopic("Not An Id"))
    with pytest.raises(ValueError):
        callbacks.encode(TopicsPage(-1))


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "1",
        "t:writers_cramp",
        "0t:writers_cramp",
        "2t:writers_cramp",
        "1t:",
        "1t:Bad-Id",
        "1n:x",
        "1a:1",
        "1p:",
        "1p:01",
        "1p:-1",
        "1p:1000",
        "1p:x",
        "1q:",
        "1q:   ",
        "1z",
        "1t:" + "a" * 70,
        42,
    ],
)
def test_forged_callback_data_is_stale(data: object) -> None:
    assert callbacks.decode(data) == Stale()


@given(st.text(max_size=80))
def test_decode_is_total_and_canonical(data: str) -> None:
    action = callbacks.decode(data)
    if not isinstance(action, Stale):
        assert callbacks.encode(action) == data
