"""Make the voice-note fixtures listed in notes.yaml: espeak-ng speaks, PyAV encodes OGG/Opus.

    python tests/data/voice/make_notes.py

Needs espeak-ng (`apt-get install espeak-ng`) and PyAV (in the voice extra). The files are committed,
so tests and CI need neither text-to-speech nor this script. Also writes `silence.ogg` (two seconds
of nothing) and `broken.ogg` (an OGG header followed by garbage), for the bad-input tests.
Voice notes on Telegram are OGG/Opus, mono, 48 kHz; these are too, at a low bit rate to stay small.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
RATE = 48_000
BIT_RATE = 16_000


def speak(text: str) -> bytes:
    """WAV bytes of espeak-ng saying `text` in US English, at a calm pace."""
    return subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", text], check=True, capture_output=True
    ).stdout


def wav_samples(wav: bytes) -> np.ndarray:
    """Mono 16-bit samples at RATE from WAV bytes."""
    with av.open(io.BytesIO(wav), mode="r") as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        chunks = [
            resampled.to_ndarray().reshape(-1)
            for frame in container.decode(audio=0)
            for resampled in resampler.resample(frame)
        ]
        chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.int16)


def opus(samples: np.ndarray) -> bytes:
    """OGG/Opus bytes of mono 16-bit samples at RATE."""
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=RATE)
        stream.bit_rate = BIT_RATE
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def main() -> int:
    notes = yaml.safe_load((HERE / "notes.yaml").read_text())["notes"]
    pause = np.zeros(RATE // 4, dtype=np.int16)  # a quarter second either side, as people do
    for note in notes:
        samples = np.concatenate([pause, wav_samples(speak(note["said"])), pause])
        (HERE / note["file"]).write_bytes(opus(samples))
        print(f"{note['file']}: {len(samples) / RATE:.1f} s, {(HERE / note['file']).stat().st_size} bytes")
    (HERE / "silence.ogg").write_bytes(opus(np.zeros(2 * RATE, dtype=np.int16)))
    rng = random.Random(13)
    header = (HERE / notes[0]["file"]).read_bytes()[:200]
    (HERE / "broken.ogg").write_bytes(header + bytes(rng.randrange(256) for _ in range(3000)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
