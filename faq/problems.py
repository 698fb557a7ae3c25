"""A problem in a knowledge file, said the way an editor needs it: file, line, intent, field, what.

`KnowledgeError` carries every problem found in one pass over the file, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass

SHOWN_IN_MESSAGE = 20  # `str(KnowledgeError)` (logs, the /reload reply) lists this many; `.problems` all


@dataclass(frozen=True)
class Problem:
    line: int | None
    intent: str | None  # the intent's id, or "#3" for the third intent when it has no usable id
    where: str  # the field inside the intent (or the file), e.g. "questions.4"; "" for the whole
    message: str

    def format(self, path: str) -> str:
        place = f"{path}:{self.line}" if self.line else path
        who = f" intent '{self.intent}':" if self.intent else ""
        field = f" {self.where}:" if self.where else ""
        return f"{place}:{who}{field} {self.message}"


class KnowledgeError(Exception):
    """The knowledge file cannot be used; `str()` is a message fit for an editor."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(self.lines(SHOWN_IN_MESSAGE)))

    def lines(self, limit: int | None = None) -> list[str]:
        """One line per problem; with a `limit`, the rest are counted in a last line."""
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [p.format(self.path) for p in shown]
        if len(self.problems) > len(shown):
            more = len(self.problems) - len(shown)
            lines.append(f"... and {more} more problem{'s' if more > 1 else ''}")
        return lines
