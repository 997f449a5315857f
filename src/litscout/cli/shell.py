"""What the command line needs besides typer: errors as one line and an exit code, the
reporter, the context, output helpers. Typer-free, so that the hot start-up path
(`cli/fast.py`) can run a command without importing typer.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..ages import ago  # noqa: F401 - the commands take it from here
from ..errors import ExitCode, LitscoutError
from ..render.output import error_line, summary  # noqa: F401 - as above


def debug() -> bool:
    return os.environ.get("LITSCOUT_DEBUG", "") not in ("", "0")


def failure(exc: BaseException) -> int:
    """Tell the user about `exc` in one `Error:` line (traceback only on request); the exit code."""
    if isinstance(exc, LitscoutError):
        if debug():
            import traceback

            traceback.print_exc()
        error_line(exc.message, exc.hint)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        from ..render.output import note

        note("Interrupted.")
        return int(ExitCode.INTERRUPTED)
    if isinstance(exc, BrokenPipeError):
        _quiet_broken_pipe()
        return 0
    if debug():  # a bug: still one line
        import traceback

        traceback.print_exc()
    sqlite3 = sys.modules.get("sqlite3")  # not imported for commands without a store
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        # Damage found mid-run (the checks made when the database was opened passed).
        from .. import paths
        from ..store.health import database_error

        error = database_error(paths.database(), exc)
        error_line(error.message, error.hint)
        return int(error.exit_code)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        from pathlib import Path

        from .. import paths
        from ..store.health import disk_full

        target = Path(exc.filename) if exc.filename else paths.home()
        error = disk_full(str(target), target.parent if exc.filename else target)
        error_line(error.message, error.hint)
        return int(error.exit_code)
    error_line(
        f"unexpected {type(exc).__name__}: {exc}",
        "run with LITSCOUT_DEBUG=1 for the traceback, and please report it",
    )
    return int(ExitCode.ERROR)


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# -- helpers shared by commands --------------------------------------------------------


class RichReporter:
    """Warnings to stderr; a transient spinner only when stdout and stderr are terminals."""

    def __init__(self, show_progress: bool) -> None:
        self.show_progress = show_progress
        self._status: Any = None

    def start(self, message: str) -> None:
        if self.show_progress:
            from rich.console import Console

            from ..render.output import no_color

            console = Console(stderr=True, no_color=no_color())
            self._status = console.status(_escape(message), spinner="dots")
            self._status.start()

    def status(self, message: str) -> None:
        if self._status is not None:  # a paper's title may hold [brackets]: not markup
            self._status.update(_escape(message))

    def warn(self, message: str) -> None:
        if self._status is not None:
            self._status.console.print(f"[yellow]Warning:[/yellow] {_escape(message)}")
        else:
            from ..render.output import warn

            warn(message)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def make_output(fmt: str, as_json: bool, fields: str | None) -> Any:
    from ..render.output import Output, parse_fields

    return Output("json" if as_json else fmt, parse_fields(fields))


def interactive() -> bool:
    from ..render.output import env_tty

    return env_tty(sys.stdout) and env_tty(sys.stderr)


@contextmanager
def context(*, offline: bool = False, refresh: bool = False, progress: str = "") -> Iterator[Any]:
    """A core Context with the CLI's reporter; the spinner stops before output is printed."""
    from ..context import Context

    reporter = RichReporter(show_progress=interactive())
    ctx = Context(reporter=reporter, offline=offline, refresh=refresh)
    try:
        if progress:
            reporter.start(progress)
        yield ctx
    except LitscoutError as exc:
        if not offline and exc.hint and "--offline" in exc.hint and _cache_is_empty(ctx):
            exc.hint = "check your connection and try again"  # --offline would find nothing
        raise
    finally:
        reporter.stop()
        ctx.close()


def _cache_is_empty(ctx: Any) -> bool:
    try:
        return bool(ctx.store.count_papers() == 0)
    except Exception:  # a damaged store is not this hint's business
        return False
