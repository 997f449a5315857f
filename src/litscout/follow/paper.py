"""`paper`: one paper in full — citations per year, velocity now, "is this still recent?"."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .. import ids
from ..context import Context
from ..errors import SourceError, UnreachableError, UsageError
from ..find import dated
from ..find.engine import rank_papers, record
from ..models import Paper
from ..rank import recent
from ..rank.score import Ranked, sort_ranked
from ..rank.velocity import window_from_years
from ..render import bibtex
from ..sources.s2 import CITATIONS_PAGE
from ..store.follows import FollowStore
from ..words import shorten
from .citations import CitationSet, citations, covering_fetch, date_on_or_after, from_fetch
from .common import paid_requests, topic_terms, usable
from .resolve import resolve, with_arxiv

PAPER_BUDGET = 3  # requests `paper` may make
TOPIC_PEERS = 20  # how many top-ranked papers "what is moving in this topic" means


# -- paper --------------------------------------------------------------------------------


@dataclass
class Timeline:
    per_year: dict[int, int]
    source: str | None  # "semantic_scholar" | "openalex" | None
    complete: bool
    recent: int | None  # citing papers dated in the last window_days
    recent_exact: bool
    citing: list[Paper] = field(default_factory=list)
    per_month: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" in the window


@dataclass
class PaperReport:
    item: Ranked
    timeline: Timeline
    still_recent: str
    older_than_pct: int | None
    topic_papers: int
    from_cache: bool
    requests: dict[str, int] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        paper = self.item.paper
        rec = record(self.item)
        rec.update(
            {
                "tldr": paper.tldr,
                "comment": paper.comment,
                "journal_ref": paper.journal_ref,
                "publication_types": list(paper.publication_types),
                "reference_count": paper.reference_count,
                "citations_per_year": {str(y): n for y, n in self.timeline.per_year.items()},
                "citations_per_year_source": self.timeline.source,
                "citations_per_year_complete": self.timeline.complete,
                "citations_per_month": dict(self.timeline.per_month),
                "recent_citations": self.timeline.recent,
                "recent_citations_exact": self.timeline.recent_exact,
                "still_recent": self.still_recent,
                "older_than_pct": self.older_than_pct,
                "topic_papers": self.topic_papers,
                "bibtex": paper.bibtex,
            }
        )
        rec["bibtex"] = bibtex.entry(rec)
        return rec


def paper_report(ctx: Context, text: str) -> PaperReport:
    """One paper in full: metadata, citations per year, velocity, and "is this still recent?"."""
    resolved = resolve(ctx, text, need_arxiv=False)
    paper = resolved.paper
    ctx.reporter.status(f"Counting who cites “{shorten(paper.title, 50)}”…")
    timeline = _timeline(ctx, paper)
    try:
        ids.parse(text)
        budget = PAPER_BUDGET
    except UsageError:  # a title: its search was one request more
        budget = PAPER_BUDGET + 1
    paper = with_arxiv(ctx, paper, budget=budget)
    terms = topic_terms(paper)
    item = rank_papers(ctx, [paper], terms)[0]
    sentence, pct, peers = still_recent(ctx, item, timeline, terms)
    from_cache = resolved.from_cache and not ctx.requests_made()
    return PaperReport(item, timeline, sentence, pct, peers, from_cache, ctx.requests_made())


def _window_start(ctx: Context) -> date:
    return ctx.today - timedelta(days=int(ctx.settings.ranking.window_days))


def _timeline(ctx: Context, paper: Paper) -> Timeline:
    start = _window_start(ctx)
    many = (paper.citations or 0) > CITATIONS_PAGE
    s2_ref = paper.s2_id
    if not s2_ref:  # S2 does not know it: nothing to count
        return Timeline({}, None, False, None, False)
    full = covering_fetch(ctx, paper.id, None)
    if full is not None and usable(ctx, full) and not full.meta.get("capped"):
        return _from_citing(ctx, from_fetch(ctx, paper.id, full, None), start, complete=True)
    counts: dict[int, int] | None = None
    if many and ctx.settings.sources.openalex and (paper.arxiv_id or paper.doi):
        counts = _openalex_counts(ctx, paper)  # the yearly chart (a free single-work look-up)
    if paid_requests(ctx) >= PAPER_BUDGET and not ctx.offline:
        cached = covering_fetch(ctx, paper.id, start if many else None)
        if cached is None or not usable(ctx, cached):
            if counts is not None:
                recent_count: int | None = _recent_from_years(ctx, paper, counts)
                return Timeline(counts, "openalex", True, recent_count, False)
            ctx.reporter.warn("citations per year not fetched (litscout asks at most 3 times)")
            return Timeline({}, None, False, None, False)
    try:
        found = citations(
            ctx,
            paper.id,
            s2_ref,
            since=start if many else None,
            max_results=CITATIONS_PAGE,
        )
    except (SourceError, UnreachableError) as exc:
        if counts is not None:
            ctx.reporter.warn(f"{exc.message} — the last year's count is OpenAlex's estimate")
            return Timeline(counts, "openalex", True, _recent_from_years(ctx, paper, counts), False)
        ctx.reporter.warn(f"{exc.message} — no citations per year")
        return Timeline({}, None, False, None, False)
    if counts is not None:  # OpenAlex's years for the chart, S2's citing papers for the window
        window = _from_citing(ctx, found, start, complete=False)
        exact = not found.partial and not found.capped
        recent_count = window.recent
        if not exact:
            recent_count = _recent_from_years(ctx, paper, counts)
        return Timeline(
            counts, "openalex", True, recent_count, exact, window.citing, window.per_month
        )
    complete = found.since is None and not found.capped
    complete = complete and (not found.partial or len(found.dates) >= (paper.citations or 0))
    timeline = _from_citing(ctx, found, start, complete=complete)
    if found.partial and not complete:
        timeline.recent_exact = False
    return timeline


def _from_citing(ctx: Context, found: CitationSet, start: date, *, complete: bool) -> Timeline:
    """Citations per year and in the last window, from the dates S2 gave for each citation."""
    years: Counter[int] = Counter()
    recent = 0
    for text in found.dates:
        if not text:
            continue
        years[int(text[:4])] += 1
        if date_on_or_after(text, start):
            recent += 1
    per_year = dict(years)
    if per_year:
        for year in range(min(per_year), max(max(per_year), ctx.today.year) + 1):
            per_year.setdefault(year, 0)
    return Timeline(
        dict(sorted(per_year.items())),
        "semantic_scholar",
        complete,
        recent,
        True,
        found.papers,
        _per_month(found.dates, start, ctx.today),
    )


def _per_month(dates: list[str], start: date, today: date) -> dict[str, int]:
    """Citing papers per calendar month from `start` to `today` (full dates only)."""
    months: dict[str, int] = {}
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        months[f"{year:04d}-{month:02d}"] = 0
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for text in dates:
        if len(text) >= 10 and text[:7] in months and date_on_or_after(text, start):
            months[text[:7]] += 1
    return months


def _recent_from_years(ctx: Context, paper: Paper, counts: dict[int, int]) -> int:
    """Citations in the window from calendar-year counts (velocity.window_from_years)."""
    return round(
        window_from_years(
            counts,
            born=dated.born(paper),
            as_of=ctx.today,
            window_days=ctx.settings.ranking.window_days,
        )
    )


def _openalex_counts(ctx: Context, paper: Paper) -> dict[int, int] | None:
    from ..sources.openalex import OpenAlex

    follow = FollowStore(ctx.store)
    key = f"openalex|{paper.id}"
    fetch = follow.fetch(key)
    if usable(ctx, fetch):
        assert fetch is not None
        if fetch.meta.get("counts") is None:
            return None  # OpenAlex did not know it: not asked again within the TTL
        return {int(y): int(n) for y, n in fetch.meta["counts"].items()}
    if ctx.offline:
        return None
    ctx.reporter.status("Asking OpenAlex for its citations per year…")
    try:
        counts = OpenAlex(ctx.http).counts_by_year(arxiv_id=paper.arxiv_id, doi=paper.doi)
    except SourceError as exc:
        ctx.reporter.warn(f"{exc.message} — using Semantic Scholar for citations per year")
        return None
    dated.save_openalex_counts(ctx, paper.id, counts)
    if counts is None:
        follow.save(key, ctx.now, {"counts": None})
        return None
    follow.save(key, ctx.now, {"counts": {str(y): n for y, n in counts.items()}})
    return counts


def still_recent(
    ctx: Context, item: Ranked, timeline: Timeline, terms: list[str]
) -> tuple[str, int | None, int]:
    """One sentence in numbers: the paper's age and rate now against its topic (recent.py)."""
    paper = item.paper
    peers = _topic_peers(ctx, paper, timeline, terms)
    ages = [float(p.age_days) for p in peers if p.age_days is not None]
    sentence, pct = recent.verdict(
        item.age_days,
        paper.citations,
        item.velocity,
        ages,
        ctx.settings.recent,
        ctx.settings.ranking.window_days,
    )
    if len(ages) < recent.MIN_PEERS and item.age_days is not None:
        words = " ".join(terms[:4]) or paper.title
        sentence = sentence.removesuffix(".") + (
            f'; litscout knows too few papers on its topic to compare (`litscout search "{words}"`'
            " first)."
        )
    return sentence, pct, len(ages)


def _topic_peers(ctx: Context, paper: Paper, timeline: Timeline, terms: list[str]) -> list[Ranked]:
    """The top-ranked papers on the paper's topic that litscout knows (no requests), leaving
    out its own citing papers: they are newer by construction, not a measure of the topic."""
    if not terms:
        return []
    citers = set(FollowStore(ctx.store).citing(paper.id)) | {p.id for p in timeline.citing}
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    pool = {
        found.id: found
        for found, _ in ctx.store.search_text(match, limit=100 + len(citers))
        if found.id != paper.id and found.id not in citers
    }
    if not pool:
        return []
    ranked = sort_ranked(rank_papers(ctx, list(pool.values()), terms), "score")
    return ranked[:TOPIC_PEERS]
