"""Follow the field from one paper: `paper`, `cites`, `references`, `related`, `export`.

Every answer is kept in the store (`follow_store`): a repeated call within the cache TTL
makes no request, and `--offline` answers from what is there.

Costs (cold cache):
* `paper`  — at most 3 requests: S2 details; one page of citing papers (all of them when
  there are at most 1,000, else only the last year's, or OpenAlex `counts_by_year` when
  enabled); then, if the budget allows, an arXiv look-up when the arXiv metadata
  (categories, comment with code links) is missing.
* `cites`  — one S2 request per 1,000 citing papers; S2 stops at 9,999 and we say so.
* `references` — S2 details when the paper is not cached, then one S2 request per 1,000
  references.
* `related` — one S2 recommendations request (+ one batch look-up for unknown seeds).
* a title instead of an id — one S2 search (cached); `--has-code` — one arXiv id_list
  request for the papers whose arXiv comment litscout has not read.
* `export` — one S2 batch request for papers not cached yet (+ one arXiv look-up for papers
  S2 does not know).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .. import ids
from ..context import Context
from ..errors import LitscoutError, SourceError, UnreachableError, UsageError
from ..find import dated
from ..find.engine import rank_papers, record
from ..models import RECORD_KEYS, Paper, normalise_title, to_record
from ..query import content_words
from ..rank import recent
from ..rank.score import Ranked, sort_ranked
from ..rank.velocity import window_from_years
from ..render import bibtex
from ..sources.s2 import CITATIONS_PAGE
from ..store.follows import Fetch, FollowStore

# citing papers without abstracts, for when S2 times out on full records
LIGHT_FIELDS = (
    "paperId,externalIds,url,title,venue,year,publicationDate,publicationTypes,"
    "citationCount,influentialCitationCount,authors"
)
CITATIONS_CAP = 9999
PAPER_BUDGET = 3  # requests `paper` may make
TOPIC_PEERS = 20  # how many top-ranked papers "what is moving in this topic" means

# Keys `paper` adds to the search record (documented in docs/follow.md).
PAPER_EXTRA_KEYS = (
    "tldr",
    "comment",
    "journal_ref",
    "publication_types",
    "reference_count",
    "citations_per_year",
    "citations_per_year_source",
    "citations_per_year_complete",
    "citations_per_month",
    "recent_citations",
    "recent_citations_exact",
    "still_recent",
    "older_than_pct",
    "topic_papers",
    "bibtex",
)
PAPER_KEYS = RECORD_KEYS + PAPER_EXTRA_KEYS
CITES_KEYS = RECORD_KEYS + ("influential", "list_capped")


class NotFoundError(LitscoutError):
    """No source knows the paper (exit 1)."""


class AmbiguousTitleError(UsageError):
    """A title (or start of one) that fits several papers: the user must pick (exit 2)."""


# -- helpers ------------------------------------------------------------------------------


def _ttl(ctx: Context) -> float:
    return ctx.settings.search.cache_ttl_hours * 3600


def _usable(ctx: Context, fetch: Fetch | None) -> bool:
    """A cached answer to use without asking: fresh, or any answer when offline."""
    if fetch is None:
        return False
    return ctx.offline or (not ctx.refresh and ctx.now - fetch.fetched_at < _ttl(ctx))


def _cached_paper(ctx: Context, pid: ids.PaperId) -> Paper | None:
    store = ctx.store
    if pid.kind == "arxiv":
        return store.find(arxiv_id=pid.value)
    if pid.kind == "doi":
        return store.find(doi=pid.value)
    return store.find(s2_id=pid.value)


def _s2_ref(paper: Paper | None, pid: ids.PaperId) -> str:
    return paper.s2_id if paper is not None and paper.s2_id else pid.s2


def topic_terms(paper: Paper) -> list[str]:
    from ..find.terms import GENERIC

    return [w for w in content_words(paper.title or "") if w not in GENERIC][:8]


def _ordered(ctx: Context, paper_ids: list[str]) -> list[Paper]:
    found = ctx.store.get(paper_ids)
    return [found[i] for i in paper_ids if i in found]


# -- titles as ids ------------------------------------------------------------------------

TITLE_CANDIDATES = 20  # papers one title search asks for
ID_LIKE = re.compile(r"^(?:arxiv:|doi:|s2:|https?://|10\.)|^[\d./v\s-]+$", re.I)


def paper_id(ctx: Context, text: str) -> ids.PaperId:
    """An id the user typed, or the paper whose title is `text` (or starts with it).

    A title (two words or more) costs one Semantic Scholar search (cached): the paper whose
    normalised title is exactly `text`, else the one paper whose title starts with it.
    Several → they are listed and the user picks (AmbiguousTitleError, exit 2).
    """
    found = id_or_title(text)
    if isinstance(found, ids.PaperId):
        return found
    return _by_title(ctx, " ".join(text.split()), normalise_title(text))


def id_or_title(text: str) -> ids.PaperId | str:
    """A parsed id, or the text itself when it reads as a title; a usage error otherwise
    (one word that is not an id is a mistyped id, most likely). No requests."""
    try:
        return ids.parse(text)
    except UsageError:
        norm = normalise_title(text)
        words = text.split()
        if ID_LIKE.search(text.strip()) or len(words) < 2 or not re.search(r"[a-z]", norm):
            raise
    return text


def _by_title(ctx: Context, text: str, norm: str) -> ids.PaperId:
    follow = FollowStore(ctx.store)
    key = f"title|{norm}"
    fetch = follow.fetch(key)
    if fetch is not None and (_usable(ctx, fetch) or ctx.offline) and fetch.meta.get("id"):
        return ids.parse(fetch.meta["id"])
    if ctx.offline:
        match = " ".join('"' + w + '"' for w in norm.split())
        found = [p for p, _ in ctx.store.search_text(match, limit=TITLE_CANDIDATES)]
        chosen = _pick_title(found, text, norm, offline=True)
    else:
        try:
            # S2's search may match nothing for a hyphenated word: "one-shot" -> "one shot"
            found = ctx.s2.search(text.replace("-", " "), limit=TITLE_CANDIDATES)
        except SourceError as exc:
            raise UnreachableError(
                f"cannot look up the title {text!r} ({exc.message})",
                hint="use an id (arXiv id, doi:..., s2:...) or try again later",
            ) from None
        chosen = _pick_title(found, text, norm, offline=False)
        chosen = ctx.store.upsert_papers([chosen], now=ctx.now)[0]
    follow.save(key, ctx.now, {"id": chosen.id, "title": chosen.title})
    return ids.parse(chosen.id)


def _pick_title(found: list[Paper], text: str, norm: str, *, offline: bool) -> Paper:
    exact = [p for p in found if normalise_title(p.title) == norm]
    starts = [p for p in found if normalise_title(p.title).startswith(norm + " ")]
    for group in (exact, starts):
        if len(group) == 1:
            return group[0]
        if len(group) > 1:
            listing = "\n".join(f"  {p.id}  {p.title} ({p.year or '?'})" for p in group[:10])
            raise AmbiguousTitleError(
                f"{text!r} fits {len(group)} papers:\n{listing}",
                hint="give the id of the one you mean, or more of its title",
            )
    if offline:
        raise UnreachableError(
            f"no paper titled {text!r} is cached and --offline forbids asking",
            hint="run the command once without --offline, or use an id",
        )
    near = "".join(f"\n  {p.id}  {p.title}" for p in found[:5])
    raise NotFoundError(
        f"no paper titled {text!r} on Semantic Scholar" + (f"; closest:{near}" if near else ""),
        hint="check the title, use an id, or find it with litscout search",
    )


# -- resolving one paper ------------------------------------------------------------------


@dataclass
class Resolved:
    paper: Paper
    from_cache: bool
    fetched_at: float | None = None


def resolve(ctx: Context, text: str, *, need_arxiv: bool = True) -> Resolved:
    """The paper for an id the user typed: cached when fresh, else S2 details (+ arXiv)."""
    pid = paper_id(ctx, text)
    follow = FollowStore(ctx.store)
    cached = _cached_paper(ctx, pid)
    key = f"paper|{pid.canonical}"
    fetch = follow.fetch(key)
    if cached is not None and _usable(ctx, fetch):
        return Resolved(cached, True, fetch.fetched_at if fetch else None)
    if ctx.offline:
        if cached is not None:
            ctx.reporter.warn("offline: showing what litscout has cached for this paper")
            return Resolved(cached, True)
        raise UnreachableError(
            f"{pid.canonical} is not in the cache and --offline forbids asking for it",
            hint="run the command once without --offline",
        )
    paper: Paper | None = None
    s2_failed: str | None = None
    try:
        paper = ctx.s2.paper(pid.s2)
    except SourceError as exc:
        s2_failed = exc.message
        if cached is not None:
            ctx.reporter.warn(f"{exc.message} — showing what litscout has cached")
            return Resolved(cached, True)
        if pid.kind != "arxiv":
            raise UnreachableError(
                f"cannot look up {pid.canonical} ({exc.message}) and it is not cached",
                hint="check your connection, or try again later",
            ) from None
        ctx.reporter.warn(f"{exc.message} — trying arXiv")
    if paper is not None and cached is not None:
        paper.merge(cached)
    if paper is None and cached is not None:
        paper = cached
    if paper is None and pid.kind == "arxiv":  # S2 does not know it (yet): ask arXiv
        try:
            found = ctx.arxiv.lookup([pid.value])
        except SourceError as exc:
            if s2_failed:
                raise UnreachableError(
                    f"cannot look up {pid.canonical} ({s2_failed}; {exc.message}) "
                    "and it is not cached",
                    hint="check your connection, or try again later",
                ) from None
            found = []
        paper = found[0] if found else None
    elif need_arxiv and paper is not None:
        paper = with_arxiv(ctx, paper)
    if paper is None:
        raise NotFoundError(
            f"no paper {pid.canonical} on Semantic Scholar"
            + (" or arXiv" if pid.kind == "arxiv" else ""),
            hint="check the id; litscout search finds papers by words",
        )
    stored = ctx.store.upsert_papers([paper], now=ctx.now)[0]
    follow.save(key, ctx.now, {"id": stored.id})
    return Resolved(stored, False, ctx.now)


def _arxiv_lookup(ctx: Context, arxiv_id: str) -> Paper | None:
    try:
        found = ctx.arxiv.lookup([arxiv_id])
    except SourceError as exc:
        ctx.reporter.warn(f"{exc.message} — arXiv categories and comment are missing")
        return None
    return found[0] if found else None


def with_arxiv(ctx: Context, paper: Paper, *, budget: int | None = None) -> Paper:
    """Add arXiv's metadata (categories, comment with code links) when it is missing.

    Asked at most once per TTL, and only while the run has made fewer than `budget` requests.
    """
    if not paper.arxiv_id or "arxiv" in paper.sources or ctx.offline:
        return paper
    follow = FollowStore(ctx.store)
    key = f"arxiv|{paper.arxiv_id}"
    if _usable(ctx, follow.fetch(key)):
        return paper
    if budget is not None and _paid_requests(ctx) >= budget:
        follow.save(key, ctx.now, {"skipped": "request budget"})  # not retried within the TTL
        return paper
    found = _arxiv_lookup(ctx, paper.arxiv_id)
    follow.save(key, ctx.now, {"found": found is not None})
    if found is None:
        return paper
    paper.merge(found)
    return ctx.store.upsert_papers([paper], now=ctx.now)[0]


CODE_LOOKUP = 200  # papers one arXiv id_list request reads, best-ranked first


def look_up_code(ctx: Context, papers: list[Paper]) -> None:
    """Read the arXiv comment and abstract of papers whose code links are unknown
    (`code_urls` None): one arXiv id_list request for the first CODE_LOOKUP of them,
    remembered for the TTL."""
    if ctx.offline:
        return
    follow = FollowStore(ctx.store)
    unknown = [
        p
        for p in papers
        if p.code_urls is None
        and p.arxiv_id
        and not _usable(ctx, follow.fetch(f"arxiv|{p.arxiv_id}"))
    ][:CODE_LOOKUP]
    if not unknown:
        return
    try:
        found = {p.arxiv_id: p for p in ctx.arxiv.lookup([p.arxiv_id or "" for p in unknown])}
    except SourceError as exc:
        ctx.reporter.warn(f"{exc.message} — code links of {len(unknown)} papers stay unknown")
        return
    merged = []
    for paper in unknown:
        extra = found.get(paper.arxiv_id)
        follow.save(f"arxiv|{paper.arxiv_id}", ctx.now, {"found": extra is not None})
        if extra is not None:
            paper.merge(extra)
            merged.append(paper)
    ctx.store.upsert_papers(merged, now=ctx.now)


def keep(paper: Paper, *, surveys: bool = False, has_code: bool = False) -> bool:
    """The --surveys and --has-code filters."""
    return (not surveys or paper.is_survey) and (not has_code or bool(paper.code_urls))


def _filtered(ctx: Context, items: list[Ranked], surveys: bool, has_code: bool) -> list[Ranked]:
    if has_code:
        look_up_code(ctx, [i.paper for i in items if keep(i.paper, surveys=surveys)])
    return [i for i in items if keep(i.paper, surveys=surveys, has_code=has_code)]


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


def _covering_fetch(ctx: Context, cited_id: str, since: date | None) -> Fetch | None:
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
    cached = _covering_fetch(ctx, cited_id, since)
    if cached is not None and _usable(ctx, cached):
        return _from_fetch(ctx, cited_id, cached, since)
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
            return _from_fetch(ctx, cited_id, cached, since)
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


def _date_on_or_after(text: str, since: date | None) -> bool:
    if since is None or not text:
        return since is None
    if len(text) >= 10:
        return date.fromisoformat(text[:10]) >= since
    return int(text[:4]) >= since.year


def _from_fetch(ctx: Context, cited_id: str, fetch: Fetch, since: date | None) -> CitationSet:
    papers = [p for p in _ordered(ctx, fetch.ids) if _on_or_after(p, since)]
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
        [d for d in fetch.meta.get("dates", []) if _date_on_or_after(d, since)],
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
    papers = [p for p in _ordered(ctx, sorted(links)) if _on_or_after(p, since)]
    influential = {p.id: links[p.id] for p in papers}
    dates = [_date_text(p) for p in papers]
    return CitationSet(papers, influential, False, since, True, True, None, dates)


def _on_or_after(paper: Paper, since: date | None) -> bool:
    if since is None:
        return True
    if paper.published:
        return paper.published >= since
    return paper.year is None or paper.year >= since.year


# -- cites --------------------------------------------------------------------------------


@dataclass
class CitesResult:
    cited: Paper | None
    cited_id: str
    items: list[Ranked]
    influential: dict[str, bool]
    capped: bool
    partial: bool
    from_cache: bool
    requests: dict[str, int] = field(default_factory=dict)
    total: int = 0  # citing papers found, before --limit

    def records(self) -> list[dict[str, Any]]:
        out = []
        for item in self.items:
            rec = record(item)
            rec["influential"] = self.influential.get(item.paper.id, False)
            rec["list_capped"] = self.capped
            out.append(rec)
        return out


def cites(
    ctx: Context,
    text: str,
    *,
    since: date | None = None,
    sort: str = "score",
    limit: int | None = None,
    surveys: bool = False,
    has_code: bool = False,
) -> CitesResult:
    """What builds on a paper: its citing papers, ranked like search."""
    pid = paper_id(ctx, text)
    cited = _cached_paper(ctx, pid)
    cited_id = cited.id if cited is not None else pid.canonical
    found = citations(ctx, cited_id, _s2_ref(cited, pid), since=since)
    dated.ensure_openalex(ctx, found.papers)
    terms = topic_terms(cited) if cited is not None else []
    ranked = rank_papers(ctx, found.papers, terms)
    items = _filtered(ctx, sort_ranked(ranked, sort), surveys, has_code)
    total = len(items)
    limit = ctx.settings.search.limit if limit is None else limit
    items = items[:limit]
    return CitesResult(
        cited,
        cited_id,
        items,
        found.influential,
        found.capped,
        found.partial,
        found.from_cache,
        ctx.requests_made(),
        total,
    )


# -- references ---------------------------------------------------------------------------


@dataclass
class ReferencesResult:
    citing: Paper | None
    citing_id: str
    items: list[Ranked]
    influential: dict[str, bool]
    from_cache: bool
    requests: dict[str, int] = field(default_factory=dict)
    total: int = 0  # references found (after --surveys/--has-code), before --limit
    unknown: int = 0  # references S2 lists but could not identify

    def records(self) -> list[dict[str, Any]]:
        out = []
        for item in self.items:
            rec = record(item)
            rec["influential"] = self.influential.get(item.paper.id, False)
            rec["list_capped"] = False
            out.append(rec)
        return out


def references(
    ctx: Context,
    text: str,
    *,
    sort: str = "score",
    limit: int | None = None,
    surveys: bool = False,
    has_code: bool = False,
) -> ReferencesResult:
    """What a paper builds on: the papers it cites, ranked like search. A survey's reference
    list is its field's canon (`sort="citations"` puts the most cited first)."""
    pid = paper_id(ctx, text)
    citing: Paper | None = _cached_paper(ctx, pid)
    if citing is None and not ctx.offline:  # its title and topic words rank the references
        try:
            citing = resolve(ctx, pid.canonical, need_arxiv=False).paper
        except (NotFoundError, UnreachableError):
            citing = None
    citing_id = citing.id if citing is not None else pid.canonical
    follow = FollowStore(ctx.store)
    key = f"refs|{citing_id}"
    fetch = follow.fetch(key)
    papers: list[Paper]
    if _usable(ctx, fetch):
        assert fetch is not None
        papers, flags, unknown, from_cache = _refs_from(ctx, fetch), fetch.meta, 0, True
    elif ctx.offline:
        raise UnreachableError(
            f"the references of {citing_id} are not cached and --offline forbids asking",
            hint="run `litscout references` once without --offline",
        )
    else:
        try:
            found, unknown = ctx.s2.references(_s2_ref(citing, pid))
        except SourceError as exc:
            if fetch is not None:
                ctx.reporter.warn(f"{exc.message} — showing the references cached earlier")
                papers, flags, unknown, from_cache = _refs_from(ctx, fetch), fetch.meta, 0, True
            elif exc.status == 404:
                raise NotFoundError(
                    f"Semantic Scholar does not know {citing_id}",
                    hint="check the id; a paper from the last days may not be indexed yet",
                ) from None
            else:
                raise UnreachableError(
                    f"cannot fetch the references of {citing_id} ({exc.message}) "
                    "and none are cached",
                    hint="check your connection, or try again later",
                ) from None
        else:
            if not found and not unknown:
                ctx.reporter.warn(
                    f"Semantic Scholar lists no references for {citing_id} "
                    "(some publishers withhold them)"
                )
            stored = ctx.store.upsert_papers([p for p, _ in found], now=ctx.now)
            influential = sorted({p.id for p, (_, flag) in zip(stored, found, strict=True) if flag})
            papers = list({p.id: p for p in stored}.values())
            flags = {"influential": influential, "unknown": unknown}
            follow.save(key, ctx.now, flags, [p.id for p in papers])
            from_cache = False
    marked = set(flags.get("influential", []))
    unknown = int(flags.get("unknown", unknown) or 0)
    terms = topic_terms(citing) if citing is not None else []
    items = sort_ranked(rank_papers(ctx, papers, terms), sort)
    items = _filtered(ctx, items, surveys, has_code)
    total = len(items)
    limit = ctx.settings.search.limit if limit is None else limit
    return ReferencesResult(
        citing,
        citing_id,
        items[:limit],
        {p.id: p.id in marked for p in papers},
        from_cache,
        ctx.requests_made(),
        total,
        unknown,
    )


