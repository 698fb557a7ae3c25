"""Webhook delivery as Telegram does it: while a webhook is set, queued updates are posted to it
(JSON, with the ``X-Telegram-Bot-Api-Secret-Token`` header given to ``setWebhook``) over several
connections at once, and an update is forgotten only when the bot answers 2xx. A refused connection,
an error status or a timeout leaves it queued, and it is posted again a little later: an update the
bot never acknowledged is redelivered, also after the bot restarts.

The URL registered with ``setWebhook`` is public (``https://bot.example.org/...``); the test says
where the bot really listens with ``deliver_webhooks(target)``, as a reverse proxy would.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from fake_bot_api.state import ApiState


@dataclass(frozen=True)
class Delivery:
    update_id: int
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    at: float  # time.monotonic()


class WebhookDelivery(ApiState):
    """The webhook-pushing part of ``FakeBotApi``."""

    def deliver_webhooks(
        self, target: str, *, connections: int = 8, retry_after: float = 0.2, timeout: float = 10.0
    ) -> None:
        """Post queued updates to `target` while a webhook is set, `connections` at a time."""
        with self._cond:
            self.webhook_target = target
            self.webhook_deliveries = []
            self._in_flight = set()
        for n in range(connections):
            threading.Thread(
                target=self._push, args=(retry_after, timeout), name=f"FakeBotApi-webhook-{n}", daemon=True
            ).start()

    def _next_to_post(self) -> dict[str, object] | None:
        """The oldest queued update nobody is posting; None once the fake stops."""
        with self._cond:
            while True:
                if self._stopping:
                    return None
                if self.webhook_url:
                    for update in self._updates:
                        if int(str(update["update_id"])) not in self._in_flight:
                            self._in_flight.add(int(str(update["update_id"])))
                            return update
                self._cond.wait(0.5)

    def _push(self, retry_after: float, timeout: float) -> None:
        while (update := self._next_to_post()) is not None:
            update_id = int(str(update["update_id"]))
            status = self._post(update, timeout)
            with self._cond:
                self._in_flight.discard(update_id)
                self.webhook_deliveries.append(Delivery(update_id, status, time.monotonic()))
                if 200 <= status < 300:
                    self._updates = [u for u in self._updates if u is not update]
                self._cond.notify_all()
            if not 200 <= status < 300:
                time.sleep(retry_after)

    def _post(self, update: dict[str, object], timeout: float) -> int:
        request = urllib.request.Request(
            self.webhook_target,
            data=json.dumps(update).encode("utf-8"),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": self.webhook_secret,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as err:
            return int(err.code)
        except (OSError, ValueError):  # refused, reset, timed out: no answer at all
            return 0
