"""Watches as the user defines them: names, queries, categories; listing, reset, stuck."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from ..context import Context
from ..errors import UsageError
from ..query import Query, parse_date
from ..store.watches import WatchDef, WatchStore
from .calendar import day_text
from .match import compile_query

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DAY = 86_400.0
FIRST_RUN_DAYS = 3  # first run of a watch without categories: submitted in the last 3 days
CITES_LOOKBACK_DAYS = 30  # S2 indexes citing papers late: re-ask a month back every run
CITES_LIMIT = 1000  # one page of citing papers per run
RETRY_EMPTY_DAYS = 14  # an empty backfill answer is asked again later, for a window this young


# -- definitions --------------------------------------------------------------------------


def define(
    name: str,
    query: str | None,
    categories: Iterable[str] = (),
    cites: str | None = None,
    min_score: float | None = None,
    now: float | None = None,
    since: str | None = None,
) -> WatchDef:
    """Validate a watch definition; UsageError on the first problem.

    `since` (2025-01-01, 7d, 2w) seeds a new watch with the recent past: its first run
    backfills from that day (one request shared with the other watches that need one).
    """
    name = (name or "").strip()
    if not NAME.match(name):
        raise UsageError(
            f"not a usable watch name: {name!r}",
            hint="use letters, digits, '-', '_' or '.', starting with a letter or digit",
        )
    text = " ".join((query or "").split()) or None
    cats = [c.strip() for c in categories if c and c.strip()]
    if text is None and not cites:
        raise UsageError(
            "empty query",
            hint=f'give a topic (litscout watch add {name} "few-shot learning") or --cites ID',
        )
    valid_cats: tuple[str, ...] = ()
    if text is not None:
        built = Query.build(text, categories=cats)
        compile_query(built.text)  # arXiv syntax errors surface now, not at 7 a.m.
        text, valid_cats = built.text, built.categories
    elif cats:
        from .. import categories as taxonomy

        try:
            valid_cats = tuple(dict.fromkeys(taxonomy.validate(cats)))
        except ValueError as exc:
            raise UsageError(str(exc), hint="see https://arxiv.org/category_taxonomy") from None
    cited = None
    if cites:
        from .. import ids

        cited = ids.parse(cites).canonical
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise UsageError(f"--min-score {min_score} is out of range", hint="scores run from 0 to 1")
    created = time.time() if now is None else now
    start: float | None = None
    if since is not None:
        today = datetime.fromtimestamp(created, UTC).date()
        day = parse_date(since, today=today)
        if day > today:
            raise UsageError(f"--since {since} is in the future", hint="e.g. --since 7d")
        start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    return WatchDef(
        name=name,
        query=text,
        categories=valid_cats,
        cites=cited,
        min_score=min_score,
        created_at=created,
        backfill_from=start,
    )


def describe(watch: WatchDef) -> str:
    """One line for people: the query, categories and cited paper."""
    parts = []
    if watch.cites:
        parts.append(f"cites {watch.cites}")
    if watch.query:
        parts.append(watch.query)
    if watch.categories:
        parts.append("in " + ", ".join(watch.categories))
    return " · ".join(parts)


def is_stale(watch: WatchDef, now: float, stale_days: float) -> bool:
    """No successful fetch for `stale_days` (a never-run watch is stale once it is that old)."""
    reference = watch.last_fetch if watch.last_fetch is not None else watch.created_at
    return now - reference > stale_days * DAY


def stuck(watch: WatchDef, now: float) -> str | None:
    """Why the watch's state can never make progress (every run would ask the same), if so."""
    fix = f"fix it with `litscout watch reset {watch.name} --since 7d`"
    if watch.backfill_from is not None and watch.backfill_from > now + DAY:
        return (
            f"cannot make progress: its backfill starts {day_text(watch.backfill_from)}, in the "
            f"future; {fix}"
        )
    if (
        watch.backfill_from is None
        and watch.last_fetch is not None
        and watch.last_fetch > now + DAY
    ):
        return (
            f"cannot make progress: its last fetch is dated {day_text(watch.last_fetch)}, in the "
            f"future (was the clock wrong?); {fix}"
        )
    return None


def listing(ctx: Context) -> list[dict[str, Any]]:
    """`watch list`: one row per watch with its state (a stuck one as an error)."""
    store = WatchStore(ctx.store)
    unseen = store.unseen_counts()
    delivered = store.delivered_counts()
    rows = []
    for watch in store.all():
        problem = stuck(watch, ctx.now)
        rows.append(
            {
                "name": watch.name,
                "query": watch.query,
                "categories": list(watch.categories),
                "cites": watch.cites,
                "min_score": watch.min_score,
                "created": iso(watch.created_at),
                "last_run": iso(watch.last_run),
                "last_success": iso(watch.last_success),
                "last_fetch": iso(watch.last_fetch),
                "last_error": problem or watch.last_error,
                "unseen": unseen.get(watch.name, 0),
                "delivered": delivered.get(watch.name, 0),
                "stale": bool(problem) or is_stale(watch, ctx.now, ctx.settings.watch.stale_days),
                "stuck": problem is not None,
            }
        )
    return rows


def reset(ctx: Context, name: str, since: str) -> tuple[int, date]:
    """Re-open what `name` delivered since `since`; the next run also backfills from there."""
    day = parse_date(since, today=ctx.today)
    if day > ctx.today:
        # A backfill from the future finds nothing, ever, and asks again every run.
        raise UsageError(
            f"--since {since} is in the future ({day.isoformat()})",
            hint="give a past date: --since 7d, --since 2w or --since YYYY-MM-DD",
        )
    start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    return WatchStore(ctx.store).reset(name, start), day


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
