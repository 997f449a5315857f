"""Errors the core raises; the CLI turns each into one `Error:` line and an exit code.

Keeping the exit code on the exception means there is exactly one place (cli.main)
that maps failures to messages, and the library raises meaningful types.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    UNREACHABLE = 3
    INTERRUPTED = 130


class LitscoutError(Exception):
    """Base class: a message for people, an optional hint, an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(LitscoutError):
    """Bad input from the user: query, id, date, option."""

    exit_code = ExitCode.USAGE


class ConfigError(LitscoutError):
    """A config file that cannot be read or holds unknown keys / wrong types."""

    exit_code = ExitCode.USAGE


class StoreError(LitscoutError):
    """The database cannot be opened or written (corrupt file, unwritable home)."""

    exit_code = ExitCode.ERROR


class SourceError(LitscoutError):
    """A remote service failed: network, HTTP status, or a body we cannot parse."""

    exit_code = ExitCode.ERROR

    def __init__(
        self, service: str, message: str, hint: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(f"{service}: {message}", hint)
        self.service = service
        self.status = status


class RateLimitedError(SourceError):
    """The service kept answering 429 until the retry budget ran out."""


class UnreachableError(LitscoutError):
    """No source answered and nothing was cached to fall back on."""

    exit_code = ExitCode.UNREACHABLE
