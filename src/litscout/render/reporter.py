"""How the core tells the user what it is doing, without knowing about terminals.

The CLI installs a reporter that draws on stderr with rich; the library default writes
warnings to stderr as plain lines and stays silent otherwise.
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def warn(self, message: str) -> None: ...

    def status(self, message: str) -> None: ...


class PlainReporter:
    def warn(self, message: str) -> None:
        from .output import warn

        warn(message)

    def status(self, message: str) -> None:
        pass


class SilentReporter:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def status(self, message: str) -> None:
        pass
