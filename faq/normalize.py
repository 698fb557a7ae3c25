"""Text normalisation shared by the knowledge base and the matcher.

Everything a user can type is folded to plain lower-case ASCII words: accents are stripped,
curly quotes and apostrophes vanish ("writer’s" -> "writers"), emoji and punctuation become
spaces. The same function runs on curated phrasings and on questions, so both sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cap on what we read of one question (cut once, in Matcher.match; longer ones get a notice):
# matching cost stays bounded whatever people paste.
MAX_QUESTION_CHARS = 500
# normalize() folds any text (phrasings, stored questions, transcripts); it reads at most this much.
MAX_NORMALIZED_CHARS = 2 * MAX_QUESTION_CHARS

_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_SPELLED = re.compile(r"\b[a-z](?:[-.][a-z]){3,}\b")
_TRIPLE = re.compile(r"(\w)\1\1")  # found three times faster than _REPEATS: rewrite only when there is one
_TAGS = re.compile(r"</?[a-zA-Z][^<>]{0,60}>")
_CODE = re.compile(r"<(script|style)\b[^<>]{0,60}>.{0,2000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
# A dose written as one word ("2mg", "0.5ml") is a number and a unit: the unit says it is a dose.
_DIGIT = re.compile(r"\d")
_DOSE = re.compile(r"\b(\d+(?:[.,]\d+)?)(mg|mcg|ug|ml|g|iu|units?|tabs?|tablets?|pills?)\b")


@lru_cache(maxsize=16_384)  # the loader, the spelling index and the analyser all fold each phrasing
def normalize(text: str) -> str:
    """Return `text` as lower-case ASCII words separated by single spaces."""
    text = text[:MAX_NORMALIZED_CHARS]
    if not text.isascii():  # accents: "é" -> "e" + a combining mark, which is then dropped
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = without_markup(text)
    text = _APOSTROPHES.sub("", text.lower())
    if _SPELLED.search(text):  # "d-y-s-t-o-n-i-a", "d.y.s.t.o.n.i.a": the word spelled out
        text = _SPELLED.sub(lambda m: m.group()[::2], text)
    if _TRIPLE.search(text):
        text = _REPEATS.sub(r"\1\1", text)  # "heyyy", "pleeease": no word needs a letter thrice
    if _DIGIT.search(text):
        text = _DOSE.sub(r"\1 \2", text)
    return _NON_WORD.sub(" ", text.encode("ascii", "ignore").decode()).strip()


def without_markup(text: str) -> str:
    """`text` without pasted code ("<script>alert(1)</script>") or markup ("<b>neck</b>"): neither is
    what was asked."""
    if "<" in text:
        text = _TAGS.sub(" ", _CODE.sub(" ", text))
    return text


def words(text: str) -> list[str]:
    """Normalise and split into words."""
    return normalize(text).split()


# Words that carry no topic on their own: grammar, question words, and the conversational
# filler of real messages ("my mum was just told ..."). They neither match nor count against.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any anybody anyone anything are arent as at
    be because been before being below between both but by can cant could couldnt did didnt do does
    doesnt doing dont down during each either else even ever every few for from further get gets
    getting got had hadnt has hasnt have havent having he hed hell hes her here hers herself him
    himself his how hows i id ill im ive if in into is isnt it its itself just lets like ll me might
    more most much must mustnt my myself no nor not now of off on once only or other ought our ours
    ourselves out over own please pls plz really re same shall shant she shed shell shes should
    shouldnt so some something somethings such than that thats the their theirs them themselves then there
    theres these they theyd theyll theyre theyve thing things this those though through to too
    under until up upon us very was wasnt we wed well were weve werent what whats
    which while whom will with wont would wouldnt you youd youll youre
    youve your yours yourself yourselves u ur r ya yeah yes ok okay
    know knows knew tell telling explain explained explaining explanation mean means meant meaning
    want wants wanted wanting wonder wondered wondering
    curious little bit kind sort way someone somebody someones somebodys anyones
    told said say says saying heard hear mention mentions mentioned
    clarify clarifies clarified clarification outline outlined elaborate enumerate summarise
    summarize entail entails entailed signify signifies kindly
    paragraph paragraphs beginner beginners
    simple simpler plain layman laymans concise succinct succinctly briefly aware quick quickly
    recently lately nowadays today yesterday week weeks month months year years ago since still
    actually basically exactly literally honestly seriously totally definitely probably simply
    kinda sorta anyway anyways aswell quite rather fairly
    abeg ne lah yaar ji dey wetin na de la el lowkey highkey ngl
    """.split()
)

# Words that only colour how something is said ("what do you do exactly"), among the stopwords.
FILLER = frozenset(
    "exactly actually basically really just please pls plz kindly even so ok okay then though tho anyway"
    " honestly literally again now lol".split()
)

# Question words that say what kind of answer is wanted ("where" -> a place in the body, "when"
# -> an age, "why" -> a cause, "who" -> a source): frequent in English, yet telling here.
ASKING_FOR = frozenset({"where", "when", "why", "who"})

# Words that point back at the subject ("is it painful?"): the question is about dystonia even
# without naming it.
POINTERS = frozenset({"it", "its", "this", "that", "these", "thing"})

# Words that say whose something is ("my son", "his neck", "ur mum").
POSSESSIVE = frozenset("my his her our their your ur".split())

# Words for an illness in general ("what is this sickness", "could it be this condition"): they
# name the subject when it is pointed at, not a topic of their own, and count for little.
ILLNESS_WORDS = frozenset({"disease", "condition", "sickness", "illness", "disorder"})

# Words that set the scene rather than ask ("my dad ...", "I'm scared", "lol"): they still
# count, but for little, so context does not drown the question, and they are never what is asked.
CONTEXT_WORDS = frozenset(
    """
    mum mom mommy mother dad daddy father parent parents sister brother son daughter wife husband
    partner boyfriend girlfriend friend friends aunt uncle grandma grandmother grandpa grandfather
    granny gran nan nana grandad grandson granddaughter grandparent grandchild cousin niece nephew baby
    bf gf hubby bff bestie bro sis girl boy lady gentleman guy woman man
    scared afraid frightened terrified worried worry worrying anxious nervous upset shocked confused
    sad angry mad annoyed frustrated embarrassed desperate hopeless helpless overwhelmed devastated
    heartbroken lonely sorry apologies
    lol haha hahaha omg wth wtf btw tbh idk imo fyi hmm hm ugh oh ah
    two three four five six seven eight nine ten eleven twelve hundred thousand million dozen
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen
    student nursing assignment coursework classmate coworker colleague presentation project homework
    auntie aunty carer caregiver teacher coach neighbour neighbor
    thank thanks thankyou
    sir maam mam madam madame dear po bhai didi
    sofa couch settee armchair recliner
    mama papa mummy lola lolo tita tito nani dadi
    """.split()
)
CONTEXT_WORDS |= {w + "s" for w in CONTEXT_WORDS}  # "my mum's ..." reads "mums" once folded
