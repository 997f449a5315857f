"""Commands that follow the field from one paper: paper, cites, references, related, terms,
export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import (
    ExplainOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    OfflineOpt,
    RefreshOpt,
    SinceOpt,
    SortOpt,
    command,
    context,
    summary,
)

if TYPE_CHECKING:
    from ..render.output import Output

PaperIdArg = Annotated[
    str,
    typer.Argument(
        help="1606.04080, arXiv:1606.04080v2, https://arxiv.org/abs/..., doi:10..., s2:<id>, "
        'or a title (or its start): "Matching Networks for One Shot Learning"',
        show_default=False,
    ),
]

SurveysOpt = Annotated[bool, typer.Option("--surveys", help="Only surveys, reviews and tutorials.")]
HasCodeOpt = Annotated[
    bool,
    typer.Option(
        "--has-code", help="Only papers that link to code (unknown ones are looked up on arXiv)."
    ),
]

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar_chart(per_year: dict[str, int] | dict[int, int], width: int = 32) -> list[str]:
    """One line per year: `2019 ██████▍ 120`, bars scaled to the busiest year."""
    items = [(str(year), int(count)) for year, count in per_year.items()]
    if not items:
        return []
    top = max(count for _, count in items) or 1
    digits = len(f"{top:,}")
    lines = []
    for year, count in items:
        eighths = round(count / top * width * 8)
        full, part = divmod(eighths, 8)
        bar = "█" * full + (BLOCKS[part] if part else "")
        if count and not bar:
            bar = "▏"
        lines.append(f"{year} {bar:<{width + 1}} {count:>{digits},}")
    return lines


# -- small shared pieces ------------------------------------------------------------------


def _check(offline: bool, refresh: bool, sort: str | None = None, limit: int | None = None) -> None:
    from ..api import LIST_MAX, check_limit, check_mode, check_sort

    check_mode(offline, refresh)
    if sort is not None:
        check_sort(sort)
    check_limit(limit, LIST_MAX)


def _output(fmt: str, as_json: bool, fields: str | None, valid: tuple[str, ...]) -> Output:
    from ..render.output import Output, parse_fields

    return Output("json" if as_json else fmt, parse_fields(fields, valid))


def _since(text: str | None) -> Any:
    from ..query import parse_date

    return parse_date(text) if text else None


def _total(requests: dict[str, int]) -> int:
    return sum(requests.values())


# -- paper --------------------------------------------------------------------------------


@command
def paper(
    paper_id: PaperIdArg,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """One paper in full: TL;DR, citations per year, velocity, and "is this still recent?"."""
    from ..follow import PAPER_KEYS, paper_report

    _check(offline, refresh)
    out = _output(fmt, as_json, fields, PAPER_KEYS)
    if out.format == "csv" and not out.fields:
        out.fields = list(PAPER_KEYS)
    with context(offline=offline, refresh=refresh, progress=f"Looking up {paper_id}…") as ctx:
        report = paper_report(ctx, paper_id)
    rec = report.record()
    selected = {k: rec.get(k) for k in out.fields} if out.fields else rec
    if out.format == "json":
        out.json(selected)
    elif out.format == "jsonl":
        out.text(json.dumps(selected, ensure_ascii=False))
    elif out.format in ("csv", "bibtex") or out.fields:
        out.records([rec])
    else:
        _paper_view(out, rec)
    source = "cache" if report.from_cache else "network"
    summary(f"from {source} · {_total(report.requests)} request(s)")


def _paper_view(out: Output, rec: dict[str, Any]) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from ..render.output import human_age

    console = out.console()
    console.print(Text(rec["title"] or "(untitled)", style="bold"))
    authors = rec.get("authors") or []
    names = ", ".join(authors[:6]) + (f" and {len(authors) - 6} more" if len(authors) > 6 else "")
    when = rec.get("published") or rec.get("year") or "date unknown"
    line = " · ".join(
        str(x)
        for x in (names or None, rec.get("venue"), f"{when} ({human_age(rec.get('age_days'))})")
        if x
    )
    console.print(Text(line))
    ident = [rec["id"]]
    if rec.get("categories"):
        ident.append(", ".join(rec["categories"]))
    if rec.get("url"):
        ident.append(rec["url"])
    console.print(Text(" · ".join(ident), style="cyan"))
    flags = []
    if rec.get("is_survey"):
        flags.append("survey/review")
    for url in rec.get("code_urls") or []:
        flags.append(f"code: {url}")
    if rec.get("code_urls") is None:
        flags.append("code: not known (its arXiv comment and abstract were not read)")
    if flags:
        console.print(Text(" · ".join(flags), style="green"))
    if rec.get("tldr"):
        console.print()
        console.print(Text.assemble(("TL;DR  ", "bold"), rec["tldr"]))

    console.print()
    cites = rec.get("citations")
    influential = rec.get("influential_citations")
    parts = ["unknown" if cites is None else f"{cites:,}"]
    if influential is not None:
        parts.append(f"({influential:,} influential)")
    if rec.get("recent_citations") is not None:
        approx = "" if rec.get("recent_citations_exact") else "about "
        parts.append(f"· {approx}{rec['recent_citations']:,} in the last year")
    _field(console, "Citations", " ".join(parts))
    velocity = rec.get("velocity")
    basis = rec.get("velocity_basis") or "unknown"
    label = BASIS_LABELS.get(basis, basis)
    shown = "?" if velocity is None else f"{velocity:,.1f} citations/year"
    _field(
        console,
        "Velocity",
        shown + (" now" if basis not in ("lifetime", "unknown") else "") + f" ({label})",
    )
    detail = (rec.get("velocity_window") or {}).get("detail")
    if detail:
        console.print(Text(f"          {detail}", style="dim"))
    _field(console, "Score", f"{rec.get('score') or 0:.2f}")

    _timeline_view(console, rec)
    console.print()
    console.print(Text.assemble(("Is this still recent?  ", "bold"), rec.get("still_recent") or ""))
    if rec.get("abstract"):
        console.print()
        console.print(Text("Abstract", style="bold"))
        console.print(Padding(Text(rec["abstract"]), (0, 2)), soft_wrap=False)


BASIS_LABELS = {
    "citing_dates": "citing papers dated in the last year",
    "all_in_window": "all its citations are from the last year",
    "openalex_years": "OpenAlex citations per year",
    "snapshots": "growth since litscout's earlier counts",
    "lifetime": "lifetime average: its rate now is unknown",
    "unknown": "no citation count",
}


def _timeline_view(console: Any, rec: dict[str, Any]) -> None:
    """Citations per year; when only the last year was counted, per month instead."""
    from rich.text import Text

    source = {"openalex": "OpenAlex", "semantic_scholar": "Semantic Scholar"}.get(
        rec.get("citations_per_year_source") or "", "?"
    )
    complete = rec.get("citations_per_year_complete")
    months = rec.get("citations_per_month") or {}
    if complete or not months:
        chart = bar_chart(rec.get("citations_per_year") or {})
        heading = f"Citations per year ({source})"
        now = str(datetime.now(UTC).year)
    else:
        chart = bar_chart(months)
        heading = f"Citations per month, last 12 months ({source})"
        now = datetime.now(UTC).strftime("%Y-%m")
    if not chart:
        return
    console.print()
    console.print(Text(heading, style="bold"))
    for row in chart:
        console.print(Text("  " + row + ("  so far" if row.startswith(now) else "")))
    if not complete and source != "OpenAlex":
        console.print(
            Text(
                f"  `litscout cites {rec['id']}` fetches every citing paper for the yearly chart",
                style="dim",
            )
        )


def _field(console: Any, name: str, value: str) -> None:
    from rich.text import Text

    console.print(Text.assemble((f"{name:<10}", "bold"), value))


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

    _check(offline, refresh, sort, limit)
    out = _output(fmt, as_json, fields, CITES_KEYS)
    if out.format == "csv" and not out.fields:
        out.fields = list(CITES_KEYS)  # the csv header carries influential and list_capped
    start = _since(since)
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
        f"{_total(result.requests)} request(s)"
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

    _check(offline, refresh, sort, limit)
    out = _output(fmt, as_json, fields, CITES_KEYS)
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
    summary(f"{count} references{unknown} · from {source} · {_total(result.requests)} request(s)")


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

    _check(offline, refresh, sort, limit)
    out = _output(fmt, as_json, fields, RECORD_KEYS)
    start = _since(since)
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
    summary(f"{len(result.items)} papers · from {source} · {_total(result.requests)} request(s)")


# -- terms --------------------------------------------------------------------------------


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
    limit: LimitOpt = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """What is this field called? The key phrases papers use for what you describe."""
    from ..errors import UsageError
    from ..find.terms import TERM_KEYS, discover
    from ..render.output import Output, note, parse_fields

    _check(offline, refresh, limit=limit)
    wanted = parse_fields(fields, TERM_KEYS)
    out = Output("json" if as_json else fmt, wanted or list(TERM_KEYS))
    if out.format == "bibtex":
        raise UsageError("terms are not papers: BibTeX does not apply", hint="use --format json")
    with context(
        offline=offline, refresh=refresh, progress="Reading what the field calls it…"
    ) as ctx:
        result = discover(ctx, question, limit=limit or 10)
    if len(result.searched) > 1:  # the question was relaxed: say what was asked
        asked = ", then ".join(
            (f"any of {q[8:]}" if q.startswith("any of: ") else f"“{q}”")
            + f" ({n} paper{'' if n == 1 else 's'})"
            for q, n in result.searched
        )
        note(f"Searched Semantic Scholar for {asked}.")
    records = result.records()
    if out.human and not wanted:
        _terms_view(out, result.results, records)
        if records:
            note(f"Next: its surveys with {records[0]['command']} --surveys")
    else:
        out.records(records)
    source = "cache" if result.from_cache else "network"
    summary(
        f"{len(records)} terms from {result.results} papers · compared with "
        f"{result.background_size} other cached papers · from {source} · "
        f"{_total(result.requests)} request(s)"
    )


def _terms_view(out: Output, results: int, records: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = out.console()
    if not records:
        console.print(Text("No recurring terms found; try describing it differently.", style="dim"))
        return
    console.print(Text(f"What the top {results} papers call it", style="bold"))
    rows = [
        (
            str(i),
            rec["term"],
            f"{rec['documents']}/{results}",
            rec.get("example_title") or "",
            rec["command"],
        )
        for i, rec in enumerate(records, start=1)
    ]
    widths = [max(len(row[c]) for row in rows) for c in range(5)]
    spare = console.width - 8 - sum(w + 2 for c, w in enumerate(widths) if c != 3)
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", style="dim", min_width=widths[0])
    table.add_column("Term", style="bold green", no_wrap=True, min_width=widths[1])
    table.add_column("Used by", justify="right", no_wrap=True, min_width=max(7, widths[2]))
    if spare >= 20:
        table.add_column("Example", overflow="ellipsis", no_wrap=True, max_width=spare - 2)
    table.add_column("Try", style="cyan", no_wrap=True, min_width=widths[4])
    for row in rows:
        table.add_row(*(cell for c, cell in enumerate(row) if c != 3 or spare >= 20))
    console.print(table)


# -- export -------------------------------------------------------------------------------


@command
def export(
    paper_ids: Annotated[
        list[str],
        typer.Argument(help="Papers to export (any id form, or titles).", show_default=False),
    ],
    bibtex: Annotated[bool, typer.Option("--bibtex", help="BibTeX entries (the default).")] = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """Citations for your reference manager: BibTeX (S2's entry when known, stable keys)."""
    from ..follow import export_records
    from ..models import RECORD_KEYS
    from ..render.output import Output, parse_fields

    _check(offline, refresh)
    chosen = "bibtex" if bibtex or (fmt == "auto" and not as_json) else fmt
    out = Output("json" if as_json else chosen, parse_fields(fields, RECORD_KEYS + ("bibtex",)))
    with context(offline=offline, refresh=refresh, progress="Fetching references…") as ctx:
        records = export_records(ctx, paper_ids)
        requests = ctx.requests_made()
    out.records(records)
    noun = "entry" if len(records) == 1 else "entries"
    summary(f"{len(records)} {noun} · {_total(requests)} request(s)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (called once by cli.py)."""
    app.command("paper")(paper)
    app.command("cites")(cites)
    app.command("references")(references)
    app.command("related")(related)
    app.command("terms")(terms)
    app.command("export")(export)
