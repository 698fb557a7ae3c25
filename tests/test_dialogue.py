"""What a user sees from the brain: answers, "did you mean", honest fallbacks."""

from __future__ import annotations

import math

import pytest

from faq import Brain, Outcome
from faq.matcher import Matcher, Thresholds


@pytest.mark.parametrize(
    "question",
    ["what is writer's cramp", "wrtiers cramp", "my hand cramps when I write", "WRITERS CRAMP???"],
)
def test_writers_cramp_is_answered_however_it_is_typed(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER
    assert reply.intent == "writers_cramp"


def test_a_typo_that_looks_like_another_word_is_still_corrected(brain: Brain) -> None:
    # "laryngal" shares its stem with "laryngitis" (another condition), but one edit away is
    # "laryngeal", a word the content maps to the voice: the typo is read as meant.
    reply = brain.reply("what is laryngal dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "laryngeal_dystonia"


def test_an_answer_carries_its_text_title_links_and_related_topics(brain: Brain) -> None:
    reply = brain.reply("what is writer's cramp")
    intent = brain.kb.intent("writers_cramp")
    assert intent is not None
    assert reply.text == intent.answer and reply.title == intent.title
    assert {link.key for link in reply.links} >= {"ninds", "dmrf"}
    assert all(
        link.url and link.url.startswith("https://") for link in reply.links if link.key in {"ninds", "dmrf"}
    )
    assert 1 <= len(reply.related) <= 3
    assert all(brain.kb.intent(t.id) for t in reply.related)


@pytest.mark.parametrize(
    "question",
    [
        "what is",
        "what is parkinson's disease",
        "is diabetes hereditary",
        "what's the weather in Paris",
        "asdfgh",
        "has a neurologist checked this article",  # about the source beyond its credit
        "our baby was born with her head tilted to one side, what is it",  # a baby's torticollis
        "some days i think nobody understands",  # a feeling, not how common it is
    ],
)
def test_off_topic_questions_are_never_answered_with_a_look_alike(brain: Brain, question: str) -> None:
    assert brain.reply(question).outcome is not Outcome.ANSWER


def test_the_fallback_is_honest_and_offers_a_way_forward(brain: Brain) -> None:
    reply = brain.reply("what's the weather in Paris")
    assert reply.outcome is Outcome.FALLBACK
    assert reply.candidates, "the fallback offers topics to tap"
    assert "know" in reply.text.lower() or "outside" in reply.text.lower()


@pytest.mark.parametrize("text", ["", "   ", "?", "🙂🙂🙂", "!!!"])
def test_messages_without_words_get_the_invitation_to_ask(brain: Brain, text: str) -> None:
    reply = brain.reply(text)
    assert reply.outcome is Outcome.FALLBACK
    assert reply.text == brain.kb.messages.empty


@pytest.mark.parametrize("question", ["so what can you do exactly", "what can you actually do"])
def test_a_question_of_small_words_is_known_with_filler_around_it(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == "bot_help", reply


def test_greeting_alone_is_small_talk_but_a_greeting_with_a_question_is_a_question(brain: Brain) -> None:
    assert brain.reply("hi").intent == "greeting"
    assert brain.reply("hi! what is dystonia?").intent == "what_is_dystonia"


def test_thanks_for_the_information_is_thanks_not_where_it_comes_from(brain: Brain) -> None:
    assert brain.reply("thank you so much for this info").intent == "thanks"
    assert brain.reply("where does this info come from").intent == "source"


def test_a_question_word_as_typed_on_a_phone_still_asks(brain: Brain) -> None:
    # "wat" opens the question; the clause after the comma only tells how it is going.
    reply = brain.reply("wat can my wife do to make her cramps go away, nothing seems to help")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "treatment", reply


def test_clarify_offers_distinct_candidates_from_the_knowledge_base(brain: Brain) -> None:
    reply = brain.reply("cramps")
    assert reply.outcome is Outcome.CLARIFY
    ids = [t.id for t in reply.candidates]
    assert 2 <= len(ids) <= 3 and len(set(ids)) == len(ids)
    assert all(brain.kb.intent(i) for i in ids)
    assert reply.text == brain.kb.messages.clarify


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # Both name the form and "focal": the scores are close, but "a focal ..." is how the focal
        # topic's phrasings ask, and the form's phrasings rarely say "focal".
        ("is the eyelid one a focal dystonia", "focal_dystonia"),
        ("is cervical dystonia a focal type", "focal_dystonia"),
        # One candidate near the top, not good enough alone: weighed against the runner-up.
        ("does it tend to turn up in several relatives along the line", "inherited"),
    ],
)
def test_a_question_far_more_typical_of_the_best_topic_is_answered_not_a_did_you_mean(
    brain: Brain, question: str, intent: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == intent, reply
    without = Matcher(brain.kb, Thresholds(typical_lead=math.inf)).match(question)
    assert without.outcome is Outcome.CLARIFY and without.candidates[0].intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # Close scores, but one topic's closest phrasing fits past full, which the score's cap at 1
        # hides: who leads, and by how much, is judged before the cap.
        ("is dystonia rare? never heard of it until my diagnosis", "prevalence"),
        ("how do you know if someone has dystonia, like what do you see", "symptoms"),
        ("i think my wife has dystonia how can i be sure", "diagnosis"),
    ],
)
def test_a_topic_whose_phrasing_fits_far_closer_is_answered_not_a_did_you_mean(
    brain: Brain, question: str, intent: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == intent, reply


@pytest.mark.parametrize("question", ["what causes a pulled muscle", "restless legs at night"])
def test_a_refusal_with_a_word_of_its_own_still_refuses(brain: Brain, question: str) -> None:
    assert brain.reply(question).outcome is Outcome.FALLBACK


def test_another_condition_in_a_topic_s_words_is_not_answered_by_the_second_opinion(brain: Brain) -> None:
    assert brain.reply("is tennis elbow a focal dystonia").outcome is not Outcome.ANSWER


@pytest.mark.parametrize(
    "question", ["is it painful and will it get worse with age", "is it sore and will it get worse with age"]
)
def test_two_questions_in_one_get_the_first_answer_and_the_second_offered_first(
    brain: Brain, question: str
) -> None:
    # As one question it is a "did you mean": pain and progression each explain half of it.
    assert brain.matcher._match_one(question).outcome is not Outcome.ANSWER
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == "pain", reply
    assert reply.related[0].id == "prognosis"


def test_when_the_message_is_answered_as_a_whole_the_other_question_is_still_offered(brain: Brain) -> None:
    reply = brain.reply("is it painful? will it get worse with age")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "prognosis", reply
    assert reply.related[0].id == "pain"


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("is it painful and should i double my pills", Outcome.ANSWER),  # the doctor's reply, not pain's
        ("is it painful and can i fly with it", Outcome.PARTIAL),
    ],
)
def test_a_second_question_for_a_doctor_or_not_covered_is_not_hidden_behind_the_first(
    brain: Brain, question: str, outcome: Outcome
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is outcome and reply.intent != "pain", reply


@pytest.mark.parametrize(
    "question", ["can some other disease set off dystonia", "is it ever a side effect of another illness"]
)
def test_dystonia_from_another_illness_is_the_cause_answer(brain: Brain, question: str) -> None:
    reply = brain.reply(question)  # the article's secondary dystonia
    assert reply.outcome is Outcome.ANSWER and reply.intent == "cause", reply


def test_a_huge_message_is_read_in_part_and_says_so(brain: Brain) -> None:
    reply = brain.reply("what is writer's cramp? " + "and so on " * 5000)
    assert reply.notice == brain.kb.messages.too_long
    assert reply.intent == "writers_cramp"


def test_html_like_input_is_just_text(brain: Brain) -> None:
    reply = brain.reply("<b>blepharospasm</b> <script>alert(1)</script>")
    assert reply.intent == "blepharospasm"


def test_answer_by_id_serves_topic_buttons_and_refuses_unknown_ids(brain: Brain) -> None:
    reply = brain.answer("treatment")
    assert reply is not None and reply.outcome is Outcome.ANSWER and reply.intent == "treatment"
    assert brain.answer("no_such_topic") is None


def test_topics_list_only_content_intents(brain: Brain) -> None:
    ids = {t.id for t in brain.topics()}
    assert {"what_is_dystonia", "writers_cramp", "treatment"} <= ids
    assert not ids & {"greeting", "thanks", "goodbye", "bot_help"}


def test_personal_medical_advice_is_declined_kindly(brain: Brain) -> None:
    reply = brain.reply("how much baclofen should I take")
    assert reply.intent == "medical_advice"
    assert "doctor" in reply.text.lower()


@pytest.mark.parametrize("question", ["can my son stop his tablets", "should my mum try botox"])
def test_advice_asked_for_someone_one_cares_for_is_declined_like_advice_for_oneself(
    brain: Brain, question: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == "medical_advice", reply
    # "can my son get it" asks whether it is passed on, not for advice.
    assert brain.reply("can my son get it from me").intent == "inherited"


@pytest.mark.parametrize("question", ["does baclofen help dystonia", "is levodopa good for dystonia"])
def test_a_medicine_by_name_is_for_a_doctor_not_the_treatment_answer(brain: Brain, question: str) -> None:
    # The article names no medicine: its treatment answer would read as an answer about this one.
    reply = brain.reply(question)
    assert reply.intent != "treatment" and reply.outcome is not Outcome.FALLBACK, reply
    assert "doctor" in reply.text.lower()


def test_a_dose_written_as_one_word_is_a_question_for_a_doctor(brain: Brain) -> None:
    reply = brain.reply("is 5mg of diazepam ok for my dystonia")
    assert reply.intent == "medical_advice"
    assert "doctor" in reply.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "does my daughter have dystonia",
        "could her husband have this",
        "is it dystonia or not",
        "could his eye blinking be dystonia",  # a named form's words, asked of someone
        "could my voice cracking be dystonia",
        "my eyelids shut on their own all day, is something wrong with me",
        "my neck keeps twisting, whats wrong with me",
        "is my daughters toe curling a sign she has it",
        "is my stiff neck a sign that i have it",
        # after a story of symptoms, "is it X or just Y" asks whether one has X
        "my eyelids keep shutting at work, is it blepharospasm or just tiredness",
    ],
)
def test_asking_whether_someone_has_it_is_a_question_for_a_doctor(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == "diagnosis", reply


def test_asking_what_someone_s_dystonia_is_like_is_not_asking_whether_they_have_it(brain: Brain) -> None:
    reply = brain.reply("my cousin has dystonia, is it a brain thing or just muscles")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "cause", reply


def test_whether_it_is_dystonia_or_another_illness_is_for_a_doctor(brain: Brain) -> None:
    reply = brain.reply("is my dads tremor dystonia or parkinsons")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "diagnosis", reply
    assert brain.reply("does my dog have dystonia or arthritis").outcome is not Outcome.ANSWER


def test_asking_to_be_told_whether_one_has_it_from_a_description_is_for_a_doctor(brain: Brain) -> None:
    # Words of questions the article does not cover ("describe", "symptoms") fit as well; the
    # answer that says it takes a doctor is given, not a "did you mean".
    reply = brain.reply("if i list my symptoms could you tell me whether i have dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "diagnosis"
    # But a word only refusals use still refuses: a pet is not a person.
    assert (
        brain.reply("my dog keeps tilting his head to one side, does he have dystonia").outcome
        is not Outcome.ANSWER
    )


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("my neck pulls to the left for weeks, could I have cervical dystonia?", "cervical_dystonia"),
        ("my voice keeps cracking lately, do i have laryngeal dystonia", "laryngeal_dystonia"),
        ("my hand cramps when I write, do I have writer's cramp?", "writers_cramp"),
        ("my neck has been pulling for weeks, do you reckon its cervical dystonia", "cervical_dystonia"),
        ("my jaw keeps clenching, could i have the jaw kind?", "oromandibular_dystonia"),  # of oneself
    ],
)
def test_asking_whether_one_has_a_named_form_is_a_question_for_a_doctor_that_offers_the_form(
    brain: Brain, question: str, form: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == "diagnosis", reply
    assert "doctor" in reply.text.lower()
    assert reply.related[0].id == form  # the form it named, one tap away


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("is writer's cramp a type of dystonia", "writers_cramp"),  # about kinds, not about someone
        ("my grandmother had a twisting neck, could it be something that runs in the family", "inherited"),
    ],
)
def test_a_yes_no_question_about_the_condition_itself_keeps_its_topic(
    brain: Brain, question: str, intent: str
) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == intent, reply


