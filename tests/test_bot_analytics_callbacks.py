"""The analytics kinds of callback data, the keyboards that carry them, and the store's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import analytics, callbacks, render, texts
from bot.callbacks import Choose, Feedback, NoneOfThese, ShowTopic, Stale
from faq import Outcome, Reply, Topic
from faq.analytics import AnalyticsStore

tokens = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=8, max_size=8
)
intent_ids = st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True)


@given(tokens, intent_ids, st.booleans())
def test_feedback_round_trips_within_64_bytes(token: str, intent_id: str, helpful: bool) -> None:
    data = callbacks.encode(Feedback(token, intent_id, helpful))
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == Feedback(token, intent_id, helpful)


@given(tokens, st.none() | intent_ids)
def test_choice_round_trips_within_64_bytes(token: str, intent_id: str | None) -> None:
    data = callbacks.encode(Choose(token, intent_id))
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == Choose(token, intent_id)


def test_the_longest_feedback_is_55_bytes() -> None:
    data = callbacks.encode(Feedback("A" * 8, "a" * 41, False))
    assert len(data) == 55 and data.endswith(":-")


def test_store_tokens_fit_the_scheme() -> None:
    for _ in range(200):
        token = AnalyticsStore.new_token()
        assert callbacks.decode(callbacks.encode(Feedback(token, "writers_cramp", True))) == Feedback(
            token, "writers_cramp", True
        )


@pytest.mark.parametrize(
    "action",
    [
        Feedback("short", "writers_cramp", True),
        Feedback("AAAAAAAA", "Bad-Id", True),
        Feedback("AAAA:AAA", "writers_cramp", True),
        Choose("AAAAAAAA", "a" * 42),
        Choose("AAAAAAAAA", None),
    ],
)
def test_encode_refuses_what_decode_would_not_read(action: Feedback | Choose) -> None:
    with pytest.raises(ValueError):
        callbacks.encode(action)


@given(st.text(max_size=80))
def test_decoding_is_total(data: str) -> None:
    action = callbacks.decode(data)
    if isinstance(action, Feedback | Choose):
        assert callbacks.encode(action) == data  # only exactly what encode writes


def test_old_topic_buttons_still_work() -> None:
    assert callbacks.decode("1t:writers_cramp") == ShowTopic("writers_cramp")
    assert callbacks.decode("1n") == NoneOfThese()
    assert callbacks.decode("1c:AAAAAAAA:-:") == Stale()


# ---------------------------------------------------------------------------------- keyboards

ANSWER = Reply(
    Outcome.ANSWER,
    "Text.",
    intent="writers_cramp",
    title="Writer's cramp",
    related=(Topic("treatment", "Treatment"),),
)
CLARIFY = Reply(Outcome.CLARIFY, "Did you mean?", candidates=(Topic("a", "A"), Topic("b_c", "B")))


def data_of(markup: InlineKeyboardMarkup | None) -> list[str]:
    assert markup is not None
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data]


def test_a_token_adds_the_feedback_row_last() -> None:
    [(_, plain)] = render.render_reply(ANSWER)
    [(_, keyed)] = render.render_reply(ANSWER, "tok12345")
    assert data_of(keyed) == [*data_of(plain), "1f:tok12345:writers_cramp:+", "1f:tok12345:writers_cramp:-"]
    assert keyed is not None
    assert [b.text for b in keyed.inline_keyboard[-1]] == [texts.HELPFUL_BUTTON, texts.NOT_HELPFUL_BUTTON]
    assert analytics.without_feedback(keyed) == plain


def test_a_token_turns_did_you_mean_into_choices() -> None:
    [(_, keyed)] = render.render_reply(CLARIFY, "tok12345")
    assert data_of(keyed) == ["1c:tok12345:a", "1c:tok12345:b_c", "1c:tok12345:-"]
    [(_, plain)] = render.render_reply(CLARIFY)
    assert data_of(plain) == ["1t:a", "1t:b_c", "1n"]


def test_the_fallback_has_no_feedback_or_choices() -> None:
    fallback = Reply(Outcome.FALLBACK, "No idea.", candidates=(Topic("a", "A"),))
    assert render.render_reply(fallback, "tok12345") == render.render_reply(fallback)


def test_without_feedback_keeps_everything_else() -> None:
    link = InlineKeyboardButton("NINDS", url="https://example.org/")
    up = InlineKeyboardButton("👍", callback_data="1f:tok12345:writers_cramp:+")
    markup = InlineKeyboardMarkup([[link], [up, InlineKeyboardButton("x", callback_data="1t:a")]])
    assert analytics.without_feedback(markup) == InlineKeyboardMarkup(
        [[link], [InlineKeyboardButton("x", callback_data="1t:a")]]
    )
    assert analytics.without_feedback(InlineKeyboardMarkup([[up]])) is None
    assert analytics.without_feedback(None) is None


# ---------------------------------------------------------------------------------- settings


def test_the_store_reads_the_environment_then_dotenv(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ANALYTICS", "ANALYTICS_DB", "ANALYTICS_RETENTION_DAYS"):
        clean_env.delenv(name, raising=False)
    (tmp_path / ".env").write_text("ANALYTICS=off\nANALYTICS_RETENTION_DAYS=14\nOTHER=x\n")
    store = analytics.open_store()
    assert not store.enabled
    store.close()
    clean_env.setenv("ANALYTICS", "on")  # the environment wins, as for the other settings
    store = analytics.open_store()
    try:
        assert store.enabled and store.retention_days == 14 and store.path == Path("analytics.sqlite3")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "days"),
    [
        (None, 30),
        ([], 30),
        (["7"], 7),
        (["0"], 1),
        (["9999"], 3660),
        (["²"], 30),
        (["9" * 5000], 30),
        (["7d"], 30),
    ],
)
def test_stats_days_argument(args: list[str] | None, days: int) -> None:
    assert analytics._days(args) == days
