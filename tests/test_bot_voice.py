"""Voice notes, end to end: the real Application fetches each note from the stand-in Bot API
(`getFile`, then the file download), transcribes it on this machine (the voice extra's tiny.en
model) and answers what it heard. The notes are espeak-ng speech, tests/data/voice/ (notes.yaml
says what each one says and which topic it asks about)."""

from __future__ import annotations

import asyncio
import html
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from bot import texts, transcribe, voice
from bot.config import Settings, describe_errors
from fake_bot_api import TOKEN, FakeBotApi, buttons, callback_data
from faq import Brain
from tests.harness import Driver, assert_token_absent, running_bot

NOTES = Path(__file__).parent / "data" / "voice"
EVERYDAY = [n for n in yaml.safe_load((NOTES / "notes.yaml").read_text())["notes"] if n["set"] == "everyday"]
HEARD = "🎙 I heard: "


def note(name: str) -> bytes:
    return (NOTES / name).read_bytes()


def make_settings(env: pytest.MonkeyPatch, api: FakeBotApi, **extra: str) -> Settings:
    env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    env.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    env.setenv("THROTTLE_BURST", "0")
    for name, value in extra.items():
        env.setenv(name, value)
    return Settings()  # type: ignore[call-arg]  # from the environment, like main()


@pytest.fixture
async def listener(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Driver]:
    """The bot with voice on (the default), its model loaded."""
    caplog.set_level(logging.DEBUG)
    async with running_bot(api, brain, make_settings(clean_env, api)) as driver:
        transcriber = driver.app.bot_data.listening.transcriber
        assert transcriber is not None, "the voice extra is part of the dev install"
        await transcriber.wait_ready()
        yield driver
    assert_token_absent(caplog)
    logged = "\n".join(
        logging.Formatter("%(message)s").format(r)
        for when in ("setup", "call")
        for r in caplog.get_records(when)
    )
    assert "Traceback" not in logged and "OggS" not in logged  # no traceback, no audio in the log


async def send_note(bot: Driver, audio: bytes | None, duration: int = 3, **kw: Any) -> dict[str, Any]:
    [reply] = await bot.expect(
        lambda: bot.api.voice(audio, duration=duration, **kw), chat_id=kw.get("chat_id")
    )
    return reply


def on_topic(message: dict[str, Any], brain: Brain, intent: str) -> bool:
    """Answered (the topic's title as the heading) or offered (a "did you mean" button)."""
    title = brain.kb.intent(intent).title  # type: ignore[union-attr]
    return f"<b>{html.escape(title, quote=False)}</b>" in message["text"] or any(
        b["text"] == title for b in buttons(message)
    )


@pytest.mark.slow(15)
async def test_everyday_questions_by_voice_find_their_topic_and_show_what_was_heard(
    listener: Driver, brain: Brain
) -> None:
    right = []
    for item in EVERYDAY:
        reply = await send_note(listener, note(item["file"]))
        assert reply["text"].startswith(HEARD + '"<i>'), reply["text"]
        right.append(on_topic(reply, brain, item["intent"]))
    assert sum(right) >= 9, [n["said"] for n, ok in zip(EVERYDAY, right, strict=True) if not ok]
    assert len(listener.api.calls_of("getFile")) == len(EVERYDAY) == len(listener.api.downloads)
    assert listener.api.rejected == []


async def test_a_heard_answer_is_the_typed_answer_with_its_buttons_and_is_recorded_like_one(
    listener: Driver, brain: Brain
) -> None:
    reply = await send_note(listener, note("writers_cramp.ogg"))
    typed = await listener.ask("What is writer's cramp?")
    heard, _, rest = reply["text"].partition("\n\n")
    assert heard == HEARD + '"<i>What is writer\'s cramp?</i>"'
    assert rest == typed["text"]
    assert [b["text"] for b in buttons(reply)] == [b["text"] for b in buttons(typed)]
    assert any(d.startswith("1f:") for d in callback_data(reply))  # 👍/👎, as under a typed answer
    assert any(c.params.get("action") == "typing" for c in listener.api.calls_of("sendChatAction"))
    store = listener.app.bot_data.analytics
    assert await asyncio.to_thread(store.flush)
    import sqlite3

    with sqlite3.connect(store.path) as conn:
        asked = [text for (text,) in conn.execute("SELECT text FROM questions ORDER BY rowid")]
    assert asked == ["What is writer's cramp?"] * 2  # the transcript, then the typed question


