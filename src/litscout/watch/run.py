"""`watch run`: fetch, rank, hand the digests over, then mark them seen (unless a dry run)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..context import Context
from ..errors import SourceError, UsageError
from ..query import Query
from ..rank.score import Ranked
from ..store.watches import WatchDef, WatchStore
from .calendar import day_text
from .define import DAY
from .fetch import Found, fetch_all
from .lock import exclusive

# -- running ------------------------------------------------------------------------------


@dataclass
class Digest:
    """What one watch delivers in one run."""

    watch: WatchDef
    items: list[Ranked] = field(default_factory=list)
    filtered: list[str] = field(default_factory=list)  # ids settled without being shown
    below_min: int = 0  # how many of them scored below the minimum
    since: float | None = None  # the previous successful delivery (None: first run)
    backfill_from: float | None = None  # start of an API backfill, when one was made
    source: str = ""  # "feed", "feed + API backfill", "arXiv API", "Semantic Scholar"
    error: str | None = None  # why fetching failed (pending papers are still delivered)
    stale_days: float | None = None  # days without a successful fetch, when stale
    reaches: float | None = None  # this run covered submissions since then (None: listing only)
    listing: date | None = None  # the listing day read, when one was
    notes: list[str] = field(default_factory=list)  # what was left for a later run, and why

    @property
    def name(self) -> str:
        return self.watch.name

    def records(self) -> list[dict[str, Any]]:
        from ..find.engine import record

        return [{**record(item), "watch": self.name} for item in self.items]

    def header(self) -> str:
        count = len(self.items)
        text = f"{self.name} · {count} new paper{'' if count == 1 else 's'}"
        if self.since is not None:
            text += f" since {day_text(self.since)}"
        else:
            text += " (first run)"
        if self.below_min:
            text += f" · {self.below_min} below min score"
        if self.stale_days is not None:
            text += " · STALE"
        reach = self.reach()
        if reach:
            text += f" · {reach}"
        return text

    def reach(self) -> str:
        """How far back this run looked: the listing, and the submissions a backfill asked."""
        parts = []
        if self.listing is not None:
            parts.append(f"listing of {self.listing.isoformat()}")
        if self.reaches is not None:
            parts.append(f"submissions since {day_text(self.reaches)}")
        return "reaches " + " + ".join(parts) if parts else ""

    def warnings(self, errors: bool = True) -> list[str]:
        """For the digest header; `errors=False` leaves out the fetch error (told elsewhere)."""
        out = []
        if self.error and errors:
            out.append(f"{self.name}: could not fetch new papers ({self.error})")
        out.extend(self.notes)
        if self.stale_days is not None:
            out.append(
                f"{self.name}: stale — no successful fetch for {self.stale_days:.0f} days"
                if self.stale_days < 1e6
                else f"{self.name}: stale — never fetched successfully"
            )
        return out


@dataclass
class RunResult:
    digests: list[Digest]
    dry_run: bool = False
    requests: dict[str, int] = field(default_factory=dict)
    delivered: dict[str, int] = field(default_factory=dict)  # filled after marking

    def records(self) -> list[dict[str, Any]]:
        return [r for d in self.digests for r in d.records()]

    @property
    def failed(self) -> list[Digest]:
        return [d for d in self.digests if d.error]


Deliver = Callable[[RunResult], None]


def run(
    ctx: Context,
    names: Iterable[str] = (),
    *,
    deliver: Deliver,
    dry_run: bool = False,
    min_score: float | None = None,
    lock_path: Path | None = None,
) -> RunResult:
    """Fetch, rank, hand the digests to `deliver`, then mark them seen (unless dry_run).

    `deliver` must write everything (files atomically, stdout flushed) and raise on any
    failure; papers are marked only after it returns.
    """
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise UsageError(f"--min-score {min_score} is out of range", hint="scores run from 0 to 1")
    store = WatchStore(ctx.store)
    wanted = list(names)
    store.require(wanted)  # unknown names fail before any waiting or fetching
    lock = (
        nullcontext()
        if dry_run
        else exclusive(
            lock_path or paths.home() / "watch.lock",
            ctx.settings.watch.lock_timeout,
            on_wait=ctx.reporter.warn,
        )
    )
    with lock:
        # Fresh state and clock: another run may just have finished while we waited.
        ctx.now = time.time()
        ctx.today = datetime.fromtimestamp(ctx.now, UTC).date()
        watches = store.require(wanted)
        result = RunResult([], dry_run=dry_run)
        if not watches:
            return result
        found = fetch_all(ctx, store, watches, dry_run)
        _enrich(ctx, store, watches, found, dry_run)
        result.digests = [
            _digest(ctx, store, watch, found[watch.name], dry_run, min_score) for watch in watches
        ]
        result.requests = ctx.requests_made()
        deliver(result)
        if not dry_run:
            outcomes = {
                d.name: ([item.paper.id for item in d.items], d.filtered) for d in result.digests
            }
            ok = [d.name for d in result.digests if not d.error]
            result.delivered = store.deliver(outcomes, time.time(), ok)
    return result


def _enrich(
    ctx: Context,
    store: WatchStore,
    watches: list[WatchDef],
    found: dict[str, Found],
    dry_run: bool,
) -> None:
    """Citation counts for every pending paper that lacks one: one S2 batch request."""
    wanted: set[str] = set()
    for watch in watches:
        wanted.update(_pending(store, watch, found[watch.name], dry_run))
    papers = [p for p in ctx.store.get(wanted).values() if p.citations is None and p.arxiv_id]
    if not papers:
        return
    ctx.reporter.status(f"Counting citations of {len(papers)} new papers…")
    try:
        extra = ctx.s2.batch([f"ARXIV:{p.arxiv_id}" for p in papers])
    except SourceError as exc:
        ctx.reporter.warn(f"{exc.message} — citation counts are missing")
        return
    updated = []
    for paper, more in zip(papers, extra, strict=True):
        if more is not None:
            paper.merge(more)
            updated.append(paper)
    if updated:
        ctx.store.upsert_papers(updated, now=ctx.now)


def _pending(store: WatchStore, watch: WatchDef, found: Found, dry_run: bool) -> list[str]:
    pending = store.pending(watch.name)
    if dry_run:  # nothing was recorded: add what this run found and was not delivered before
        settled = store.settled(watch.name, found.ids)
        pending += [i for i in found.ids if i not in settled and i not in pending]
    return pending


def _digest(
    ctx: Context,
    store: WatchStore,
    watch: WatchDef,
    found: Found,
    dry_run: bool,
    min_score: float | None,
) -> Digest:
    from ..find.engine import rank_papers
    from ..rank.score import sort_ranked

    ids = _pending(store, watch, found, dry_run)
    known = ctx.store.get(ids)
    papers = [known[i] for i in ids if i in known]
    terms = Query(text=watch.query).terms() if watch.query else []
    ranked = sort_ranked(rank_papers(ctx, papers, terms), "score")
    floor = min_score if min_score is not None else watch.min_score
    items = [r for r in ranked if floor is None or r.score >= floor]
    below = [r.paper.id for r in ranked if floor is not None and r.score < floor]
    gone = [i for i in ids if i not in known]  # merged away under another id: settle it
    last_fetch = watch.last_fetch if found.error else ctx.now
    stale: float | None = None
    reference = last_fetch if last_fetch is not None else watch.created_at
    if ctx.now - reference > ctx.settings.watch.stale_days * DAY:
        stale = (ctx.now - reference) / DAY if last_fetch is not None else float("inf")
    return Digest(
        watch=watch,
        items=items,
        filtered=below + gone,
        below_min=len(below),
        since=watch.last_success,
        backfill_from=found.backfill_from,
        source=found.source,
        error=found.error,
        stale_days=stale,
        reaches=found.reaches,
        listing=found.listing,
        notes=list(found.notes),
    )
