"""Papers as a table for people: search, cites, references, related, watch digests, map.

One line a paper when the title still gets WIDE_TITLE columns; narrower, each paper takes two
lines: the title, and under it the id, first author and date. Nothing but titles and author
names is ever cut: ids are printed whole (the shortest form every command accepts), the
survey/code flags are abbreviated with a legend rather than dropped, numbers right-aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import ages, ids
from .tables import Column, fit, left_over, legend

WIDE_TITLE = 50  # the title width below which a paper takes two lines
STACKED_TITLE = 40  # below this, two-line rows abbreviate the flags too
AUTHOR_CAP = 22
LIFETIME_MARK = "~"
LIFETIME_LEGEND = (
    f"{LIFETIME_MARK} lifetime average: no dated citations for it (it overstates an old "
    "paper's rate now; ranking fades it by window/age)"
)
FLAGS = (("survey", "S", "is_survey"), ("code", "C", "code_urls"))
FLAGS_LEGEND = "S survey or review · C links to code"
EXPLAIN_LEGEND = (
    "Vel., Rec., Rel.: the velocity, recency and relevance parts of the score (they add up to "
    "it) · Counted: the citations and days behind Cites/yr"
)
EXPLAIN_NOTE = (
    "Velocity = (citations counted + prior) / (days counted + prior), per year. Bases: "
    "citing_dates (citing papers' dates), all_in_window (younger than the window), "
    "openalex_years (OpenAlex counts per year), snapshots (litscout's earlier counts), "
    "lifetime (total over age: overstates an old paper's rate now; ranked faded by window/age)."
)
# --fields: columns printed whole (ids, links) and right-aligned (numbers)
WHOLE_FIELDS = frozenset("id arxiv_id doi s2_id corpus_id url pdf_url published".split())
NUMBER_FIELDS = frozenset(
    "citations influential_citations velocity score year age_days corpus_id".split()
)


def first_author(authors: list[str] | None) -> str:
    if not authors:
        return "?"
    return authors[0] + (" et al." if len(authors) > 1 else "")


def _flags(record: dict[str, Any], short: bool) -> str:
    return " ".join((letter if short else name) for name, letter, key in FLAGS if record.get(key))


def _known(record: dict[str, Any]) -> list[str]:
    """What is known of a paper's date, its age and first author (for a two-line row)."""
    when = record.get("published") or record.get("year")
    age = record.get("age_days")
    parts = [str(when) if when else "", ages.short(age) if age is not None else ""]
    return [p for p in (*parts, first_author(record.get("authors"))) if p and p != "?"]


def _cells(record: dict[str, Any], index: int, mark: bool) -> dict[str, Any]:
    published = record.get("published") or str(record.get("year") or "?")
    velocity = record.get("velocity")
    lifetime = record.get("velocity_basis") == "lifetime"
    cites = record.get("citations")
    return {
        "#": str(index),
        "title": record.get("title") or "",
        "author": first_author(record.get("authors")),
        "published": f"{published} · {ages.short(record.get('age_days'))}",
        "when": _known(record),
        "cites": "?" if cites is None else f"{cites:,}",
        # a velocity without the mark keeps its place, so the digits stay aligned
        "velocity": ("?" if velocity is None else f"{velocity:,.1f}")
        + (LIFETIME_MARK if lifetime else " " if mark else ""),
        "score": f"{record.get('score') or 0:.2f}",
        "id": ids.short(record),
    }


