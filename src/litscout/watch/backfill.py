"""Filling a gap: one arXiv API query for every watch that missed listings, paged to the end.

When watches missed announcement days, the daily listing no longer covers what they owe.
Instead of one request per watch, the watches that read listings are served by one query
over the union of their categories,

    (cat:cs.LG OR cat:cs.CV ...) AND submittedDate:[FROM TO TO]

sorted by submission time (oldest first) and paged `[watch] backfill_results` at a time
(arXiv allows 2,000) while `totalResults` says there is more, up to `[watch] backfill_pages`
pages. Each watch then picks its papers locally with the matcher that reads the listing
(`match.compile_query`). Watches without categories are served by one query that ORs their
queries (split when it gets long; one request each when arXiv refuses the combination).

Because the answer is sorted oldest first, whatever a run could not fetch (the page cap, a
failed later page) is exactly "submitted after the last paper received": the caller records
that moment as owed and the next run asks from there, after saying so on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..context import Context
from ..errors import SourceError, UsageError
from ..models import Paper
from ..query import Query
from ..sources.arxiv_api import MAX_RESULTS_PER_CALL
from ..store.watches import WatchDef

ARXIV_QUERY_LIMIT = 30_000  # arXiv serves no result past this offset of one query
QUERY_CHARS = 1_500  # a combined keyword query longer than this is split (URL length)

Accept = Callable[[Paper], bool]


@dataclass
class Need:
    """One watch's share of a backfill: everything submitted since `start` (epoch seconds)."""

    watch: WatchDef
    start: float

    @property
    def name(self) -> str:
        return self.watch.name


@dataclass
class Answer:
    """What one combined query brought back."""

    query: str
    needs: list[Need]
    papers: list[Paper] = field(default_factory=list)
    total: int = 0  # arXiv's totalResults
    pages: int = 0  # requests made (pages asked)
    resume: float | None = None  # not everything fetched: the rest was submitted from here
    error: str | None = None  # the first page failed: nothing was fetched
    stopped: str | None = None  # why paging stopped before the end (resume is set)

    @property
    def empty(self) -> bool:
        """arXiv answered no papers at all (possibly by mistake)."""
        return self.error is None and not self.papers and self.total == 0

    @property
    def left_out(self) -> int:
        return max(0, self.total - len(self.papers)) if self.resume is not None else 0

    def pick(self, need: Need, accept: Accept) -> list[Paper]:
        """The papers of this answer for one watch: its window, categories and query."""
        since = _date(need.start)
        return [
            p for p in self.papers if (p.published is None or p.published >= since) and accept(p)
        ]


def by_categories(ctx: Context, needs: list[Need]) -> Answer:
    """One query over the union of the watches' categories since the earliest start."""
    cats = sorted({c for need in needs for c in need.watch.categories})
    clause = " OR ".join(f"cat:{c}" for c in cats)
    if len(cats) > 1:
        clause = f"({clause})"
    return ask(ctx, clause, needs, ", ".join(cats))


def by_queries(ctx: Context, needs: list[Need]) -> list[Answer]:
    """Watches without categories: their queries ORed (in groups short enough for a URL).

    When arXiv rejects a combined expression, each of its watches is asked on its own, so
    one odd query costs only its own watch.
    """
    answers: list[Answer] = []
    for group in _groups(needs):
        if len(group) == 1:
            answers.append(_single(ctx, group[0]))
            continue
        clause = "(" + " OR ".join(f"({_core(need.watch)})" for need in group) + ")"
        try:
            answers.append(ask(ctx, clause, group, f"{len(group)} watches"))
        except UsageError:
            answers.extend(_single(ctx, need) for need in group)
    return answers


def _single(ctx: Context, need: Need) -> Answer:
    try:
        return ask(ctx, _core(need.watch), [need], need.name)
    except UsageError as exc:  # arXiv rejected a query that parsed here
        return Answer(query=_core(need.watch), needs=[need], error=exc.message)


def _core(watch: WatchDef) -> str:
    assert watch.query is not None
    return Query(text=watch.query).arxiv_query()


def _groups(needs: list[Need]) -> list[list[Need]]:
    groups: list[list[Need]] = []
    size = 0
    for need in needs:
        length = len(_core(need.watch)) + 6
        if groups and size + length <= QUERY_CHARS:
            groups[-1].append(need)
            size += length
        else:
            groups.append([need])
            size = length
    return groups


def ask(ctx: Context, clause: str, needs: list[Need], label: str) -> Answer:
    """Page through `clause` submitted since the earliest need's start.

    A failed first page is an Answer with `error` (nothing fetched); a failed later page,
    an empty page where `totalResults` promised more (asked once more first), or the page
    cap end the paging with `resume` set to the last submission received. UsageError (arXiv
    rejected the query) propagates.
    """
    start = min(need.start for need in needs)
    query = f"{clause} AND submittedDate:[{_stamp(start)} TO {_stamp_end(_now(ctx))}]"
    answer = Answer(query=query, needs=needs)
    settings = ctx.settings.watch
    size = max(1, min(settings.backfill_results, MAX_RESULTS_PER_CALL))
    most = max(1, min(settings.backfill_pages, ARXIV_QUERY_LIMIT // size))
    offset = 0
    last: float | None = None
    retried = False
    since = _date(start).isoformat()
    while True:
        page_note = f" (page {answer.pages + 1})" if answer.pages else ""
        ctx.reporter.status(f"Asking arXiv for {label} submitted since {since}{page_note}…")
        try:
            page = ctx.arxiv.page(query, offset, size)
        except SourceError as exc:
            if answer.pages == 0:
                answer.error = exc.message
                return answer
            answer.stopped = f"page {answer.pages + 1} failed: {exc.message}"
            break
        answer.pages += 1
        answer.total = max(answer.total, page.total)
        if not page.papers:
            if offset >= page.total:
                return answer  # the end (or an empty answer)
            if not retried:  # arXiv sometimes answers an empty page in the middle
                retried = True
                continue
            answer.stopped = f"arXiv answered an empty page at {offset:,} of {page.total:,}"
            break
        answer.papers.extend(page.papers)
        offset += len(page.papers)
        if page.last_submitted is not None:
            last = page.last_submitted.timestamp()
        if offset >= page.total:
            return answer
        if answer.pages >= most:
            answer.stopped = f"{answer.pages} pages of {size:,} is the most a run asks"
            break
    answer.resume = last if last is not None else start
    return answer


def _now(ctx: Context) -> float:
    return ctx.now


def _date(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


def _stamp(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y%m%d%H%M")


def _stamp_end(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y%m%d") + "2359"


def names(needs: Iterable[Need]) -> str:
    return ", ".join(need.name for need in needs)
