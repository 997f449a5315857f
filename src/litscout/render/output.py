"""One object that prints records as a table for people or as JSON/JSONL/CSV for scripts.

Commands hand it a list of records (dicts with the keys in models.RECORD_KEYS) and never
print themselves. Machine formats are written with json.dumps/csv, never through rich.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from .. import ages
from ..errors import UsageError
from ..models import RECORD_KEYS

FORMATS = ("auto", "table", "json", "jsonl", "csv")


def env_tty(stream: IO[str]) -> bool:
    if os.environ.get("LITSCOUT_FORCE_TTY"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def no_color() -> bool:
    return "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""


def parse_fields(spec: str | None, valid: Sequence[str] = RECORD_KEYS) -> list[str] | None:
    """`a,b,c` → ['a','b','c']; an unknown field is a usage error listing the valid ones."""
    if spec is None:
        return None
    wanted = [f.strip() for f in spec.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        raise UsageError(
            f"unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown) or '(none)'}",
            hint="valid fields: " + ", ".join(valid),
        )
    return wanted


def human_age(days: int | None) -> str:
    return ages.short(days)


# -- stderr: every line litscout writes there goes through these -----------------------------


def stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    stderr_line(f"Warning: {message}")


def note(message: str) -> None:
    """A line for whoever runs the command (stderr), whatever stdout is."""
    stderr_line(message)


def summary(message: str) -> None:
    """A closing line for people: only when stdout and stderr are terminals."""
    if env_tty(sys.stderr) and env_tty(sys.stdout):
        stderr_line(message)


def error_line(message: str, hint: str | None = None) -> None:
    """The one `Error:` line (and its hint) a failed command prints."""
    text = f"Error: {message}"
    if hint:
        text += f"\nHint: {hint}"
    if sys.stderr.isatty() and not no_color():
        text = f"\x1b[1;31mError:\x1b[0m {text[7:]}"
    stderr_line(text)


def first_author(authors: list[str] | None) -> str:
    if not authors:
        return "?"
    return authors[0] + (" et al." if len(authors) > 1 else "")


class Output:
    """Where and how results go. `stdout`/`stderr` are injected so tests can capture them."""

    def __init__(
        self,
        fmt: str = "auto",
        fields: list[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        is_tty: bool | None = None,
        formats: Sequence[str] = (*FORMATS, "bibtex"),
    ) -> None:
        if fmt not in formats:
            known = fmt in (*FORMATS, "bibtex")
            raise UsageError(
                f"--format {fmt} makes no sense here" if known else f"unknown format {fmt!r}",
                hint="use one of: " + ", ".join(formats),
            )
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.is_tty = env_tty(self.stdout) if is_tty is None else is_tty
        self.format = ("table" if self.is_tty else "jsonl") if fmt == "auto" else fmt
        self.fields = fields

    @property
    def human(self) -> bool:
        return self.format == "table"

    def _select(self, record: dict[str, Any]) -> dict[str, Any]:
        if not self.fields:
            return record
        return {k: record.get(k) for k in self.fields}

    def records(
        self,
        records: list[dict[str, Any]],
        *,
        title: str | None = None,
        explain: bool = False,
        extra_columns: Sequence[str] = (),
        empty: str | None = "No papers found.",
    ) -> None:
        if self.format == "json":
            self.stdout.write(
                json.dumps([self._select(r) for r in records], ensure_ascii=False, indent=2) + "\n"
            )
        elif self.format == "jsonl":
            for record in records:
                self.stdout.write(json.dumps(self._select(record), ensure_ascii=False) + "\n")
        elif self.format == "csv":
            self._csv(records)
        elif self.format == "bibtex":
            from .bibtex import entries

            self.stdout.write(entries(records))
        elif self.format in ("csl-json", "ris"):
            from . import refs

            self.stdout.write(
                refs.csl_json(records) if self.format == "csl-json" else refs.ris(records)
            )
        else:
            self._table(
                records, title=title, explain=explain, extra_columns=extra_columns, empty=empty
            )
        self.stdout.flush()

    def _csv(self, records: list[dict[str, Any]]) -> None:
        columns = self.fields or list(RECORD_KEYS)
        buffer = io.StringIO()
        import csv

        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            row = []
            for column in columns:
                value = record.get(column)
                if isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                elif isinstance(value, dict):
                    value = json.dumps(value)
                elif value is None:
                    value = ""
                row.append(value)
            writer.writerow(row)
        self.stdout.write(buffer.getvalue())

    def console(self, stderr: bool = False) -> Any:
        from rich.console import Console

        return Console(
            file=self.stderr if stderr else self.stdout,
            no_color=no_color(),
            force_terminal=self.is_tty if not stderr else None,
            highlight=False,
            soft_wrap=False,
        )

    def _table(
        self,
        records: list[dict[str, Any]],
        *,
        title: str | None,
        explain: bool,
        extra_columns: Sequence[str],
        empty: str | None = "No papers found.",
    ) -> None:
        from rich.table import Table
        from rich.text import Text

        console = self.console()
        if title:
            console.print(Text(title, style="bold"))
        if not records:
            if empty:  # None: the title already says there is nothing (a digest's header)
                console.print(Text(empty, style="dim"))
            return
        if self.fields:
            table = Table(show_lines=False, header_style="bold")
            for name in self.fields:
                table.add_column(name, overflow="fold")
            for record in records:
                table.add_row(*(_cell(record.get(name)) for name in self.fields))
            console.print(table)
            return
        from rich import box

        table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
        rows = [_row(i, r) for i, r in enumerate(records, start=1)]
        # Every column but the title has a natural width; the title gets what is left, and on
        # narrow terminals the least useful columns go first.
        widths = {name: max(len(name), *(len(row[name]) for row in rows)) for name in rows[0]}
        widths["Title"] = 0
        optional = ["First author", "Score", "Cites"]
        budget = console.width - 8  # rich's separators and ellipsis need a little slack
        budget -= sum(
            max(len(n), *(len(_cell(r.get(n))) for r in records)) + 2 for n in extra_columns
        )
        shown = [name for name in rows[0] if widths[name] or name in ("Title", "")]

        def needed(names: list[str]) -> int:
            return sum(min(widths[n], 30) + 2 for n in names)

        while optional and budget - needed(shown) < 30:
            shown.remove(optional.pop(0))
        title_width = budget - needed(shown)
        for name in shown:
            if name == "Title" and title_width >= 30:
                table.add_column(name, max_width=title_width, overflow="ellipsis", no_wrap=True)
            elif name == "Title":  # narrow terminal: wrap titles rather than cut them to nothing
                table.add_column(name, min_width=24, overflow="fold")
            elif name == "First author":
                table.add_column(name, max_width=22, overflow="ellipsis", no_wrap=True)
            elif name == "ID":
                table.add_column(
                    name, style="cyan", no_wrap=True, overflow="ellipsis", max_width=30
                )
            elif name == "":
                table.add_column(name, style="green", no_wrap=True, min_width=widths[name])
            else:
                right = name in ("#", "Cites", "Cites/yr", "Score")
                table.add_column(
                    name,
                    justify="right" if right else "left",
                    no_wrap=True,
                    min_width=widths[name],
                )
        for name in extra_columns:
            table.add_column(name, no_wrap=True)
        for row, record in zip(rows, records, strict=True):
            table.add_row(
                *(row[name] for name in shown),
                *(_cell(record.get(name)) for name in extra_columns),
            )
        console.print(table)
        if any(r.get("velocity_basis") == "lifetime" for r in records):
            console.print(Text(LIFETIME_LEGEND, style="dim"))
        if explain:
            self._explain(console, records)

    def _explain(self, console: Any, records: list[dict[str, Any]]) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(
            title="How each score was made",
            header_style="bold",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        table.add_column("#", justify="right", style="dim")
        table.add_column("Velocity (cites/yr, basis)", no_wrap=True)
        table.add_column("Counted", justify="right", no_wrap=True)
        table.add_column("→ part", justify="right")
        table.add_column("Age", justify="right")
        table.add_column("→ recency part", justify="right")
        table.add_column("→ relevance part", justify="right")
        table.add_column("= score", justify="right", style="bold")
        for index, record in enumerate(records, start=1):
            parts = record.get("score_parts") or {}
            velocity = record.get("velocity")
            table.add_row(
                str(index),
                ("?" if velocity is None else f"{velocity:.1f}")
                + f" ({record.get('velocity_basis')})",
                _counted(record),
                f"{parts.get('velocity', 0):.3f}",
                human_age(record.get("age_days")),
                f"{parts.get('recency', 0):.3f}",
                f"{parts.get('relevance', 0):.3f}",
                f"{record.get('score') or 0:.3f}",
            )
        console.print(table)
        console.print(Text(EXPLAIN_NOTE, style="dim"))

    def text(self, text: str) -> None:
        """Plain text data (e.g. BibTeX, a config dump) to stdout."""
        self.stdout.write(text if text.endswith("\n") else text + "\n")
        self.stdout.flush()

    def json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        self.stdout.flush()


def _row(index: int, record: dict[str, Any]) -> dict[str, str]:
    """One table row as text, by column name."""
    flags = [
        name
        for name, on in (("survey", record.get("is_survey")), ("code", record.get("code_urls")))
        if on
    ]
    published = record.get("published") or str(record.get("year") or "?")
    velocity = record.get("velocity")
    marker = LIFETIME_MARK if record.get("velocity_basis") == "lifetime" else ""
    cites = record.get("citations")
    return {
        "#": str(index),
        "Title": record.get("title") or "",
        "First author": first_author(record.get("authors")),
        "Published": f"{published} · {human_age(record.get('age_days'))}",
        "Cites": "?" if cites is None else str(cites),
        "Cites/yr": "?" if velocity is None else f"{velocity:.1f}{marker}",
        "Score": f"{record.get('score') or 0:.2f}",
        "ID": record.get("id") or "",
        "": " ".join(flags),
    }


EXPLAIN_NOTE = (
    "Velocity = (citations counted + prior) / (days counted + prior), per year. Bases: "
    "citing_dates (citing papers' dates), all_in_window (younger than the window), "
    "openalex_years (OpenAlex counts per year), snapshots (litscout's earlier counts), "
    "lifetime (total over age: overstates an old paper's rate now; ranked faded by window/age)."
)
LIFETIME_MARK = "~"
LIFETIME_LEGEND = (
    f"{LIFETIME_MARK} lifetime average: no dated citations for it (it overstates an old "
    "paper's rate now; ranking fades it by window/age)"
)


def _counted(record: dict[str, Any]) -> str:
    """`110 in 365 d` — the citations and the window behind a velocity."""
    window = record.get("velocity_window") or {}
    if not window:
        return "?"
    if record.get("velocity_basis") == "lifetime":
        return f"{window.get('citations', 0):,.0f} in {human_age(window.get('days'))} (all)"
    return f"{window.get('citations', 0):,.0f} in {window.get('days', 0):,} d"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