def _refs_from(ctx: Context, fetch: Fetch) -> list[Paper]:
    return _ordered(ctx, fetch.ids)


# -- related ------------------------------------------------------------------------------


@dataclass
class RelatedResult:
    seeds: list[Paper]
    items: list[Ranked]
    from_cache: bool
    requests: dict[str, int] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [record(item) for item in self.items]


def related(
    ctx: Context,
    positive: list[str],
    negative: list[str] | None = None,
    *,
    sort: str = "score",
    limit: int | None = None,
    since: date | None = None,
    surveys: bool = False,
    has_code: bool = False,
) -> RelatedResult:
    """More papers like `positive` and unlike `negative`, from S2 recommendations, ranked."""
    if not positive:
        raise UsageError("give at least one paper id to find related papers")
    pos = [paper_id(ctx, t) for t in positive]
    neg = [paper_id(ctx, t) for t in negative or []]
    both = {p.canonical for p in pos} & {n.canonical for n in neg}
    if both:
        raise UsageError(f"{', '.join(sorted(both))} is both a seed and in --not")
    seeds = [(p, _cached_paper(ctx, p)) for p in pos]
    unwanted = [(n, _cached_paper(ctx, n)) for n in neg]
    follow = FollowStore(ctx.store)
    key = (
        "related|"
        + ",".join(sorted(p.canonical for p in pos))
        + "|not|"
        + ",".join(sorted(n.canonical for n in neg))
    )
    fetch = follow.fetch(key)
    papers: list[Paper]
    from_cache = False
    if _usable(ctx, fetch):
        assert fetch is not None
        papers = _ordered(ctx, fetch.ids)
        from_cache = True
    elif ctx.offline:
        raise UnreachableError(
            "no recommendations for these papers are cached and --offline forbids asking",
            hint="run `litscout related` once without --offline",
        )
    else:
        try:
            both_kinds = _with_s2_ids(ctx, seeds + unwanted)  # one batch for all unknown
            seeds, unwanted = both_kinds[: len(seeds)], both_kinds[len(seeds) :]
            missing = [p.canonical for p, c in seeds if c is None or not c.s2_id]
            if missing:
                raise NotFoundError(
                    f"Semantic Scholar does not know {', '.join(missing)}",
                    hint="recommendations need papers Semantic Scholar has indexed",
                )
            found = ctx.s2.recommend(
                [_s2_ref(c, p) for p, c in seeds],
                [_s2_ref(c, n) for n, c in unwanted if c is not None and c.s2_id],
            )
        except SourceError as exc:
            if fetch is None:
                raise
            ctx.reporter.warn(f"{exc.message} — showing recommendations cached earlier")
            papers = _ordered(ctx, fetch.ids)
            from_cache = True
        else:
            papers = ctx.store.upsert_papers(found, now=ctx.now)
            follow.save(key, ctx.now, {}, [p.id for p in papers])
    seed_ids = {c.id for _, c in seeds + unwanted if c is not None}
    papers = [p for p in papers if p.id not in seed_ids and _on_or_after(p, since)]
    dated.ensure_openalex(ctx, papers)
    terms = [t for _, c in seeds if c is not None for t in topic_terms(c)]
    ranks: dict[str, list[int | None]] = {p.id: [i] for i, p in enumerate(papers)}
    items = sort_ranked(rank_papers(ctx, papers, list(dict.fromkeys(terms)), ranks), sort)
    items = _filtered(ctx, items, surveys, has_code)
    if limit is not None:
        items = items[:limit]
    known = [c for _, c in seeds if c is not None]
    return RelatedResult(known, items, from_cache, ctx.requests_made())


