"""`litscout map TOPIC [TOPIC2]`: the named fields next to a topic, or where two topics meet."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import (
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    OfflineOpt,
    RefreshOpt,
    check_args,
    command,
    context,
    summary,
    total_requests,
)


def register(app: typer.Typer) -> None:
    """Add `map` to the main app (called once by cli/__init__.py)."""
    app.command("map")(map_topics)


def map_keys() -> tuple[str, ...]:
    """Every key a map record may have: the `topic`, `neighbour`, `meeting` records', then
    the paper records' (`paper`, `nearest`: a search record with `kind` and `topic`)."""
    from ..find.meet import MEETING_KEYS
    from ..find.neighbours import NEIGHBOUR_KEYS, TOPIC_KEYS
    from ..models import RECORD_KEYS

    return tuple(dict.fromkeys(TOPIC_KEYS + NEIGHBOUR_KEYS + MEETING_KEYS + RECORD_KEYS))


@command
def map_topics(
    topic: Annotated[
        str,
        typer.Argument(help='A field\'s name: "few-shot learning".', show_default=False),
    ],
    topic2: Annotated[
        str | None,
        typer.Argument(
            help='A second one: where do they meet? "class imbalance".', show_default=False
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            help="How many neighbours (one topic, 8) or papers on both (two topics, 20).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    offline: OfflineOpt = False,
    refresh: RefreshOpt = False,
) -> None:
    """The map around a topic: the named fields next to it (how strongly tied, their fastest
    recent paper, their best survey), or, given two, the papers where they meet."""
    from ..api import check_topic
    from ..errors import UsageError
    from ..find.meet import PAPERS, meet
    from ..find.neighbours import NEIGHBOURS, map_topic
    from ..render.mapview import show
    from ..render.output import Output, parse_fields

    check_args(offline, refresh, limit=limit)
    first = check_topic(topic, "topic")
    second = check_topic(topic2, "second topic") if topic2 is not None else None
    keys = map_keys()
    wanted = parse_fields(fields, keys)
    out = Output("json" if as_json else fmt, wanted)
    if out.format == "bibtex":
        raise UsageError("a map is not a list of papers: BibTeX does not apply", hint="use --json")
    if out.format == "csv" and not wanted:
        out.fields = list(keys)
    what = f"{first!r}" + (f" and {second!r}" if second else "")
    with context(offline=offline, refresh=refresh, progress=f"Mapping {what}…") as ctx:
        if second is None:
            result = map_topic(ctx, first, limit=limit or NEIGHBOURS)
        else:
            result = meet(ctx, first, second, limit=limit or PAPERS)
    if out.human and not wanted:
        show(out, result.records)
    else:
        out.records(result.records)
    source = "cache" if result.from_cache else "network"
    summary(
        f"drawn from {result.pool} papers · from {source} · "
        f"{total_requests(result.requests)} request(s)"
    )
