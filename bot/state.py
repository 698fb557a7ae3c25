"""What the handlers share, in one typed object: `context.bot_data` is a `BotState`.

As in python-telegram-bot's `contexttypesbot.py` example, `CONTEXT_TYPES` tells the Application to
create a `BotState` instead of a dict, and `Context` is the callback context every handler takes:
`context.bot_data.brain` is a `Brain` for the type checker and at run time, with no string keys.

PTB creates the state empty when the Application is built (it calls `BotState()`);
`build_application` then sets every part before the bot starts. A part read before it is set
raises `RuntimeError` naming it (a bug in the wiring), never a `KeyError` or a `None` further on.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.delivery import Delivery
from bot.reload import Reloader
from bot.throttle import Throttle
from bot.transcribe import Listening
from faq import Brain
from faq.analytics import AnalyticsStore

T = TypeVar("T")


class Part(Generic[T]):
    """A part of the state that must be set before it is read (see the module docstring)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, state: None, owner: type) -> Part[T]: ...
    @overload
    def __get__(self, state: BotState, owner: type) -> T: ...
    def __get__(self, state: BotState | None, owner: type) -> Part[T] | T:
        if state is None:
            return self
        try:
            value: T = state.__dict__[self.name]
        except KeyError:
            raise RuntimeError(f"BotState.{self.name} was read before build_application set it") from None
        return value

    def __set__(self, state: BotState, value: T) -> None:
        state.__dict__[self.name] = value


class BotState:
    """Everything the bot's handlers share, one attribute each."""

    brain = Part[Brain]()  # the knowledge base in use now; bot/reload.py swaps it in one assignment
    settings = Part[Settings]()
    analytics = Part[AnalyticsStore]()  # questions and 👍/👎 (bot/analytics.py)
    listening = Part[Listening]()  # what the bot can do with voice notes (bot/voice.py)
    reloader = Part[Reloader]()  # hot reload of intents.yaml (bot/reload.py)
    delivery = Part[Delivery]()  # the crash-safe delivery journal (bot/delivery.py)

    def __init__(self) -> None:
        self.throttle: Throttle | None = None  # None: THROTTLE_BURST=0, nobody is throttled


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotState]
CONTEXT_TYPES = ContextTypes(bot_data=BotState)
BotApp = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotState, Any]
