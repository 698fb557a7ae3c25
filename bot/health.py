"""Webhook mode: a health endpoint on the webhook's own listener, for a load balancer or supervisor.

`GET /healthz` answers 200 `{"status": "up", "journal": "on", "waiting": 0}` while the bot is
running, and 503 with `"status": "down"` while it starts or stops. `journal` is `on`, `off`
(JOURNAL=off) or `failed` (it could not be used, see the log); `waiting` counts the updates in the
journal not yet answered (null without a journal). It needs no secret and tells nothing private.

`HealthUpdater` is python-telegram-bot's `Updater` with that route added to its webhook server
once the server is listening.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.web
from telegram.ext import Updater

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"

Report = Callable[[], tuple[bool, dict[str, Any]]]  # (up, details)


class HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, report: Report) -> None:
        self._report = report

    def get(self) -> None:
        up, details = self._report()
        self.set_status(200 if up else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"status": "up" if up else "down", **details}))


class HealthUpdater(Updater):
    """An `Updater` whose webhook server also answers `GET /healthz`."""

    __slots__ = ("_report",)

    def __init__(self, bot: Any, update_queue: asyncio.Queue[object], report: Report) -> None:
        super().__init__(bot=bot, update_queue=update_queue)
        self._report = report

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        queue = await super().start_webhook(*args, **kwargs)
        # PTB keeps its tornado Application inside its WebhookServer; add our route to it.
        server = getattr(self._httpd, "_http_server", None)
        app = getattr(server, "request_callback", None)
        if isinstance(app, tornado.web.Application):
            app.add_handlers(r".*", [(HEALTH_PATH, HealthHandler, {"report": self._report})])
        else:  # a python-telegram-bot upgrade moved it: serve on, without the endpoint
            log.warning("The health endpoint %s is not available with this python-telegram-bot", HEALTH_PATH)
        return queue
