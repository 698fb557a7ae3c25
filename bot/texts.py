"""The bot's own fixed texts, in Telegram HTML.

These are written by us, so they may contain tags; anything that comes from the knowledge base or
from a user is inserted only through `render.escape`. Content (answers, titles, the fallback) lives
in `intents.yaml`, not here.
"""

from __future__ import annotations

from telegram import BotCommand

COMMANDS = (
    BotCommand("start", "Welcome and popular topics"),
    BotCommand("topics", "Everything I can answer"),
    BotCommand("help", "How to ask, with examples"),
    BotCommand("resources", "Where to learn more and find support"),
    BotCommand("about", "Where my answers come from"),
    BotCommand("privacy", "What I keep about your questions"),
)  # /stats (admins only) is left out on purpose: to everyone else it does not exist

# Shown on the bot's profile and in the empty chat before /start (plain text, max 512 / 120 chars).
# They credit the article as intents.yaml's `source:` does (tests/test_bot_render.py checks they agree).
DESCRIPTION = (
    "I answer common questions about dystonia, a movement disorder in which muscles tighten or "
    "spasm on their own. My answers summarise, in my own words, the 2011 article “Muscle Spasms, "
    "Handwriting Cramps, and Involuntary Movements: What is Dystonia?” by Eric Troy (Ground Up "
    "Strength), and point you to the National Institute of Neurological Disorders and Stroke (NINDS) "
    "and the Dystonia Medical Research Foundation. I'm a bot, not a doctor: nothing here is medical advice."
)
SHORT_DESCRIPTION = (
    "Plain answers on dystonia from “What is Dystonia?” by Eric Troy (Ground Up Strength, 2011). "
    "Not medical advice."
)

# {greeting} is escaped by the caller; {source} is the escaped article credit (render.credit).
WELCOME = (
    "{greeting} I answer common questions about <b>dystonia</b>: what it is, the kinds there are, "
    "symptoms, causes and treatment, summarised in my own words from {source}. "
    "I'm a bot, not a doctor: I can't diagnose anyone, and nothing I say is medical advice. "
    "Ask me anything in your own words (for example: <i>What is writer's cramp?</i>) or tap a topic below."
)

HELP = (
    "<b>How to ask</b>\n"
    "Just type a question in your own words; short questions work best, and typos are fine. "
    "If I'm not sure what you mean, I'll offer a few topics to choose from.\n\n"
    "/topics lists everything I can answer\n"
    "/resources shows where to learn more and find support\n"
    "/about says where my answers come from\n"
    "/privacy says what I keep and for how long\n\n"
    "In a group, mention me (@{username}) or reply to one of my messages. In any chat you can type "
    "@{username} and a question to share an answer.\n\n"
    "Try one of these:"
)
HELP_EXAMPLES = (
    "What is writer's cramp?",
    "Does dystonia run in families?",
    "How is dystonia treated?",
)

TOPICS = "<b>Topics</b>{page}\nHere is everything I can tell you about. Tap one to read it."
TOPICS_PAGE = " (page {page} of {pages})"
ALL_TOPICS_BUTTON = "All topics ▶"
NONE_OF_THESE_BUTTON = "None of these"
# "Was this helpful?" under an answer; the row goes once tapped, and a toast says which of these:
HELPFUL_BUTTON = "👍 Helpful"
NOT_HELPFUL_BUTTON = "👎 Not helpful"
FEEDBACK_THANKS = "Thanks for your feedback!"
FEEDBACK_ALREADY = "You already rated this answer. Thank you!"
PREVIOUS_BUTTON = "◀ Back"
NEXT_BUTTON = "More ▶"

RESOURCES = "<b>Where to learn more and find support</b>\n{items}\n\nTap a button to open a website."
RESOURCE_UNLINKED = " (no current website I can confirm)"

