"""What every command shares: option spellings, error handling, context, output.

Errors are turned into messages in one place (`handle_errors`); every command is wrapped
by `@command` so that `typer.testing.CliRunner` sees exactly what a user sees.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer

from .shell import (  # noqa: F401 - the helpers every command module takes from here
    RichReporter,
    _quiet_broken_pipe,
    ago,
    context,
    debug,
    error_line,
    failure,
    interactive,
    make_output,
    summary,
)

F = TypeVar("F", bound=Callable[..., Any])

# -- shared options, spelled the same by every command ---------------------------------

FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="auto (table on a terminal, JSON Lines when piped), table, json, jsonl, csv, bibtex.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json (a JSON array).")]
FieldsOpt = Annotated[
    str | None, typer.Option("--fields", help="Comma-separated record keys to output.")
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", help="How many papers to show.", show_default=False)
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Only papers from this date: 2025-01-01, 2025-01, 30d, 6m, 2y."),
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Only papers up to this date (same forms).")
]
SortOpt = Annotated[
    str, typer.Option("--sort", help="score | recent | velocity | citations | relevance.")
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Never touch the network; answer from the cache.")
]
RefreshOpt = Annotated[
    bool, typer.Option("--refresh", help="Ignore cached answers and ask the services again.")
]
ExplainOpt = Annotated[bool, typer.Option("--explain", help="Show each part of every score.")]


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map every failure to one `Error:` line and a named exit code (`shell.failure`)."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except (Exception, KeyboardInterrupt) as exc:
        raise typer.Exit(failure(exc)) from None


def command(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with handle_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
