"""Ranking: pure functions from what we know about a paper to a score.

velocity  — citations per year *now*, Gamma–Poisson shrunk toward a prior so that a young
            paper's first citation does not make it a rocket:
                rate = (C_obs + prior_rate · prior_years) / (exposure_years + prior_years)
            The observed counts come, best first, from citing-paper dates in a recent window
            ("window"), from litscout's own earlier snapshots ("snapshots"), or from the
            lifetime total over the paper's age ("lifetime"). For "window" and "snapshots"
            the prior is the paper's own shrunk lifetime rate, so new evidence sharpens it.
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

from .config import Ranking as Params
from .models import Paper

DAYS_PER_YEAR = 365.25
SORTS = ("score", "recent", "velocity", "citations", "relevance")


@dataclass(frozen=True)
class Velocity:
    rate: float | None  # citations per year now; None when the citation count is unknown
    basis: str  # "window" | "snapshots" | "lifetime" | "unknown"
    observed: int | None = None  # citations counted for the estimate
    exposure_days: float | None = None  # over how long


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


def lifetime_rate(citations: int, age_days: float, params: Params) -> float:
    years = max(age_days, 0.0) / DAYS_PER_YEAR
    pseudo = params.prior_rate * params.prior_years
    return (citations + pseudo) / (years + params.prior_years)


def shrunk_rate(count: float, exposure_days: float, prior: float, params: Params) -> float:
    """Gamma–Poisson posterior mean with `prior` citations/year worth prior_years of exposure."""
    years = max(exposure_days, 0.0) / DAYS_PER_YEAR
    return (max(count, 0.0) + prior * params.prior_years) / (years + params.prior_years)


def estimate_velocity(
    citations: int | None,
    age_days: float | None,
    params: Params,
    *,
    snapshots: Sequence[tuple[float, int]] = (),
    now: float | None = None,
    window_count: int | None = None,
) -> Velocity:
    """Citations per year now, with the basis used. See the module docstring."""
    if citations is None:
        return Velocity(None, "unknown")
    age = age_days if age_days is not None else DAYS_PER_YEAR
    life = lifetime_rate(citations, age, params)
    window = params.window_days
    if window_count is not None:
        exposure = min(window, max(age, 0.0))
        rate = shrunk_rate(window_count, exposure, life, params)
        return Velocity(rate, "window", window_count, exposure)
    if snapshots and now is not None:
        oldest_allowed = now - window * 86_400
        usable = [
            (t, c)
            for t, c in snapshots
            if t >= oldest_allowed and (now - t) / 86_400 >= params.min_snapshot_days
        ]
        if usable:
            taken_at, then = min(usable)
            exposure = (now - taken_at) / 86_400
            gained = max(citations - then, 0)
            rate = shrunk_rate(gained, exposure, life, params)
            return Velocity(rate, "snapshots", gained, exposure)
    return Velocity(life, "lifetime", citations, max(age, 0.0))


def recency(age_days: float | None, half_life_days: float) -> float:
    if age_days is None:
        return 0.0
    if half_life_days <= 0:
        return 1.0 if age_days <= 0 else 0.0
    return float(2.0 ** (-max(age_days, 0.0) / half_life_days))


_SUFFIXES = ("ings", "ing", "ies", "es", "s", "ed")
_TOKEN = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _stems(text: str | None) -> set[str]:
    return {stem(t) for t in _TOKEN.findall((text or "").lower())}


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
    window_count: int | None = None,
) -> Ranked:
    when = effective_date(paper, today)
    age = (today - when).days if when else None
    velocity = estimate_velocity(
        paper.citations,
        age,
        params,
        snapshots=snapshots,
        now=now,
        window_count=window_count,
    )
    rate = velocity.rate if velocity.rate is not None else params.prior_rate
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

    def key(item: Ranked) -> tuple[float, float, str]:
        primary = {
            "score": item.score,
            "recent": -(item.age_days if item.age_days is not None else 10**9),
            "velocity": item.velocity.rate if item.velocity.rate is not None else -1.0,
            "citations": float(item.paper.citations if item.paper.citations is not None else -1),
            "relevance": item.relevance,
        }[by]
        return (-primary, -item.score, item.paper.id)

    return sorted(items, key=key)
