"""Fault injection: failures, delays and dropped connections queued per method, and blocked users."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from fake_bot_api.errors import BLOCKED
from fake_bot_api.state import ApiState


@dataclass
class Fault:
    times: int
    status: int = 0
    retry_after: int | None = None
    description: str | None = None
    seconds: float = 0.0
    processed: bool = False


def default_error_description(status: int) -> str:
    if status == 429:
        return "Too Many Requests: retry after {retry_after}"
    if status == 403:
        return BLOCKED
    if status in (500, 502):
        return "Internal Server Error"
    if status == 400:
        return "Bad Request: injected failure"
    if status == 401:
        return "Unauthorized"
    if status == 404:
        return "Not Found"
    if status == 409:
        return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


class FaultInjection(ApiState):
    """The public fault-injection API of ``FakeBotApi``; ``FakeBotApi._serve`` takes the queued faults."""

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        with self._cond:
            self._failures.setdefault(method.lower(), []).append(
                Fault(times, status=status, retry_after=retry_after, description=description)
            )

    def delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        with self._cond:
            self._delays.setdefault(method.lower(), []).append(Fault(times, seconds=seconds))

    def drop_connection(self, method: str, *, times: int = 1, processed: bool = False) -> None:
        """Close the socket without answering (the bot sees a NetworkError).

        By default the call has no effect (recorded with status 0).  processed=True carries it out first and
        records its real status -- e.g. the message is delivered and appears in sent() -- but the answer is
        lost, like a response dropped on the way back."""
        with self._cond:
            self._drops.setdefault(method.lower(), []).append(Fault(times, processed=processed))

    def block_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    @staticmethod
    def _take(faults: dict[str, list[Fault]], key: str) -> Fault | None:
        queue = faults.get(key)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault
