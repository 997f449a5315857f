"""Where a run's papers come from: the daily listing, the owed backfill, citation watches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..context import Context
from ..errors import SourceError, UsageError
from ..models import Paper
from ..store.watches import WatchDef, WatchStore
from . import backfill
from .calendar import day_text, eastern_date, last_feed_update, moment_text, previous_weekday
from .define import (
    CITES_LIMIT,
    CITES_LOOKBACK_DAYS,
    DAY,
    FIRST_RUN_DAYS,
    RETRY_EMPTY_DAYS,
    stuck,
)
from .match import Predicate, compile_query


@dataclass
class Found:
    ids: list[str] = field(default_factory=list)
    source: str = ""
    backfill_from: float | None = None
    error: str | None = None
    announced: date | None = None  # the listing day read
    ask_again_from: float | None = None  # owed: a later run asks the API from here
    tries: int = 0  # empty answers in a row to the owed backfill
    retry: float | None = None  # the owed backfill is not asked before this (None: next run)
    reaches: float | None = None  # submissions since then are covered (None: the listing)
    listing: date | None = None  # the listing day this run read
    notes: list[str] = field(default_factory=list)  # warnings for the digest


def fetch_all(
    ctx: Context, store: WatchStore, watches: list[WatchDef], dry_run: bool
) -> dict[str, Found]:
    found: dict[str, Found] = {}
    feed_watches = [w for w in watches if w.categories and not w.cites]
    feed: Any = None
    feed_error: str | None = None
    if feed_watches:
        categories = [c for w in feed_watches for c in w.categories]
        try:
            feed = _feed(ctx, store, categories)
        except SourceError as exc:
            feed_error = exc.message
    listed: dict[str, list[Paper]] = {}  # what the listing gave the watches that backfill
    by_categories: list[backfill.Need] = []
    by_queries: list[backfill.Need] = []
    for watch in watches:
        problem = stuck(watch, ctx.now)
        if problem is not None:  # asking would only repeat the same useless request
            if not dry_run:
                store.record_failure(watch.name, problem, ctx.now)
            found[watch.name] = Found(error=problem)
            continue
        if not watch.categories and (_fetched_today(ctx, watch) or _waiting(ctx, watch)):
            # arXiv announces once a day; S2 is asked at most daily too (--refresh: ask now).
            found[watch.name] = Found(source="already fetched today")
            continue
        try:
            if watch.cites:
                papers, outcome = _citations(ctx, watch)
            elif watch.categories:
                if feed_error is not None:
                    raise SourceError("arXiv", feed_error.removeprefix("arXiv: "))
                papers, outcome = _from_feed(ctx, watch, feed)
                start = backfill_start(ctx, watch, feed.announced)
                if start is None and not feed.items and watch.last_fetch is None:
                    # A new watch's first listing came back empty: nothing else would notice
                    # a missed day, so the next run reads the listing again and backfills.
                    today = feed.announced or eastern_date(ctx.now)
                    outcome.ask_again_from = missed_since(previous_weekday(today))
                if start is not None and not _waiting(ctx, watch):
                    listed[watch.name] = papers
                    found[watch.name] = outcome
                    by_categories.append(backfill.Need(watch, start))
                    continue
                if start is not None:  # an empty answer is asked again later, not now
                    _still_owed(watch, outcome)
            else:
                listed[watch.name] = []
                found[watch.name] = Found(source="arXiv API")
                by_queries.append(backfill.Need(watch, _api_start(ctx, watch)))
                continue
            _record(ctx, store, watch, papers, outcome, dry_run)
        except (SourceError, UsageError) as exc:  # told with the digest and by the caller
            # (UsageError: arXiv rejected a query that parsed here; the other watches go on.)
            outcome = _failed(ctx, store, watch, exc.message, dry_run)
        found[watch.name] = outcome
    answers: list[backfill.Answer] = []
    if by_categories:
        try:
            answers.append(backfill.by_categories(ctx, by_categories))
        except UsageError as exc:
            answers.append(backfill.Answer("", by_categories, error=exc.message))
    if by_queries:
        answers.extend(backfill.by_queries(ctx, by_queries))
    for answer in answers:
        _tell(ctx, answer)
        for need in answer.needs:
            found[need.name] = _settle(
                ctx, store, need, answer, listed[need.name], found[need.name], dry_run
            )
    return found


def _record(
    ctx: Context, store: WatchStore, watch: WatchDef, papers: list[Paper], outcome: Found,
    dry_run: bool,
) -> None:  # fmt: skip
    stored = ctx.store.upsert_papers(papers, now=ctx.now)
    outcome.ids = list(dict.fromkeys(p.id for p in stored))
    if not dry_run:
        store.record_fetch(
            watch.name, outcome.ids, ctx.now, outcome.announced, outcome.ask_again_from,
            outcome.tries, outcome.retry,
        )  # fmt: skip
        if outcome.error:  # fetched, but something is owed and the user must hear of it
            store.record_failure(watch.name, outcome.error, ctx.now)


def _failed(ctx: Context, store: WatchStore, watch: WatchDef, message: str, dry_run: bool) -> Found:
    if not dry_run:
        store.record_failure(watch.name, message, ctx.now)
    return Found(error=message)


def _waiting(ctx: Context, watch: WatchDef) -> bool:
    """An owed backfill that arXiv answered empty: not asked again before its retry time."""
    return (
        not ctx.refresh
        and watch.backfill_from is not None
        and watch.backfill_retry is not None
        and ctx.now < watch.backfill_retry
    )


def _still_owed(watch: WatchDef, outcome: Found) -> None:
    outcome.ask_again_from = watch.backfill_from
    outcome.tries = watch.backfill_tries
    outcome.retry = watch.backfill_retry
    outcome.announced = None  # the gap is not covered yet
    if watch.backfill_from is not None and watch.backfill_retry is not None:
        outcome.notes.append(
            f"{watch.name}: the backfill from {day_text(watch.backfill_from)} is still owed "
            f"(arXiv answered an empty page); asked again after {moment_text(watch.backfill_retry)}"
        )


def _tell(ctx: Context, answer: backfill.Answer) -> None:
    """One stderr line for a backfill that could not fetch everything."""
    if answer.resume is not None:
        since = day_text(min(n.start for n in answer.needs))
        ctx.reporter.warn(
            f"backfill for {backfill.names(answer.needs)}: {answer.left_out:,} of "
            f"{answer.total:,} papers submitted since {since} "
            f"were left out ({answer.stopped}); the next run fetches them"
        )


def _settle(
    ctx: Context,
    store: WatchStore,
    need: backfill.Need,
    answer: backfill.Answer,
    listed: list[Paper],
    outcome: Found,
    dry_run: bool,
) -> Found:
    """One watch's share of a combined backfill, merged with its listing, recorded."""
    watch = need.watch
    if answer.error is not None:
        return _failed(ctx, store, watch, answer.error, dry_run)
    extra = answer.pick(need, _acceptor(watch))
    by_id = {p.arxiv_id: p for p in listed}
    for paper in extra:
        if paper.arxiv_id in by_id:
            paper.merge(by_id.pop(paper.arxiv_id))
    papers = list(by_id.values()) + extra
    outcome.backfill_from = need.start
    outcome.reaches = need.start
    outcome.source = "arXiv listing + API backfill" if watch.categories else "arXiv API"
    tries = (watch.backfill_tries if watch.backfill_from is not None else 0) + 1
    if answer.empty and ctx.now - need.start < RETRY_EMPTY_DAYS * DAY:
        # arXiv sometimes answers an empty page for a query that has results. Over busy
        # categories and several days that is an error: owed, asked again on a later
        # announcement day with backoff (1, 2, 4 ... days), believed after RETRY_EMPTY_DAYS.
        # A watch without categories may well have no new match: owed without an error,
        # asked with its next daily request (which it makes anyway).
        outcome.ask_again_from = need.start
        outcome.tries = tries
        wait = 2 ** min(tries - 1, 4) if watch.categories else 1
        outcome.retry = last_feed_update(ctx.now) + wait * DAY
        outcome.announced = None
        if watch.categories:
            outcome.error = (
                f"arXiv answered no papers at all for {', '.join(watch.categories)} submitted "
                f"since {day_text(need.start)}, which is not believable; asked again after "
                f"{moment_text(outcome.retry)}"
            )
    elif answer.empty and watch.categories:
        outcome.notes.append(
            f"{watch.name}: arXiv answered no papers since {day_text(need.start)} {tries} times; "
            "believed"
        )
    elif answer.resume is not None:  # told on stderr for all its watches (`_tell`)
        outcome.ask_again_from = max(need.start, answer.resume)
        outcome.announced = None
    elif watch.categories and outcome.announced is None:
        # The gap is covered through today: an empty listing (a weekend) still counts.
        outcome.announced = eastern_date(ctx.now)
    try:
        _record(ctx, store, watch, papers, outcome, dry_run)
    except (SourceError, UsageError) as exc:
        return _failed(ctx, store, watch, exc.message, dry_run)
    return outcome


def _acceptor(watch: WatchDef) -> Predicate:
    """Does a paper of a combined backfill belong to this watch? The listing's rules."""
    matches = _predicate(watch)
    wanted = set(watch.categories)
    return lambda paper: _in_categories(paper, wanted) and matches(paper)


def _fetched_today(ctx: Context, watch: WatchDef) -> bool:
    """Fetched since the listings last changed, and no reset asks for more."""
    return (
        not ctx.refresh
        and watch.backfill_from is None
        and watch.last_fetch is not None
        and watch.last_fetch >= last_feed_update(ctx.now)
    )


def _feed(ctx: Context, store: WatchStore, categories: list[str]) -> Any:
    """Today's listing of `categories`: from the cache when fetched since the last update."""
    from ..sources.arxiv_feed import ArxivFeed, parse, spec_for

    spec = spec_for(categories)
    if not ctx.refresh:
        # Today's listing of these categories, or of a superset (`watch run NAME` after a
        # run of every watch): each watch filters by its own categories anyway.
        wanted = set(categories)
        for known, _ in store.feeds_since(last_feed_update(ctx.now)):
            have = set(known.split("+"))
            if all(c in have or c.split(".")[0] in have for c in wanted):
                cached = store.cached_feed(known)
                if cached is not None:
                    return parse(cached.body, known)
    ctx.reporter.status(f"Reading the arXiv listing for {spec}…")
    feed, body = ArxivFeed(ctx.http).fetch(categories)
    if feed.items:  # an empty listing may be arXiv's mistake: not the day's answer
        store.save_feed(spec, ctx.now, feed.announced, body)
    return feed