def _with_s2_ids(
    ctx: Context, pairs: list[tuple[ids.PaperId, Paper | None]]
) -> list[tuple[ids.PaperId, Paper | None]]:
    """Seeds without a known S2 paperId, looked up in one batch request (and cached)."""
    unknown = [pid for pid, paper in pairs if paper is None or not paper.s2_id]
    if not unknown:
        return pairs
    found = ctx.s2.batch([pid.s2 for pid in unknown])
    ready = [(pid, p) for pid, p in zip(unknown, found, strict=True) if p is not None]
    stored = ctx.store.upsert_papers([p for _, p in ready], now=ctx.now)
    known = {pid.canonical: paper for (pid, _), paper in zip(ready, stored, strict=True)}
    return [(pid, known.get(pid.canonical, paper)) for pid, paper in pairs]


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


def _paid_requests(ctx: Context) -> int:
    """Requests that count against `paper`'s budget (OpenAlex single-work look-ups are free)."""
    return sum(n for service, n in ctx.requests_made().items() if service != "openalex")


def _window_start(ctx: Context) -> date:
    return ctx.today - timedelta(days=int(ctx.settings.ranking.window_days))


def _timeline(ctx: Context, paper: Paper) -> Timeline:
    start = _window_start(ctx)
    many = (paper.citations or 0) > CITATIONS_PAGE
    s2_ref = paper.s2_id
    if not s2_ref:  # S2 does not know it: nothing to count
        return Timeline({}, None, False, None, False)
    full = _covering_fetch(ctx, paper.id, None)
    if full is not None and _usable(ctx, full) and not full.meta.get("capped"):
        return _from_citing(ctx, _from_fetch(ctx, paper.id, full, None), start, complete=True)
    counts: dict[int, int] | None = None
    if many and ctx.settings.sources.openalex and (paper.arxiv_id or paper.doi):
        counts = _openalex_counts(ctx, paper)  # the yearly chart (a free single-work look-up)
    if _paid_requests(ctx) >= PAPER_BUDGET and not ctx.offline:
        cached = _covering_fetch(ctx, paper.id, start if many else None)
        if cached is None or not _usable(ctx, cached):
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
        if _date_on_or_after(text, start):
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
        if len(text) >= 10 and text[:7] in months and _date_on_or_after(text, start):
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
    if _usable(ctx, fetch):
        assert fetch is not None
        if fetch.meta.get("counts") is None:
            return None  # OpenAlex did not know it: not asked again within the TTL
        return {int(y): int(n) for y, n in fetch.meta["counts"].items()}
    if ctx.offline:
        return None
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


