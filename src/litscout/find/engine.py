"""The main job: ask the sources (or the cache), merge, store, rank.

Cost of a cold search at default settings: one arXiv request, one S2 search, at most one S2
batch request for arXiv papers the S2 search did not already cover, one OpenAlex list
request per 100 DOIs of older cited papers (citations per year: velocity *now*); with
--has-code, one arXiv id_list request for papers whose arXiv comment was not read yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..context import Context
from ..errors import SourceError, UnreachableError
from ..models import Paper, to_record
from ..query import Query
from ..rank import score as ranking
from ..rank.score import Ranked
from ..sources.merge import merge_papers
from . import dated

# arXiv archives → S2 fields of study, so a --category filter narrows S2's results too.
FIELDS_OF_STUDY = {
    "cs": "Computer Science",
    "math": "Mathematics",
    "stat": "Mathematics",
    "physics": "Physics",
    "astro-ph": "Physics",
    "cond-mat": "Physics",
    "gr-qc": "Physics",
    "hep-ex": "Physics",
    "hep-lat": "Physics",
    "hep-ph": "Physics",
    "hep-th": "Physics",
    "math-ph": "Physics",
    "nlin": "Physics",
    "nucl-ex": "Physics",
    "nucl-th": "Physics",
    "quant-ph": "Physics",
    "q-bio": "Biology",
    "q-fin": "Economics",
    "econ": "Economics",
    "eess": "Engineering",
}


@dataclass
class SearchResult:
    items: list[Ranked]
    from_cache: bool = False
    cached_at: float | None = None
    failed: dict[str, str] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    # a question never asked before, answered by cached papers matching most of its words
    word_match: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [record(item) for item in self.items]


def record(item: Ranked) -> dict[str, Any]:
    velocity = item.velocity
    return to_record(
        item.paper,
        {
            "age_days": item.age_days,
            "velocity": round(velocity.rate, 2) if velocity.rate is not None else None,
            "velocity_basis": velocity.basis,
            "velocity_window": _window(velocity),
            "score": round(item.score, 4),
            "score_parts": {name: round(value, 4) for name, value in item.parts.items()},
        },
    )


def _window(velocity: ranking.Velocity) -> dict[str, Any] | None:
    """The counts behind a velocity: what `--explain` shows and scripts can check."""
    if velocity.observed is None:
        return None
    return {
        "citations": round(velocity.observed, 1),
        "days": round(velocity.exposure_days or 0.0),
        "as_of": velocity.as_of.isoformat() if velocity.as_of else None,
        "detail": velocity.detail,
    }


def rank_papers(
    ctx: Context,
    papers: list[Paper],
    terms: list[str],
    ranks: dict[str, list[int | None]] | None = None,
) -> list[Ranked]:
    """Score papers with the dated data and snapshots in the store (no requests); `ranks`
    are source positions per id. Call `dated.ensure_openalex` first to fill the gaps."""
    ranks = ranks or {}
    snapshots = ctx.store.snapshots(p.id for p in papers)
    evidence = dated.evidence(ctx, papers)
    params = ctx.settings.ranking
    return [
        ranking.score_paper(
            paper,
            today=ctx.today,
            params=params,
            relevance_value=ranking.relevance(terms, paper, ranks.get(paper.id, ())),
            snapshots=snapshots.get(paper.id, ()),
            now=ctx.now,
            dated=evidence.get(paper.id, ()),
        )
        for paper in papers
    ]


def run_search(
    ctx: Context,
    query: Query,
    *,
    limit: int | None = None,
    sort: str = "score",
    surveys: bool = False,
    has_code: bool = False,
) -> SearchResult:
    settings = ctx.settings
    limit = settings.search.limit if limit is None else limit
    pool = max(limit, settings.search.arxiv_results)
    arxiv_sort = "submitted" if sort == "recent" else "relevance"
    key = f"{query.key}|n={pool}|{arxiv_sort}"
    store = ctx.store

    cached = store.cached_query(key)
    fresh = (
        cached is not None and ctx.now - cached.fetched_at < settings.search.cache_ttl_hours * 3600
    )
    result: SearchResult | None = None
    if cached is not None and (ctx.offline or (fresh and not ctx.refresh)):
        result = _from_cache(ctx, query, cached.hits, cached.fetched_at)
    elif ctx.offline:
        result = _from_fts(ctx, query, pool)
        if not result.items:
            raise UnreachableError(
                "this question was never asked before and no cached paper matches most of "
                "its words (--offline forbids asking)",
                hint="run it once without --offline, or use other words",
            )
    else:
        result, failed = _from_network(ctx, query, pool, arxiv_sort, key)
        if result is None:  # every source failed: answer from what is cached
            if cached is not None:
                result = _from_cache(ctx, query, cached.hits, cached.fetched_at)
            else:
                result = _from_fts(ctx, query, pool)
            result.failed = failed
            if not result.items:  # each source's failure was one warning line already
                raise UnreachableError(
                    f"no source could be reached ({', '.join(result.failed)}) and no cached "
                    "paper matches most of the words of this query",
                    hint="check your connection and try again",  # --offline would find nothing
                )
    items = ranking.sort_ranked(result.items, sort)
    if has_code:  # papers only Semantic Scholar returned: read their arXiv comments first
        from ..follow import look_up_code

        look_up_code(ctx, [i.paper for i in items if _passes(i.paper, query, surveys, False)])
    items = [i for i in items if _passes(i.paper, query, surveys, has_code)]
    result.items = items[:limit]
    result.requests = ctx.requests_made()
    return result


def _passes(paper: Paper, query: Query, surveys: bool, has_code: bool) -> bool:
    if surveys and not paper.is_survey:
        return False
    if has_code and not paper.code_urls:
        return False
    when = paper.published
    if query.since and when and when < query.since:
        return False
    if query.until and when and when > query.until:
        return False
    if query.categories and paper.categories:
        wanted = set(query.categories)
        archives = {c.split(".")[0] for c in paper.categories}
        if not (wanted & set(paper.categories) or wanted & archives):
            return False
    return True


def _from_cache(
    ctx: Context, query: Query, hits: list[dict[str, Any]], fetched_at: float
) -> SearchResult:
    found = ctx.store.get(h["id"] for h in hits)
    papers = [found[h["id"]] for h in hits if h["id"] in found]
    ranks = {h["id"]: _relevance_rank(h) for h in hits}
    items = rank_papers(ctx, papers, query.terms(), ranks)
    return SearchResult(items, from_cache=True, cached_at=fetched_at)


def _relevance_rank(hit: dict[str, Any]) -> list[int | None]:
    """The source position that speaks for relevance: Semantic Scholar's, which is always in
    relevance order. arXiv's order is the sort asked for (newest first for --sort recent),
    and taking the better of two positions would reward a paper merely for being found by
    both sources; so the relevance part never depends on either."""
    return [hit.get("s2_rank")]


def _from_fts(ctx: Context, query: Query, pool: int) -> SearchResult:
    # A question matches on any word; papers with every word come first, so that a large
    # cache answers with the papers about all of it rather than the newest with one word.
    matches = [query.fts_match()]
    if matches[0] != query.fts_match(any_word=False):
        matches.insert(0, query.fts_match(any_word=False))
    papers: list[Paper] = []
    seen: set[str] = set()
    for match in matches:
        found = ctx.store.search_text(
            match,
            since=query.since,
            until=query.until,
            categories=query.categories,
            limit=pool,
        )
        for paper, _ in found:
            if paper.id not in seen and len(papers) < pool:
                seen.add(paper.id)
                papers.append(paper)
        if len(papers) >= pool:
            break
    # Sharing one word is not an answer ("networks" in a question about molecules): keep the
    # papers with most of the question's words, those with more of them first.
    hits = {p.id: matched_words(query, p) for p in papers}
    need = required_words(query)
    papers = [p for p in papers if hits[p.id] >= need]
    papers.sort(key=lambda p: -hits[p.id])  # stable: FTS order within a count
    ranks: dict[str, list[int | None]] = {p.id: [i] for i, p in enumerate(papers)}
    items = rank_papers(ctx, papers, query.terms(), ranks)
    return SearchResult(items, from_cache=True, word_match=True)


def _word_groups(query: Query) -> list[list[str]]:
    from ..words import term

    groups = [term(word)[0] for word in query.terms()]
    return [g for g in groups if g]


def required_words(query: Query) -> int:
    """Most of the question's words: all of one or two, else more than half."""
    n = len(_word_groups(query))
    return n if n <= 2 else n // 2 + 1