def _from_feed(ctx: Context, watch: WatchDef, feed: Any) -> tuple[list[Paper], Found]:
    matches = _predicate(watch)
    wanted = set(watch.categories)
    picked: dict[str, Paper] = {}
    for item in feed.items:
        paper = item.paper
        if not item.is_new or not _in_categories(paper, wanted) or not matches(paper):
            continue
        picked[paper.arxiv_id or paper.title] = paper
    papers = _prefer_stored(ctx, list(picked.values()))
    # An empty listing is normal on weekends and holidays, but arXiv also answers one by
    # mistake: it does not count as having read that day, so a missed day is still noticed.
    outcome = Found(source="arXiv listing", announced=feed.announced if feed.items else None)
    outcome.listing = feed.announced
    return papers, outcome


def _citations(ctx: Context, watch: WatchDef) -> tuple[list[Paper], Found]:
    from .. import ids

    assert watch.cites is not None
    reference = watch.backfill_from or watch.last_fetch or ctx.now
    start = reference - CITES_LOOKBACK_DAYS * DAY
    since = datetime.fromtimestamp(start, UTC).date()
    target = ids.parse(watch.cites).s2
    ctx.reporter.status(f"Asking Semantic Scholar what cites {watch.cites}…")
    cited, _ = ctx.s2.citations(target, limit=CITES_LIMIT, date_range=f"{since.isoformat()}:")
    papers = [paper for paper, _influential in cited]
    if watch.query:
        matches = _predicate(watch)
        papers = [p for p in papers if matches(p)]
    if watch.categories:
        wanted = set(watch.categories)
        papers = [p for p in papers if not p.categories or _in_categories(p, wanted)]
    backfill = watch.backfill_from if watch.backfill_from else None
    return papers, Found(source="Semantic Scholar citations", backfill_from=backfill)


def _predicate(watch: WatchDef) -> Predicate:
    if not watch.query:
        return lambda paper: True
    return compile_query(watch.query)


def _in_categories(paper: Paper, wanted: set[str]) -> bool:
    if not wanted:
        return True
    cats = set(paper.categories)
    archives = {c.split(".")[0] for c in cats}
    return bool(wanted & cats or wanted & archives)


def _prefer_stored(ctx: Context, papers: list[Paper]) -> list[Paper]:
    """Feed items know the announcement day, not the submission date: keep stored facts."""
    out = []
    for paper in papers:
        known = ctx.store.find(arxiv_id=paper.arxiv_id) if paper.arxiv_id else None
        if known is not None and known.published is not None:
            known.merge(paper)
            out.append(known)
        else:
            out.append(paper)
    return out


def _api_start(ctx: Context, watch: WatchDef) -> float:
    """Where the API request of a watch without categories starts."""
    if watch.backfill_from is not None:
        return watch.backfill_from
    if watch.last_fetch is not None:
        return missed_since(eastern_date(watch.last_fetch))
    return ctx.now - FIRST_RUN_DAYS * DAY


def backfill_start(ctx: Context, watch: WatchDef, announced: date | None) -> float | None:
    """Where an API backfill must start for a feed watch, or None when the feed suffices.

    The feed lists one announcement day. A listing was missed when a weekday lies between
    the day the watch last read and today's; without that record (a watch that last
    fetched through the API), when the last fetch happened before the previous
    announcement day (US Eastern). arXiv holidays at worst cost one needless request.
    The backfill asks only for what the missed listings announced (`missed_since`).
    """
    if watch.backfill_from is not None:
        return watch.backfill_from
    if watch.last_fetch is None:
        return None  # first run: the feed alone
    today = announced or eastern_date(ctx.now)
    last = watch.last_announced or eastern_date(watch.last_fetch)
    return missed_since(last) if last < previous_weekday(today) else None


def missed_since(last_listing: date) -> float:
    """The submissions a reader of `last_listing` may not have seen: from midnight (UTC) of
    the weekday before it.

    A listing announces what was submitted up to 14:00 US Eastern of the weekday before its
    date (Monday's listing: Thursday 14:00 to Friday 14:00), so everything the following
    listings announce was submitted after that; starting at midnight adds about a day of
    overlap (the ~19 hours before the cut-off) for papers arXiv announces late.
    """
    day = previous_weekday(last_listing)
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
