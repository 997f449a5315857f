"""Ranking: pure functions from what we know about a paper to a score.

velocity  — citations per year *now* from dated data (see velocity.py for the bases and the
            estimator); a lifetime average is shown as such but ranked at the typical rate.
recency   — 2^(−age / half_life).
relevance — how well the paper matches the words of the question, and how high a source
            that orders by relevance ranked it (never a date-ordered list, and never the
            better of two sources' positions: the same paper gets the same relevance whatever
            the sort order and whichever sources found it).
score     = (w_v · v/(v + scale) + w_r · recency + w_q · relevance) / (w_v + w_r + w_q)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..config import Ranking as Params
from ..models import Paper
from ..words import stem, stems
from .velocity import Evidence, Prior, Velocity, best_evidence, estimate

DAYS_PER_YEAR = 365.25
SORTS = ("score", "recent", "velocity", "citations", "relevance")

__all__ = ["Evidence", "Ranked", "Velocity", "estimate_velocity", "score_paper", "sort_ranked"]


@dataclass
class Ranked:
    paper: Paper
    score: float
    age_days: int | None
    velocity: Velocity
    recency: float
    relevance: float
    parts: dict[str, float] = field(default_factory=dict)


def effective_date(paper: Paper, today: date) -> date | None:
    """The date to age a paper by: its publication date, else the middle of its year."""
    if paper.published:
        return min(paper.published, today)
    if paper.year:
        return min(date(paper.year, 7, 1), today)
    return None


def prior(params: Params) -> Prior:
    return Prior(params.prior_rate, params.prior_years, params.window_days)


def estimate_velocity(
    citations: int | None,
    age_days: float | None,
    params: Params,
    *,
    today: date | None = None,
    dated: Sequence[Evidence] = (),
    snapshots: Sequence[tuple[float, int]] = (),
    now: float | None = None,
) -> Velocity:
    """Citations per year now from the best evidence there is (velocity.py)."""
    as_of = today or date.today()
    evidence = best_evidence(
        citations=citations,
        age_days=age_days,
        as_of=as_of,
        window_days=params.window_days,
        dated=dated,
        snapshots=snapshots,
        now=now,
        min_snapshot_days=params.min_snapshot_days,
    )
    return estimate(citations, age_days, prior(params), evidence)


def recency(age_days: float | None, half_life_days: float) -> float:
    if age_days is None:
        return 0.0
    if half_life_days <= 0:
        return 1.0 if age_days <= 0 else 0.0
    return float(2.0 ** (-max(age_days, 0.0) / half_life_days))


_TOKEN = re.compile(r"[a-z0-9]+")


def _stems(text: str | None) -> set[str]:
    return set(stems(text or ""))


def text_match(terms: Iterable[str], title: str | None, abstract: str | None) -> float:
    """Share of the query's words found in the title (full credit) or abstract (0.6)."""
    wanted = [stem(p) for term in terms for p in _TOKEN.findall(term.lower())]
    if not wanted:
        return 0.0
    in_title, in_abstract = _stems(title), _stems(abstract)
    credit = sum(1.0 if w in in_title else 0.6 if w in in_abstract else 0.0 for w in wanted)
    return credit / len(wanted)


def rank_match(ranks: Iterable[int | None]) -> float | None:
    """1.0 for a source's first hit, decaying with position; the best source counts."""
    known = [r for r in ranks if r is not None]
    if not known:
        return None
    return 1.0 / (1.0 + min(known) / 10.0)


def relevance(terms: Iterable[str], paper: Paper, ranks: Iterable[int | None] = ()) -> float:
    words = text_match(terms, paper.title, paper.abstract)
    position = rank_match(ranks)
    return words if position is None else 0.5 * words + 0.5 * position


def score_paper(
    paper: Paper,
    *,
    today: date,
    params: Params,
    relevance_value: float,
    snapshots: Sequence[tuple[float, int]] = (),
    now: float | None = None,
    dated: Sequence[Evidence] = (),
) -> Ranked:
    when = effective_date(paper, today)
    age = (today - when).days if when else None
    velocity = estimate_velocity(
        paper.citations, age, params, today=today, dated=dated, snapshots=snapshots, now=now
    )
    rate = velocity.rank_rate if velocity.rank_rate is not None else params.prior_rate
    parts = combine(rate, age, relevance_value, params)
    return Ranked(
        paper=paper,
        score=sum(parts.values()),
        age_days=age,
        velocity=velocity,
        recency=recency(age, params.half_life_days),
        relevance=relevance_value,
        parts=parts,
    )


def combine(
    rate: float, age_days: float | None, relevance_value: float, params: Params
) -> dict[str, float]:
    """The three weighted parts of a score; they add up to the score (0..1)."""
    v_norm = rate / (rate + params.velocity_scale) if params.velocity_scale > 0 else 1.0
    weights = (params.velocity_weight, params.recency_weight, params.relevance_weight)
    total = sum(weights) or 1.0
    return {
        "velocity": weights[0] * v_norm / total,
        "recency": weights[1] * recency(age_days, params.half_life_days) / total,
        "relevance": weights[2] * relevance_value / total,
    }


def sort_ranked(items: list[Ranked], by: str = "score") -> list[Ranked]:
    """Order by one criterion, ties broken by score then id (deterministic output)."""
    if by not in SORTS:
        raise ValueError(f"unknown sort {by!r}")

    def key(item: Ranked) -> tuple[float, bool, float, str]:
        rate = item.velocity.rank_rate
        primary = {
            "score": item.score,
            "recent": -(item.age_days if item.age_days is not None else 10**9),
            "velocity": -1.0 if rate is None else rate,
            "citations": float(item.paper.citations if item.paper.citations is not None else -1),
            "relevance": item.relevance,
        }[by]
        # Under --sort velocity a measured rate goes before a guess (lifetime) of equal value.
        guess = by == "velocity" and not item.velocity.is_now
        return (-primary, guess, -item.score, item.paper.id)

    return sorted(items, key=key)
