"""A question that names a topic but asks what the article does not cover gets an honest partial
reply: it says so, names what was asked, points to a doctor and NINDS/DMRF, and offers the topic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq import Brain, Outcome
from faq.analytics.report import brain_suggester
from faq.cli import main
from faq.evaluation import evaluate, load_cases
from faq.loader import KnowledgeError, load_knowledge
from faq.terminal import render


@pytest.mark.parametrize(
    ("question", "asked", "topic"),
    [
        ("can I fly with cervical dystonia", "fly", "cervical_dystonia"),
        ("what does botox for the neck cost", "cost", "cervical_dystonia"),
        ("whats the best pillow for neck dystonia", "pillow", "cervical_dystonia"),
        ("what mouthguard is best for jaw dystonia", "mouthguard", "oromandibular_dystonia"),
        # after "or" too, when it is a matter the content lists as not covered
        ("is writers cramp better with rest or with yoga", "yoga", "writers_cramp"),
        ("what brand of pen is best for writers cramp", "brand", "writers_cramp"),  # products to buy
        # a question tagged onto a statement asks the statement
        ("i heard coffee makes dystonia worse, is that true?", "coffee", "prognosis"),
        ("a friend said chocolate helps writers cramp, true?", "chocolate", "writers_cramp"),
    ],
)
def test_an_uncovered_aspect_of_a_topic_is_said_plainly_and_the_topic_offered(
    brain: Brain, question: str, asked: str, topic: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.PARTIAL, reply
    assert asked in reply.aspect
    assert f"\u201c{asked}\u201d" in reply.text and "doctor" in reply.text
    assert [t.id for t in reply.candidates] == [topic]
    assert {link.key for link in reply.links} == {"ninds", "dmrf"}
    assert reply.intent is None, "a partial reply answers nothing"
    topic_answer = brain.kb.intent(topic)
    assert topic_answer is not None and topic_answer.answer not in reply.text


@pytest.mark.parametrize(
    ("question", "asked", "topics"),
    [
        ("is yoga good for writer's cramp", "yoga", ["writers_cramp"]),
        ("which famous people have focal dystonia", "famous", ["focal_dystonia"]),
        ("my dog keeps tilting his head", "dog", ["cervical_dystonia"]),
        # "gran's" is kin, never corrected to another word ("grants")
        ("my gran's memory keeps getting worse", "memory", ["prognosis"]),
        # a visit to the dentist is a cause of its own, not who tells the story
        ("is it normal for my jaw to ache after the dentist", "dentist", ["pain"]),
    ],
)
def test_a_refusal_or_a_did_you_mean_that_names_topics_becomes_a_partial_reply(
    brain: Brain, question: str, asked: str, topics: list[str]
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.PARTIAL and reply.aspect == (asked,)
    assert [t.id for t in reply.candidates] == topics
    titles = [t.title for t in reply.candidates]
    assert " or ".join(titles) in reply.text, "the reply names every topic it offers"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("the pen slips because my fingers curl", "writers_cramp"),  # describes: "slips" is not asked
        ("my hand cramps whenever I pick up a pen, it's driving me mad", "writers_cramp"),  # an idiom
        ("is it hereditary?", "inherited"),  # a topic wins a tie with a refusal
        ("thanks for the info", "thanks"),  # small talk that mentions the info
        ("where on the body does it happen", "body_parts"),  # "where" asks for a place
        # Only the clause that asks is searched for an aspect: "tho" and "ENT" tell the story.
        (
            "my hand curls up when i write and the pen goes everywhere, only when writing tho. what is it?",
            "writers_cramp",
        ),
        (
            "my wife's voice cracks when she talks, the ENT said it's dystonia. what does that mean?",
            "laryngeal_dystonia",
        ),
        # A request asks, wherever it stands: the story after it is context.
        ("dystonia meaning in simple english pls, im from chile and my dad has it", "what_is_dystonia"),
        # Formal requests say how one asks, not what: "clarify" and "entails" are not aspects.
        ("could you kindly clarify what blepharospasm entails", "blepharospasm"),
        # A dash between spaces ends a clause too: "nursing" tells who asks.
        ("nursing student here - whats dystonia in a nutshell", "what_is_dystonia"),
        # The alternative after "or", in words no intent knows, is the contrast offered.
        ("does physio really help or is that rubbish", "treatment"),
        ("does it get worse over the years or does it plateau", "prognosis"),
        # Who tells the story and filler from other languages are not what is asked.
        ("my aunties voice keeps cracking they say its laryngeal dystonia what is it", "laryngeal_dystonia"),
        ("what is oromandibular dystonia my dentist brought it up", "oromandibular_dystonia"),
        ("can it be in the legs aswell", "body_parts"),
        # Brackets hold an aside; an apology sets the scene.
        ("what is oromandibular dystonia (sorry for my english, i am from chile)", "oromandibular_dystonia"),
        # "what is it" then a story: the story's words are told, not asked.
        ("laryngeal dystonia what is it my voice keeps breaking when i sing", "laryngeal_dystonia"),
        # When it happened, and whose someone is, set the scene.
        (
            "we saw the neurologist this morning and now i need to know what dystonia even is",
            "what_is_dystonia",
        ),
        ("my german teacher has dystonia whats that", "what_is_dystonia"),
        # "normally" asks in general; "like im five" asks for plain words.
        ("how is dystonia normally treated", "treatment"),
        ("explain dystonia like im five", "what_is_dystonia"),
        # Any question that runs on into a story without a stop: "piano" is told, not asked.
        ("what is writers cramp my piano teacher has it", "writers_cramp"),
        ("what is blepharospasm i never know how to say it", "blepharospasm"),
        # How someone feels is not what they ask about.
        ("is there any treatment for dystonia we are desperate", "treatment"),
        # A form of address, and punctuation said aloud to a phone.
        ("good morning madam please what causes dystonia", "cause"),
        ("my son is 12 comma his foot turns in when he runs comma does he have dystonia", "diagnosis"),
    ],
)
def test_how_people_talk_is_not_taken_for_an_uncovered_aspect(
    brain: Brain, question: str, intent: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == intent, reply


@pytest.mark.parametrize(
    "question",
    ["what is cervical dystonia", "my neck keeps turning to one side", "is dystonia inherited"],
)
def test_a_question_the_topic_answers_is_answered_not_partial(brain: Brain, question: str) -> None:
    assert brain.reply(question).outcome is Outcome.ANSWER


def test_feelings_and_chatter_are_not_taken_for_what_is_asked(brain: Brain) -> None:
    reply = brain.reply("im honestly so scared lol, what is cervical dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "cervical_dystonia"


def test_the_terminal_shows_the_partial_reply_with_the_topic_to_pick(brain: Brain) -> None:
    text, choices = render(brain.reply("can I fly with cervical dystonia"))
    assert "\u201cfly\u201d" in text and "[1] Cervical dystonia (neck)" in text
    assert [t.id for t in choices] == ["cervical_dystonia"]


def test_ask_json_explains_a_partial_reply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "can I fly with cervical dystonia"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["outcome"] == "partial"
    assert payload["reply"]["aspect"] == ["fly"]
    assert payload["reply"]["candidates"][0]["id"] == "cervical_dystonia"


def test_ask_json_names_the_refusal_intent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "what is parkinson's disease"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["outcome"] == "fallback" and payload["reply"]["refusal"] == "other_conditions"


def test_eval_counts_partial_and_declining_replies_as_refusals_and_reports_one_tap(
    brain: Brain, tmp_path: Path
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- {question: can I fly with cervical dystonia, intent: null}\n"  # partial: refused
        "- {question: can I fly with cervical dystonia, intent: cervical_dystonia}\n"  # partial: a miss
        "- {question: how much baclofen should I take, intent: null}\n"  # declines: refused
        "- {question: what is writer's cramp, intent: writers_cramp}\n",
        encoding="utf-8",
    )
    assert brain.reply("how much baclofen should I take").intent == "medical_advice"
    result = evaluate(brain.matcher, load_cases(cases), brain.kb.declining)
    assert result.out_of_scope_recall == 1.0
    assert result.in_scope_accuracy == 0.5
    assert result.one_tap_rate == 1.0, "the partial reply offers the right topic: one tap away"
    assert result.confident_wrong_rate == 0.0


@pytest.mark.parametrize(
    ("partial", "problem"),
    [
        ("No {Aspect} for {topic}.", "must use exactly the placeholders {aspect} and {topic}"),
        ("No info on {aspect}.", "must use exactly the placeholders {aspect} and {topic}"),
        ("No {aspect for {topic}.", "a stray brace"),
    ],
)
def test_a_broken_partial_message_is_reported_by_line(tmp_path: Path, partial: str, problem: str) -> None:
    source = Path(__file__).parent.parent / "intents.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("  partial: >-")
    end = text.index("\n\n", start)
    broken = tmp_path / "intents.yaml"
    broken.write_text(text[:start] + f"  partial: {json.dumps(partial)}" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(broken)
    assert f"{broken}:{line}: messages.partial: value error, {problem}" in str(caught.value)


def test_the_curators_report_suggests_no_topic_for_what_no_topic_covers(brain: Brain) -> None:
    suggest = brain_suggester(brain)
    assert suggest("what is parkinson's disease") is None, "another condition: refused, no topic"
    assert suggest("can I fly with cervical dystonia") is None, "an uncovered aspect: no phrasing to add"
    cramps = suggest("cramps")
    assert cramps is not None and brain.kb.intent(cramps.intent) is not None


def test_a_question_for_personal_advice_gets_the_kind_refusal_not_a_partial_reply(brain: Brain) -> None:
    # "glass" is asked about and only refusals use it, but the advice reply already declines kindly and
    # points to a doctor: a partial reply would only repeat that, less plainly.
    reply = brain.reply("is it ok to take my dystonia tablets with a glass of rum")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "medical_advice"
    assert "doctor" in reply.text


def test_how_many_people_in_another_country_is_a_question_about_what_the_article_lacks(brain: Brain) -> None:
    # "how many people" is mapped to a synonym, yet the message still asks: the article has the
    # US figure only, so the reply says it has nothing on the Netherlands and offers that figure.
    reply = brain.reply("how many people have dystonia in the netherlands")
    assert reply.outcome is Outcome.PARTIAL and reply.aspect == ("netherlands",)
    assert [t.id for t in reply.candidates] == ["prevalence"]


def test_a_word_only_refusals_and_the_advice_decline_use_is_an_uncovered_aspect(brain: Brain) -> None:
    # The article names no specific medicine: botox is a matter for a doctor (medical_advice declines
    # it), so a question about whether it helps says so and offers the topic, not the treatment answer.
    reply = brain.reply("does botox help cervical dystonia")
    assert reply.outcome is Outcome.PARTIAL and reply.aspect == ("botox",)
    assert [t.id for t in reply.candidates] == ["cervical_dystonia"]
    assert brain.reply("should i get botox").intent == "medical_advice"


def test_where_someone_introduces_themselves_from_is_not_what_they_ask(brain: Brain) -> None:
    reply = brain.reply("hello from india, what is dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "what_is_dystonia", reply
    # Where someone in the story lives sets the scene too.
    reply = brain.reply("i am a carer for my uncle in lagos where can i learn more about dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "resources", reply
    # Asked about, a country is still a matter the article lacks.
    asked = brain.reply("how many people have dystonia in india")
    assert asked.outcome is Outcome.PARTIAL and asked.aspect == ("india",)


def test_a_story_told_before_a_question_in_small_words_only_sets_the_scene(brain: Brain) -> None:
    # "what is it?" asks about what the story names; its other words ("magazine", "hairdressers")
    # are not evidence against the answer.
    reply = brain.reply("saw dystonia in a magazine at the hairdressers, what is it?")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "what_is_dystonia", reply