async def test_a_long_note_is_declined_before_it_is_downloaded(listener: Driver) -> None:
    reply = await send_note(listener, None, duration=600, file_size=2_400_000)
    assert reply["text"] == texts.VOICE_TOO_LONG.format(length="10 minutes", limit="1 minute")
    assert listener.api.calls_of("getFile") == [] and listener.api.downloads == []


async def test_a_note_too_large_for_its_length_is_declined_before_or_after_getfile(listener: Driver) -> None:
    declared = await send_note(listener, None, duration=20, file_size=5_000_000)
    assert declared["text"] == texts.VOICE_TOO_LARGE and listener.api.calls_of("getFile") == []
    undeclared = await send_note(listener, None, duration=20, file_size=5_000_000, declare_size=False)
    assert undeclared["text"] == texts.VOICE_TOO_LARGE
    assert len(listener.api.calls_of("getFile")) == 1 and listener.api.downloads == []


async def test_broken_silent_and_unfetchable_notes_get_a_friendly_reply_and_text_still_works(
    listener: Driver,
) -> None:
    assert (await send_note(listener, note("broken.ogg")))["text"] == texts.VOICE_BROKEN
    assert (await send_note(listener, b"not audio at all"))["text"] == texts.VOICE_BROKEN
    assert (await send_note(listener, note("silence.ogg"), duration=2))["text"] == texts.VOICE_NOTHING
    [gone] = await listener.expect(lambda: listener.api.non_text("voice"))  # getFile: invalid file_id
    assert gone["text"] == texts.VOICE_FAILED
    answer = await listener.ask("what is writer's cramp")
    assert answer["text"].startswith("<b>Writer's cramp</b>")


@pytest.mark.slow(1.5)
async def test_text_is_answered_while_a_voice_note_is_transcribed(listener: Driver) -> None:
    api = listener.api
    api.voice(note("torticollis.ogg"), duration=4, user_id=2001)
    await api.wait_for_async(lambda a: len(a.downloads) >= 1)
    asked = time.monotonic()
    api.message("does dystonia hurt", user_id=3003)
    [text_reply] = await api.wait_until_sent_async(1, chat_id=3003)
    answered = time.monotonic() - asked
    voice_replies = await api.wait_until_sent_async(2, timeout=30)
    assert text_reply["text"].startswith("<b>Does it hurt?</b>")
    first_voice = next(i for i, m in enumerate(voice_replies) if m["text"].startswith(HEARD))
    assert voice_replies.index(text_reply) < first_voice, "the text waited for a transcription"
    assert answered < 1.0, answered


async def test_a_voice_note_replying_to_the_bot_in_a_group_is_answered(
    listener: Driver, brain: Brain
) -> None:
    group = -4_000_000_001
    reply = await send_note(
        listener, note("what_is_dystonia.ogg"), chat_type="group", chat_id=group, reply_to_bot=True
    )
    assert reply["text"].startswith(HEARD) and on_topic(reply, brain, "what_is_dystonia")
    listener.api.voice(note("what_is_dystonia.ogg"), duration=2, chat_type="group", chat_id=group)
    await listener.settle()
    assert len(listener.api.sent(group)) == 1  # a note not addressed to the bot: silence


async def test_privacy_says_audio_is_kept_in_memory_only(listener: Driver) -> None:
    [message] = await listener.expect(lambda: listener.api.command("privacy"))
    assert "never saved to disk" in message["text"] and "in memory only" in message["text"]


