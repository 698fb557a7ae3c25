"""Anything people can type (hypothesis): every input gets an outcome, never an exception; every
rendered message is valid Telegram HTML within 4096 characters; every button's data fits in 64
bytes and maps back to a known action; matching time stays bounded for huge inputs; callback data
we did not write decodes to Stale, never to an error."""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup

from bot import callbacks, render
from bot.callbacks import AllTopics, Ask, Choose, Feedback, NoneOfThese, ShowTopic, Stale, TopicsPage
from bot.render import Rendered
from fake_bot_api.html_check import parse_telegram_html, telegram_html_error, utf16_len
from faq import Outcome
from faq.normalize import MAX_QUESTION_CHARS
from tests.knowledge import shared_brain

BRAIN = shared_brain()

SPECIAL = (
    "😀👍🏽👨‍👩‍👧🇩🇪"  # emoji, skin tone, ZWJ sequence, flag
    "שלום مرحبا"  # right-to-left
    "\u200b\u200c\u200d\u200e\u200f\u202e\u2066\ufeff"  # zero-width, direction marks and overrides
    "\x00\x01\x07\x08\x1b\x7f\u0085\u2028\u2029\t\r\n"  # control characters, odd line breaks
    "<>&\"';/\\`*_~[]()#|{}!?.,:-=+^%$@"  # HTML, Markdown and punctuation
    "é̃ñ\u0301ﬁ①Ⅻ𝔡𝔶𝔰"  # combining marks, ligatures, compatibility forms
)
FRAGMENTS = (
    "<b>",
    "</b>",
    "<i>x</i>",
    "<a href='javascript:alert(1)'>x</a>",
    "&amp;",
    "&lt;",
    "&#0;",
    "&nbsp;",
    "<tg-spoiler>",
    "*bold*",
    "_it_",
    "[link](http://x.y)",
    "```code```",
    "dystonia",
    "writer's cramp",
    "what is",
    "?",
    "/start",
    "@dystonia_faq_bot",
)

texts = st.one_of(
    st.text(),
    st.text(alphabet=SPECIAL, max_size=300),
    st.lists(st.sampled_from(FRAGMENTS + tuple(SPECIAL)), max_size=60).map("".join),
    st.text(alphabet=".,;:!?-–—…'\"()[]{}", min_size=1, max_size=50),  # only punctuation
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=20), st.integers(1, 1000)),  # huge
)


def keyboards(parts: Iterable[Rendered]) -> Iterable[InlineKeyboardMarkup]:
    return (kb for _, kb in parts if kb is not None)


def check_messages(parts: list[Rendered]) -> None:
    assert parts, "no message at all"
    for text, keyboard in parts:
        assert telegram_html_error(text) is None, text
        visible, _ = parse_telegram_html(text)
        assert visible.strip(), "an empty message"
        assert utf16_len(text) <= render.MAX_MESSAGE  # even before entity parsing
        if keyboard is None:
            continue
        for row in keyboard.inline_keyboard:
            for button in row:
                assert button.text.strip()
                data = button.callback_data
                if data is None:
                    assert button.url and button.url.startswith("https://")
                    continue
                assert isinstance(data, str) and len(data.encode("utf-8")) <= callbacks.MAX_BYTES
                assert not isinstance(callbacks.decode(data), Stale), data


def renderings(reply_: object) -> list[list[Rendered]]:
    """The reply rendered plain, and with an analytics token if render_reply takes one."""
    out = [render.render_reply(reply_)]  # type: ignore[arg-type]
    if "token" in inspect.signature(render.render_reply).parameters:
        out.append(render.render_reply(reply_, token="AbC-_123"))  # type: ignore[arg-type, unused-ignore]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gets_an_outcome_rendered_as_valid_telegram_messages(text: str) -> None:
    reply = BRAIN.reply(text)
    # Every reply says something, and only an answer answers: the others name no intent.
    assert reply.text.strip()
    assert (reply.intent is not None) == (reply.outcome is Outcome.ANSWER)
    assert (reply.notice is not None) == (len(text) > MAX_QUESTION_CHARS)
    for parts in renderings(reply):
        check_messages(parts)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=50), st.integers(200, 400))
def test_matching_time_is_bounded_for_huge_inputs(chunk: str, repeat: int) -> None:
    text = (chunk * (10_000 // len(chunk) + 1))[: 10_000 + repeat * 100]
    start = time.thread_time()  # the work this thread did: not slower when other tests share the cores
    reply = BRAIN.reply(text)
    assert time.thread_time() - start < 0.5  # the brain reads only MAX_QUESTION_CHARS
    assert reply.notice == BRAIN.kb.messages.too_long


def test_a_million_characters_take_no_longer() -> None:
    start = time.thread_time()
    BRAIN.reply("dystonia " * 120_000)
    assert time.thread_time() - start < 0.5


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=80), st.binary(max_size=80), st.integers()))
def test_decoding_never_fails_and_round_trips(data: object) -> None:
    action = callbacks.decode(data)
    if not isinstance(action, Stale):
        assert isinstance(data, str)
        assert callbacks.decode(callbacks.encode(action)) == action


INTENT_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True)
TOKENS = st.from_regex(r"[A-Za-z0-9_-]{8}", fullmatch=True)
Encodable = ShowTopic | NoneOfThese | TopicsPage | AllTopics | Ask | Choose | Feedback
ACTIONS: st.SearchStrategy[Encodable] = st.one_of(
    st.builds(ShowTopic, INTENT_IDS),
    st.just(NoneOfThese()),
    st.builds(TopicsPage, st.integers(0, callbacks.MAX_PAGE)),
    st.just(AllTopics()),
    st.builds(Ask, st.text(min_size=1, max_size=70).filter(str.strip)),  # some too long for 64 bytes
    st.builds(Choose, TOKENS, st.none() | INTENT_IDS),
    st.builds(Feedback, TOKENS, INTENT_IDS, st.booleans()),
)


@settings(max_examples=300, deadline=None)
@given(ACTIONS)
def test_every_button_action_round_trips_or_is_refused_for_its_length(action: Encodable) -> None:
    try:
        data = callbacks.encode(action)
    except ValueError as exc:  # only a question too long for Telegram's 64 bytes is refused
        assert isinstance(action, Ask) and "longer than" in str(exc), exc
        return
    assert len(data.encode("utf-8")) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == action


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=64), st.integers(-5, 50))
def test_other_messages_with_user_text_are_valid(first_name: str, page: int) -> None:
    popular = BRAIN.fallback().candidates
    check_messages([render.welcome(first_name or None, BRAIN.kb.source, popular)])
    check_messages([render.topics_page(BRAIN.topics(), page)])
    check_messages([render.help_message(first_name or "bot")])


def test_every_answer_and_fallback_renders_validly() -> None:
    for intent in BRAIN.kb.intents:
        answer = BRAIN.answer(intent.id)
        assert answer is not None
        for parts in renderings(answer):
            check_messages(parts)
    for parts in renderings(BRAIN.fallback()):
        check_messages(parts)
    check_messages([render.resources(BRAIN.kb.links.values())])
    check_messages([render.about(BRAIN.kb.source)])
