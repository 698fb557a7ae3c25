"""Whole conversations through the real Application, over HTTP, against the stand-in Bot API."""

from __future__ import annotations

import functools
import html

import pytest
from telegram import Update

from bot import texts
from bot.sending import ATTEMPTS
from fake_bot_api import buttons, callback_data, urls
from fake_bot_api.html_check import telegram_html_error
from faq import Outcome
from tests.harness import BOT_USERNAME, Driver

NINDS = "https://www.ninds.nih.gov/health-information/disorders/dystonia"
DMRF = "https://dystonia-foundation.org/"


def assert_valid_html(*messages: dict[str, object]) -> None:
    for message in messages:
        assert message["parse_mode"] == "HTML"
        assert telegram_html_error(str(message["text"])) is None, message["text"]


async def test_start_registers_menu_and_welcomes_with_topics(bot: Driver) -> None:
    api = bot.api
    commands = api.commands[('{"type": "default"}', "")]
    assert [c["command"] for c in commands] == ["start", "topics", "help", "resources", "about", "privacy"]
    assert api.descriptions[""] and api.short_descriptions[""]

    [welcome] = await bot.expect(lambda: api.command("start"))
    assert welcome["text"].startswith("Hello, Ann!")
    assert "not a doctor" in welcome["text"] and "medical advice" in welcome["text"]
    assert "1t:what_is_dystonia" in callback_data(welcome)
    assert callback_data(welcome)[-1] == "1a"
    assert welcome["link_preview_options"] == {"is_disabled": True}
    assert_valid_html(welcome)

    [listing] = await bot.expect(lambda: api.callback("1a"))  # "All topics" sends the list
    assert listing["text"].startswith("<b>Topics</b>")
    assert len(api.answered_callback_queries) == 1
    assert api.rejected == []


async def test_first_name_is_escaped(bot: Driver) -> None:
    [welcome] = await bot.expect(lambda: bot.api.command("start", first_name="<b>Eve</b> & co"))
    assert "Hello, &lt;b&gt;Eve&lt;/b&gt; &amp; co!" in welcome["text"]
    assert bot.api.rejected == []


async def test_help_offers_three_examples_that_answer(bot: Driver) -> None:
    [help_message] = await bot.expect(lambda: bot.api.command("help"))
    assert f"@{BOT_USERNAME}" in help_message["text"]
    examples = callback_data(help_message)
    assert len(examples) == 3
    for data in examples:
        [answer] = await bot.expect(functools.partial(bot.api.callback, data))
        assert answer["text"].startswith("<b>")  # a titled answer, not the fallback
        assert urls(answer)[:2] == [NINDS, DMRF]
    assert len(bot.api.answered_callback_queries) == 3
    assert_valid_html(help_message)
    assert bot.api.rejected == []


async def test_topics_are_paged_and_each_opens_its_answer(bot: Driver) -> None:
    api, topics = bot.api, bot.brain.topics()
    [page1] = await bot.expect(lambda: api.command("topics"))
    assert "page 1 of 3" in page1["text"]
    shown = [b["text"] for b in buttons(page1) if b["callback_data"].startswith("1t:")]
    assert shown == [t.title for t in topics[:8]]
    assert callback_data(page1)[-1] == "1p:1"  # only ▶ on the first page

    [page2] = await bot.expect(lambda: api.callback("1p:1"))
    assert page2["message_id"] == reply_message_id(bot, page1)  # edited in place
    assert "page 2 of 3" in page2["text"]
    assert callback_data(page2)[-2:] == ["1p:0", "1p:2"]

    [page3] = await bot.expect(lambda: api.callback("1p:2"))
    assert callback_data(page3)[-1] == "1p:1"  # only ◀ on the last page
    listed = [
        b["text"] for p in (page1, page2, page3) for b in buttons(p) if b["callback_data"].startswith("1t:")
    ]
    assert listed == [t.title for t in topics]

    [answer] = await bot.expect(lambda: api.callback("1t:writers_cramp"))
    assert answer["text"].startswith("<b>Writer's cramp</b>")
    assert len(api.answered_callback_queries) == 3
    assert_valid_html(page1, page2, page3, answer)
    assert api.rejected == []


