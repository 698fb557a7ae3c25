"""The content rules (faq/content_rules.py): a copy of intents.yaml with one rule broken is refused,
and `validate` names the file, the line, the intent and the field."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from faq import content_rules, shingles
from faq.loader import KnowledgeError, default_path, parse_knowledge
from tests.cli_runner import run_cli

TEXT = default_path().read_text(encoding="utf-8")


def answer_line(text: str, intent_id: str) -> int:
    """The 1-based line of `answer:` in the intent's block."""
    lines = text.splitlines()
    start = lines.index(f"  - id: {intent_id}")
    return next(n for n in range(start, len(lines)) if lines[n].startswith("    answer:")) + 1


def answer_of(text: str, intent_id: str) -> str:
    lines = text.splitlines()
    first = answer_line(text, intent_id)  # the line after `answer: |` is the first of the answer
    body = []
    for line in lines[first:]:
        if not line.startswith("      "):
            break
        body.append(line)
    return "\n".join(body)


def with_answer(intent_id: str, edit: str, new: str, text: str = TEXT) -> str:
    """The knowledge file with `edit` replaced by `new` inside one intent's answer only."""
    old = answer_of(text, intent_id)
    assert edit in old, f"{edit!r} is not in {intent_id}'s answer"
    return text.replace(old, old.replace(edit, new), 1)


def problems(text: str) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(text, "intents.yaml")
    return str(info.value).splitlines()


def test_the_bundled_content_keeps_every_rule() -> None:
    parse_knowledge(TEXT, "intents.yaml")  # raises on any broken rule


def test_a_missing_doctor_line_is_reported_with_file_line_and_intent() -> None:
    text = with_answer("symptoms", "please see a doctor, ideally a neurologist", "take care")
    line = answer_line(text, "symptoms")
    assert problems(text) == [
        f"intents.yaml:{line}: intent 'symptoms': answer: must end with a line to see a doctor, "
        "ideally a neurologist (must_say: doctor)"
    ]


def test_the_doctor_line_must_be_the_last_line() -> None:
    old = answer_of(TEXT, "writers_cramp")
    lines = old.splitlines()
    text = TEXT.replace(old, "\n".join([lines[-1], *lines[:-1]]), 1)
    assert any(
        "intent 'writers_cramp': answer: must end with a line to see a doctor" in p for p in problems(text)
    )


@pytest.mark.parametrize("intent_id", ["medical_advice", "other_conditions"])
def test_the_emergency_line_is_required_even_without_the_flag(intent_id: str) -> None:
    text = re.sub(r"call your local emergency number now", "ask someone", TEXT)
    text = text.replace("must_say: [doctor, emergency]", "must_say: [doctor]")
    text = text.replace("must_say: [emergency]", "must_say: []")
    line = answer_line(text, intent_id)
    expected = (
        f"intents.yaml:{line}: intent '{intent_id}': answer: "
        "must say to call the local emergency number now (must_say: emergency)"
    )
    assert expected in problems(text)


def test_the_fallback_needs_the_emergency_line() -> None:
    text = TEXT.replace("call your local emergency number now", "ask a friend")
    assert any(
        re.fullmatch(r"intents.yaml:\d+: messages.fallback: must say to call .*", p) for p in problems(text)
    )


def test_an_urgent_intent_needs_the_urgent_line() -> None:
    line = 'urgent: "If this is happening now, call your local emergency number now."'
    assert line in TEXT
    text = TEXT.replace(line, 'urgent: "Take care."')
    assert any(
        re.fullmatch(r"intents.yaml:\d+: messages.urgent: must say to call .*", p) for p in problems(text)
    )


def test_an_answer_over_the_word_limit_is_reported() -> None:
    text = with_answer("pain", "It can.", "It can. " + "Very " * 40)
    line = answer_line(text, "pain")
    assert f"intents.yaml:{line}: intent 'pain': answer: 89 words; keep it to at most 80" in problems(text)


def test_the_fallback_is_within_the_word_limit_too() -> None:
    text = TEXT.replace(
        "Sorry, I don't know the answer", "Sorry, " + "so " * 80 + "I don't know the answer", 1
    )
    assert any(re.fullmatch(r"intents.yaml:\d+: messages.fallback: \d+ words; .*", p) for p in problems(text))


@pytest.mark.parametrize("part", ["Eric Troy", "Ground Up Strength", "2011", "What is Dystonia?"])
def test_the_source_answer_must_credit_title_author_publisher_and_year(part: str) -> None:
    text = with_answer("source", part, "someone")
    line = answer_line(text, "source")
    [problem] = problems(text)
    assert problem.startswith(f"intents.yaml:{line}: intent 'source': answer: must credit the article: ")
    assert repr(part) in problem or part == "What is Dystonia?"  # a cut title is reported whole


def test_bot_help_must_credit_the_article_too() -> None:
    text = with_answer("bot_help", "Eric Troy", "a writer")
    assert any(
        "intent 'bot_help': answer: must credit the article: 'Eric Troy' missing" in p for p in problems(text)
    )


