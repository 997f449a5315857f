"""The papers citing one paper: from a covering cached list, else from S2 (1 request/1,000)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..context import Context
from ..errors import SourceError, UnreachableError
from ..find import dated
from ..models import Paper
from ..store.follows import Fetch, FollowStore
from .common import NotFoundError, ordered, usable

# citing papers without abstracts, for when S2 times out on full records
LIGHT_FIELDS = (
    "paperId,externalIds,url,title,venue,year,publicationDate,publicationTypes,"
    "citationCount,influentialCitationCount,authors"
)
CITATIONS_CAP = 9999


# -- citing papers ------------------------------------------------------------------------


@dataclass
class CitationSet:
    papers: list[Paper]
    influential: dict[str, bool]
    capped: bool  # S2 stops paging at 9,999
    since: date | None  # only citing papers from this date were asked for
    partial: bool  # fewer were fetched than exist (page limit, not S2's cap)
    from_cache: bool
    fetched_at: float | None
    # the citing papers' dates as S2 gave them (ISO date, or a year), one per citation
    dates: list[str] = field(default_factory=list)


def _cites_key(cited_id: str, since: date | None) -> str:
    return f"cites|{cited_id}|{since.isoformat() if since else ''}"


def covering_fetch(ctx: Context, cited_id: str, since: date | None) -> Fetch | None:
    """A cached citation list that contains everything citing since `since`."""
    best: Fetch | None = None
    for fetch in FollowStore(ctx.store).fetches(f"cites|{cited_id}|"):
        if fetch.meta.get("partial"):
            continue
        got = fetch.meta.get("since")
        if got and (since is None or date.fromisoformat(got) > since):
            continue
        if best is None or fetch.fetched_at > best.fetched_at:
            best = fetch
    return best


def citations(
    ctx: Context,
    cited_id: str,
    s2_ref: str,
    *,
    since: date | None = None,
    max_results: int = CITATIONS_CAP,
) -> CitationSet:
    """Papers citing `cited_id`: from a covering cached list, else from S2 (1 request/1,000)."""
    follow = FollowStore(ctx.store)
    cached = covering_fetch(ctx, cited_id, since)
    if cached is not None and usable(ctx, cached):
        return from_fetch(ctx, cited_id, cached, since)
    if ctx.offline:
        return _from_links(ctx, cited_id, since, "offline")
    date_range = f"{since.isoformat()}:" if since else None
    try:
        try:
            found, capped = ctx.s2.citations(s2_ref, limit=max_results, date_range=date_range)
        except SourceError as exc:
            if exc.status != 504:
                raise
            # S2 times out on 1,000 full records now and then: ask once more, lighter
            ctx.reporter.warn(f"{exc.message} — asking again without abstracts")
            found, capped = ctx.s2.citations(
                s2_ref, limit=max_results, date_range=date_range, fields=LIGHT_FIELDS
            )
    except SourceError as exc:
        if cached is not None:
            ctx.reporter.warn(f"{exc.message} — showing the citing papers cached earlier")
            return from_fetch(ctx, cited_id, cached, since)
        links = follow.citing(cited_id)
        if links:
            return _from_links(ctx, cited_id, since, exc.message)
        if exc.status == 404:
            raise NotFoundError(
                f"Semantic Scholar does not know {cited_id}",
                hint="check the id; a paper from the last days may not be indexed yet",
            ) from None
        raise UnreachableError(
            f"cannot fetch the papers citing {cited_id} ({exc.message}) and none are cached",
            hint="check your connection, or try again later",
        ) from None
    partial = not capped and len(found) >= max_results
    dates = [_date_text(p) for p, _ in found]
    merged = ctx.store.upsert_papers([p for p, _ in found], now=ctx.now)
    flags: dict[str, bool] = {}
    for paper, (_, flag) in zip(merged, found, strict=True):
        flags[paper.id] = flags.get(paper.id, False) or flag  # S2 lists some papers twice
    stored = list({p.id: p for p in merged}.values())
    follow.link_citations(cited_id, flags.items())
    meta = {
        "since": since.isoformat() if since else None,
        "capped": capped,
        "partial": partial,
        "count": len(stored),
        "dates": dates,
    }
    follow.save(_cites_key(cited_id, since), ctx.now, meta, [p.id for p in stored])
    if not capped and not partial:
        dated.save_citing_dates(ctx, cited_id, dates, since, ctx.now)
    return CitationSet(stored, flags, capped, since, partial, False, ctx.now, dates)


def _date_text(paper: Paper) -> str:
    if paper.published:
        return paper.published.isoformat()
    return str(paper.year) if paper.year else ""


def date_on_or_after(text: str, since: date | None) -> bool:
    if since is None or not text:
        return since is None
    if len(text) >= 10:
        return date.fromisoformat(text[:10]) >= since
    return int(text[:4]) >= since.year


def from_fetch(ctx: Context, cited_id: str, fetch: Fetch, since: date | None) -> CitationSet:
    papers = [p for p in ordered(ctx, fetch.ids) if on_or_after(p, since)]
    influential = FollowStore(ctx.store).citing(cited_id)
    got = fetch.meta.get("since")
    return CitationSet(
        papers,
        {p.id: influential.get(p.id, False) for p in papers},
        bool(fetch.meta.get("capped")),
        date.fromisoformat(got) if got else since,
        bool(fetch.meta.get("partial")),
        True,
        fetch.fetched_at,
        [d for d in fetch.meta.get("dates", []) if date_on_or_after(d, since)],
    )


def _from_links(ctx: Context, cited_id: str, since: date | None, why: str) -> CitationSet:
    links = FollowStore(ctx.store).citing(cited_id)
    if not links:
        raise UnreachableError(
            f"no citing papers of {cited_id} are cached"
            + (" and --offline forbids asking" if why == "offline" else f" ({why})"),
            hint="run `litscout cites` once without --offline",
        )
    ctx.reporter.warn(
        ("offline: " if why == "offline" else f"{why} — ")
        + f"showing the {len(links)} citing papers litscout has seen (maybe not all)"
    )
    papers = [p for p in ordered(ctx, sorted(links)) if on_or_after(p, since)]
    influential = {p.id: links[p.id] for p in papers}
    dates = [_date_text(p) for p in papers]
    return CitationSet(papers, influential, False, since, True, True, None, dates)


def on_or_after(paper: Paper, since: date | None) -> bool:
    if since is None:
        return True
    if paper.published:
        return paper.published >= since
    return paper.year is None or paper.year >= since.year