async def test_an_unsure_transcript_is_shown_with_a_kind_request_to_repeat(
    listener: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    unsure = transcribe.Transcript("mumble grumble", 2.0, logprob=-1.4)
    monkeypatch.setattr(transcribe, "transcribe_sync", lambda *args: unsure)
    reply = await send_note(listener, note("hurt.ogg"))
    assert reply["text"] == f'{HEARD}"<i>mumble grumble</i>"\n\n{texts.VOICE_UNSURE}'


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Transcriptions wait until the test sets this event: notes pile up behind them."""
    release = threading.Event()

    def held_transcript(*args: Any) -> transcribe.Transcript:
        release.wait(timeout=30)
        return transcribe.Transcript("what is dystonia", 2.0)

    monkeypatch.setattr(transcribe, "transcribe_sync", held_transcript)
    yield release
    release.set()  # never leave a transcription thread waiting


async def test_notes_beyond_the_waiting_room_are_asked_to_wait(
    listener: Driver, monkeypatch: pytest.MonkeyPatch, held: threading.Event
) -> None:
    monkeypatch.setattr(transcribe, "WAITING_PER_WORKER", 0)  # one at a time, nobody waits
    for user in (4001, 4002):
        listener.api.voice(note("what_is_dystonia.ogg"), duration=2, user_id=user)
    [first] = await listener.api.wait_until_sent_async(1, timeout=15)
    assert first["text"] == texts.VOICE_BUSY, "the second note is declined while the first is heard"
    held.set()
    replies = await listener.api.wait_until_sent_async(2, timeout=15)
    assert sorted(r["text"] == texts.VOICE_BUSY for r in replies) == [False, True]


async def test_voice_notes_never_take_the_slots_typed_questions_need(
    listener: Driver, held: threading.Event
) -> None:
    api = listener.api
    notes = range(5101, 5107)  # six people at once; CONCURRENT_UPDATES=8 (default): four in hand
    for user in notes:
        api.voice(note("what_is_dystonia.ogg"), duration=2, user_id=user)
    await api.wait_for_async(lambda a: len(a.downloads) >= 4)
    api.message("does dystonia hurt", user_id=5201)
    await api.wait_until_sent_async(1, chat_id=5201)  # answered while every transcription is held
    assert not any(m["text"].startswith(HEARD) for u in notes for m in api.sent(u))
    held.set()
    replies = [(await api.wait_until_sent_async(1, chat_id=u, timeout=20))[0]["text"] for u in notes]
    assert sum(r == texts.VOICE_BUSY for r in replies) == 2
    assert sum(r.startswith(HEARD) for r in replies) == 4 == len(api.downloads)  # busy: nothing fetched


# ---------------------------------------------------------------------------------- turned off


async def voice_reply_with(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, **extra: str
) -> dict[str, Any]:
    async with running_bot(api, brain, make_settings(clean_env, api, **extra)) as bot:
        return await send_note(bot, note("what_is_dystonia.ogg"))


async def test_voice_off_gets_the_text_only_reply_and_fetches_nothing(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert (await voice_reply_with(clean_env, api, brain, VOICE="off"))["text"] == texts.NON_TEXT
    assert api.calls_of("getFile") == [] and "Voice notes off (VOICE=off)" in caplog.text


async def test_without_the_extra_a_note_gets_the_text_only_reply_and_the_operator_a_hint(
    clean_env: pytest.MonkeyPatch, api: FakeBotApi, brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clean_env.setattr(voice, "missing", lambda: "faster-whisper is not installed; to answer voice notes: pip")
    assert (await voice_reply_with(clean_env, api, brain))["text"] == texts.NON_TEXT
    hints = [r for r in caplog.records if "faster-whisper is not installed" in r.getMessage()]
    assert [r.levelno for r in hints] == [logging.WARNING, logging.INFO]  # at start, then for the note
    assert "pip" in hints[0].getMessage() and api.calls_of("getFile") == []


async def test_a_missing_model_directory_is_reported_without_a_traceback(
    clean_env: pytest.MonkeyPatch,
    api: FakeBotApi,
    brain: Brain,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    reply = await voice_reply_with(clean_env, api, brain, VOICE_MODEL_DIR=str(tmp_path / "nowhere"))
    assert reply["text"] == texts.VOICE_FAILED
    assert "Could not load the voice model from" in caplog.text and "no model.bin in" in caplog.text
    assert "Traceback" not in caplog.text


def test_file_url_defaults_beside_the_api_and_can_be_set(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    assert Settings().base_file_url == "http://127.0.0.1:8081/file/bot"  # type: ignore[call-arg]
    clean_env.setenv("TELEGRAM_API_FILE_URL", "http://files.local/file/bot/")
    assert Settings().base_file_url == "http://files.local/file/bot"  # type: ignore[call-arg]
    clean_env.setenv("TELEGRAM_API_FILE_URL", "")
    assert Settings().base_file_url == "http://127.0.0.1:8081/file/bot"  # type: ignore[call-arg]


def test_a_bad_file_url_is_one_clear_sentence(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("TELEGRAM_API_FILE_URL", "files.local/file/bot")
    with pytest.raises(ValidationError) as caught:
        Settings()  # type: ignore[call-arg]
    assert describe_errors(caught.value) == [
        "TELEGRAM_API_FILE_URL is invalid: must be an http(s) URL such as https://api.telegram.org/file/bot."
    ]