# {title}, {author}, {publisher}, {date} and {year} are escaped by the caller.
ABOUT = (
    "<b>Where my answers come from</b>\n"
    "My answers about dystonia are based on the article {title} by {author}, published by "
    "{publisher} on {date}. I put its facts in my own words and keep them short.\n\n"
    "Not everything comes from it: the safety advice (when to see a doctor, when to call your local "
    "emergency number) and the links to other websites were added by the people who made this bot.\n\n"
    "The article's figures, such as how many people have dystonia and its count of about 13 forms, "
    "date from {year}, so some may be out of date. The National Institute of Neurological Disorders "
    "and Stroke (NINDS) and the Dystonia Medical Research Foundation have current information.\n\n"
    "<b>I'm a bot, not a doctor.</b> Nothing I say is medical advice, and I can't diagnose anyone. "
    "For your own situation, please talk to a doctor, ideally a neurologist (a brain and nerve "
    "specialist).\n\n"
    "/privacy says exactly what I keep about your questions, and for how long."
)

FALLBACK_HINT = "/topics lists everything I can answer, and /resources where to learn more."
ALSO_NAMED = "Also named in the article: {names}."

NON_TEXT = "Sorry, I can only read text messages. Type your question, or tap /topics to see what I know."
UNKNOWN_COMMAND = "I don't know that command. /help shows how to ask, and /topics what I can answer."
STALE_BUTTON = "That button is out of date — ask me again or /topics"
STATS_OFF = "Analytics is off (ANALYTICS=off): nothing is collected, so there are no statistics."
STATS_IN_GROUP = "/stats shows what people asked, so I only send it in our private chat."
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."

# {username} and {source} (render.credit: “Title” by Author (Publisher, year)) are escaped by the caller.
INLINE_ATTRIBUTION = "— via @{username}. Source: {source}. Not medical advice."

# Reliability (bot/access.py, bot/admin.py). THROTTLED is also a button toast: plain, < 200 chars.
THROTTLED = (
    "You're writing faster than I can read, so I skipped your last messages. "
    "Please wait a few seconds, then send your question again."
)
RELOADED = "Reloaded {path}: {intents} intents (before: {previous})."
RELOAD_REFUSED = "<b>Reload refused</b>: {path} has problems, so I keep serving the previous version."

# Voice notes (bot/voice.py). {heard} is the escaped transcript; the others are filled in by us.
VOICE_HEARD = '🎙 I heard: "<i>{heard}</i>"'
VOICE_UNSURE = (
    "I'm not sure I heard that right. Could you say it again, a little more slowly, or type your question?"
)
VOICE_NOTHING = (
    "🎙 I couldn't hear any words in that voice note. Could you try again, closer to the microphone, "
    "or type your question?"
)
VOICE_TOO_LONG = (
    "🎙 That voice note is {length} long, and I listen to notes of up to {limit}. "
    "Please ask in a shorter one, or type your question."
)
VOICE_TOO_LARGE = (
    "🎙 That voice note is too large for me to listen to. Please ask in a shorter one, or type your question."
)
VOICE_BROKEN = (
    "🎙 Sorry, I couldn't play that voice note: the file seems damaged. "
    "Please record it again, or type your question."
)
VOICE_FAILED = (
    "🎙 Sorry, I couldn't listen to that voice note just now. "
    "Please try again in a moment, or type your question."
)
VOICE_BUSY = (
    "🎙 I'm listening to a lot of voice notes right now. Please send yours again in a minute, "
    "or type your question."
)
# Plain text, appended to /privacy.
VOICE_PRIVACY = (
    "Voice notes: they are turned into text on the bot owner's own server, by software running there; "
    "no other service hears them. The recording is kept in memory only while it is transcribed, then "
    "discarded: it is never saved to disk, logged or kept. The words heard are {kept}."
)
VOICE_PRIVACY_KEPT = "treated exactly like a typed question (see above)"
VOICE_PRIVACY_FORGOTTEN = "answered and forgotten, like a typed question"
VOICE_PRIVACY_OFF = "Voice notes: this bot does not listen to them; they are neither transcribed nor kept."