def matched_words(query: Query, paper: Paper) -> int:
    """How many of the question's words the paper has (title or abstract); a hyphenated
    word counts as a run, so "few-shot" and "few shot" match each other."""
    from ..words import contains, tokens

    words = tokens(paper.title) + ["\x00"] + tokens(paper.abstract)
    present = set(words)
    return sum(
        1 for g in _word_groups(query) if ((g[0] in present) if len(g) == 1 else contains(words, g))
    )


def _from_network(
    ctx: Context, query: Query, pool: int, arxiv_sort: str, key: str
) -> tuple[SearchResult | None, dict[str, str]]:
    settings = ctx.settings
    failed: dict[str, str] = {}
    arxiv_papers: list[Paper] = []
    s2_papers: list[Paper] = []
    topic = query.s2_text()
    try:
        if not topic:
            raise _Skip
        fields = {
            FIELDS_OF_STUDY[c.split(".")[0]]
            for c in query.categories
            if c.split(".")[0] in FIELDS_OF_STUDY
        }
        s2_papers = ctx.s2.search(
            topic,
            limit=settings.search.s2_results,
            date_range=query.s2_date_filter(),
            fields_of_study=sorted(fields),
        )
    except _Skip:
        pass  # only authors/categories/dates were asked: S2's topic search has nothing to go on
    except SourceError as exc:
        failed["Semantic Scholar"] = exc.message
        ctx.reporter.warn(f"{exc.message} — continuing without Semantic Scholar")
    # arXiv second: S2's one-request-a-second interval runs out while arXiv answers, so the
    # citation batch below need not wait (benchmarks: cold search 1.72 -> 1.45 s).
    try:
        arxiv_papers = ctx.arxiv.search(query.arxiv_query(), pool, sort=arxiv_sort)
    except SourceError as exc:
        failed["arXiv"] = exc.message
        alone = bool(failed.get("Semantic Scholar")) or not topic  # nothing left to continue with
        ctx.reporter.warn(exc.message if alone else f"{exc.message} — continuing without arXiv")
    if len(failed) == 2 or (failed and not topic):
        return None, failed

    arxiv_rank = {p.arxiv_id: i for i, p in enumerate(arxiv_papers)}
    s2_rank = {p.s2_id: i for i, p in enumerate(s2_papers)}
    papers = merge_papers(arxiv_papers, s2_papers)
    if "Semantic Scholar" not in failed:
        _enrich_citations(ctx, papers, failed)

    stored = ctx.store.upsert_papers(papers, now=ctx.now)
    dated.ensure_openalex(ctx, stored)
    hits: list[dict[str, Any]] = [
        {
            "id": p.id,
            "arxiv_rank": arxiv_rank.get(p.arxiv_id) if p.arxiv_id else None,
            "s2_rank": s2_rank.get(p.s2_id) if p.s2_id else None,
        }
        for p in stored
    ]
    if not failed:
        ctx.store.save_query(key, hits, ["arxiv", "s2"], now=ctx.now)
    ranks: dict[str, list[int | None]] = {h["id"]: _relevance_rank(h) for h in hits}
    items = rank_papers(ctx, stored, query.terms(), ranks)
    return SearchResult(items, failed=failed), failed


class _Skip(Exception):
    pass


def _enrich_citations(ctx: Context, papers: list[Paper], failed: dict[str, str]) -> None:
    """Citation counts for arXiv papers the S2 search did not cover: one batch request."""
    missing = [p for p in papers if p.citations is None and p.arxiv_id]
    if not missing:
        return
    try:
        found = ctx.s2.batch([f"ARXIV:{p.arxiv_id}" for p in missing])
    except SourceError as exc:
        failed["Semantic Scholar"] = exc.message
        ctx.reporter.warn(f"{exc.message} — citation counts are missing")
        return
    for paper, extra in zip(missing, found, strict=True):
        if extra is not None:
            paper.merge(extra)
