"""`litscout report`: one self-contained HTML page answering a question (render/html.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import (
    CategoryOpt,
    LimitOpt,
    OfflineOpt,
    RefreshOpt,
    RichReporter,
    SinceOpt,
    SortOpt,
    UntilOpt,
    command,
    interactive,
)

TERMS = 12  # key terms shown on the page


def register(app: typer.Typer) -> None:
    """Add `report` to the main app (called once by cli/__init__.py)."""
    app.command("report")(report)


@command
def report(
    query: Annotated[
        str, typer.Argument(help='Plain words, or arXiv syntax (ti:"..." AND cat:cs.LG).')
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write.", show_default=False),
    ],
    since: SinceOpt = None,
    until: UntilOpt = None,
    category: CategoryOpt = None,
    limit: LimitOpt = None,
    sort: SortOpt = "score",
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """Write one HTML page: a field map (age against citations per year now), the ranked
    papers, the key terms and the surveys. It opens from the file, offline, and prints."""
    from datetime import UTC, datetime

    from .. import api
    from ..errors import LitscoutError
    from ..render import html
    from ..render.digest import check_target, write_atomic

    api.check_sort(sort)
    api.check_limit(limit, api.SEARCH_MAX)
    api.check_mode(offline, refresh)
    check_target(output, "report")
    reporter = RichReporter(show_progress=interactive())
    reporter.start(f"Searching for {query!r}…")
    try:
        records = api.search(
            query,
            since=since,
            until=until,
            categories=category,
            limit=limit,
            sort=sort,
            offline=offline,
            refresh=refresh,
            reporter=reporter,
        )
        generated = datetime.now(UTC)
        reporter.status("Finding the key terms…")
        terms, terms_error = None, None
        try:
            terms = api.terms(query, limit=TERMS, offline=offline, reporter=reporter)
        except LitscoutError as exc:  # the page is still worth having without them
            terms_error = exc.message
        reporter.status("Mapping the neighbouring fields…")
        neighbours, neighbours_error = None, None
        try:
            neighbours = api.map(query, offline=offline, reporter=reporter)
        except LitscoutError as exc:  # nor is it lost without the neighbourhood
            neighbours_error = exc.message
    finally:
        reporter.stop()
    page = html.report(query, records, generated, terms, terms_error, neighbours, neighbours_error)
    write_atomic(output, page)
    from ..render.output import note

    note(f"Wrote {output} ({len(records)} papers)")
