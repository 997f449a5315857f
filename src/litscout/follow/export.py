"""`export`: records with BibTeX for ids (one S2 batch request for the uncached)."""

from __future__ import annotations

from typing import Any

from .. import ids
from ..context import Context
from ..errors import SourceError, UsageError
from ..models import Paper, to_record
from ..render import bibtex
from ..store.follows import FollowStore
from .common import NotFoundError, cached_paper, usable
from .resolve import paper_id

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
        cached = cached_paper(ctx, pid)
        fetch = follow.fetch(f"paper|{pid.canonical}") or follow.fetch(f"export|{pid.canonical}")
        if cached is not None and (cached.bibtex or usable(ctx, fetch) or ctx.offline):
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

    ctx.reporter.status(f"Asking Semantic Scholar for {len(missing)} paper(s)…")
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
        ctx.reporter.status(f"Asking arXiv for {len(unknown_arxiv)} paper(s)…")
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
