"""`python -m bot` with the voice extra, black-box against the stand-in: the model loads in the
background at start, notes are answered with what was heard, a 10-minute note is declined unheard,
a broken one gets a friendly reply, text is still answered, and the log has no traceback and no token.
`python -m benchmarks.voice_bot` runs the same with all twelve everyday notes and times them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.voice_bot import NOTES, measure


@pytest.mark.slow(7)
def test_python_m_bot_answers_voice_notes_and_handles_bad_ones(tmp_path: Path) -> None:
    notes = {n["file"]: n for n in yaml.safe_load((NOTES / "notes.yaml").read_text())["notes"]}
    result = measure([notes["neck_turning.ogg"]], tmp_path)  # all twelve: test_bot_voice.py
    assert result.right == 1 and result.all_heard, result.rows
    assert result.long_declined and result.broken_friendly and result.text_after
    assert result.clean_log, result.log
    assert "Voice notes on: loading the speech-to-text model" in result.log
    assert "Voice model loaded from" in result.log
