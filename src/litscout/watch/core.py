"""`litscout watch`: saved searches that deliver digests of new papers, never twice, never missed.

A run has three phases:

1. **Fetch.** The listing feed of the union of all watches' categories is read once (one
   request, reused all day: `watch_feeds`) and each watch picks its papers locally
   (`watch_match`). When the last successful fetch is older than the previous announcement
   day, the gap is filled with one arXiv API request per watch (`submittedDate:[...]`). A
   watch without categories asks the API every run; a citation watch (`--cites`) asks
   Semantic Scholar for citing papers in a `publicationDateOrYear` window. What a watch
   finds is recorded as *pending* (`watch_items`).
2. **Rank.** Pending papers of every watch get citation counts in one S2 batch request and
   are ranked like `search` results; the watch's minimum score splits them into shown and
   filtered.
3. **Deliver.** The caller writes the digest (files atomically, stdout flushed); only then
   are the papers marked delivered, in one transaction. A failure anywhere before that
   leaves them pending, and the next run shows them.

Concurrency: a real run holds an exclusive lock on `$LITSCOUT_HOME/watch.lock` from before
it reads the watches' state until their papers are marked, so two runs take turns; the
second finds the feed cached and the papers delivered. `--dry-run` takes no lock and
changes nothing about the watches.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import locks, paths
from ..context import Context
from ..errors import LitscoutError, SourceError, UsageError
from ..models import Paper
from ..query import Query, parse_date
from ..rank.score import Ranked
from ..store.watches import WatchDef, WatchStore
from . import backfill
from .match import Predicate, compile_query

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
            f"cannot make progress: its backfill starts {_day(watch.backfill_from)}, in the "
            f"future; {fix}"
        )
    if (
        watch.backfill_from is None
        and watch.last_fetch is not None
        and watch.last_fetch > now + DAY
    ):
        return (
            f"cannot make progress: its last fetch is dated {_day(watch.last_fetch)}, in the "
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


# -- export / import ----------------------------------------------------------------------


def to_toml(watches: Iterable[WatchDef]) -> str:
    """Watch definitions as TOML (`[[watch]]` tables), the input of `watch import`."""
    lines = [
        "# litscout watches: `litscout watch import FILE` reads this back.",
        "# Keys: name, query, categories, cites, min_score.",
    ]
    for watch in watches:
        lines.append("")
        lines.append("[[watch]]")
        for key, value in watch.definition().items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return toml_string(str(value))


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}  # fmt: skip


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


IMPORT_KEYS = ("name", "query", "categories", "cites", "min_score")


def from_toml(text: str, where: str = "the file") -> list[WatchDef]:
    """Parse and validate exported watches; UsageError naming the entry at fault."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where} is not valid TOML: {exc}") from None
    unknown_top = [k for k in data if k != "watch"]
    entries = data.get("watch", [])
    if unknown_top or not isinstance(entries, list):
        raise UsageError(
            f"{where} does not look like `litscout watch export` output",
            hint="expected [[watch]] tables with name, query, categories, cites, min_score",
        )
    watches: list[WatchDef] = []
    seen: set[str] = set()
    now = time.time()
    for number, entry in enumerate(entries, start=1):
        label = f"watch #{number} in {where}"
        if not isinstance(entry, dict):
            raise UsageError(f"{label} is not a table")
        unknown = sorted(set(entry) - set(IMPORT_KEYS))
        if unknown:
            raise UsageError(
                f"{label}: unknown key {', '.join(unknown)}", hint="keys: " + ", ".join(IMPORT_KEYS)
            )
        name, query, cats = entry.get("name"), entry.get("query"), entry.get("categories", [])
        cites, min_score = entry.get("cites"), entry.get("min_score")
        if not isinstance(name, str):
            raise UsageError(f"{label} has no name")
        if query is not None and not isinstance(query, str):
            raise UsageError(f"{label}: query must be a string")
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise UsageError(f"{label}: categories must be a list of strings")
        if cites is not None and not isinstance(cites, str):
            raise UsageError(f"{label}: cites must be a paper id string")
        if min_score is not None and (
            isinstance(min_score, bool) or not isinstance(min_score, int | float)
        ):
            raise UsageError(f"{label}: min_score must be a number")
        try:
            watch = define(
                name,
                query,
                cats,
                cites,
                float(min_score) if min_score is not None else None,
                now=now,
            )
        except UsageError as exc:
            raise UsageError(f"{label} ({name}): {exc.message}", hint=exc.hint) from None
        if watch.name in seen:
            raise UsageError(f"{where} defines the watch {watch.name!r} twice")
        seen.add(watch.name)
        watches.append(watch)
    return watches


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
            text += f" since {_day(self.since)}"
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
            parts.append(f"submissions since {_day(self.reaches)}")
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
        found = _fetch(ctx, store, watches, dry_run)
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


@dataclass
class _Found:
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


