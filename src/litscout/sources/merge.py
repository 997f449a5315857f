"""Deduplicate papers across sources: same arXiv id, DOI, S2 id or normalised title."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Paper, normalise_title

MIN_TITLE_KEY = 20  # short titles ("Introduction") are too common to identify a paper


def identity_keys(paper: Paper) -> list[str]:
    keys = []
    if paper.arxiv_id:
        keys.append("arxiv:" + paper.arxiv_id)
    if paper.doi:
        keys.append("doi:" + paper.doi)
    if paper.s2_id:
        keys.append("s2:" + paper.s2_id)
    title = normalise_title(paper.title)
    if len(title) >= MIN_TITLE_KEY:
        keys.append("title:" + title)
    return keys


def merge_papers(*groups: Iterable[Paper]) -> list[Paper]:
    """One Paper per real paper, in order of first appearance, fields merged."""
    merged: list[Paper] = []
    owner: dict[str, int] = {}
    for group in groups:
        for paper in group:
            keys = identity_keys(paper)
            hits = sorted({owner[k] for k in keys if k in owner})
            if not hits:
                merged.append(paper)
                index = len(merged) - 1
            else:
                index = hits[0]
                merged[index].merge(paper)
                for other in hits[1:]:  # the new paper links two we thought distinct
                    merged[index].merge(merged[other])
                    for key, value in list(owner.items()):
                        if value == other:
                            owner[key] = index
            for key in identity_keys(merged[index]) + keys:
                owner[key] = index
    used = sorted(set(owner.values()))
    return [merged[i] for i in used] if len(used) != len(merged) else merged
