"""What every command shares: option spellings, error handling, context, output.

Errors are turned into messages in one place (`handle_errors`); every command is wrapped
by `@command` so that `typer.testing.CliRunner` sees exactly what a user sees.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

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
