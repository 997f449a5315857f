"""Commands that follow the field from one paper: cites, references, related, export; the
options they share with paper (cli/paper.py) and terms (cli/terms.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import (
    ExplainOpt,
    FieldsOpt,
    FormatOpt,
    HasCodeOpt,
    JsonOpt,
    LimitOpt,
    OfflineOpt,
    PaperIdArg,
    RefreshOpt,
    SinceOpt,
    SortOpt,
    SurveysOpt,
    check_args,
    command,
    context,
    output_for,
    since_date,
    summary,
    total_requests,
)

if TYPE_CHECKING:
    from ..render.output import Output


# -- cites --------------------------------------------------------------------------------


@command
def cites(
    paper_id: PaperIdArg,
    since: SinceOpt = None,
    sort: SortOpt = "score",
    limit: LimitOpt = None,
    surveys: SurveysOpt = False,
    has_code: HasCodeOpt = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    explain: ExplainOpt = False,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """What builds on a paper: the papers citing it, ranked like search (★ = influential).

    Shows the top 20 by default; -n 10000 gives all of them.
    """
    from ..follow import CITES_KEYS
    from ..follow import cites as find_cites

    check_args(offline, refresh, sort, limit)
    out = output_for(fmt, as_json, fields, CITES_KEYS)
    if out.format == "csv" and not out.fields:
        out.fields = list(CITES_KEYS)  # the csv header carries influential and list_capped
    start = since_date(since)
    with context(
        offline=offline, refresh=refresh, progress=f"Finding papers citing {paper_id}…"
    ) as ctx:
        result = find_cites(
            ctx, paper_id, since=start, sort=sort, limit=limit, surveys=surveys, has_code=has_code
        )
    if result.capped:
        total = (
            f" of its {result.cited.citations:,}" if result.cited and result.cited.citations else ""
        )
        from ..render.output import warn

        warn(
            f"Semantic Scholar lists at most 9,999 citing papers; this list stops there"
            f'{total} (records carry "list_capped": true)'
        )
    records = result.records()
    cited = f"“{result.cited.title}”" if result.cited else result.cited_id
    _starred(out, records, f"Papers citing {cited}", "influential citation", explain)
    source = "cache" if result.from_cache else "network"
    flagged = sum(1 for r in records if r["influential"])
    count = (
        f"{len(records)}" if len(records) == result.total else f"{len(records)} of {result.total:,}"
    )
    summary(
        f"{count} citing papers ({flagged} influential shown) · from {source} · "
        f"{total_requests(result.requests)} request(s)"
    )


def _starred(
    out: Output, records: list[dict[str, Any]], title: str, star: str, explain: bool
) -> None:
    """A listing where influential links carry a star before the title (any terminal width)."""
    if out.human and not out.fields:
        shown = [{**r, "title": ("★ " if r["influential"] else "") + r["title"]} for r in records]
        if any(r["influential"] for r in records):
            title += f" (★ = {star})"
        out.records(shown, title=title, explain=explain)
    else:
        out.records(records, explain=explain)


# -- references ---------------------------------------------------------------------------


@command
def references(
    paper_id: PaperIdArg,
    sort: SortOpt = "score",
    limit: LimitOpt = None,
    surveys: SurveysOpt = False,
    has_code: HasCodeOpt = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    explain: ExplainOpt = False,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """What a paper builds on: the papers it cites, ranked like search (★ = influential).

    A survey's references are its field's canon: --sort citations shows the most cited first.
    Shows the top 20 by default; -n 10000 gives all of them.
    """
    from ..follow import CITES_KEYS
    from ..follow import references as find_references

    check_args(offline, refresh, sort, limit)
    out = output_for(fmt, as_json, fields, CITES_KEYS)
    if out.format == "csv" and not out.fields:
        out.fields = list(CITES_KEYS)
    with context(
        offline=offline, refresh=refresh, progress=f"Finding what {paper_id} cites…"
    ) as ctx:
        result = find_references(
            ctx, paper_id, sort=sort, limit=limit, surveys=surveys, has_code=has_code
        )
    records = result.records()
    citing = f"“{result.citing.title}”" if result.citing else result.citing_id
    _starred(out, records, f"Papers cited by {citing}", "influential reference", explain)
    source = "cache" if result.from_cache else "network"
    count = (
        f"{len(records)}" if len(records) == result.total else f"{len(records)} of {result.total:,}"
    )
    unknown = f" · {result.unknown} not identified by Semantic Scholar" if result.unknown else ""
    requests = total_requests(result.requests)
    summary(f"{count} references{unknown} · from {source} · {requests} request(s)")


# -- related ------------------------------------------------------------------------------


@command
def related(
    paper_ids: Annotated[
        list[str],
        typer.Argument(
            help="One or more papers (ids or titles) to find more like.", show_default=False
        ),
    ],
    unlike: Annotated[
        list[str] | None,
        typer.Option("--not", help="A paper the results should NOT resemble (repeatable)."),
    ] = None,
    since: SinceOpt = None,
    sort: SortOpt = "score",
    limit: LimitOpt = None,
    surveys: SurveysOpt = False,
    has_code: HasCodeOpt = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    explain: ExplainOpt = False,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """More papers like these (Semantic Scholar recommendations), ranked like search."""
    from ..follow import related as find_related
    from ..models import RECORD_KEYS

    check_args(offline, refresh, sort, limit)
    out = output_for(fmt, as_json, fields, RECORD_KEYS)
    start = since_date(since)
    with context(offline=offline, refresh=refresh, progress="Asking for recommendations…") as ctx:
        result = find_related(
            ctx,
            paper_ids,
            unlike or [],
            sort=sort,
            limit=limit or 20,
            since=start,
            surveys=surveys,
            has_code=has_code,
        )
    title = None
    if result.seeds:
        names = "; ".join(f"“{p.title}”" for p in result.seeds[:3])
        title = f"Papers like {names}"
    out.records(result.records(), title=title, explain=explain)
    source = "cache" if result.from_cache else "network"
    summary(
        f"{len(result.items)} papers · from {source} · {total_requests(result.requests)} request(s)"
    )


@command
def terms(
    question: Annotated[
        str,
        typer.Argument(
            help='What you are looking for, in your own words: "use a big dataset to help a '
            'small one".',
            show_default=False,
        ),
    ],
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", help="How many key phrases to show (default 10).", show_default=False
        ),
    ] = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """What is this field called? The key phrases papers use for what you describe."""
    from .terms import terms_command

    terms_command(
        question,
        limit=limit,
        fmt=fmt,
        as_json=as_json,
        fields=fields,
        offline=offline,
        refresh=refresh,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (called once by cli.py)."""
    from .paper import paper

    app.command("paper")(paper)
    app.command("cites")(cites)
    app.command("references")(references)
    app.command("related")(related)
    app.command("terms")(terms)
