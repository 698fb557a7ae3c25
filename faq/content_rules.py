"""Content rules for the medical texts: what every answer must (and must not) say.

`check(model)` yields each broken rule as `(location, problem)`, the location a path into the file
(`("intents", 3, "answer")`), which the loader turns into `file:line: intent 'id': field: problem`
like any other problem. The rules, for curators (see also README, "Editing the content"):

- every answer and the fallback stays within MAX_WORDS words (read on a phone, by anxious people);
- no run of 7 or more words is shared with the source article (names and its title aside);
- `must_say: [doctor]`: the answer's last line sends the reader to a doctor, ideally a
  neurologist. Every topic that someone describing their own body can reach carries it;
- `must_say: [emergency]`: a line tells the reader to call the local emergency number now.
  `medical_advice` and `other_conditions` (which also catches emergencies) always need it, and
  so does the fallback once any answer has it;
- `must_say: [credit]`: the answer names the article's title, author, publisher and year, as in
  `source:`. The `source` intent always needs it;
- a word a lay reader may not know ("neurologist", "biofeedback") is explained in brackets right
  after its first use in each answer; NINDS is spelled out before its first use; spasmodic
  dysphonia is said to be laryngeal dystonia.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from faq import shingles
from faq.schema import KnowledgeFileModel

Loc = tuple[str | int, ...]

MAX_WORDS = 80
ALWAYS_EMERGENCY = ("medical_advice", "other_conditions")  # and the fallback: where anything else lands
ALWAYS_CREDIT = ("source",)
# Words to explain at their first use in an answer, by a gloss in brackets right after them.
JARGON = ("primary dystonia", "biofeedback", "splinting", "retrocollis", "neurologist")
NINDS = "National Institute of Neurological Disorders and Stroke"

_DOCTOR = re.compile(r"\bdoctor\b", re.IGNORECASE)
_NEUROLOGIST = re.compile(r"\bneurologist\b", re.IGNORECASE)
_EMERGENCY = re.compile(r"\bcall\b.*\bemergency number\b.*\bnow\b|\bemergency number now\b", re.IGNORECASE)


def check(model: KnowledgeFileModel) -> Iterator[tuple[Loc, str]]:
    """Every broken content rule of a (structurally valid) knowledge file."""
    names = (model.source.title, *(link.title for link in model.links.values()))
    if shingles.article_shingles()[0] != shingles.fingerprint():
        yield (), f"faq/{shingles.DATA_FILE} is out of date: remake it with `python -m faq.shingles`"
    texts: list[tuple[Loc, str]] = [(("messages", k), v) for k, v in model.messages.model_dump().items() if v]
    urgent = any("emergency" in i.must_say or i.id in ALWAYS_EMERGENCY for i in model.intents)
    if urgent and not says_emergency(model.messages.fallback):  # a file that knows emergencies
        yield ("messages", "fallback"), "must say to call the local emergency number now"
    if any(i.urgent for i in model.intents) and not says_emergency(model.messages.urgent or ""):
        yield ("messages", "urgent"), "must say to call the local emergency number now (an intent is urgent)"
    yield from _plain_words(("messages", "fallback"), model.messages.fallback)
    for i, intent in enumerate(model.intents):
        at: Loc = ("intents", i)
        texts += [((*at, "answer"), intent.answer), ((*at, "title"), intent.title)]
        yield from _must_say(model, at, intent.id, set(intent.must_say), intent.answer)
        yield from _plain_words((*at, "answer"), intent.answer)
    for loc, text in texts:
        if loc[-1] != "title" and (count := len(text.split())) > MAX_WORDS:
            yield loc, f"{count} words; keep it to at most {MAX_WORDS}"
        if shared := shared_run(text, names):
            yield loc, f"shares a run of {shingles.RUN} words with the article: '{shared}'; paraphrase it"


def says_emergency(text: str) -> bool:
    """Whether `text` tells the reader to call the local emergency number now."""
    return _EMERGENCY.search(text) is not None


def shared_run(text: str, names: tuple[str, ...] = ()) -> str | None:
    """The first run of 7 words `text` shares with the article (names aside), or None."""
    hashes = shingles.article_shingles()[1]
    for run in shingles.runs(text, names):
        if shingles.digest(run) in hashes:
            return " ".join(run)
    return None


def _must_say(
    model: KnowledgeFileModel, at: Loc, intent_id: str, flags: set[str], answer: str
) -> Iterator[tuple[Loc, str]]:
    lines = [line for line in answer.splitlines() if line.strip()]
    if "doctor" in flags and not (lines and _DOCTOR.search(lines[-1]) and _NEUROLOGIST.search(lines[-1])):
        yield (
            (*at, "answer"),
            "must end with a line to see a doctor, ideally a neurologist (must_say: doctor)",
        )
    needs_emergency = "emergency" in flags or intent_id in ALWAYS_EMERGENCY
    if needs_emergency and not any(says_emergency(line) for line in lines):
        yield (*at, "answer"), "must say to call the local emergency number now (must_say: emergency)"
    if "credit" in flags or intent_id in ALWAYS_CREDIT:
        src = model.source
        wanted = (src.title, src.author, src.publisher, str(src.published.year))
        missing = [part for part in wanted if _squash(part) not in _squash(answer)]
        if missing:
            yield (
                (*at, "answer"),
                "must credit the article: " + ", ".join(repr(m) for m in missing) + " missing",
            )


def _plain_words(loc: Loc, answer: str) -> Iterator[tuple[Loc, str]]:
    for term in JARGON:
        first = re.search(rf"\b{re.escape(term)}s?\b", answer, re.IGNORECASE)
        if first and not answer[first.end() :].startswith(" ("):
            yield loc, f"explain '{term}' in brackets right after its first use, e.g. '{term} (...)'"
    if "NINDS" in answer and NINDS not in answer.split("NINDS")[0]:
        yield loc, f"spell out NINDS before its first use: '{NINDS} (NINDS)'"
    if re.search(r"spasmodic dysphonia", answer, re.IGNORECASE) and not re.search(
        r"laryngeal dystonia", answer, re.IGNORECASE
    ):
        yield loc, "say that spasmodic dysphonia is laryngeal dystonia"


def _squash(text: str) -> str:
    """Case, quotes and spacing aside: "What is Dystonia?" matches ‘what is dystonia?’."""
    return " ".join(shingles.fold(text).split())
