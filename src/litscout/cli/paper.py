"""`litscout paper`: one paper in full, with its citation chart and the verdict."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import (
    FieldsOpt,
    FormatOpt,
    OfflineOpt,
    PaperIdArg,
    RefreshOpt,
    check_args,
    command,
    context,
    output_for,
    summary,
    total_requests,
)

if TYPE_CHECKING:
    from ..render.output import Output


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


# -- paper --------------------------------------------------------------------------------


@command
def paper(
    paper_id: PaperIdArg,
    fmt: FormatOpt = "auto",
    as_json: Annotated[
        bool, typer.Option("--json", help="Short for --format json (one JSON object).")
    ] = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """One paper in full: TL;DR, citations per year, velocity, and "is this still recent?"."""
    from ..follow import PAPER_KEYS, paper_report

    check_args(offline, refresh)
    out = output_for(fmt, as_json, fields, PAPER_KEYS)
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
    summary(f"from {source} · {total_requests(report.requests)} request(s)")


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