@pytest.mark.parametrize(
    ("intent_id", "term", "glossed"),
    [
        ("treatment", "biofeedback", "biofeedback (learning to control muscles using sensor readings)"),
        ("treatment", "splinting", "splinting (a brace to support a body part)"),
        ("cervical_dystonia", "retrocollis", "retrocollis (the head is pulled back)"),
        ("cause", "primary dystonia", "primary dystonia (not caused by another illness)"),
        ("pain", "neurologist", "neurologist (a brain and nerve specialist)"),
    ],
)
def test_jargon_must_be_explained_at_its_first_use(intent_id: str, term: str, glossed: str) -> None:
    text = with_answer(intent_id, glossed, term)
    line = answer_line(text, intent_id)
    assert any(
        p.startswith(f"intents.yaml:{line}: intent '{intent_id}': answer: explain '{term}'")
        for p in problems(text)
    )


def test_ninds_is_spelled_out_before_its_first_use() -> None:
    text = with_answer(
        "resources", "the National Institute of Neurological Disorders and Stroke (NINDS,", "NINDS ("
    )
    line = answer_line(text, "resources")
    assert (
        f"intents.yaml:{line}: intent 'resources': answer: spell out NINDS before its first use"
        in "\n".join(problems(text))
    )


def test_spasmodic_dysphonia_is_named_as_laryngeal_dystonia() -> None:
    text = with_answer(
        "laryngeal_dystonia", "Laryngeal dystonia, also known as spasmodic dysphonia,", "Spasmodic dysphonia"
    )
    assert any("say that spasmodic dysphonia is laryngeal dystonia" in p for p in problems(text))


# ---------------------------------------------------------------------------------- shared wording
# The tests never quote the article: they swap in the shingles of a made-up text instead.

MADE_UP = "The quick brown fox jumps over the lazy dog near the river bank every single morning."


@pytest.fixture
def made_up_article(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    hashes = frozenset(shingles.digest(run) for run in shingles.runs(MADE_UP))
    monkeypatch.setattr(shingles, "article_shingles", lambda: (shingles.fingerprint(), hashes))
    yield


@pytest.mark.usefixtures("made_up_article")
def test_seven_words_in_a_row_from_the_article_are_reported() -> None:
    text = with_answer("pain", "It can.", "It can. A fox jumps over the lazy dog near the river.")
    line = answer_line(text, "pain")
    assert (
        f"intents.yaml:{line}: intent 'pain': answer: shares a run of 7 words with the article: "
        "'fox jumps over the lazy dog near'; paraphrase it"
    ) in problems(text)


@pytest.mark.usefixtures("made_up_article")
def test_six_shared_words_or_a_reworded_run_are_fine() -> None:
    assert content_rules.shared_run("A fox jumps over the lazy dog.") is None  # 6 words
    assert content_rules.shared_run("A fox leaps over a lazy dog near the river.") is None
    assert content_rules.shared_run("A fox jumps over the lazy dog near the river.") is not None


def test_names_and_the_title_may_be_repeated_word_for_word() -> None:
    title = "Muscle Spasms, Handwriting Cramps, and Involuntary Movements: What is Dystonia?"
    assert content_rules.shared_run(f"The article {title} by Eric Troy.", (title,)) is None
    assert (
        content_rules.shared_run("Ask the National Institute of Neurological Disorders and Stroke.") is None
    )


def test_the_shingle_file_is_current_and_holds_only_hashes() -> None:
    settings, hashes = shingles.article_shingles()
    assert settings == shingles.fingerprint()
    assert len(hashes) > 300 and all(re.fullmatch(r"[0-9a-f]{16}", h) for h in hashes)


def test_a_stale_shingle_file_is_a_problem_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shingles, "article_shingles", lambda: ("old", frozenset()))
    assert re.match(r"intents.yaml:\d+: faq/article_shingles.txt is out of date", problems(TEXT)[0])


def test_the_shingle_maker_finds_what_it_was_made_from(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(f"A Made-Up Title\n\n{MADE_UP}\n", encoding="utf-8")
    made = subprocess.run(
        [sys.executable, "-m", "faq.shingles", str(article)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert f"# settings {shingles.fingerprint()}" in made
    assert shingles.digest("the quick brown fox jumps over the".split()) in made
    assert "quick" not in "".join(line for line in made if not line.startswith("#"))


# ---------------------------------------------------------------------------------- the CLI


def test_validate_lists_each_broken_rule_as_file_line_intent_field(tmp_path: Path) -> None:
    text = with_answer("prognosis", "please see a doctor, ideally a neurologist", "take care")
    text = with_answer(
        "treatment", "biofeedback (learning to control muscles using sensor readings)", "biofeedback", text
    )
    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    out = run_cli("validate", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert (
        f"{path}:{answer_line(text, 'prognosis')}: intent 'prognosis': answer: must end with a line"
        in out.stderr
    )
    assert (
        f"{path}:{answer_line(text, 'treatment')}: intent 'treatment': answer: explain 'biofeedback'"
        in out.stderr
    )