async def test_resources_link_organisations_and_name_the_unlinked(bot: Driver) -> None:
    [message] = await bot.expect(lambda: bot.api.command("resources"))
    assert NINDS in urls(message) and DMRF in urls(message)
    assert "American Dystonia Society" in message["text"]
    assert all(b["text"] != "American Dystonia Society" for b in buttons(message))
    assert_valid_html(message)
    assert bot.api.rejected == []


async def test_about_names_source_author_year_and_disclaimer(bot: Driver) -> None:
    [message] = await bot.expect(lambda: bot.api.command("about"))
    source = bot.brain.kb.source
    assert source.author in message["text"] and source.publisher in message["text"]
    assert "2011" in message["text"] and "not a doctor" in message["text"]
    assert_valid_html(message)
    assert bot.api.rejected == []


@pytest.mark.parametrize("question", ["what is writer's cramp", "wrtiers cramp"])
async def test_question_answered_with_links_and_related(bot: Driver, question: str) -> None:
    reply = await bot.ask(question)
    assert reply["text"].startswith("<b>Writer's cramp</b>\n\n")
    assert "affects only the hands" in reply["text"]
    assert urls(reply) == [NINDS, DMRF]
    *related, up, down = callback_data(reply)  # 👍/👎 last: see test_bot_analytics.py
    assert 1 <= len(related) <= 3 and all(d.startswith("1t:") for d in related)
    assert up.startswith("1f:") and up.endswith(":writers_cramp:+") and down == up[:-1] + "-"
    assert_valid_html(reply)
    assert bot.api.rejected == []


async def test_clarification_tapped_through(bot: Driver) -> None:
    question = next(
        q for q in ("cramp", "muscles", "spasm", "children") if bot.brain.reply(q).outcome is Outcome.CLARIFY
    )
    candidates = bot.brain.reply(question).candidates
    reply = await bot.ask(question)
    token = callback_data(reply)[0].split(":")[1]  # the analytics token: see test_bot_analytics.py
    assert callback_data(reply) == [f"1c:{token}:{t.id}" for t in candidates] + [f"1c:{token}:-"]
    assert [b["text"] for b in buttons(reply)][-1] == texts.NONE_OF_THESE_BUTTON

    [answer] = await bot.expect(lambda: bot.api.callback(f"1c:{token}:{candidates[0].id}"))
    assert answer["text"].startswith(f"<b>{html.escape(candidates[0].title, quote=False)}</b>")
    [fallback] = await bot.expect(
        lambda: bot.api.callback(f"1c:{token}:-", message_id=reply_message_id(bot, reply))
    )
    assert fallback["text"].startswith(html.escape(bot.brain.kb.messages.fallback[:30], quote=False))
    assert len(bot.api.answered_callback_queries) == 2
    assert bot.api.rejected == []


def reply_message_id(bot: Driver, params: dict[str, object]) -> int:
    """The message_id Telegram gave the message sent with `params`."""
    call = next(c for c in bot.api.calls_of("sendMessage") if c.params == params)
    return int(call.response["message_id"])


async def test_fallback_is_honest_and_offers_topics_and_resources(bot: Driver) -> None:
    question = "what's the weather in Paris"
    expected = bot.brain.reply(question)
    assert expected.outcome is Outcome.FALLBACK
    reply = await bot.ask(question)
    assert reply["text"].startswith(html.escape(expected.text, quote=False))
    assert "/topics" in reply["text"]
    assert NINDS in urls(reply) and DMRF in urls(reply)
    assert [f"1t:{t.id}" for t in bot.brain.fallback().candidates] == callback_data(reply)
    assert_valid_html(reply)
    assert bot.api.rejected == []


async def test_a_partial_reply_says_what_is_not_covered_and_offers_the_topic(bot: Driver) -> None:
    question = "can I fly with cervical dystonia"
    expected = bot.brain.reply(question)
    assert expected.outcome is Outcome.PARTIAL
    reply = await bot.ask(question)
    assert reply["text"].startswith(html.escape(expected.text, quote=False))
    assert "“fly”" in reply["text"] and "<b>" not in reply["text"]
    assert callback_data(reply) == ["1t:cervical_dystonia"]
    assert urls(reply) == [NINDS, DMRF]
    [answer] = await bot.expect(lambda: bot.api.callback("1t:cervical_dystonia"))
    assert answer["text"].startswith("<b>Cervical dystonia (neck)</b>")
    assert_valid_html(reply, answer)
    assert bot.api.rejected == []


