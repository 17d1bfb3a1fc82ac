"""Problems and warnings of `flask content check`, each at a place in a file: ``path:line: message``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: What a check calls for each problem: report(path in the YAML document, message).
Report = Callable[[tuple, str], None]


@dataclass
class Problem:
    """Something an author must fix (or, in ContentTree.warnings, should look at) in one file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Reporter:
    """Adds a Problem to `problems` at the line of a YAML path (a LineMap's lookup) and counts how many it added.

    A reporter over a list of warnings reports warnings."""

    def __init__(self, problems: list, relpath: str, lines):
        self.problems, self.relpath, self.lines, self.count = problems, relpath, lines, 0

    def __call__(self, at: tuple, message: str) -> None:
        self.count += 1
        self.problems.append(Problem(self.relpath, self.lines.line(*at), message))


class Collector:
    """A reporter that keeps only the messages (for a check of one item outside a file, such as an import)."""

    def __init__(self):
        self.messages: list[str] = []
        self.count = 0

    def __call__(self, at: tuple, message: str) -> None:
        self.count += 1
        self.messages.append(message)
