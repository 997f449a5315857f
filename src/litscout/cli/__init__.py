"""The command-line shell: parse options, call the core, hand records to Output."""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import typer

from .. import __version__
from ..errors import ExitCode
from . import typer_help as _typer_help
from . import typer_plain as _typer_plain
from .common import (
    CategoryOpt,
    ExplainOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    OfflineOpt,
    RefreshOpt,
    SinceOpt,
    SortOpt,
    UntilOpt,
    _quiet_broken_pipe,
    ago,
    command,
    context,
    make_output,
    summary,
)

_typer_plain.install()  # plain str/int options without importing pydantic: ~50 ms a run
_typer_help.install()  # readable placeholders in --help (QUERY, --since DATE)

app = typer.Typer(
    name="litscout",
    help="What is the latest on X? Ranked papers from arXiv and Semantic Scholar.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (values: cli/complete.py)
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    # Plain help and usage errors, like git/gh/sqlite-utils: typer's rich help imports rich,
    # markdown-it and pygments first, 135 -> 66 ms for `litscout --help` (benchmarks).
    # Sub-commands inherit this; rich stays for tables and spinners, loaded when used.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

# -- commands --------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        print(f"litscout {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """What is the latest on X? Ranked papers from arXiv and Semantic Scholar."""


@app.command()
@command
def search(
    query: Annotated[
        str, typer.Argument(help='Plain words, or arXiv syntax (ti:"..." AND cat:cs.LG).')
    ],
    since: SinceOpt = None,
    until: UntilOpt = None,
    category: CategoryOpt = None,
    limit: LimitOpt = None,
    sort: SortOpt = "score",
    surveys: Annotated[
        bool, typer.Option("--surveys", help="Only surveys, reviews and tutorials.")
    ] = False,
    has_code: Annotated[
        bool,
        typer.Option(
            "--has-code",
            help="Only papers that link to code (unknown ones are looked up on arXiv).",
        ),
    ] = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    explain: ExplainOpt = False,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """Rank papers on a topic by citation velocity, recency and relevance."""
    from ..api import SEARCH_MAX, check_limit, check_mode, check_sort
    from ..find.engine import run_search
    from ..query import Query
    from ..render.output import note, warn

    check_sort(sort)
    check_limit(limit, SEARCH_MAX)
    check_mode(offline, refresh)
    out = make_output(fmt, as_json, fields)
    q = Query.build(query, since=since, until=until, categories=category or [])
    with context(offline=offline, refresh=refresh, progress=f"Searching for {q.text!r}…") as ctx:
        result = run_search(ctx, q, limit=limit, sort=sort, surveys=surveys, has_code=has_code)
        looser = _looser(ctx, q, len(result.items), limit)
    if result.word_match:
        why = "and --offline forbids asking" if offline else "and no source answered"
        warn(
            f"not a fresh answer: this question was never asked before {why}; "
            f"these are cached papers that match most of the words of “{q.text}”"
        )
    elif result.failed and result.from_cache:
        when = f" from {ago(time.time() - result.cached_at)}" if result.cached_at else ""
        warn(f"showing cached results{when}")
    records = result.records()
    out.records(records, explain=explain)
    survey = next((r for r in records if r["is_survey"]), None)
    if out.human and survey is not None:  # a survey's reference list is the field's canon
        note(
            f"Next: what the field builds on: litscout references {survey['id']} "
            "--sort citations --has-code"
        )
    _terms_hint(q, len(result.items), limit, surveys or has_code, looser)
    source = "cache" if result.from_cache else "network"
    total = sum(result.requests.values())
    summary(f"{len(result.items)} papers · from {source} · {total} request(s)")


HINT_BELOW = 5  # fewer results than this (when more were asked for): point to `terms`


def _few(query: Any, found: int, limit: int | None) -> bool:
    from ..query import is_arxiv_syntax

    return not is_arxiv_syntax(query.text) and found < min(HINT_BELOW, limit or HINT_BELOW)


def _looser(ctx: Any, query: Any, found: int, limit: int | None) -> str | None:
    """The relaxed question `terms` would try (its least informative words dropped)."""
    from ..find.relax import cache_frequency, relaxed

    return relaxed(query.text, cache_frequency(ctx.store)) if _few(query, found, limit) else None


def _terms_hint(
    query: Any, found: int, limit: int | None, filtered: bool, looser: str | None
) -> None:
    """Few or no papers for plain words: say how to find the words the field uses."""
    from ..find.phrases import terms_command

    if not _few(query, found, limit) or (found and filtered):
        return  # enough papers, or --surveys / --has-code narrowed them down on purpose
    what = "no paper uses" if not found else f"only {found} paper"
    what += "s use" if found > 1 else " uses" if found else ""
    line = (
        f"Hint: {what} these words; papers may call it something else. "
        f"Find the field's words with: {terms_command(query.text)}"
    )
    if looser:
        line += f' (it also tries "{looser}")'
    from ..render.output import note

    note(line)


def _register_command_groups() -> None:
    from . import config as cli_config
    from . import examples
    from . import export as cli_export
    from . import follow as cli_follow
    from . import mcp as cli_mcp
    from . import open_page as cli_open
    from . import report as cli_report
    from . import watch as cli_watch

    cli_config.register(app)
    cli_follow.register(app)
    cli_export.register(app)
    cli_open.register(app)
    cli_watch.register(app)
    cli_report.register(app)
    cli_mcp.register(app)
    examples.attach(app)  # last: every command registered above ends its --help with examples


_register_command_groups()


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="litscout")
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
