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
        width: int | None = None,
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
        self.width = width  # a table's width; None: the terminal's (or $COLUMNS, else 80)

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
            width=self.width,
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
        from rich.text import Text

        console = self.console()
        if title:
            console.print(Text(title, style="bold"))
        if not records:
            if empty:  # None: the title already says there is nothing (a digest's header)
                console.print(Text(empty, style="dim"))
            return
        from .papertable import print_fields, print_papers

        if self.fields:
            print_fields(console, records, self.fields)
            return
        print_papers(console, records, explain=explain, extra_columns=extra_columns)

    def text(self, text: str) -> None:
        """Plain text data (e.g. BibTeX, a config dump) to stdout."""
        self.stdout.write(text if text.endswith("\n") else text + "\n")
        self.stdout.flush()

    def json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        self.stdout.flush()
