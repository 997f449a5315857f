"""The typer app: every command's options and help; the work is done elsewhere.

`litscout.cli.main` runs it, except for the hot path `cli/fast.py` handles without typer.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .. import __version__
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
    command,
)

_typer_plain.install()  # plain str/int options without importing pydantic: ~50 ms a run
_typer_help.install()  # readable placeholders in --help (QUERY, --since DATE)

# The commands defined here (search, config) are the app's core; the follow and watch groups
# are added on first need (`full_app`). `litscout.cli.app` is always the complete app.
_app = typer.Typer(
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


@_app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """What is the latest on X? Ranked papers from arXiv and Semantic Scholar."""


@_app.command()
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
    from .fast import search_command

    search_command(
        query, since=since, until=until, category=category, limit=limit, sort=sort,
        surveys=surveys, has_code=has_code, fmt=fmt, as_json=as_json, fields=fields,
        explain=explain, offline=offline, refresh=refresh,
    )  # fmt: skip


def _register_core() -> None:
    from . import config as cli_config
    from . import examples

    cli_config.register(_app)  # `config` (a group: init, set) and its alias `paths`
    examples.attach(_app)


_register_core()


# Commands `main` can run without the follow and watch groups: typer builds a click command
# for every registered command on every run (signatures, options, help), and imports their
# modules; for a cached search that was a sizeable part of start-up (benchmarks/RESULTS.md).
CORE_COMMANDS = frozenset({"search", "config", "paths"})
_complete = False


def full_app() -> typer.Typer:
    """The app with every command group registered (help, completion, every command)."""
    global _complete
    if not _complete:
        from . import examples
        from . import export as cli_export
        from . import follow as cli_follow
        from . import map as cli_map
        from . import mcp as cli_mcp
        from . import open_page as cli_open
        from . import report as cli_report
        from . import watch as cli_watch

        cli_follow.register(_app)
        cli_export.register(_app)
        cli_open.register(_app)
        cli_map.register(_app)
        cli_watch.register(_app)
        cli_report.register(_app)
        cli_mcp.register(_app)
        examples.attach(_app)  # last: every command above ends its --help with examples
        _complete = True
    return _app


def needs_all(argv: list[str]) -> bool:
    """Whether running `argv` may need commands beyond the core ones."""
    if any(name.endswith("_COMPLETE") for name in os.environ if name.startswith("_")):
        return True  # shell completion lists every command
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if first is None:
        return not argv or any(a in ("-h", "--help") for a in argv)  # root help lists all
    return first not in CORE_COMMANDS
