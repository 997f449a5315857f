"""`litscout watch`: saved searches that deliver digests of new papers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import (
    CategoryOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    RefreshOpt,
    ago,
    command,
    context,
    summary,
)

if TYPE_CHECKING:
    from datetime import datetime

    from ..watch import RunResult

watch_app = typer.Typer(
    name="watch",
    help="Saved searches: new papers on your topics, each delivered once.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_watches(incomplete: str) -> list[str]:
    from .complete import watch_names

    return watch_names(incomplete)


NameArg = Annotated[
    str,
    typer.Argument(
        help="The watch's name.",
        show_default=False,
        metavar="NAME",
        autocompletion=_complete_watches,
    ),
]
MinScoreOpt = Annotated[
    float | None,
    typer.Option("--min-score", help="Leave out papers scoring below this (0-1).", min=0, max=1),
]
LIST_KEYS = (
    "name", "query", "categories", "cites", "min_score", "created", "last_run", "last_success",
    "last_fetch", "last_error", "unseen", "delivered", "stale", "stuck",
)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (called once by cli.py)."""
    app.add_typer(watch_app, name="watch")


def _note(message: str) -> None:
    from ..render.output import note

    note(message)


@watch_app.command("add")
@command
def add(
    name: NameArg,
    query: Annotated[
        str | None,
        typer.Argument(
            help="Plain words or arXiv syntax; optional with --cites.", show_default=False
        ),
    ] = None,
    category: CategoryOpt = None,
    cites: Annotated[
        str | None,
        typer.Option("--cites", help="Watch for new papers citing this one (id, DOI or URL)."),
    ] = None,
    min_score: MinScoreOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Seed it with the recent past: the first run also delivers papers submitted "
            "since this date (2025-01-01, 7d, 2w).",
        ),
    ] = None,
) -> None:
    """Save a search: litscout watch add fewshot "few-shot learning" -c cs.LG --since 7d."""
    from .. import watch as core
    from ..context import Context
    from ..store.watches import WatchStore

    definition = core.define(name, query, category or [], cites, min_score, since=since)
    with Context() as ctx:
        WatchStore(ctx.store).add(definition)
    source = "the daily arXiv listing" if definition.categories else "the arXiv API"
    if definition.cites:
        source = "Semantic Scholar's citations"
    _note(f"Added watch {definition.name}: {core.describe(definition)} (new papers from {source}).")
    if definition.backfill_from is not None:
        day = core.iso(definition.backfill_from) or ""
        _note(f"Its first run also delivers papers submitted since {day[:10]}.")
    _note("Run it with: litscout watch run " + definition.name)


@watch_app.command("list")
@command
def list_watches(
    fmt: FormatOpt = "auto", as_json: JsonOpt = False, fields: FieldsOpt = None
) -> None:
    """Show every watch: query, last run, last success, unseen papers, staleness.

    "unseen" counts papers a watch has found but not yet delivered (a run whose digest could
    not be written leaves them); the next `watch run` shows them.
    """
    from .. import watch as core
    from ..context import Context
    from ..render.output import FORMATS, Output, parse_fields

    chosen = parse_fields(fields, LIST_KEYS)
    out = Output("json" if as_json else fmt, chosen, formats=FORMATS)  # watches are not papers
    with Context() as ctx:
        rows = core.listing(ctx)
        now = ctx.now
    if not rows:
        _note('No watches yet. Add one: litscout watch add fewshot "few-shot learning" -c cs.LG')
        if not out.human:
            out.records([])
        return
    for row in rows:
        if row["stuck"]:
            _note(f"Error: watch {row['name']} {row['last_error']}")
    if out.human and chosen is None:
        out.fields = ["name", "query", "last run", "last success", "unseen", "stale"]
        rows = [_human_row(row, now) for row in rows]
    out.records(rows)


def _human_row(row: dict[str, Any], now: float) -> dict[str, Any]:
    from datetime import datetime

    def when(value: str | None) -> str:
        if value is None:
            return "never"
        return ago(now - datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())

    query = row["query"] or ""
    if row["cites"]:
        query = f"cites {row['cites']}" + (f" · {query}" if query else "")
    if row["categories"]:
        query += " · " + ", ".join(row["categories"])
    return {
        "name": row["name"],
        "query": query,
        "last run": when(row["last_run"]),
        "last success": when(row["last_success"]),
        "unseen": str(row["unseen"]),
        "stale": "ERROR" if row["stuck"] else "STALE" if row["stale"] else "",
    }


