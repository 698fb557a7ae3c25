"""Loading and validating intents.yaml: editors get file, line and intent, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from faq.knowledge import IntentKind
from faq.loader import KnowledgeError, default_path, load_knowledge, parse_knowledge
from tests.cli_runner import run_cli

REQUIRED_IDS = (
    "what_is_dystonia focal_dystonia body_parts prevalence cause types inherited onset_age blepharospasm "
    "cervical_dystonia oromandibular_dystonia laryngeal_dystonia writers_cramp symptoms treatment prognosis "
    "pain resources diagnosis source greeting thanks goodbye bot_help"
).split()

MINIMAL = """\
version: 1
source: {title: T, author: A, publisher: P, published: 2011-01-24}
links:
  ninds: {title: NINDS, url: "https://www.ninds.nih.gov/"}
  dmrf: {title: DMRF, url: "https://dystonia-foundation.org/"}
messages: {fallback: "No.", clarify: "Which?", empty: "Type.", too_long: "Long.", partial: "{aspect}{topic}"}
intents:
  - id: neck
    title: Neck
    questions: [neck one, neck two, neck three, neck four, neck five, neck six, neck seven,
                neck eight, neck nine, neck ten]
    answer: About necks.
    links: [ninds, dmrf]
    related: [hello]
  - id: hello
    title: Hello
    kind: smalltalk
    questions: [hi there]
    answer: Hello!
