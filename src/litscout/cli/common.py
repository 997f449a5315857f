"""What every command shares: option spellings, error handling, context, output.

Errors are turned into messages in one place (`handle_errors`); every command is wrapped
by `@command` so that `typer.testing.CliRunner` sees exactly what a user sees.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..errors import ExitCode, LitscoutError

if TYPE_CHECKING:
    from ..render.output import Output

F = TypeVar("F", bound=Callable[..., Any])

# -- shared options, spelled the same by every command ---------------------------------

FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="auto (table on a terminal, JSON Lines when piped), table, json, jsonl, csv, bibtex.",
        metavar="FORMAT",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json (a JSON array).")]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields", help="Output only these record keys, comma-separated.", metavar="KEY,..."
    ),
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-n", help="How many papers to show (default 20).", show_default=False),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only papers from this date: 2025-01-01, 2025-01, 30d, 6m, 2y.",
        metavar="DATE",
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Only papers up to this date (same forms).", metavar="DATE"),
]
SortOpt = Annotated[
    str,
    typer.Option(
        "--sort",
        help="Order by: score, recent, velocity (citations a year now), citations, relevance.",
        metavar="ORDER",
    ),
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Never touch the network; answer from the cache.")
]
RefreshOpt = Annotated[
    bool, typer.Option("--refresh", help="Ignore cached answers and ask the services again.")
]
ExplainOpt = Annotated[bool, typer.Option("--explain", help="Show each part of every score.")]


def debug() -> bool:
    return os.environ.get("LITSCOUT_DEBUG", "") not in ("", "0")


def error_line(message: str, hint: str | None = None) -> None:
    from ..render.output import error_line as write

    write(message, hint)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map every failure to one `Error:` line and a named exit code."""
    try:
        yield
    except LitscoutError as exc:
        if debug():
            import traceback

            traceback.print_exc()
        error_line(exc.message, exc.hint)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        from ..render.output import note

        note("Interrupted.")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        _quiet_broken_pipe()
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:  # a bug: still one line, traceback only on request
        if debug():
            import traceback

            traceback.print_exc()
        sqlite3 = sys.modules.get("sqlite3")  # not imported for commands without a store
        if sqlite3 is not None and isinstance(exc, sqlite3.Error):
            # Damage found mid-run (the checks made when the database was opened passed).
            from .. import paths
            from ..store.health import database_error

            error = database_error(paths.database(), exc)
            error_line(error.message, error.hint)
            raise typer.Exit(int(error.exit_code)) from None
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            from pathlib import Path

            from .. import paths
            from ..store.health import disk_full

            target = Path(exc.filename) if exc.filename else paths.home()
            error = disk_full(str(target), target.parent if exc.filename else target)
            error_line(error.message, error.hint)
            raise typer.Exit(int(error.exit_code)) from None
        error_line(
            f"unexpected {type(exc).__name__}: {exc}",
            "run with LITSCOUT_DEBUG=1 for the traceback, and please report it",
        )
        raise typer.Exit(int(ExitCode.ERROR)) from None


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def command(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with handle_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
            self._status = console.status(message, spinner="dots")
            self._status.start()

    def status(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message)

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


def summary(message: str) -> None:
    """A closing line for people (stderr, terminals only)."""
    from ..render.output import summary as write

    write(message)


def ago(seconds: float) -> str:
    from ..ages import ago as text

    return text(seconds)


PaperIdArg = Annotated[
    str,
    typer.Argument(
        help="1606.04080, arXiv:1606.04080v2, https://arxiv.org/abs/..., doi:10..., s2:ID, "
        'or a title (or its start): "Matching Networks for One Shot Learning"',
        show_default=False,
        metavar="PAPER",
    ),
]


def _complete_categories(incomplete: str) -> list[str]:
    from .complete import categories

    return categories(incomplete)


CategoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        help="Only papers in this arXiv category, e.g. cs.LG, any case (repeatable).",
        metavar="CODE",
        autocompletion=_complete_categories,
    ),
]

SurveysOpt = Annotated[bool, typer.Option("--surveys", help="Only surveys, reviews and tutorials.")]
HasCodeOpt = Annotated[
    bool,
    typer.Option(
        "--has-code", help="Only papers that link to code (unknown ones are looked up on arXiv)."
    ),
]


# -- pieces the follow commands share --------------------------------------------------


def check_args(
    offline: bool, refresh: bool, sort: str | None = None, limit: int | None = None
) -> None:
    from ..api import LIST_MAX, check_limit, check_mode, check_sort

    check_mode(offline, refresh)
    if sort is not None:
        check_sort(sort)
    check_limit(limit, LIST_MAX)


def output_for(fmt: str, as_json: bool, fields: str | None, valid: tuple[str, ...]) -> Output:
    from ..render.output import Output, parse_fields

    return Output("json" if as_json else fmt, parse_fields(fields, valid))


def since_date(text: str | None) -> Any:
    from ..query import parse_date

    return parse_date(text) if text else None


def total_requests(requests: dict[str, int]) -> int:
    return sum(requests.values())
