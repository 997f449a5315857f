"""`litscout export`: entries for reference managers (BibTeX, CSL-JSON, RIS), from ids given
as arguments or on stdin (`-`), printed or added to a .bib file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    FieldsOpt,
    JsonOpt,
    OfflineOpt,
    RefreshOpt,
    check_args,
    command,
    context,
    summary,
    total_requests,
)

EXPORT_FORMATS = ("bibtex", "csl-json", "ris", "json", "jsonl", "csv", "table", "auto")


def register(app: typer.Typer) -> None:
    app.command("export")(export)


@command
def export(
    paper_ids: Annotated[
        list[str],
        typer.Argument(
            help="Papers to export (any id form, or titles); - reads ids, one a line, or "
            "litscout's JSON Lines or JSON from stdin.",
            show_default=False,
            metavar="PAPER...",
        ),
    ],
    bib: Annotated[
        Path | None,
        typer.Option(
            "--bib",
            help="Add to this .bib file only the papers it lacks (same key, arXiv id or DOI).",
            metavar="FILE",
        ),
    ] = None,
    bibtex: Annotated[bool, typer.Option("--bibtex", help="BibTeX entries (the default).")] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="bibtex (default), csl-json (pandoc, Zotero), ris (EndNote, Zotero, "
            "Mendeley), or records: json, jsonl, csv, table.",
            metavar="FORMAT",
        ),
    ] = "bibtex",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """Citations for your reference manager: BibTeX (S2's entry when known, stable keys),
    CSL-JSON or RIS."""
    from ..errors import UsageError
    from ..follow import export_records
    from ..models import RECORD_KEYS
    from ..render.output import Output, parse_fields

    check_args(offline, refresh)
    chosen = "bibtex" if bibtex or fmt == "auto" else fmt
    out = Output(
        "json" if as_json else chosen,
        parse_fields(fields, RECORD_KEYS + ("bibtex",)),
        formats=EXPORT_FORMATS,
    )
    if bib is not None and out.format != "bibtex":
        raise UsageError("--bib adds BibTeX entries", hint=f"drop --format {out.format}")
    texts = read_ids(paper_ids)
    existing = _read_bib(bib) if bib is not None else None
    with context(offline=offline, refresh=refresh, progress="Fetching references…") as ctx:
        records = export_records(ctx, texts)
        requests = ctx.requests_made()
    if bib is not None and existing is not None:
        _add_to_bib(bib, existing, records)
    else:
        out.records(records)
    noun = "entry" if len(records) == 1 else "entries"
    summary(f"{len(records)} {noun} · {total_requests(requests)} request(s)")


def read_ids(args: list[str]) -> list[str]:
    """The arguments, with `-` replaced by the ids read from stdin."""
    out: list[str] = []
    for arg in args:
        out.extend(ids_from_text(sys.stdin.read()) if arg == "-" else [arg])
    return out


def ids_from_text(text: str) -> list[str]:
    """Ids from stdin: a JSON array of records, JSON Lines of records, or one id a line."""
    import json

    from ..errors import UsageError

    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise UsageError(f"stdin is not valid JSON: {exc}") from None
        return [_record_id(item, "stdin") for item in items]
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"stdin line {number} is not valid JSON: {exc}") from None
            found.append(_record_id(item, f"stdin line {number}"))
        else:
            found.append(line)
    if not found:
        raise UsageError("no paper ids on stdin", hint="pipe ids, one a line, or litscout's JSON")
    return found


def _record_id(item: object, where: str) -> str:
    from ..errors import UsageError

    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    raise UsageError(f'{where} is not a litscout record (no "id")')


def _read_bib(path: Path) -> str:
    from ..errors import UsageError

    if not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _add_to_bib(path: Path, existing: str, records: list[dict[str, object]]) -> None:
    from ..render import bibfile
    from ..render.digest import write_atomic
    from ..render.output import note

    added, count, present = bibfile.missing(existing, records)
    if count:
        head = existing.rstrip("\n") + "\n\n" if existing.strip() else ""
        write_atomic(path, head + added)
    there = f" ({present} already there)" if present else ""
    note(f"Added {count} entr{'y' if count == 1 else 'ies'} to {path}{there}")