# -- export -------------------------------------------------------------------------------


def export_records(ctx: Context, texts: list[str]) -> list[dict[str, Any]]:
    """Records (with S2's BibTeX when known) for ids; one S2 batch request for the uncached."""
    if not texts:
        raise UsageError("give at least one paper id to export")
    parsed = [paper_id(ctx, t) for t in texts]
    follow = FollowStore(ctx.store)
    papers: dict[str, Paper] = {}
    missing: list[ids.PaperId] = []
    for pid in dict.fromkeys(parsed):
        cached = _cached_paper(ctx, pid)
        fetch = follow.fetch(f"paper|{pid.canonical}") or follow.fetch(f"export|{pid.canonical}")
        if cached is not None and (cached.bibtex or _usable(ctx, fetch) or ctx.offline):
            papers[pid.canonical] = cached
        elif ctx.offline:
            ctx.reporter.warn(f"offline: {pid.canonical} is not cached; skipped")
        else:
            missing.append(pid)
    if missing:
        _export_fetch(ctx, missing, papers, follow)
    out = []
    for pid in dict.fromkeys(parsed):
        paper = papers.get(pid.canonical)
        if paper is None:
            continue
        rec = to_record(paper)
        rec["bibtex"] = paper.bibtex
        rec["bibtex"] = bibtex.entry(rec)
        out.append(rec)
    if not out:
        raise NotFoundError(
            "none of these papers could be found", hint="check the ids, or drop --offline"
        )
    return out


