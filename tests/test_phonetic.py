"""Sound-alike matching (faq/phonetic.py): what speech-to-text makes of the knowledge base's hard
words is restored, everyday words are left alone, and typed questions are not affected at all."""

from __future__ import annotations

import pytest

from faq import Brain, Outcome
from faq.phonetic import SoundAlike, hard_words, hearing_prompt, phonetic_key


@pytest.mark.parametrize(
    ("heard", "restored", "intent"),
    [
        ("What is this Tonya?", "What is dystonia?", "what_is_dystonia"),
        ("How common is this tonia?", "How common is dystonia?", "prevalence"),
        ("what is blef a row spasm", "what is blepharospasm", "blepharospasm"),
        ("is tortie collis painful", "is torticollis painful", None),
        ("what is lerin jeal dystonia", "what is laryngeal dystonia", "laryngeal_dystonia"),
    ],
)
def test_mangled_terms_are_restored_and_then_answered(
    brain: Brain, heard: str, restored: str, intent: str | None
) -> None:
    assert brain.ear.restore(heard) == restored
    if intent is not None:
        reply = brain.hear(heard)
        assert reply.outcome is Outcome.ANSWER and reply.intent == intent


@pytest.mark.parametrize(
    "heard",
    [
        "how far is the distance",  # a common word that sounds a little like "dystonia"
        "this stone is heavy",  # two everyday words: trusted
        "what is dystopia",  # a word the knowledge base knows as something else
        "my neck keeps turning to one side",
        "is it the same as Parkinson's?",
    ],
)
def test_everyday_words_are_left_alone(brain: Brain, heard: str) -> None:
    assert brain.ear.restore(heard) == heard


def test_restoring_keeps_punctuation_and_the_rest_of_the_text(brain: Brain) -> None:
    assert brain.ear.restore("Hi! Is this Tonya, or what?") == "Hi! Is dystonia, or what?"


def test_the_key_folds_what_the_ear_confuses() -> None:
    assert phonetic_key("thistonya") == phonetic_key("dystonia")
    assert phonetic_key("blefarospasm") == phonetic_key("blepharospasm")
    assert phonetic_key("") == ""


def test_hard_words_are_real_words_of_the_knowledge_base(brain: Brain) -> None:
    words = hard_words(brain.kb)
    assert {"dystonia", "blepharospasm", "torticollis", "oromandibular", "laryngeal", "botulinum"} <= set(
        words
    )
    assert not {"dystonya", "blephrospasm", "handwritting", "hiya"} & set(words)  # curated typos, small talk


def test_the_prompt_is_a_short_glossary_without_sound_alikes_of_its_own(brain: Brain) -> None:
    prompt = hearing_prompt(brain.kb)
    assert prompt == brain.ear.prompt
    assert prompt.startswith("dystonia, ") and "Writer's cramp" in prompt and "torticollis" in prompt
    assert "dysphonia" not in prompt  # sounds like "dystonia": offering both makes the ear choose wrongly
    assert len(prompt.split()) < 150  # Whisper reads at most 224 prompt tokens


def test_without_keys_nothing_is_rewritten() -> None:
    ear = SoundAlike([], ["dystonia"])
    assert not ear.enabled and ear.restore("what is this Tonya") == "what is this Tonya"
