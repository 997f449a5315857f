"""The terminal view of `litscout map`: the topic's standing, its neighbours as a table and a
tree (fastest recent paper, best survey, the command to go there), or where two topics meet."""

from __future__ import annotations

from typing import Any

from ..words import shorten
from .output import Output

TITLE_WIDTH = 72


def show(out: Output, records: list[dict[str, Any]]) -> None:
    if records and records[0].get("kind") == "meeting":
        _meeting(out, records[0], records[1:])
    elif records:
        _neighbourhood(out, records[0], records[1:])


def paper_line(paper: dict[str, Any] | None) -> str:
    """`Title (2025) · 12.3 cites/yr · arXiv:2501.01234`"""
    if not paper:
        return "none found"
    year = f" ({paper['year']})" if paper.get("year") else ""
    rate = paper.get("velocity")
    speed = f" · {rate:.1f} cites/yr" if rate is not None else ""
    return f"{shorten(paper.get('title'), TITLE_WIDTH)}{year}{speed} · {paper.get('id')}"


def growth_line(growth: dict[str, Any]) -> str:
    return (
        f"{growth['this_year']} this year, {growth['last_year']} last year · last 12 months "
        f"{growth['last_12_months']}, the 12 before {growth['previous_12_months']}: "
        f"{growth['trend']}"
    )


def _facts(rows: list[tuple[str, str]]) -> Any:
    """Labelled lines; a long value wraps under itself, not under its label."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(f"  {label}:", value)
    return grid


NEIGHBOUR_LEGEND = (
    "Shared: papers on both · Between: citations between the two fields' papers · "
    "Titled: papers titled with the field's name"
)


def _neighbourhood(out: Output, topic: dict[str, Any], found: list[dict[str, Any]]) -> None:
    from rich.text import Text
    from rich.tree import Tree

    from .tables import Column, fit, legend

    console = out.console()
    head = Text(topic["topic"], style="bold")
    head.append(
        f"  ·  {topic['papers']} of the {topic['counted_from']} papers found are on it",
        style="dim",
    )
    console.print(head)
    console.print(
        _facts(
            [
                ("Papers", growth_line(topic["growth"])),
                ("Fastest now", paper_line(topic["fastest"])),
                ("Fastest recent", paper_line(topic["fastest_recent"])),
                ("Survey", paper_line(topic["best_survey"])),
            ]
        )
    )
    console.print()
    if not found:
        console.print(
            Text(
                "No named field next to it among the papers found (a neighbour needs papers "
                "titled with its name and a survey of its own).",
                style="dim",
            )
        )
        return
    columns = [
        Column("#", "right", "dim"),
        Column("Field", style="bold green", flex=True, wrap=True, least=12),
        Column("Shared", "right"),
        Column("Between", "right"),
        Column("Titled", "right"),
        Column("Go there", style="cyan"),
    ]
    rows = [
        [
            str(i),
            rec["neighbour"],
            str(rec["shared_papers"]),
            str(rec["citations_between"]),
            str(rec["titles"]),
            rec["command"],
        ]
        for i, rec in enumerate(found, start=1)
    ]
    console.print(fit(columns, rows, console.width, title="Neighbouring fields"))
    console.print(legend(NEIGHBOUR_LEGEND))
    tree = Tree(Text("Where to start in each", style="bold"), guide_style="dim")
    for rec in found:
        node = tree.add(Text(rec["neighbour"], style="bold green"))
        node.add(Text("Fastest recent: ", style="bold").append(paper_line(rec["fastest_recent"])))
        node.add(Text("Survey: ", style="bold").append(paper_line(rec["best_survey"])))
    console.print(tree)


def _meeting(out: Output, meeting: dict[str, Any], rest: list[dict[str, Any]]) -> None:
    from rich.text import Text

    first, second = meeting["topics"]
    console = out.console()
    head = Text(f"Where {first} meets {second}", style="bold")
    head.append(f"  ·  {meeting['counted_from']} papers found", style="dim")
    console.print(head)
    papers = [r for r in rest if r.get("kind") == "paper"]
    facts: list[tuple[str, str]] = []
    if meeting["papers"]:
        facts.append(("Papers on both", growth_line(meeting["growth"])))
        by_year = " · ".join(f"{y}: {n}" for y, n in meeting["growth"]["by_year"].items())
        if by_year:
            facts.append(("Per year", by_year))
    terms = ", ".join(t["term"] for t in meeting["shared_terms"])
    facts.append(("Shared terms", terms or "none found"))
    console.print(_facts(facts))
    console.print()
    if papers:
        shown = f"{len(papers)} of {meeting['papers']}" if len(papers) < meeting["papers"] else ""
        out.records(papers, title=f"Papers on both {shown}".rstrip())
        return
    console.print(
        Text(
            f"No paper found addresses both {first} and {second}. The nearest of each:",
            style="bold yellow",
        )
    )
    for topic in (first, second):
        near = [r for r in rest if r.get("kind") == "nearest" and r.get("topic") == topic]
        out.records(near, title=f"{topic}, nearest {second if topic == first else first}")
