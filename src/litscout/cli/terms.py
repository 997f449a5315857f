"""`litscout terms`: what is this field called? (No typer here: `fast.py` runs it directly;
the typer declaration is in follow.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .shell import context, summary

if TYPE_CHECKING:
    from ..render.output import Output


def terms_command(
    question: str,
    *,
    limit: int | None,
    fmt: str,
    as_json: bool,
    fields: str | None,
    offline: bool,
    refresh: bool,
) -> None:
    """What is this field called? The key phrases papers use for what you describe."""
    from ..api import LIST_MAX, check_limit, check_mode
    from ..errors import UsageError
    from ..find.phrases import TERM_KEYS
    from ..find.terms import discover
    from ..render.output import Output, note, parse_fields

    check_mode(offline, refresh)
    check_limit(limit, LIST_MAX)
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
        f"{sum(result.requests.values())} request(s)"
    )


EXAMPLE_LEAST = 16  # an example title narrower than this is left out


def _terms_view(out: Output, results: int, records: list[dict[str, Any]]) -> None:
    from rich.text import Text

    from ..render.tables import Column, fit, left_over

    console = out.console()
    if not records:
        console.print(Text("No recurring terms found; try describing it differently.", style="dim"))
        return
    console.print(Text(f"What the top {results} papers call it", style="bold"))
    columns = [
        Column("#", "right", "dim"),
        Column("Term", style="bold green"),
        Column("Used by", "right"),
        Column("Example", flex=True),
        Column("Try", style="cyan"),
    ]
    rows = [
        [
            str(i),
            rec["term"],
            f"{rec['documents']}/{results}",
            rec.get("example_title") or "",
            rec["command"],
        ]
        for i, rec in enumerate(records, start=1)
    ]
    if left_over(columns, rows, console.width) < EXAMPLE_LEAST:  # no room: the example goes
        columns.pop(3)
        rows = [row[:3] + row[4:] for row in rows]
    console.print(fit(columns, rows, console.width))