@pytest.mark.parametrize("kind", ["sticker", "photo", "document", "location"])  # voice: test_bot_voice
async def test_non_text_gets_one_friendly_sentence(bot: Driver, kind: str) -> None:
    [reply] = await bot.expect(lambda: bot.api.non_text(kind))
    assert reply["text"] == texts.NON_TEXT
    await bot.settle()
    assert len(bot.api.sent()) == 1
    assert bot.api.rejected == []


async def test_edited_message_is_not_answered_twice(bot: Driver) -> None:
    """Decision: edits are ignored. They are not even requested (allowed_updates), and the handlers
    filter them out too, so an edit delivered anyway is still not answered."""
    await bot.ask("what is writer's cramp")
    bot.api.edited_message(1, "what is dystonia")  # message 1: the question above
    await bot.settle()
    assert len(bot.api.sent()) == 1
    assert [next(iter(u.keys() - {"update_id"})) for u in bot.api.discarded_updates] == ["edited_message"]

    edited = {"update_id": 1, "edited_message": {**SAMPLE_MESSAGE, "edit_date": 1_700_000_100}}
    await bot.app.process_update(Update.de_json(edited, bot.app.bot))
    await bot.settle()
    assert len(bot.api.sent()) == 1
    assert bot.api.rejected == []


SAMPLE_MESSAGE = {
    "message_id": 1,
    "date": 1_700_000_000,
    "chat": {"id": 1001, "type": "private", "first_name": "Ann"},
    "from": {"id": 1001, "is_bot": False, "first_name": "Ann"},
    "text": "what is dystonia",
}


@pytest.mark.parametrize(
    "text",
    ["", "x" * 10_000, "😀🎉🙈", "<b>hi</b> & <script>alert(1)</script>", "\u200b\u200c\u200d\ufeff", "   "],
    ids=["empty", "huge", "emoji", "html", "zero-width", "spaces"],
)
async def test_bad_input_gets_a_clear_answer_and_the_bot_keeps_running(bot: Driver, text: str) -> None:
    reply = await bot.ask(text)
    assert reply["text"]
    assert_valid_html(reply)
    if len(text) > 1000:
        assert reply["text"].startswith("<i>")  # the "read only the start" notice, in italics
    follow_up = await bot.ask("what is writer's cramp")
    assert follow_up["text"].startswith("<b>Writer's cramp</b>")
    assert bot.api.rejected == []


async def test_unknown_command_points_to_help(bot: Driver) -> None:
    [reply] = await bot.expect(lambda: bot.api.command("frobnicate"))
    assert reply["text"] == texts.UNKNOWN_COMMAND
    assert bot.api.rejected == []


@pytest.mark.parametrize(
    "data", ["0t:writers_cramp", "1t:no_such_topic", "garbage", "1p:-1", "1t:" + "a" * 60, "1x"]
)
async def test_stale_or_forged_buttons_get_a_polite_note(bot: Driver, data: str) -> None:
    await bot.ask("what is writer's cramp")
    [note] = await bot.expect(lambda: bot.api.callback(data))
    assert note["text"] == texts.STALE_BUTTON
    assert len(bot.api.answered_callback_queries) == 1
    follow_up = await bot.ask("what is dystonia")
    assert follow_up["text"].startswith("<b>What is dystonia?</b>")
    assert bot.api.rejected == []


@pytest.mark.slow(1.5)
async def test_every_callback_query_is_answered_even_when_handling_fails(bot: Driver) -> None:
    await bot.ask("what is writer's cramp")
    bot.api.fail_next("sendMessage", 500, times=ATTEMPTS)  # every try fails
    [apology] = await bot.expect(lambda: bot.api.callback("1t:treatment"))
    assert apology["text"] == texts.APOLOGY
    assert len(bot.api.answered_callback_queries) == 1
    assert [c.status for c in bot.api.rejected] == [500] * ATTEMPTS
