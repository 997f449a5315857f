"""The terminal view of `litscout map`: the topic's standing, its neighbours as a table and a
tree (fastest recent paper, best survey, the command to go there), or where two topics meet."""

from __future__ import annotations

from typing import Any

from .output import Output

TITLE_WIDTH = 72


def show(out: Output, records: list[dict[str, Any]]) -> None:
    if records and records[0].get("kind") == "meeting":
        _meeting(out, records[0], records[1:])
    elif records:
        _neighbourhood(out, records[0], records[1:])


def _short(text: str | None, width: int = TITLE_WIDTH) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def paper_line(paper: dict[str, Any] | None) -> str:
    """`Title (2025) · 12.3 cites/yr · arXiv:2501.01234`"""
    if not paper:
        return "none found"
    year = f" ({paper['year']})" if paper.get("year") else ""
    rate = paper.get("velocity")
    speed = f" · {rate:.1f} cites/yr" if rate is not None else ""
    return f"{_short(paper.get('title'))}{year}{speed} · {paper.get('id')}"


def growth_line(growth: dict[str, Any]) -> str:
    return (
        f"{growth['this_year']} this year so far, {growth['last_year']} last year · "
        f"{growth['last_12_months']} in the last 12 months against "
        f"{growth['previous_12_months']} in the 12 before: {growth['trend']}"
    )


def _neighbourhood(out: Output, topic: dict[str, Any], found: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    console = out.console()
    head = Text(topic["topic"], style="bold")
    head.append(
        f"  ·  {topic['papers']} of the {topic['counted_from']} papers found are on it",
        style="dim",
    )
    console.print(head)
    for label, value in (
        ("Papers", growth_line(topic["growth"])),
        ("Fastest now", paper_line(topic["fastest"])),
        ("Fastest recent", paper_line(topic["fastest_recent"])),
        ("Survey", paper_line(topic["best_survey"])),
    ):
        line = Text(f"  {label + ':':<16}", style="bold")
        line.append(value)
        console.print(line)
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
    table = Table(
        title="Neighbouring fields",
        title_justify="left",
        title_style="bold",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("#", justify="right", style="dim")
    table.add_column("Field", style="bold green", no_wrap=True)
    table.add_column("Shared papers", justify="right")
    table.add_column("Citations between", justify="right")
    table.add_column("Titled", justify="right")
    table.add_column("Go there", style="cyan", no_wrap=True)
    for i, rec in enumerate(found, start=1):
        table.add_row(
            str(i),
            rec["neighbour"],
            str(rec["shared_papers"]),
            str(rec["citations_between"]),
            str(rec["titles"]),
            rec["command"],
        )
    console.print(table)
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
    if meeting["papers"]:
        line = Text(f"  {'Papers on both:':<16}", style="bold")
        line.append(growth_line(meeting["growth"]))
        console.print(line)
        by_year = " · ".join(f"{y}: {n}" for y, n in meeting["growth"]["by_year"].items())
        if by_year:
            console.print(Text(f"  {'Per year:':<16}", style="bold").append(by_year))
    terms = ", ".join(t["term"] for t in meeting["shared_terms"])
    console.print(Text(f"  {'Shared terms:':<16}", style="bold").append(terms or "none found"))
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
