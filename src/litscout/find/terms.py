"""Vocabulary discovery: what does the field call the thing you described in plain words?

`discover(ctx, question)` asks Semantic Scholar's relevance search (one request, cached), then
`extract()` finds the key phrases the top results share:

* candidates are runs of 1–3 words inside a sentence piece, with no stop word or paper-speak
  ("propose", "results") at either edge and never cutting a hyphenated word in two
  ("shot learning" is not a phrase of "few-shot learning");
* variants are merged: plural/singular, hyphen or space ("few-shot" = "few shot"); a
  phrase gives way to a longer one that nearly always holds it or that titles use ("few-shot"
  → "few-shot learning"), and a longer phrase no title uses, found only where a shorter
  kept phrase is, is a sentence fragment ("teacher model trains") and goes;
* a phrase scores by how many results use it (top-ranked results count more), times its
  inverse document frequency in the rest of the local cache (so "neural network" or "state
  of the art", common everywhere, sink), times a preference for phrases over single words;
  phrases made only of the question's own words are pushed down (you already know them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..context import Context
    from ..models import Paper

# -- the command's core -----------------------------------------------------------------------
from .phrases import Doc, Term, extract, piece_words, singular


@dataclass
class TermsResult:
    question: str
    terms: list[Term]
    results: int
    from_cache: bool
    requests: dict[str, int]
    background_size: int
    # what was asked, and how many papers each answer held: [(query, papers)], the
    # question itself first, then its relaxed forms when it found too few
    searched: list[tuple[str, int]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [t.record() for t in self.terms]


def discover(ctx: Context, question: str, limit: int = 10) -> TermsResult:
    """Search S2 with the plain question (≤ 1 request, cached) and extract its vocabulary."""
    from ..errors import SourceError, UnreachableError, UsageError
    from ..query import content_words
    from ..store.follows import FollowStore

    text = " ".join((question or "").split())
    if not content_words(text):
        raise UsageError(
            "the question has no words to search for",
            hint='describe what you need: litscout terms "use a big dataset to help a small one"',
        )
    follow = FollowStore(ctx.store)
    key = "terms|" + text.lower()
    cached = follow.fetch(key)
    ttl = ctx.settings.search.cache_ttl_hours * 3600
    papers: list[Paper] | None = None
    from_cache = False
    searched: list[tuple[str, int]] = []
    if cached is not None and (
        ctx.offline or (ctx.now - cached.fetched_at < ttl and not ctx.refresh)
    ):
        papers = _ordered(ctx, cached.ids)
        searched = [(q, n) for q, n in cached.meta.get("searched", [])]
        from_cache = True
    elif ctx.offline:
        papers = _from_fts(ctx, text)
        from_cache = True
        ctx.reporter.warn("offline: finding terms in the papers already cached")
    else:
        try:
            found = ctx.s2.search(text, limit=100)
        except SourceError as exc:
            if cached is not None:
                ctx.reporter.warn(f"{exc.message} — using the answer cached earlier")
                papers = _ordered(ctx, cached.ids)
            else:
                papers = _from_fts(ctx, text)
                if not papers:
                    raise UnreachableError(
                        f"cannot search for the question ({exc.message}) and nothing is cached",
                        hint="check your connection, or try again later",
                    ) from None
                ctx.reporter.warn(f"{exc.message} — finding terms in the papers already cached")
            from_cache = True
        else:
            searched = [(text, len(found))]
            if len(found) < ENOUGH_PAPERS:
                found = _relax(ctx, text, found, searched)
            stored = ctx.store.upsert_papers(found, now=ctx.now)
            stored = list({p.id: p for p in stored}.values())
            meta = {"question": text, "searched": searched}
            follow.save(key, ctx.now, meta, [p.id for p in stored])
            papers = stored
    docs = [
        Doc(p.id, p.title, " ".join(x for x in (p.abstract, p.tldr) if x), rank)
        for rank, p in enumerate(papers)
    ]
    result_ids = [d.id for d in docs]
    size = max(ctx.store.count_papers() - len(set(result_ids)), 0)

    def background(phrases: list[str]) -> dict[str, int]:
        return follow.document_frequency(phrases, exclude=result_ids, variants=spellings)

    terms = extract(docs, question=text, background=background, background_size=size, limit=limit)
    if not terms and len(docs) >= 2:  # any phrase two papers share beats "nothing found"
        terms = extract(
            docs,
            question=text,
            background=background,
            background_size=size,
            limit=limit,
            min_share=0.0,
        )
    return TermsResult(text, terms, len(docs), from_cache, ctx.requests_made(), size, searched)


ENOUGH_PAPERS = 20  # fewer answers than this: the question is relaxed
S2_BUDGET = 3  # Semantic Scholar requests one `terms` may make


def _relax(
    ctx: Context, text: str, found: list[Paper], searched: list[tuple[str, int]]
) -> list[Paper]:
    """Too few papers use the question's words: ask again with its least informative words
    dropped, then for any of its phrases (bulk boolean search, most cited first), within
    S2_BUDGET requests in all. `searched` gets each query and its number of papers."""
    from ..errors import SourceError
    from .relax import any_of, cache_frequency, relaxed

    papers = {p.s2_id or p.id: p for p in found}
    steps: list[tuple[str, str]] = []
    looser = relaxed(text, cache_frequency(ctx.store))
    if looser:
        steps.append(("search", looser))
    either = any_of(text)
    if either:
        steps.append(("bulk", either))
    for kind, query in steps[: S2_BUDGET - 1]:
        if len(papers) >= ENOUGH_PAPERS:
            break
        try:
            if kind == "search":  # hyphenated words may match nothing on S2: few-shot -> few shot
                more = ctx.s2.search(query.replace("-", " "), limit=100)
            else:
                more = ctx.s2.bulk(query, sort="citationCount:desc", limit=100)
        except SourceError as exc:
            ctx.reporter.warn(f"{exc.message} — not asking for {query!r}")
            break
        searched.append((query if kind == "search" else f"any of: {query}", len(more)))
        for paper in more:
            papers.setdefault(paper.s2_id or paper.id, paper)
    return list(papers.values())


def spellings(phrase: str) -> list[str]:
    """Forms to count a phrase by in the cache: as written, singular, plural."""
    words = [w for w, _, _ in piece_words(phrase)]
    single = [singular(w.lower()) for w in words]
    plural = single[:-1] + [
        single[-1] + ("es" if single[-1].endswith(("s", "x", "ch", "sh")) else "s")
    ]
    return [" ".join(words), " ".join(single), " ".join(plural)] if words else []


def _ordered(ctx: Context, ids: list[str]) -> list[Paper]:
    found = ctx.store.get(ids)
    return [found[i] for i in ids if i in found]


def _from_fts(ctx: Context, text: str) -> list[Paper]:
    from ..query import Query

    query = Query.build(text)
    return [paper for paper, _ in ctx.store.search_text(query.fts_match(), limit=100)]