def _layout(
    records: list[dict[str, Any]], extra: Sequence[str], width: int, stacked: bool, short: bool
) -> tuple[list[Column], list[list[Any]]]:
    from rich.text import Text

    mark = any(r.get("velocity_basis") == "lifetime" for r in records)
    flagged = any(_flags(r, short) for r in records)
    cells = [_cells(r, i, mark) for i, r in enumerate(records, start=1)]
    columns = [Column("#", "right", "dim"), Column("Title", flex=True)]
    if not stacked:
        columns += [Column("First author", cap=16 if short else AUTHOR_CAP), Column("Published")]
    columns += [Column("Cites", "right"), Column("Cites/yr", "right"), Column("Score", "right")]
    if not stacked:
        columns.append(Column("ID", style="cyan", whole=True))
    if flagged:
        columns.append(Column("", style="green"))
    columns += [Column(name) for name in extra]
    rows: list[list[Any]] = []
    for c, record in zip(cells, records, strict=True):
        row: list[Any] = [c["#"], c["title"]]
        if not stacked:
            row += [c["author"], c["published"]]
        row += [c["cites"], c["velocity"], c["score"]]
        if not stacked:
            row.append(c["id"])
        if flagged:
            row.append(_flags(record, short))
        row += [_cell(record.get(name)) for name in extra]
        rows.append(row)
    if mark:  # rich trims a right-justified cell's trailing space: pad it by hand instead
        at = [c.header for c in columns].index("Cites/yr")
        size = max(len("Cites/yr"), *(len(row[at]) for row in rows))
        for row in rows:
            row[at] = Text(row[at].rjust(size), justify="left", no_wrap=True)
    if stacked:  # the title cell: the title, then the id, author and date under it
        room = left_over(columns, rows, width)
        for row, c in zip(rows, cells, strict=True):
            text = Text(c["title"], no_wrap=True, overflow="ellipsis")
            text.truncate(max(room, 1), overflow="ellipsis")
            text.append("\n")
            text.append(c["id"], style="cyan")
            text.append("".join(f" · {x}" for x in c["when"]), style="dim")
            if len(c["id"]) > room:  # never cut an id: let it fold over lines instead
                text.no_wrap, text.overflow = False, "fold"
            row[1] = text
    return columns, rows


def print_papers(
    console: Any,
    records: list[dict[str, Any]],
    *,
    explain: bool = False,
    extra_columns: Sequence[str] = (),
) -> None:
    width = console.width
    longest_id = max(len(ids.short(r)) for r in records)
    plans = ((False, False), (False, True), (True, False), (True, True))
    for stacked, short in plans:
        columns, rows = _layout(records, extra_columns, width, stacked, short)
        room = left_over(columns, rows, width)
        if room >= (max(STACKED_TITLE, longest_id) if stacked else WIDE_TITLE):
            break
    console.print(fit(columns, rows, width))
    marks = [LIFETIME_LEGEND if any(r.get("velocity_basis") == "lifetime" for r in records) else ""]
    if short and any(_flags(r, True) for r in records):
        marks.insert(0, FLAGS_LEGEND)
    if any(marks):
        console.print(legend(*marks))
    if explain:
        print_explain(console, records)


def print_fields(console: Any, records: list[dict[str, Any]], fields: Sequence[str]) -> None:
    """--fields: the chosen keys; ids and numbers whole, other text wraps in what is left."""
    columns = [
        Column(
            name,
            "right" if name in NUMBER_FIELDS else "left",
            flex=name not in WHOLE_FIELDS and name not in NUMBER_FIELDS,
            wrap=True,
            whole=name in WHOLE_FIELDS,
            least=8,
        )
        for name in fields
    ]
    rows = [[_cell(record.get(name)) for name in fields] for record in records]
    console.print(fit(columns, rows, console.width))


def print_explain(console: Any, records: list[dict[str, Any]]) -> None:
    from rich.text import Text

    columns = [
        Column("#", "right", "dim"),
        Column("Cites/yr", "right"),
        Column("Basis", flex=True, wrap=True),
        Column("Counted", "right"),
        Column("Vel.", "right"),
        Column("Age", "right"),
        Column("Rec.", "right"),
        Column("Rel.", "right"),
        Column("Score", "right", "bold"),
    ]
    rows = []
    for index, record in enumerate(records, start=1):
        parts = record.get("score_parts") or {}
        velocity = record.get("velocity")
        rows.append(
            [
                str(index),
                "?" if velocity is None else f"{velocity:,.1f}",
                str(record.get("velocity_basis") or "unknown"),
                counted(record),
                f"{parts.get('velocity', 0):.3f}",
                ages.short(record.get("age_days")),
                f"{parts.get('recency', 0):.3f}",
                f"{parts.get('relevance', 0):.3f}",
                f"{record.get('score') or 0:.3f}",
            ]
        )
    console.print()  # a blank line between the papers and how their scores were made
    console.print(Text("How each score was made", style="bold"))
    console.print(fit(columns, rows, console.width))
    console.print(legend(EXPLAIN_LEGEND))
    console.print(Text(EXPLAIN_NOTE, style="dim"))


def counted(record: dict[str, Any]) -> str:
    """`110 in 365 d` — the citations and the window behind a velocity."""
    window = record.get("velocity_window") or {}
    if not window:
        return "?"
    if record.get("velocity_basis") == "lifetime":
        return f"{window.get('citations', 0):,.0f} in {ages.short(window.get('days'))}"
    return f"{window.get('citations', 0):,.0f} in {window.get('days', 0):,} d"


def _cell(value: Any) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