def _fetch(
    ctx: Context, store: WatchStore, watches: list[WatchDef], dry_run: bool
) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
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
            found[watch.name] = _Found(error=problem)
            continue
        if not watch.categories and (_fetched_today(ctx, watch) or _waiting(ctx, watch)):
            # arXiv announces once a day; S2 is asked at most daily too (--refresh: ask now).
            found[watch.name] = _Found(source="already fetched today")
            continue
        try:
            if watch.cites:
                papers, outcome = _citations(ctx, watch)
            elif watch.categories:
                if feed_error is not None:
                    raise SourceError("arXiv", feed_error.removeprefix("arXiv: "))
                papers, outcome = _from_feed(ctx, watch, feed)
                start = _backfill_start(ctx, watch, feed.announced)
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
                found[watch.name] = _Found(source="arXiv API")
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
    ctx: Context, store: WatchStore, watch: WatchDef, papers: list[Paper], outcome: _Found,
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


def _failed(
    ctx: Context, store: WatchStore, watch: WatchDef, message: str, dry_run: bool
) -> _Found:
    if not dry_run:
        store.record_failure(watch.name, message, ctx.now)
    return _Found(error=message)


def _waiting(ctx: Context, watch: WatchDef) -> bool:
    """An owed backfill that arXiv answered empty: not asked again before its retry time."""
    return (
        not ctx.refresh
        and watch.backfill_from is not None
        and watch.backfill_retry is not None
        and ctx.now < watch.backfill_retry
    )


def _still_owed(watch: WatchDef, outcome: _Found) -> None:
    outcome.ask_again_from = watch.backfill_from
    outcome.tries = watch.backfill_tries
    outcome.retry = watch.backfill_retry
    outcome.announced = None  # the gap is not covered yet
    if watch.backfill_from is not None and watch.backfill_retry is not None:
        outcome.notes.append(
            f"{watch.name}: the backfill from {_day(watch.backfill_from)} is still owed "
            f"(arXiv answered an empty page); asked again after {_moment(watch.backfill_retry)}"
        )


def _tell(ctx: Context, answer: backfill.Answer) -> None:
    """One stderr line for a backfill that could not fetch everything."""
    if answer.resume is not None:
        ctx.reporter.warn(
            f"backfill for {backfill.names(answer.needs)}: {answer.left_out:,} of "
            f"{answer.total:,} papers submitted since {_day(min(n.start for n in answer.needs))} "
            f"were left out ({answer.stopped}); the next run fetches them"
        )


def _settle(
    ctx: Context,
    store: WatchStore,
    need: backfill.Need,
    answer: backfill.Answer,
    listed: list[Paper],
    outcome: _Found,
    dry_run: bool,
) -> _Found:
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
                f"since {_day(need.start)}, which is not believable; asked again after "
                f"{_moment(outcome.retry)}"
            )
    elif answer.empty and watch.categories:
        outcome.notes.append(
            f"{watch.name}: arXiv answered no papers since {_day(need.start)} {tries} times; "
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


def _from_feed(ctx: Context, watch: WatchDef, feed: Any) -> tuple[list[Paper], _Found]:
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
    outcome = _Found(source="arXiv listing", announced=feed.announced if feed.items else None)
    outcome.listing = feed.announced
    return papers, outcome


def _citations(ctx: Context, watch: WatchDef) -> tuple[list[Paper], _Found]:
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
    return papers, _Found(source="Semantic Scholar citations", backfill_from=backfill)


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


def _backfill_start(ctx: Context, watch: WatchDef, announced: date | None) -> float | None:
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


def _enrich(
    ctx: Context,
    store: WatchStore,
    watches: list[WatchDef],
    found: dict[str, _Found],
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


def _pending(store: WatchStore, watch: WatchDef, found: _Found, dry_run: bool) -> list[str]:
    pending = store.pending(watch.name)
    if dry_run:  # nothing was recorded: add what this run found and was not delivered before
        settled = store.settled(watch.name, found.ids)
        pending += [i for i in found.ids if i not in settled and i not in pending]
    return pending


def _digest(
    ctx: Context,
    store: WatchStore,
    watch: WatchDef,
    found: _Found,
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


# -- time ---------------------------------------------------------------------------------


def _eastern() -> Any:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database (Windows without tzdata): standard time is close
        from datetime import timezone

        return timezone(timedelta(hours=-5))


def eastern_date(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, _eastern()).date()


def last_feed_update(now: float) -> float:
    """The listing feeds change at midnight US Eastern: the latest such moment before `now`."""
    local = datetime.fromtimestamp(now, _eastern())
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def _moment(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- the run lock -------------------------------------------------------------------------


class LockTimeout(LitscoutError):
    """Another `watch run` held the lock for longer than [watch] lock_timeout."""


@contextmanager
def exclusive(
    path: Path,
    timeout: float,
    poll: float = 0.1,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold an exclusive OS lock on `path` (released by the OS if the process dies)."""

    def tell(holder: str, bound: float) -> None:
        if on_wait is not None:
            on_wait(
                f"another `litscout watch run` is running{holder}; "
                f"waiting for it (up to {bound:.0f}s)"
            )

    try:
        with locks.hold(path, timeout, poll=poll, on_wait=tell):
            yield
    except locks.LockBusy as exc:
        raise LockTimeout(
            f"another `litscout watch run` is still running{exc.holder} "
            f"after waiting {timeout:.0f}s",
            hint=f"let it finish (a stopped one: fg, or end it), or raise [watch] "
            f"lock_timeout; the lock is {path}",
        ) from None
