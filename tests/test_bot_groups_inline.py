"""Group chats (quiet unless addressed) and inline mode (`@bot writer's cramp` in any chat)."""

from __future__ import annotations

import html
from typing import Any

from fake_bot_api import urls
from fake_bot_api.html_check import telegram_html_error
from tests.harness import BOT_USERNAME, Driver

GROUP = -4_000_000_001  # FakeBotApi's default group id


def group_texts(bot: Driver) -> list[str]:
    return [m["text"] for m in bot.api.sent(GROUP)]


async def test_group_quiet_unless_addressed(bot: Driver) -> None:
    api = bot.api
    api.message("hello everyone, what is writer's cramp", chat_type="group")
    api.message("/start@some_other_bot", chat_type="group")
    api.non_text("sticker", chat_id=GROUP)
    [answer] = await bot.expect(
        lambda: api.message(f"@{BOT_USERNAME} what is writer's cramp?", chat_type="group"), chat_id=GROUP
    )
    await bot.settle()
    assert group_texts(bot) == [answer["text"]]
    assert answer["text"].startswith("<b>Writer's cramp</b>")
    assert answer["reply_parameters"]["message_id"] > 0  # quotes the question it answers
    assert api.rejected == []


async def test_group_mention_is_stripped_before_asking(bot: Driver) -> None:
    [answer] = await bot.expect(
        lambda: bot.api.message(f"wrtiers cramp @{BOT_USERNAME.upper()}", chat_type="group"), chat_id=GROUP
    )
    assert answer["text"].startswith("<b>Writer's cramp</b>")
    [empty] = await bot.expect(lambda: bot.api.message(f"@{BOT_USERNAME}", chat_type="group"), chat_id=GROUP)
    assert empty["text"].startswith(html.escape(bot.brain.kb.messages.empty, quote=False))
    assert bot.api.rejected == []


async def test_group_reply_to_bot_and_commands_are_answered(bot: Driver) -> None:
    api = bot.api
    [topics] = await bot.expect(lambda: api.command("topics", chat_type="group"), chat_id=GROUP)
    assert topics["text"].startswith("<b>Topics</b>")
    [about] = await bot.expect(lambda: api.command(f"about@{BOT_USERNAME}", chat_type="group"), chat_id=GROUP)
    assert "2011" in about["text"]
    [answer] = await bot.expect(
        lambda: api.message("and is dystonia inherited?", chat_type="group", reply_to_bot=True), chat_id=GROUP
    )
    assert "inherit" in answer["text"].lower() or "famil" in answer["text"].lower()
    [button] = await bot.expect(lambda: api.callback("1t:treatment", chat_id=GROUP), chat_id=GROUP)
    assert button["text"].startswith("<b>Treatment</b>")
    api.message("/frobnicate", chat_type="group")  # unknown commands may be another bot's: quiet
    await bot.settle()
    assert len(group_texts(bot)) == 4
    assert api.rejected == []


async def test_shared_inline_answers_are_not_questions(bot: Driver) -> None:
    [shared] = await inline_results(bot, "writer's cramp")
    text = shared["input_message_content"]["message_text"]
    for chat in ({"id": GROUP, "type": "group", "title": "Test chat"}, {"id": 1001, "type": "private"}):
        bot.api.add_update(
            {
                "message": {
                    "message_id": 77,
                    "date": 1_700_000_000,
                    "chat": chat,
                    "from": {"id": 1001, "is_bot": False, "first_name": "Ann"},
                    "via_bot": bot.api.bot_user,
                    "text": text,
                }
            }
        )
    await bot.settle()
    assert bot.api.sent() == []
    assert bot.api.rejected == []


async def inline_results(bot: Driver, query: str) -> list[dict[str, Any]]:
    before = len(bot.api.calls_of("answerInlineQuery"))
    bot.api.inline_query(query)
    await bot.api.wait_for_async(lambda api: len(api.calls_of("answerInlineQuery")) > before)
    call = bot.api.calls_of("answerInlineQuery")[-1]
    assert call.ok, call.response
    results: list[dict[str, Any]] = call.params["results"]
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert telegram_html_error(content["message_text"]) is None
        assert f"via @{BOT_USERNAME}" in content["message_text"]  # the short attribution
    return results


async def test_inline_query_offers_the_matching_answer(bot: Driver) -> None:
    [result] = await inline_results(bot, "writer's cramp")
    assert result["id"] == "writers_cramp" and result["title"] == "Writer's cramp"
    assert result["input_message_content"]["message_text"].startswith("<b>Writer's cramp</b>")
    assert urls(result)[:2] == [
        "https://www.ninds.nih.gov/health-information/disorders/dystonia",
        "https://dystonia-foundation.org/",
    ]
    assert bot.api.rejected == []


async def test_inline_query_clarify_empty_and_unknown(bot: Driver) -> None:
    clarify = await inline_results(bot, "cramp")
    assert [r["id"] for r in clarify] == [t.id for t in bot.brain.reply("cramp").candidates]
    popular = await inline_results(bot, "")
    assert [r["id"] for r in popular] == [t.id for t in bot.brain.fallback().candidates]
    assert await inline_results(bot, "weather in Paris") == []
    assert await inline_results(bot, "hello") == []  # small talk is nothing to share
    html_like = await inline_results(bot, "<b>neck</b> & <i>")
    assert [r["id"] for r in html_like] == ["cervical_dystonia"]
    assert bot.api.rejected == []