def test_asking_what_is_not_covered_if_one_has_a_form_is_still_a_partial_reply(brain: Brain) -> None:
    reply = brain.reply("can i get a tattoo on my neck if i have cervical dystonia")
    assert reply.outcome is Outcome.PARTIAL and reply.aspect == ("tattoo",)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # After a story, "what exactly is it?" asks for a definition of what the story named.
        ("the doctor told us my dad has dystonia, what exactly is it", "what_is_dystonia"),
        ("my mum has cervical dystonia, what is that exactly", "cervical_dystonia"),
        # "in simple words" says how to answer, not what about.
        ("please explain dystonia in simple words", "what_is_dystonia"),
        ("what is focal dystonia in simple words", "focal_dystonia"),
        # Told something, then asked in small words what it is: a definition of what was named.
        ("the gp said my son has dystonia what is that", "what_is_dystonia"),
        ("my consultant says my wife has dystonia, what is it", "what_is_dystonia"),
        # A name alone before "what is it" is what is asked about.
        ("eye dystonia, what is it", "blepharospasm"),
        ("neck dystonia what is that", "cervical_dystonia"),
        # Everyday wordings of topics, each read through a synonym group of intents.yaml.
        ("is there anything at all that can help my husband", "treatment"),
        ("can i drink alcohol with my dystonia tablets", "medical_advice"),
        ("my mum had it, does that mean im likely to get it too", "inherited"),
        ("my dad has it, does that mean ill get it too", "inherited"),
        ("did my son get this from his dads side", "inherited"),
        ("is this something my grandchildren could get from us", "inherited"),
        ("where on a person can this turn up", "body_parts"),
        ("tnx", "thanks"),
        # "writer's block" is not about the hand: chatter about it does not crowd writer's cramp out
        ("is writers cramp only in the fingers or the arm as well", "writers_cramp"),
        ("what is the handwriting kind", "writers_cramp"),  # named by what it spoils
        # a word for an illness in general does not pick the topic
        ("is dystonia a degenerative illness", "prognosis"),
        ("my aunt has dystonia, what sort of disease is that", "what_is_dystonia"),
        ("what is going on under the hood with this condition", "cause"),
        ("is bad handwriting one of the first signs", "symptoms"),
        ("could my grandparents have passed this down", "inherited"),
        ("for my school project, a one-paragraph definition of dystonia please", "what_is_dystonia"),
        ("is dystonia quite rare", "prevalence"),  # "quite" is not "quit"
        ("i read there are 13 kinds, is that true", "types"),
        ("does it only affect the hands", "body_parts"),  # where else it can be, not the hand form
        ("at wat age dose it start", "onset_age"),  # "does" typed as "dose": not a question about a dose
        ("can i give my daughter paracetamol for her dystonia pain", "medical_advice"),
        ("Good morning. Kindly tell me what is dystonia. Thank you.", "what_is_dystonia"),  # polite thanks
        # "how common is this dystonia ...": "is this dystonia" after "how" does not ask whether one has it
        ("how common is this dystonia stuff", "prevalence"),
        ("ok gotta go, see u", "goodbye"),
        ("what kind of sickness is dystonia", "what_is_dystonia"),
        # Asking what the subject is asks for a definition; an age before it only sets the scene.
        ("My granddad is 80 years old. Can you kindly tell me what dystonia is?", "what_is_dystonia"),
        ("my daughter is 9 years old what is this dystonia disease", "what_is_dystonia"),
        # Small words typed on a phone ("shud", "wors"); "nowadays" is not about how common it is.
        ("shud my daughter see a neurologist for dystonia", "diagnosis"),
        # The whole body or one place: where it can be (the answer also names the focal kind).
        ("can it be in the whole body or just in one place", "body_parts"),
        # How one tells someone has it asks for the signs; whether I have it is for a doctor.
        ("how can you tell if someone has dystonia", "symptoms"),
        ("how do i know if i have dystonia", "diagnosis"),
        ("is this from a doctor or some random website", "source"),
        # "why" asks for a cause: it is not damped like an everyday word.
        ("why do muscles contract on their own in dystonia", "cause"),
        ("could my eye twitching be this thing", "diagnosis"),  # whether one has it: for a doctor
        ("could my shaky hand be this condition", "diagnosis"),
        ("is my neck pulling dystonia it started last month", "diagnosis"),  # then a new sentence
        ("the gp wrote dystonia in my fathers letter what is that thing", "what_is_dystonia"),
        ("wats distonia exactly? my doctor said it this morning", "what_is_dystonia"),  # as typed
        ("good morning my son is having dystonia please what is this illness", "what_is_dystonia"),
        ("is my eye blinking dystonia or just tiredness", "diagnosis"),  # whether one has it, or not
        ("which medicine i should take for my neck dystonia", "medical_advice"),  # "i should take"
        ("what causes this sickness", "cause"),
        ("danke schön", "thanks"),
        ("my aunt just got told she has dystonia, wat even is that", "what_is_dystonia"),
        ("what number of persons suffer from dystonia", "prevalence"),
        # "... dystonia or not" after a question about it does not ask whether one has it.
        ("is there any cure for dystonia or not", "treatment"),
        ("what iz focal dystonia", "focal_dystonia"),  # "iz" typed for "is"
        # Whether something is normal with dystonia, not whether it is dystonia.
        ("my dad's neck spasms really hurt, is that normal with dystonia", "pain"),
        ("my father has dystonia, will it increase with age", "prognosis"),  # gets worse
        ("someone told me there are thirteen of them, is that right", "types"),
        # "... what it is can you explain": the request, not "is", turns the story into a question.
        ("the neurologist said i have dystonia no idea what it is can you explain", "what_is_dystonia"),
        ("does dystonia get wors nowadays", "prognosis"),
        # "legs" and "neck" are each in a refusal's questions (restless legs, a stiff neck), but no
        # single one of them; the body-parts topic explains both, with a closer phrasing.
        ("can you get it in your legs as well or only in the neck", "body_parts"),
        # about dystonia ("it"), every word a topic's: a refusal adding up its questions loses
        ("is it painful or is it only the movements", "pain"),
        # whether someone has it is for a doctor, however it is described
        ("could my daughter's odd stiff walking be this", "diagnosis"),
        ("is my son's head tilting dystonia or not", "diagnosis"),
    ],
)
def test_each_wording_finds_the_topic_it_asks_about(brain: Brain, question: str, intent: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is Outcome.ANSWER and reply.intent == intent, reply


@pytest.mark.parametrize(
    "question",
    [
        "she is having a seizure, is this dystonia?",  # a topic's words too: still the line to call
        "he can't breathe and his neck is twisted",
        "her face is drooping and she cant lift her arm, is it her dystonia?",
        "took too many of my pills, feel awful",
        "my gran's face just drooped on one side and her speech is slurred",  # words of the neck form
        "my grandad took way too many of his tablets and now he wont wake up",
    ],
)
def test_a_question_naming_an_emergency_always_says_to_call_for_help(brain: Brain, question: str) -> None:
    reply = brain.reply(question)
    assert reply.outcome is not Outcome.CLARIFY, reply  # a choice of topics would hide the line
    assert "emergency number now" in f"{reply.notice} {reply.text}", reply


def test_everyday_words_are_not_taken_for_an_emergency(brain: Brain) -> None:
    for question in ("i write with a blue pen and my hand cramps", "what is dystonia", "meds for it?"):
        reply = brain.reply(question)
        assert not reply.notice and reply.refusal != "emergency", reply


def test_the_most_common_form_is_not_how_common_dystonia_is(brain: Brain) -> None:
    # The article names cervical dystonia the most common form; how common dystonia is, is a figure.
    assert brain.reply("which form of dystonia is the most common?").intent == "cervical_dystonia"
    assert brain.reply("how common is dystonia").intent == "prevalence"


def test_asking_whether_a_pet_has_it_is_not_taken_for_a_person(brain: Brain) -> None:
    assert brain.reply("does my cat have dystonia").outcome is not Outcome.ANSWER
    assert brain.reply("my parrot keeps turning its head upside down").outcome is not Outcome.ANSWER
    assert brain.reply("can you get dystonia in your 30s").intent == "onset_age"  # a general question


def test_when_only_personal_advice_fits_the_kind_refusal_is_given_not_a_did_you_mean(brain: Brain) -> None:
    reply = brain.reply("my wife missed her tablet, can she take two tonight")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "medical_advice"
    assert "doctor" in reply.text.lower()
    # Off topic, though "recommend" reads as advice: no advice reply for it.
    assert brain.reply("recommend a good netflix series").intent != "medical_advice"


def test_a_story_that_turns_into_a_question_without_a_comma_is_read_as_a_question(brain: Brain) -> None:
    # "... for a week could this be dystonia": the question is whether it is dystonia.
    reply = brain.reply("my eyelid has been twitching for a week could this be dystonia")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "diagnosis", reply
    # ... and what the story is about still counts: a pet is not a person.
    assert brain.reply("my budgie keeps shutting one eye is she ok").outcome is not Outcome.ANSWER
    # A question word a filler away from the verb: "... what exactly is that" asks for a definition.
    reply = brain.reply("my gp says my grandad has dystonia what exactly is that")
    assert reply.outcome is Outcome.ANSWER and reply.intent == "what_is_dystonia", reply
