"""The one table style litscout prints, and fitting a table to the terminal's width.

Every rich Table is made here (`new`, `fit`): a bold header over a rule, no side edges, two
spaces between columns. `fit` gives each column its natural width and the flexible one(s)
what is left, so a table is never wider than the terminal and nothing is cut but the flexible
columns: ids and commands are printed whole, numbers right-aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

GAP = 2  # between two columns: the box's blank divider and one space of padding
SQUEEZED = 5  # the narrowest a flexible column gets before an id is folded to make room


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    style: str | None = None
    flex: bool = False  # shares the width left over by the other columns
    wrap: bool = False  # a flexible column that wraps its text instead of ending it in "…"
    cap: int | None = None  # the widest a fixed column gets (longer text ends in "…")
    least: int = 1  # the narrowest a flexible column gets
    whole: bool = False  # never wrapped nor cut (ids), even when nothing else fits


def new(title: str | None = None) -> Any:
    """An empty rich Table in litscout's one style."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        expand=False,
    )


def cell_width(value: Any) -> int:
    """The widest line of a cell (str or rich Text), in terminal cells."""
    from rich.cells import cell_len

    text = value.plain if hasattr(value, "plain") else str(value)
    return max((cell_len(line) for line in text.split("\n")), default=0)


def natural(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[int]:
    return [
        max([cell_width(c.header), *(cell_width(row[i]) for row in rows)])
        for i, c in enumerate(columns)
    ]


def left_over(columns: Sequence[Column], rows: Sequence[Sequence[Any]], width: int) -> int:
    """The width the flexible columns share once every fixed column has its natural width."""
    sizes = natural(columns, rows)
    fixed = sum(
        min(size, c.cap or size) for c, size in zip(columns, sizes, strict=True) if not c.flex
    )
    return width - fixed - GAP * (len(columns) - 1)


def widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]], width: int) -> list[int]:
    """Each column's width: fixed ones their natural width (up to `cap`), flexible ones a share
    of what is left in proportion to their natural width, never more than they need."""
    sizes = natural(columns, rows)
    pairs = zip(columns, sizes, strict=True)
    out = [size if c.flex else min(size, c.cap or size) for c, size in pairs]
    flexible = [i for i, c in enumerate(columns) if c.flex]
    spare = left_over(columns, rows, width)
    while flexible:
        need = sum(sizes[i] for i in flexible)
        if need <= spare:  # all fit whole
            break
        share = {i: max(columns[i].least, spare * sizes[i] // max(need, 1)) for i in flexible}
        small = [i for i in flexible if sizes[i] <= share[i]]
        if not small:
            for i in flexible:
                out[i] = share[i]
            break
        for i in small:  # a column needing less than its share keeps its natural width
            spare -= sizes[i]
            flexible.remove(i)
    over = sum(out) + GAP * (len(columns) - 1) - width
    for i in sorted((i for i, c in enumerate(columns) if c.flex), key=lambda i: -out[i]):
        if over <= 0:  # never wider than `width` while a flexible column can give way
            break
        give = min(over, out[i] - 1)
        out[i] -= give
        over -= give
    return out


def fit(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    width: int,
    title: str | None = None,
) -> Any:
    """A table of `rows` no wider than `width`. When the fixed columns alone leave no room,
    the widest text column among them wraps rather than overflow (nothing is cut); when that
    is not enough, the widest whole column (an id) wraps too: folded onto a second line, its
    every character is still there, where rich would otherwise drop whole columns."""
    columns = list(columns)
    sizes = natural(columns, rows)
    for whole in (False, True):
        while left_over(columns, rows, width) < sum(
            min(c.least, SQUEEZED) if whole else c.least for c in columns if c.flex
        ):
            text = [
                i
                for i, c in enumerate(columns)
                if not c.flex and c.whole == whole and c.justify == "left"
            ]
            if not text:
                break
            widest = max(text, key=lambda i: sizes[i])
            columns[widest] = replace(
                columns[widest], flex=True, wrap=True, least=min(8, sizes[widest])
            )
    table = new(title)
    for column, size in zip(columns, widths(columns, rows, width), strict=True):
        table.add_column(
            column.header,
            justify=column.justify,
            style=column.style,
            width=size,
            no_wrap=not column.wrap,
            overflow="fold" if column.wrap else "ellipsis",
        )
    for row in rows:
        table.add_row(*row)
    return table


def legend(*parts: str) -> Any:
    """One dim line under a table explaining its marks and abbreviations."""
    from rich.text import Text

    return Text(" · ".join(p for p in parts if p), style="dim")
