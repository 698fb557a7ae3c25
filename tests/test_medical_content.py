"""What an anxious reader is told (issue 9), asked as people ask: the replies themselves.

The questions are written here, not taken from tests/data: they check the content, not the matcher's
accuracy. A "did you mean" is held to the same bar through every topic it offers.
"""

from __future__ import annotations

import pytest

from faq import Brain, Outcome, Reply

DOCTOR_LINE = ("doctor", "neurologist (a brain and nerve specialist)")
EMERGENCY_LINE = "call your local emergency number now"


def texts_reached(brain: Brain, question: str) -> list[str]:
    """The text a reader ends up reading: the answer, or each topic a "did you mean" or a partial
    reply offers."""
    reply = brain.reply(question)
    if reply.outcome in (Outcome.CLARIFY, Outcome.PARTIAL):
        answers = [brain.answer(topic.id) for topic in reply.candidates]
        return [a.text for a in answers if isinstance(a, Reply)]
    return [reply.text]


@pytest.mark.parametrize(
    "question",
    [
        "my neck twists to the right and I can't straighten it",
        "my head keeps getting pulled backwards",
        "my jaw clenches by itself when I talk",
        "my eyelids keep shutting and I can't keep them open",
        "my fingers curl up whenever I pick up a pen",
        "my voice cracks and sounds strangled",
        "my muscles tighten and won't let go",
        "my foot turns inward when I walk",
        "my tongue pushes out on its own",
        "is my dystonia focal",
        "where in my body can this happen",
        "my calf cramps after jogging and my foot drags",
        "my shoulder pulls up by itself",
        "my mum's head shakes and tilts",
    ],
)
def test_a_described_symptom_ends_with_a_kind_line_to_see_a_doctor(brain: Brain, question: str) -> None:
    for text in texts_reached(brain, question):
        last = text.strip().splitlines()[-1]
        assert all(part in last for part in DOCTOR_LINE), (question, text)
        assert "does not mean" not in text and "doesn't mean" not in text


@pytest.mark.parametrize(
    "question",
    [
        "I think I took too many of my tablets",
        "can I take double my baclofen tonight",
        "I accidentally took a double dose of my medicine",
        "i took my pills twice by mistake",
        "my wife is having a seizure",
        "I think I'm having a stroke right now",
        "my jaw has suddenly locked shut",
        "I can't swallow properly and I'm choking",
        "I'm struggling to breathe",
        "what are the warning signs of a stroke",
    ],
)
def test_an_emergency_is_told_to_call_the_emergency_number_now(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is not Outcome.CLARIFY, question
    assert EMERGENCY_LINE in reply.text, (question, reply.text)


@pytest.mark.parametrize(
    "question",
    [
        "i cant do this anymore, i want to kill myself",
        "some days i just want to die because of the spasms",
        "my daughter says she wants to end her life, she hates her dystonia",
        "thinking about ending it all",
    ],
)
def test_thoughts_of_ending_ones_life_get_a_kind_reply_and_the_emergency_number(
    brain: Brain, question: str
) -> None:
    reply = brain.reply(question)
    assert reply.refusal == "crisis", (question, reply)
    assert EMERGENCY_LINE in reply.text and "crisis line" in reply.text and "sorry" in reply.text
    assert reply.candidates == (), "no topics to browse beside it"


@pytest.mark.parametrize("question", ["can you die from dystonia", "does dystonia shorten your life"])
def test_asking_whether_dystonia_is_deadly_is_not_taken_for_a_crisis(brain: Brain, question: str) -> None:
    assert brain.reply(question).refusal != "crisis"


@pytest.mark.parametrize(
    "question",
    [
        "is dystonia just in my head?",
        "is my dystonia all in my mind",
        "is dystonia catching",
        "can you catch dystonia off someone",
        "how is dystonia different from a tremor",
    ],
)
def test_what_the_article_cannot_answer_is_refused_honestly_with_a_doctor(
    brain: Brain, question: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome in (Outcome.FALLBACK, Outcome.PARTIAL) and reply.intent is None, question
    assert "doesn't cover" in reply.text and "doctor" in reply.text


@pytest.mark.parametrize("question", ["will I need a wheelchair", "does dystonia get worse over time"])
def test_the_prognosis_is_honest_and_calm(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.intent == "prognosis"
    for part in ("varies from person to person", "2011", "Treatment aims to ease", "doctor"):
        assert part in reply.text, part
    assert "deformit" not in reply.text and "eventually" not in reply.text


def test_the_onset_ages_are_the_articles_and_rule_out_no_age(brain: Brain) -> None:
    text = brain.reply("at what age does dystonia usually begin").text
    assert "childhood" in text and "early adult" in text
    assert "two it names" in text and "don't rule out other ages" in text
    assert "new symptoms" in text and "doctor" in text


def test_the_13_forms_are_dated_to_the_2011_article(brain: Brain) -> None:
    types = brain.answer("types")
    assert types is not None and "13 forms" in types.text and "2011" in types.text


def test_jargon_is_explained(brain: Brain) -> None:
    treatment = brain.answer("treatment")
    assert treatment is not None
    assert "splinting (a brace" in treatment.text and "biofeedback (learning" in treatment.text
    laryngeal = brain.answer("laryngeal_dystonia")
    assert laryngeal is not None and "also known as spasmodic dysphonia" in laryngeal.text


def test_the_resources_reply_names_each_organisation_once_with_few_buttons(brain: Brain) -> None:
    reply = brain.answer("resources")
    assert reply is not None
    assert reply.text.count("American Dystonia Society") == 1
    assert all(link.title != "American Dystonia Society" for link in reply.links)
    assert "National Institute of Neurological Disorders and Stroke (NINDS" in reply.text
    assert len(reply.links) + len(reply.related) <= 4