def _export_fetch(
    ctx: Context, missing: list[ids.PaperId], papers: dict[str, Paper], follow: FollowStore
) -> None:
    from ..sources.s2 import PAPER_FIELDS

    try:
        found = ctx.s2.batch([p.s2 for p in missing], fields=PAPER_FIELDS + ",citationStyles")
    except SourceError as exc:
        ctx.reporter.warn(f"{exc.message} — building entries from arXiv alone")
        found = [None] * len(missing)
    unknown_arxiv = [
        p.value for p, f in zip(missing, found, strict=True) if f is None and p.kind == "arxiv"
    ]
    from_arxiv: dict[str, Paper] = {}
    if unknown_arxiv:
        try:
            from_arxiv = {p.arxiv_id or "": p for p in ctx.arxiv.lookup(unknown_arxiv)}
        except SourceError as exc:
            ctx.reporter.warn(f"{exc.message} — some papers are missing")
    ready: list[tuple[ids.PaperId, Paper]] = []
    for pid, paper in zip(missing, found, strict=True):
        if paper is None and pid.kind == "arxiv":
            paper = from_arxiv.get(pid.value)
        if paper is None:
            ctx.reporter.warn(f"{pid.canonical} was not found; skipped")
            continue
        ready.append((pid, paper))
    stored = ctx.store.upsert_papers([p for _, p in ready], now=ctx.now)
    for (pid, _), paper in zip(ready, stored, strict=True):
        papers[pid.canonical] = paper
        follow.save(f"export|{pid.canonical}", ctx.now, {"id": paper.id})
