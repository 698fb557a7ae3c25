"""The bot's own texts (issue 9): every place that says where the answers come from credits the
article in full, /about does not claim that everything comes from it, and no fixed text repeats the
article's wording."""

from __future__ import annotations

import html

from telegram import InputTextMessageContent

from bot import handlers, render, texts
from fake_bot_api.html_check import visible_text
from faq import Brain, content_rules
from faq.knowledge import Source


def assert_full_credit(text: str, source: Source) -> None:
    for part in (source.title, source.author, source.publisher, source.published[:4]):
        assert part in text, (part, text)


def test_about_credits_the_article_and_says_what_is_not_from_it(brain: Brain) -> None:
    about, _ = render.about(brain.kb.source)
    shown = visible_text(about)
    assert_full_credit(shown, brain.kb.source)
    assert "Everything I say" not in shown
    assert "Not everything comes from it" in shown and "safety advice" in shown and "links" in shown
    assert "13 forms" in shown and "National Institute of Neurological Disorders and Stroke (NINDS)" in shown
    assert "neurologist (a brain and nerve specialist)" in shown


def test_shared_inline_answers_credit_the_article(brain: Brain) -> None:
    reply = brain.answer("writers_cramp")
    assert reply is not None
    content = render.inline_result(reply, "dystonia_faq_bot", brain.kb.source).input_message_content
    assert isinstance(content, InputTextMessageContent)
    shown = html.unescape(visible_text(content.message_text))
    assert_full_credit(shown, brain.kb.source)
    assert "via @dystonia_faq_bot" in shown and "Not medical advice" in shown


def test_the_welcome_and_bot_help_credit_the_article(brain: Brain) -> None:
    welcome, _ = render.welcome("Ann", brain.kb.source, ())
    assert_full_credit(html.unescape(visible_text(welcome)), brain.kb.source)
    help_reply = brain.reply("what can you do")
    assert help_reply.intent == "bot_help"
    assert_full_credit(help_reply.text, brain.kb.source)


def test_the_profile_texts_credit_the_article(brain: Brain) -> None:
    source = brain.kb.source
    assert_full_credit(texts.DESCRIPTION, source)
    assert "National Institute of Neurological Disorders and Stroke (NINDS)" in texts.DESCRIPTION
    short = texts.SHORT_DESCRIPTION  # 120 characters hold the title's question, not all of it
    assert source.title.endswith("What is Dystonia?") and "“What is Dystonia?”" in short
    for part in (source.author, source.publisher, source.published[:4], "Not medical advice"):
        assert part in short


def test_resources_names_each_organisation_once_with_a_few_buttons(brain: Brain) -> None:
    [(text, keyboard)] = handlers.resources_messages(brain)
    shown = visible_text(text)
    assert shown.count("American Dystonia Society") == 1
    assert "National Institute of Neurological Disorders and Stroke (NINDS" in shown
    assert keyboard is not None and len(keyboard.inline_keyboard) <= 4


def test_no_fixed_text_repeats_the_articles_wording(brain: Brain) -> None:
    names = (brain.kb.source.title,)
    for name in dir(texts):
        value = getattr(texts, name)
        if name.isupper() and isinstance(value, str):
            assert content_rules.shared_run(visible_text(value), names) is None, name
