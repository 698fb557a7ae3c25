"""The Telegram Bot API stand-in behaves like Telegram, as seen through python-telegram-bot's real Bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters

from fake_bot_api import TOKEN, FakeBotApi
from fake_bot_api.html_check import parse_telegram_html, telegram_html_error, utf16_len, visible_text

CHAT = 1001


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as real_bot:
        yield real_bot


def _retry_after_seconds(err: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --------------------------------------------------------------------------- basics
async def test_get_me(api: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456789
    assert me.username == "dystonia_faq_bot"
    assert me.is_bot
    assert me.supports_inline_queries is True
    assert me.can_read_all_group_messages is False
    assert api.calls_of("getMe")  # Bot.initialize() already asked once


async def test_send_message_is_recorded_and_rendered_like_telegram(api: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    msg = await bot.send_message(
        CHAT, "<b>Botulinum</b> toxin &amp; physio", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    assert msg.text == "Botulinum toxin & physio"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("bold", 0, 9)]
    assert msg.reply_markup == markup
    assert msg.from_user is not None and msg.from_user.id == api.bot_id
    assert msg.chat.id == CHAT

    second = await bot.send_message(CHAT, "second")
    assert second.message_id == msg.message_id + 1

    sent = api.sent(CHAT)
    assert [p["text"] for p in sent] == ["<b>Botulinum</b> toxin &amp; physio", "second"]
    # form-encoded values arrive JSON-decoded
    assert sent[0]["chat_id"] == CHAT
    assert sent[0]["reply_markup"] == {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}
    assert api.sent(CHAT + 1) == []
    assert api.rejected == []
    assert api.sent_messages(CHAT)[0]["text"] == "Botulinum toxin & physio"


# --------------------------------------------------------------------------- validation
async def test_invalid_html_is_rejected(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, "1 < 2 & 3", parse_mode=ParseMode.HTML)
    # The same text without parse_mode is fine.
    await bot.send_message(CHAT, "1 < 2 & 3")
    assert [c.method for c in api.rejected] == ["sendMessage", "sendMessage"]
    assert len(api.sent()) == 1


async def test_message_length_limit_counts_utf16_after_parsing(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "a" * 4097)
    await bot.send_message(CHAT, "a" * 4096)
    await bot.send_message(CHAT, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)  # tags don't count
    await bot.send_message(CHAT, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)  # 4098 UTF-16 code units, 2049 code points
    await bot.send_message(CHAT, "😀" * 2048)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT, "<b> </b>\n", parse_mode=ParseMode.HTML)
    assert len(api.sent()) == 4


async def test_callback_data_limit(api: FakeBotApi, bot: Bot) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32 + "a")]])  # 65 bytes
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "pick", reply_markup=too_long)
    just_fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32)]])  # 64 bytes
    await bot.send_message(CHAT, "pick", reply_markup=just_fits)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_keyboard_button_validation(bot: Bot) -> None:
    async def send(markup: dict[str, Any]) -> None:
        await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": CHAT, "text": "t", "reply_markup": markup}
        )

    with pytest.raises(BadRequest, match="Button_url_invalid"):
        await send({"inline_keyboard": [[{"text": "site", "url": "ftp://example.org"}]]})
    with pytest.raises(BadRequest, match="Text buttons are unallowed"):
        await send({"inline_keyboard": [[{"text": "no action"}]]})
    with pytest.raises(BadRequest, match="Text buttons are unallowed"):
        await send({"inline_keyboard": [[{"text": "", "callback_data": "x"}]]})
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await send({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]})
    await send({"inline_keyboard": [[{"text": "site", "url": "https://example.org/a?b=1"}]]})


async def test_callback_query_round_trip_and_edit(api: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    sent = await bot.send_message(CHAT, "Helpful?", reply_markup=markup)
    api.callback("yes")
    [update] = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "yes"
    assert isinstance(query.message, Message) and query.message.message_id == sent.message_id
    assert query.message.text == "Helpful?"
    assert query.message.reply_markup == markup
    assert await bot.answer_callback_query(query.id, text="Thanks")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("42")

    edited = await bot.edit_message_text("Thanks!", chat_id=CHAT, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.text == "Thanks!"
    assert edited.reply_markup is None  # editing without reply_markup removes the keyboard, as on Telegram
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Thanks!", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)
    assert [p["text"] for p in api.sent(CHAT)] == ["Helpful?", "Thanks!"]


async def test_inline_query_answer_validation(api: FakeBotApi, bot: Bot) -> None:
    def article(i: int, text: str = "<b>ok</b>") -> InlineQueryResultArticle:
        return InlineQueryResultArticle(
            str(i), f"t{i}", InputTextMessageContent(text, parse_mode=ParseMode.HTML)
        )

    api.inline_query("botox")
    [update] = await bot.get_updates()
    assert update.inline_query is not None and update.inline_query.query == "botox"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.answer_inline_query(update.inline_query.id, [article(1, "<i>bad")])
    with pytest.raises(BadRequest, match="Results_too_much"):
        await bot.answer_inline_query(update.inline_query.id, [article(i) for i in range(51)])
    assert await bot.answer_inline_query(update.inline_query.id, [article(1), article(2)])


async def test_multipart_upload_is_parsed(api: FakeBotApi, bot: Bot) -> None:
    msg = await bot.send_document(
        CHAT, b"%PDF-1.4 leaflet", filename="leaflet.pdf", caption="<i>Leaflet</i>", parse_mode=ParseMode.HTML
    )
    assert msg.document is not None and msg.document.file_name == "leaflet.pdf"
    assert msg.caption == "Leaflet"
    [call] = api.calls_of("sendDocument")
    assert call.params["chat_id"] == CHAT
    assert call.params["document"]["filename"] == "leaflet.pdf"
    assert call.params["document"]["size"] == len(b"%PDF-1.4 leaflet")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(CHAT, "AgACAgIAAxkBAAIBfileid", caption="x" * 1025)


# --------------------------------------------------------------------------- fault injection
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_429_raises_retry_after(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as exc_info:
        await bot.send_message(CHAT, "hi")
    assert _retry_after_seconds(exc_info.value) == 7
    assert api.rejected[-1].response == "Too Many Requests: retry after 7"
    await bot.send_message(CHAT, "hi")  # only the next call failed
    assert len(api.sent()) == 1


async def test_403_forbidden(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", 403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hi")
    api.block_user(CHAT)
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT, "again")
    await bot.send_message(CHAT + 1, "other chats still work")
    api.unblock_user(CHAT)
    await bot.send_message(CHAT, "unblocked")


async def test_drop_connection_raises_network_error(api: FakeBotApi, bot: Bot) -> None:
    api.drop_connection("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "lost")
    assert api.sent() == [] and len(api.dropped) == 1
    await bot.send_message(CHAT, "delivered")
    assert len(api.sent()) == 1
    api.drop_connection("sendMessage", processed=True)  # delivered, but the answer is lost
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "delivered twice?")
    assert [p["text"] for p in api.sent()] == ["delivered", "delivered twice?"]


def test_wait_for_times_out_with_a_summary(api: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match="0 calls, 1 pending updates"):
        api.message("unanswered")
        api.wait_until_sent(1, timeout=0.05)


async def test_scripted_updates_look_real(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(-100123, "Welcome, group")
    api.message("thanks", chat_id=-100123, chat_type="supergroup", user_id=7, reply_to_bot=True)
    original = api.message("typo")
    api.edited_message(api.message_id_of(original), "fixed")  # private chat 1001: message ids are per chat
    api.command("help", "botox", user_id=9)
    for kind in ("photo", "voice", "location", "contact"):
        api.non_text(kind)
    updates = await bot.get_updates()
    group_msg = updates[0].message
    assert group_msg is not None and group_msg.chat.type == "supergroup"
    assert group_msg.reply_to_message is not None
    assert group_msg.reply_to_message.message_id == sent.message_id
    assert updates[1].message is not None and updates[1].update_id == original
    assert updates[1].message.message_id == api.message_id_of(original) == 1
    assert updates[2].edited_message is not None and updates[2].edited_message.text == "fixed"
    assert updates[3].message is not None and updates[3].message.text == "/help botox"
    assert updates[3].message.parse_entities() == {updates[3].message.entities[0]: "/help"}
    assert updates[4].message is not None and updates[4].message.photo
    assert updates[7].message is not None and updates[7].message.contact is not None


async def test_delay(api: FakeBotApi, bot: Bot) -> None:
    api.delay("getMe", 0.3)
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.29


async def test_unknown_method_is_404(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound, match="noSuchMethod"):
        await bot.do_api_request("noSuchMethod")
    assert api.rejected[-1].status == 404


# --------------------------------------------------------------------------- getUpdates
async def test_long_poll_times_out_with_empty_list(api: FakeBotApi, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


async def test_long_poll_returns_queued_update_immediately(api: FakeBotApi, bot: Bot) -> None:
    update_id = api.message("What is dystonia?")
    started = time.monotonic()
    [update] = await bot.get_updates(timeout=5)
    assert time.monotonic() - started < 1
    assert update.update_id == update_id
    assert update.message is not None and update.message.text == "What is dystonia?"
    assert update.effective_chat is not None and update.effective_chat.id == CHAT


async def test_long_poll_wakes_up_when_update_arrives(api: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    api.command("start")
    [update] = await poll
    assert time.monotonic() - started < 1
    assert update.message is not None and update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"


async def test_offset_confirms_updates(api: FakeBotApi, bot: Bot) -> None:
    first = api.message("one")
    second = api.non_text("sticker")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert updates[1].message is not None and updates[1].message.sticker is not None
    assert api.pending_updates == 2  # served, not yet confirmed
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()
    assert api.pending_updates == 0
    assert api.confirmed_offset == second + 1
    api.wait_until_consumed(timeout=0.1)


async def test_limit_and_allowed_updates(api: FakeBotApi, bot: Bot) -> None:
    ids = [api.message(f"m{i}") for i in range(3)]
    api.inline_query("q")
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.update_id for u in updates] == ids  # the inline query was discarded, as Telegram does
    assert len(api.discarded_updates) == 1


# --------------------------------------------------------------------------- the real Application
async def test_application_polls_and_replies(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Hello</b>, I answer questions about dystonia.")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        await update.effective_message.reply_text(update.effective_message.text.upper())

    app = ApplicationBuilder().token(TOKEN).base_url(api.base_url).base_file_url(api.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    api.command("start")
    api.message("botox?", user_id=2002)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await api.wait_until_sent_async(2)
        await api.wait_until_consumed_async()
        await app.updater.stop()
        await app.stop()
    assert api.sent_messages(CHAT)[0]["text"] == "Hello, I answer questions about dystonia."
    assert api.sent(2002)[0]["text"] == "BOTOX?"
    assert api.rejected == []


# --------------------------------------------------------------------------- html_check
@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "<b>bold <i>and italic</i></b>",
        '<a href="https://example.org/search?q=dystonia&amp;lang=en">link</a>',
        "it&#39;s &#x1F600; &lt;tag&gt; &quot;q&quot; &amp;",
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        '<pre><code class="language-python">x = 1 &lt; 2</code></pre>',
        "<blockquote expandable>long quote</blockquote>",
        "<strong>s</strong><em>e</em><ins>i</ins><strike>s</strike><del>d</del><u>u</u><s>s</s><code>c</code>",
        "a > b",
        "<B>upper case tags</B>",
    ],
)
def test_html_check_accepts_valid_telegram_html(text: str) -> None:
    assert telegram_html_error(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>unclosed", "Can't find end tag"),
        ("<div>unknown</div>", 'Unsupported start tag "div"'),
        ("Q & A", '"&"'),
        ("1 < 2", "Unsupported start tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("stray</b>", "Unexpected end tag"),
        ("&nbsp;", "Unsupported HTML entity"),
        ("&amp no semicolon", '"&"'),
        ("<br/>", "Unsupported start tag"),
        ("<span>no class</span>", "tg-spoiler"),
        ('<a href="https://x.org/?a=1&b=2">raw amp in attribute</a>', '"&"'),
        ("<!-- comment -->", "Unsupported start tag"),
    ],
)
def test_html_check_rejects_invalid_html(text: str, reason: str) -> None:
    error = telegram_html_error(text)
    assert error is not None and reason in error


def test_visible_text_and_entities() -> None:
    assert visible_text("<b>A</b> &amp; <i>B</i> &#39;C&#39;") == "A & B 'C'"
    assert visible_text('<a href="https://x.org/?a=1&amp;b=2">x</a>') == "x"
    text, entities = parse_telegram_html('😀 <a href="https://x.org/?a=1&amp;b=2">link</a>')
    assert text == "😀 link"
    assert entities == [{"type": "text_link", "offset": 3, "length": 4, "url": "https://x.org/?a=1&b=2"}]
    assert utf16_len("😀a") == 3


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_is_always_valid_and_round_trips(text: str) -> None:
    escaped = html.escape(text, quote=False)
    assert telegram_html_error(escaped) is None
    assert visible_text(escaped) == text
    assert telegram_html_error(f"<b>{escaped}</b><i>{html.escape(text)}</i>") is None