"""


def problems(text: str) -> str:
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(text, "kb.yaml")
    return str(info.value)


def test_the_bundled_knowledge_base_is_valid_and_complete() -> None:
    kb = load_knowledge()
    ids = {i.id for i in kb.intents}
    assert set(REQUIRED_IDS) <= ids
    for intent in kb.intents:
        if intent.kind is IntentKind.CONTENT:
            assert len(intent.questions) >= 10, intent.id
            assert {"ninds", "dmrf"} <= set(intent.links), intent.id


def test_a_minimal_file_loads() -> None:
    kb = parse_knowledge(MINIMAL)
    assert [i.id for i in kb.topics] == ["neck"]
    hello = kb.intent("hello")
    assert hello is not None and hello.kind is IntentKind.SMALLTALK


def test_yaml_syntax_error_names_file_and_line() -> None:
    broken = MINIMAL.replace("    answer: About necks.", "    answer: [About necks.")
    message = problems(broken)
    assert message.startswith("kb.yaml:") and "YAML syntax error" in message
    assert "Traceback" not in message


def test_a_key_written_twice_is_reported_not_silently_replaced() -> None:
    # YAML keeps the second silently: a synonym group written twice would lose the first's words.
    second = '  ninds: {title: Other, url: "https://example.org/"}\n'
    message = problems(MINIMAL.replace("  dmrf: {title: DMRF", second + "  dmrf: {title: DMRF"))
    assert "kb.yaml:5: 'ninds' is written twice here (first at line 4): keep one" in message


def test_an_unclosed_quote_is_reported_within_three_lines_of_it() -> None:
    real = default_path().read_text(encoding="utf-8").splitlines()
    title = next(n for n, line in enumerate(real) if line.strip() == 'title: "Writer\'s cramp"')
    question = next(n for n, line in enumerate(real) if line.strip() == "- what is blepharospasm")
    for n, broken in ((title, real[title].rstrip('"')), (question, real[question].replace("- ", '- "'))):
        lines = [*real[:n], broken, *real[n + 1 :]]
        with pytest.raises(KnowledgeError) as info:
            parse_knowledge("\n".join(lines), "intents.yaml")
        reported = [p.line for p in info.value.problems if p.line is not None]
        assert any(abs(line - (n + 1)) <= 3 for line in reported), (n + 1, str(info.value))
        assert "closing quote missing" in str(info.value)


def test_unknown_field_names_the_line_and_the_intent() -> None:
    message = problems(MINIMAL.replace("    answer: About necks.", "    answer: About necks.\n    anwser: x"))
    assert "kb.yaml:13: intent 'neck': anwser: unknown field (did you mean 'answer'?)" in message


def test_every_problem_is_listed_at_once_in_file_order() -> None:
    text = MINIMAL.replace("    answer: About necks.", "    answer: About necks.\n    anwser: x").replace(
        "  - id: hello", "  - id: neck"
    )
    lines = problems(text).splitlines()
    assert lines == [
        "kb.yaml:13: intent 'neck': anwser: unknown field (did you mean 'answer'?)",
        "kb.yaml:15: intent 'neck': related.0: unknown intent 'hello'",
        "kb.yaml:16: intent 'neck': id: duplicate id: 'neck' is first defined at line 8",
    ]


def test_a_broken_field_causes_no_knock_on_problems() -> None:
    """A malformed id is reported once; intents relating to it do not get "unknown intent" too."""
    text = MINIMAL.replace("related: [hello]", "related: [Hello]").replace("  - id: hello", "  - id: Hello")
    assert problems(text).splitlines() == [
        "kb.yaml:14: intent 'neck': related.0: should be lower-case letters, digits and _ (starting with "
        "a letter, at most 41 characters)",
        "kb.yaml:15: intent 'Hello': id: should be lower-case letters, digits and _ (starting with a "
        "letter, at most 41 characters)",
    ]
    broken_questions = MINIMAL.replace("questions: [neck one,", "questions: neck one [")
    assert "a topic needs at least" not in problems(broken_questions)


def test_an_empty_file_or_a_list_gets_a_plain_sentence() -> None:
    assert problems("") == (
        "kb.yaml: the file is empty; it needs version, source, links, messages and intents (see the README)"
    )
    assert problems("- id: neck\n").startswith("kb.yaml:1: the file should be a mapping of version,")
    assert "Model" not in problems("intents: [just text]\n") and "dictionary" not in problems("source: x\n")


def test_missing_answer_is_reported_on_the_intent() -> None:
    message = problems(MINIMAL.replace("    answer: About necks.\n", ""))
    assert "intent 'neck': answer: field required" in message
    assert "kb.yaml:8:" in message


def test_duplicate_ids_and_shared_questions_are_rejected() -> None:
    data = yaml.safe_load(MINIMAL)
    twin = dict(data["intents"][0], questions=[*data["intents"][0]["questions"][:9], "Neck  ONE?"])
    data["intents"] += [twin, dict(twin, id="throat")]
    message = problems(yaml.safe_dump(data, sort_keys=False))
    assert "kb.yaml:46: intent 'neck': id: duplicate id: 'neck' is first defined at line 21" in message
    shared = "intent 'throat': questions.9: same question as in intent 'neck' (line 24): 'Neck  ONE?'"
    assert shared in message
    assert "intent 'neck': questions" not in message, "the twin's questions are not reported again"


def test_a_synonym_variant_listed_under_two_groups_is_rejected() -> None:
    groups = "synonyms:\n  neck: [nape, scruff]\n  back: [spine, Nape]\n  spine: [backbone]\n"
    message = problems(MINIMAL.replace("messages:", groups + "messages:"))
    assert (
        "kb.yaml:8: synonyms.back.1: 'Nape' is already listed at line 7; a variant belongs to one group"
        in message
    )
    assert "kb.yaml:8: synonyms.back.0: 'spine' is the name of the group at line 9" in message


def test_references_to_nothing_are_rejected() -> None:
    text = MINIMAL.replace("related: [hello]", "related: [nope]").replace(
        "links: [ninds, dmrf]", "links: [ninds, dmrf, x]"
    )
    message = problems(text)
    assert "intent 'neck': related.0: unknown intent 'nope'" in message
    assert "intent 'neck': links.2: unknown link 'x'" in message


def test_topics_must_link_ninds_and_dmrf() -> None:
    assert "a topic must link 'dmrf'" in problems(MINIMAL.replace("links: [ninds, dmrf]", "links: [ninds]"))


def test_empty_and_over_long_answers_are_rejected() -> None:
    assert "answer: string should have at least 1 character" in problems(
        MINIMAL.replace("answer: About necks.", 'answer: "  "')
    )
    assert "at most 900 characters" in problems(MINIMAL.replace("About necks.", "x" * 901))


def test_too_few_phrasings_for_a_topic() -> None:
    text = MINIMAL.replace("neck eight, neck nine, neck ten", "neck eight")
    assert "a topic needs at least 10 phrasings" in problems(text)


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read the file"):
        load_knowledge(tmp_path / "missing.yaml")


def test_validate_command_exits_1_with_the_line_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "intents.yaml"
    text = MINIMAL.replace("related: [hello]", "related: [nope]").replace("  - id: hello", "  - id: neck")
    text = text.replace("    answer: About necks.", "    answer: About necks.\n    anwser: x")
    bad.write_text(text, encoding="utf-8")
    run = run_cli("validate", str(bad))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"The knowledge file {bad} is not valid (3 problems):",
        f"{bad}:13: intent 'neck': anwser: unknown field (did you mean 'answer'?)",
        f"{bad}:15: intent 'neck': related.0: unknown intent 'nope'",
        f"{bad}:16: intent 'neck': id: duplicate id: 'neck' is first defined at line 8",
    ]


def test_validate_command_accepts_the_bundled_file() -> None:
    run = run_cli("validate")
    assert run.returncode == 0 and "OK" in run.stdout
