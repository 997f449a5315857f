"""From what the user typed to one paper: ids, titles as ids, arXiv metadata, code links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import ids
from ..context import Context
from ..errors import SourceError, UnreachableError, UsageError
from ..models import Paper, normalise_title
from ..rank.score import Ranked
from ..store.follows import FollowStore
from .common import AmbiguousTitleError, NotFoundError, cached_paper, paid_requests, usable

# -- titles as ids ------------------------------------------------------------------------

TITLE_CANDIDATES = 20  # papers one title search asks for
ID_LIKE = re.compile(
    r"^(?:arxiv:|doi:|s2:|corpus(?:id)?\s*(?::|\s\d)|https?://|10\.)|^[\d./v\s-]+$", re.I
)


def paper_id(ctx: Context, text: str) -> ids.PaperId:
    """An id the user typed, or the paper whose title is `text` (or starts with it).

    A title (two words or more) costs one Semantic Scholar search (cached): the paper whose
    normalised title is exactly `text`, else the one paper whose title starts with it.
    Several → they are listed and the user picks (AmbiguousTitleError, exit 2).
    """
    found = id_or_title(text)
    if isinstance(found, ids.PaperId):
        return _by_corpus_id(ctx, found) if found.kind == "corpus" else found
    return _by_title(ctx, " ".join(text.split()), normalise_title(text))


def _by_corpus_id(ctx: Context, pid: ids.PaperId) -> ids.PaperId:
    """`CorpusId:<n>` as the paper's canonical id: the cached paper with that corpus id, else
    Semantic Scholar's answer to `CorpusId:<n>` (stored, so the next command finds it)."""
    cached = cached_paper(ctx, pid)
    if cached is not None:
        return ids.parse(cached.id)
    if ctx.offline:
        raise UnreachableError(
            f"{pid.canonical} is not in the cache and --offline forbids asking for it",
            hint="run the command once without --offline",
        )
    try:
        paper = ctx.s2.paper(pid.s2)
    except SourceError as exc:
        raise UnreachableError(
            f"cannot look up {pid.canonical} ({exc.message}) and it is not cached",
            hint="check your connection, or try again later",
        ) from None
    if paper is None:
        raise NotFoundError(
            f"no paper {pid.canonical} on Semantic Scholar",
            hint="check the id; litscout search finds papers by words",
        )
    stored = ctx.store.upsert_papers([paper], now=ctx.now)[0]
    # S2's details are fresh: `resolve` does not ask for them again (it adds arXiv's metadata
    # to a paper on arXiv, as it would for the arXiv id)
    FollowStore(ctx.store).save(f"paper|{stored.id}", ctx.now, {"id": stored.id})
    return ids.parse(stored.id)


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
    if fetch is not None and (usable(ctx, fetch) or ctx.offline) and fetch.meta.get("id"):
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
                hint="use an id (arXiv id, doi:..., CorpusId:..., s2:...) or try again later",
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
    cached = cached_paper(ctx, pid)
    key = f"paper|{pid.canonical}"
    fetch = follow.fetch(key)
    if cached is not None and usable(ctx, fetch):
        if need_arxiv:  # a no-op unless the details came by CorpusId (arXiv not yet asked)
            cached = with_arxiv(ctx, cached)
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
    if usable(ctx, follow.fetch(key)):
        return paper
    if budget is not None and paid_requests(ctx) >= budget:
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
        and not usable(ctx, follow.fetch(f"arxiv|{p.arxiv_id}"))
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


def filtered(ctx: Context, items: list[Ranked], surveys: bool, has_code: bool) -> list[Ranked]:
    if has_code:
        look_up_code(ctx, [i.paper for i in items if keep(i.paper, surveys=surveys)])
    return [i for i in items if keep(i.paper, surveys=surveys, has_code=has_code)]
