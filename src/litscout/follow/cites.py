"""`cites` and `references`: what builds on a paper and what it builds on, ranked like search."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..context import Context
from ..errors import SourceError, UnreachableError
from ..find import dated
from ..find.engine import rank_papers, record
from ..models import Paper
from ..rank.score import Ranked, sort_ranked
from ..store.follows import Fetch, FollowStore
from .citations import citations
from .common import NotFoundError, cached_paper, ordered, s2_ref, topic_terms, usable
from .resolve import filtered, paper_id, resolve

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
    cited = cached_paper(ctx, pid)
    cited_id = cited.id if cited is not None else pid.canonical
    found = citations(ctx, cited_id, s2_ref(cited, pid), since=since)
    dated.ensure_openalex(ctx, found.papers)
    terms = topic_terms(cited) if cited is not None else []
    ranked = rank_papers(ctx, found.papers, terms)
    items = filtered(ctx, sort_ranked(ranked, sort), surveys, has_code)
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
    citing: Paper | None = cached_paper(ctx, pid)
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
    if usable(ctx, fetch):
        assert fetch is not None
        papers, flags, unknown, from_cache = _refs_from(ctx, fetch), fetch.meta, 0, True
    elif ctx.offline:
        raise UnreachableError(
            f"the references of {citing_id} are not cached and --offline forbids asking",
            hint="run `litscout references` once without --offline",
        )
    else:
        try:
            found, unknown = ctx.s2.references(s2_ref(citing, pid))
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
    items = filtered(ctx, items, surveys, has_code)
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
    return ordered(ctx, fetch.ids)
