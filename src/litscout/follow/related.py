"""`related`: S2 recommendations for seeds (and against others), ranked like search."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import ids
from ..context import Context
from ..errors import SourceError, UnreachableError, UsageError
from ..find import dated
from ..find.engine import rank_papers, record
from ..models import Paper
from ..rank.score import Ranked, sort_ranked
from ..store.follows import FollowStore
from .citations import on_or_after
from .common import NotFoundError, cached_paper, ordered, s2_ref, topic_terms, usable
from .resolve import filtered, paper_id

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
    seeds = [(p, cached_paper(ctx, p)) for p in pos]
    unwanted = [(n, cached_paper(ctx, n)) for n in neg]
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
    if usable(ctx, fetch):
        assert fetch is not None
        papers = ordered(ctx, fetch.ids)
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
            ctx.reporter.status("Asking Semantic Scholar for papers like these…")
            found = ctx.s2.recommend(
                [s2_ref(c, p) for p, c in seeds],
                [s2_ref(c, n) for n, c in unwanted if c is not None and c.s2_id],
            )
        except SourceError as exc:
            if fetch is None:
                raise
            ctx.reporter.warn(f"{exc.message} — showing recommendations cached earlier")
            papers = ordered(ctx, fetch.ids)
            from_cache = True
        else:
            papers = ctx.store.upsert_papers(found, now=ctx.now)
            follow.save(key, ctx.now, {}, [p.id for p in papers])
    seed_ids = {c.id for _, c in seeds + unwanted if c is not None}
    papers = [p for p in papers if p.id not in seed_ids and on_or_after(p, since)]
    dated.ensure_openalex(ctx, papers)
    terms = [t for _, c in seeds if c is not None for t in topic_terms(c)]
    ranks: dict[str, list[int | None]] = {p.id: [i] for i, p in enumerate(papers)}
    items = sort_ranked(rank_papers(ctx, papers, list(dict.fromkeys(terms)), ranks), sort)
    items = filtered(ctx, items, surveys, has_code)
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