@watch_app.command("run")
@command
def run(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Watches to run (default: all).",
            show_default=False,
            metavar="[NAME]...",
            autocompletion=_complete_watches,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what is new without marking it seen.")
    ] = False,
    min_score: MinScoreOpt = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Also write a Markdown digest to this file.")
    ] = None,
    atom: Annotated[
        Path | None,
        typer.Option("--atom", help="Also add the papers to this Atom feed (keeps older entries)."),
    ] = None,
    html_file: Annotated[
        Path | None,
        typer.Option("--html", help="Also write the digest as one HTML page (field map, table)."),
    ] = None,
    atom_url: Annotated[
        str | None, typer.Option("--atom-url", help="The feed's public URL (rel=self link).")
    ] = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    refresh: RefreshOpt = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print nothing on stdout (with --markdown/--atom)."),
    ] = False,
) -> None:
    """Deliver the papers your watches have not shown you yet, best first."""
    from .. import watch as core
    from ..errors import LitscoutError, UnreachableError
    from ..models import RECORD_KEYS
    from ..render import digest
    from ..render.output import Output, parse_fields

    keys = (*RECORD_KEYS, "watch")
    chosen = parse_fields(fields, keys)
    out = Output("json" if as_json else fmt, chosen)
    if out.format == "csv" and chosen is None:
        out.fields = list(keys)
    if out.format == "bibtex":
        out.fields = None
    for path, what in ((markdown, "Markdown"), (atom, "Atom"), (html_file, "HTML")):
        if path is not None:
            digest.check_target(path, what)
    if atom is not None:
        digest.read_feed(atom)  # refuse a file that is not our feed before fetching anything

    with context(refresh=refresh, progress="Checking your watches…") as ctx:
        settings = ctx.settings

        def deliver(result: RunResult) -> None:
            getattr(ctx.reporter, "stop", lambda: None)()  # the spinner ends before output
            from datetime import UTC, datetime

            generated = datetime.now(UTC)
            for item in result.digests:  # fetch errors are summed up in the Error: line
                for warning in item.warnings(errors=False):
                    ctx.reporter.warn(warning)
                if item.reaches is not None and (quiet or not out.human):
                    _note(f"{item.name}: {item.reach()}")  # (human output: in the header)
            if not dry_run:
                if markdown is not None:
                    sections = [
                        {
                            "header": d.header(),
                            "description": core.describe(d.watch),
                            "warnings": d.warnings(),
                            "records": d.records(),
                        }
                        for d in result.digests
                    ]
                    digest.write_atomic(markdown, digest.markdown(sections, generated))
                if atom is not None:
                    text = digest.atom(
                        atom, result.records(), generated, settings.watch.atom_entries, atom_url
                    )
                    digest.write_atomic(atom, text)
                if html_file is not None:
                    digest.write_atomic(html_file, _html_digest(result, generated))
            elif markdown is not None or atom is not None or html_file is not None:
                _note("--dry-run: no digest files written")
            if quiet:
                return
            if out.human:
                for item in result.digests:
                    out.records(item.records(), title=item.header(), empty=None)
            else:
                out.records(result.records())
            sys.stdout.flush()

        result = core.run(ctx, names or [], deliver=deliver, dry_run=dry_run, min_score=min_score)
    if not result.digests:
        _note('No watches yet. Add one: litscout watch add fewshot "few-shot learning" -c cs.LG')
        return
    total = sum(len(d.items) for d in result.digests)
    requests = sum(result.requests.values())
    if dry_run:
        _note(f"Dry run: {total} new paper(s) shown, nothing marked as seen.")
    else:
        summary(f"{total} new paper(s) · {requests} request(s)")
    failed = result.failed
    if failed:
        reasons = "; ".join(f"{d.name} ({d.error})" for d in failed)
        hint = "papers found earlier were still delivered; the next run retries and fills the gap"
        if len(failed) == len(result.digests) and total == 0:
            raise UnreachableError(f"no watch could fetch new papers: {reasons}", hint=hint)
        raise LitscoutError(
            f"{len(failed)} of {len(result.digests)} watches could not fetch: {reasons}", hint=hint
        )


def _html_digest(result: RunResult, generated: datetime) -> str:
    from .. import watch as core
    from ..render import html

    sections = [
        {
            "header": d.header(),
            "description": core.describe(d.watch),
            "warnings": d.warnings(),
            "records": d.records(),
        }
        for d in result.digests
    ]
    return html.digest(sections, generated)


@watch_app.command("remove")
@command
def remove(name: NameArg) -> None:
    """Delete a watch and its delivery history."""
    from ..context import Context
    from ..store.watches import WatchStore

    with Context() as ctx:
        seen = WatchStore(ctx.store).remove(name)
    _note(f"Removed watch {name} ({seen} paper(s) in its history).")


@watch_app.command("reset")
@command
def reset(
    name: NameArg,
    since: Annotated[
        str,
        typer.Option(
            "--since", help="Re-open papers delivered since this date (2025-01-01, 7d, 2w)."
        ),
    ],
) -> None:
    """Show papers again: re-open what NAME delivered since a date, and backfill from it."""
    from .. import watch as core
    from ..context import Context

    with Context() as ctx:
        reopened, day = core.reset(ctx, name, since)
    _note(
        f"Re-opened {reopened} paper(s) of {name} delivered since {day.isoformat()}; "
        f"the next run also asks arXiv for papers since then."
    )


@watch_app.command("export")
@command
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write every watch's definition as TOML (for your dotfiles)."""
    from .. import watch as core
    from ..context import Context
    from ..store.watches import WatchStore

    with Context() as ctx:
        text = core.to_toml(WatchStore(ctx.store).all())
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..render.digest import check_target, write_atomic

    check_target(output, "export")
    write_atomic(output, text)
    _note(f"Wrote {output}")


@watch_app.command("import")
@command
def import_(
    file: Annotated[str, typer.Argument(help="A file from `watch export` ('-' for stdin).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite watches whose definitions differ.")
    ] = False,
) -> None:
    """Add the watches defined in a TOML file; all or nothing."""
    from .. import watch as core
    from ..context import Context
    from ..errors import UsageError
    from ..store.watches import WatchStore

    if file == "-":
        text, where = sys.stdin.read(), "stdin"
    else:
        try:
            text, where = Path(file).read_text(encoding="utf-8"), file
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    watches = core.from_toml(text, where)
    with Context() as ctx:
        added, updated, same = WatchStore(ctx.store).import_many(watches, replace)
    _note(f"Imported from {where}: {added} added, {updated} updated, {same} unchanged.")
