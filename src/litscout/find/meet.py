"""`map TOPIC TOPIC2`: where two problems meet.

The papers come from each topic's search and one Semantic Scholar relevance search for both
at once (`MEET_BUDGET` requests cold, every service counted; the pool is cached). A paper
addresses both when it has every content word of each (like a watch's match: "few-shot" as a
run, "imbalance" = "imbalanced"); those are ranked like `search`. No such paper: the answer
says so and shows the papers of each topic nearest the other (most of its words, then score).
The terms they share are key phrases of both topics' papers; growth counts the papers on both
per year and compares the last 12 months with the 12 before.
"""

from __future__ import annotations

from typing import Any

from ..context import Context
from ..errors import SourceError
from ..models import Paper
from ..query import Query
from ..rank.score import sort_ranked
from ..store.follows import FollowStore
from .engine import matched_words, rank_papers, record
from .fields import same_topic
from .neighbours import (
    POOL,
    MapResult,
    about,
    docs_of,
    growth,
    map_command,
    pool_key,
    room,
)
from .phrases import GENERIC_PHRASES, extract, piece_words, search_command

MEET_BUDGET = 10  # requests a cold `map TOPIC TOPIC2` may make
PAPERS = 20  # papers on both shown by default
NEAREST = 3  # nearest papers of each topic shown when none address both
SHARED_TERMS = 10
MEETING_KEYS = (
    "kind", "topics", "papers", "counted_from", "growth", "shared_terms", "command",
)  # fmt: skip


def gather_both(ctx: Context, first: str, second: str) -> tuple[list[Paper], bool]:
    from ..follow.common import ordered, usable
    from . import dated
    from .engine import run_search

    follow = FollowStore(ctx.store)
    key = pool_key(first, second)
    cached = follow.fetch(key)
    if usable(ctx, cached):
        assert cached is not None
        return ordered(ctx, cached.ids), True
    papers: dict[str, Paper] = {}
    complete = True
    from_cache = True
    for topic in (first, second):
        ctx.reporter.status(f"Searching for {topic!r}…")
        result = run_search(ctx, Query.build(topic), limit=POOL)
        complete = complete and not result.failed and not result.word_match
        from_cache = from_cache and result.from_cache
        for item in result.items:
            papers.setdefault(item.paper.id, item.paper)
    if not ctx.offline and room(ctx, 1, MEET_BUDGET):
        ctx.reporter.status("Searching for both at once…")
        try:
            found = ctx.s2.search(f"{first} {second}".replace("-", " "), limit=POOL)
        except SourceError as exc:
            ctx.reporter.warn(f"{exc.message} — not searching for both at once")
            complete = False
        else:
            stored = ctx.store.upsert_papers(found, now=ctx.now)
            from_cache = False
            both = about(first), about(second)
            fresh = [p for p in stored if p.id not in papers and both[0](p) and both[1](p)]
            if fresh and room(ctx, 1, MEET_BUDGET):
                dated.ensure_openalex(ctx, fresh[:50])
            for paper in stored:
                papers.setdefault(paper.id, paper)
    pool = ordered(ctx, list(papers))  # as stored: merged across sources, like a warm run
    if complete and not ctx.offline:
        follow.save(key, ctx.now, {"topics": [first, second]}, [p.id for p in pool])
    return pool, from_cache


def meet(ctx: Context, first: str, second: str, limit: int = PAPERS) -> MapResult:
    first, second = " ".join(first.split()), " ".join(second.split())
    pool, from_cache = gather_both(ctx, first, second)
    ctx.reporter.status("Finding where they meet…")
    on_first, on_second = about(first), about(second)
    of_first = [p for p in pool if on_first(p)]
    of_second = [p for p in pool if on_second(p)]
    both = [p for p in of_first if on_second(p)]
    terms = [w for t in (first, second) for w, _, _ in piece_words(t)]
    ranked = sort_ranked(rank_papers(ctx, both, terms), "score")
    meeting = {
        "kind": "meeting",
        "topics": [first, second],
        "papers": len(both),
        "counted_from": len(pool),
        "growth": growth(both, ctx.today),
        "shared_terms": shared_terms(first, second, of_first, of_second),
        "command": search_command(f"{first} {second}"),
    }
    records: list[dict[str, Any]] = [meeting]
    for item in ranked[:limit]:
        records.append({"kind": "paper", "topic": f"{first} + {second}", **record(item)})
    if not both:
        for topic, other, own in ((first, second, of_first), (second, first, of_second)):
            for item in nearest(ctx, topic, other, own):
                records.append({"kind": "nearest", "topic": topic, **record(item)})
    return MapResult(records, from_cache, ctx.requests_made(), len(pool))


def nearest(ctx: Context, topic: str, other: str, papers: list[Paper]) -> list[Any]:
    """The topic's papers with most of the other topic's words, the best ranked first."""
    query = Query.build(other)
    words = [w for w, _, _ in piece_words(topic)]
    closeness = {p.id: matched_words(query, p) for p in papers}
    ranked = sort_ranked(rank_papers(ctx, papers, words), "score")
    ranked.sort(key=lambda item: -closeness[item.paper.id])  # stable: score within a count
    return ranked[:NEAREST]


def shared_terms(
    first: str, second: str, of_first: list[Paper], of_second: list[Paper]
) -> list[dict[str, Any]]:
    """Key phrases both topics' papers use (neither topic's own words), as map commands."""
    a = extract(docs_of(of_first), question=first, limit=60)
    theirs = extract(docs_of(of_second), question=second, limit=60)
    b = {t.key: (i, t) for i, t in enumerate(theirs)}
    found = []
    for i, term in enumerate(a):
        if term.key not in b or term.key in GENERIC_PHRASES or " " not in term.key:
            continue  # single words ("models", "accuracy") are everybody's words
        if same_topic(term.term, first) or same_topic(term.term, second):
            continue
        j, other = b[term.key]
        found.append(
            (
                i + j,
                {
                    "term": term.term,
                    "documents": [term.documents, other.documents],
                    "command": map_command(term.term),
                },
            )
        )
    found.sort(key=lambda item: (item[0], item[1]["term"]))
    return [rec for _, rec in found[:SHARED_TERMS]]
