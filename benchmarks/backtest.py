"""Ranking backtest: which order of the papers known at T best predicts the next year's citations?

A topic of generated papers, each with dated citations (the fake services' `FakePaper` and
`Citation`, so the fake could serve the same corpus): papers appear at a growing pace over
12 years; each has a fitness (log-normal) and its citations arrive as a Poisson process whose
intensity rises and fades with the paper's age (log-normal ageing, peak after 1–4 years), as
in the models of citation dynamics (Wang, Song & Barabási 2013). Nothing in the generator
looks at litscout's ranking.

For several cut-off dates T, litscout ranks the papers published by T using only what was
known at T: the citation total at T and OpenAlex-style counts per calendar year up to T (the
current year partial) for papers older than the window, through the same `velocity` and
`ranking` code a search uses (relevance is the same for all: one topic). The ideal order is by
citations gained in (T, T + 1 year]. Reported: NDCG@10, averaged over the cut-offs, for the
default score and for --sort recent / citations / velocity.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from litscout.config import Ranking
from litscout.models import Paper
from litscout.rank import score as ranking
from litscout.rank.velocity import Evidence, window_from_years

SORTS = ("score", "recent", "citations", "velocity")
NO_OPENALEX = "velocity, no dated data"  # --sort velocity when OpenAlex is off or down
NOW = date(2026, 12, 1)
YEARS = 12
CUTOFFS = 8  # T = NOW − 1 year − k·45 days


@dataclass
class TopicPaper:
    published: date
    citations: list[date]  # the dates of its citing papers


def generate(papers: int = 600, seed: int = 11) -> list[TopicPaper]:
    rng = random.Random(seed)
    start = NOW - timedelta(days=365 * YEARS)
    out = []
    for _ in range(papers):
        # a growing field: publication dates skewed toward the recent end
        age_share = 1.0 - math.sqrt(rng.random())
        published = start + timedelta(days=round((1 - age_share) * 365 * YEARS))
        fitness = rng.lognormvariate(0.0, 1.1)
        peak_years = rng.uniform(1.0, 4.0)
        spread = rng.uniform(0.5, 1.0)
        scale = 8.0 * fitness  # citations a year at the peak for an average paper
        dates = []
        day = published
        while day < NOW + timedelta(days=365):
            years = max((day - published).days / 365.25, 1 / 365.25)
            shape = math.exp(-((math.log(years) - math.log(peak_years)) ** 2) / (2 * spread**2))
            expected = scale * shape * 30 / 365.25  # one month at a time
            for _ in range(_poisson(rng, expected)):
                dates.append(day + timedelta(days=rng.randrange(30)))
            day += timedelta(days=30)
        out.append(TopicPaper(published, sorted(dates)))
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def rank_at(
    corpus: list[TopicPaper], cutoff: date, sort: str, params: Ranking, openalex: bool = True
) -> list[int]:
    """Indices of the papers known at `cutoff`, in litscout's order for `sort`."""
    items = []
    index_of: dict[int, int] = {}
    for index, topic_paper in enumerate(corpus):
        if topic_paper.published > cutoff:
            continue
        known = [d for d in topic_paper.citations if d <= cutoff]
        paper = Paper(title=f"paper {index}", published=topic_paper.published, citations=len(known))
        dated: list[Evidence] = []
        age = (cutoff - topic_paper.published).days
        if openalex and age > params.window_days:  # counts per year, as OpenAlex gives them
            per_year = Counter(d.year for d in known)
            count = window_from_years(
                per_year, born=topic_paper.published, as_of=cutoff, window_days=params.window_days
            )
            dated.append(Evidence("openalex_years", count, params.window_days, cutoff))
        item = ranking.score_paper(
            paper, today=cutoff, params=params, relevance_value=0.5, dated=dated
        )
        index_of[id(item)] = index
        items.append(item)
    return [index_of[id(item)] for item in ranking.sort_ranked(items, sort)]


def gained(topic_paper: TopicPaper, cutoff: date) -> int:
    end = cutoff + timedelta(days=365)
    return sum(1 for d in topic_paper.citations if cutoff < d <= end)


def ndcg(order: list[int], gains: dict[int, int], k: int = 10) -> float:
    def dcg(values: list[int]) -> float:
        return sum(g / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(gains.values(), reverse=True))
    return dcg([gains[i] for i in order]) / ideal if ideal else 0.0


@dataclass
class BacktestResult:
    ndcg: dict[str, float]  # mean NDCG@10 per sort
    per_cutoff: dict[str, list[float]]
    papers: int
    cutoffs: list[date]


def backtest(papers: int = 600, seed: int = 11, params: Ranking | None = None) -> BacktestResult:
    params = params or Ranking()
    corpus = generate(papers, seed)
    cutoffs = [NOW - timedelta(days=365 + 45 * k) for k in range(CUTOFFS)]
    per_cutoff: dict[str, list[float]] = {s: [] for s in (*SORTS, NO_OPENALEX)}
    for cutoff in cutoffs:
        gains = {i: gained(p, cutoff) for i, p in enumerate(corpus) if p.published <= cutoff}
        for sort in SORTS:
            per_cutoff[sort].append(ndcg(rank_at(corpus, cutoff, sort, params), gains))
        blind = rank_at(corpus, cutoff, "velocity", params, openalex=False)
        per_cutoff[NO_OPENALEX].append(ndcg(blind, gains))
    means = {s: statistics.mean(v) for s, v in per_cutoff.items()}
    return BacktestResult(means, per_cutoff, len(corpus), cutoffs)


def report_backtest(out: object, result: BacktestResult) -> None:
    from .report import Report

    assert isinstance(out, Report)
    baseline = max(result.ndcg["recent"], result.ndcg["citations"])
    for sort in SORTS:
        value = result.ndcg[sort]
        lows = min(result.per_cutoff[sort])
        text = f"{value:.3f} (worst cut-off {lows:.3f})"
        if sort in ("score", "velocity"):
            out.add(
                "6",
                f"Ranking backtest, NDCG@10 of next year's citations: --sort {sort}",
                text,
                f"best of recent/citations {baseline:.3f}",
                f"{value / baseline:.2f}×" if baseline else "",
                "beats both --sort recent and --sort citations",
                value > baseline,
            )
        else:
            out.add("6", f"Ranking backtest, NDCG@10 of next year's citations: --sort {sort}", text)
    blind = result.ndcg[NO_OPENALEX]
    out.add(
        "6",
        "Ranking backtest, NDCG@10: --sort velocity with no dated data (OpenAlex off or down)",
        f"{blind:.3f} (worst cut-off {min(result.per_cutoff[NO_OPENALEX]):.3f})",
    )
    out.notes.append(
        f"Ranking backtest (benchmarks/backtest.py): {result.papers} generated papers of one "
        f"topic over {YEARS} years with dated citations (log-normal fitness and ageing); "
        f"{len(result.cutoffs)} cut-offs from {result.cutoffs[-1]} to {result.cutoffs[0]}; "
        "litscout ranks with only what was known at each cut-off (totals, and OpenAlex-style "
        "counts per year for papers older than the window) and is scored against the "
        "citations each paper gained in the following year. The numbers depend on the "
        "generator's assumptions; what they test is that velocity *now* carries information "
        "that neither the total nor the date has. With no dated data, `--sort velocity` ranks "
        "old papers by their lifetime average faded by window/age, and in this generator that "
        "scores as well as the dated window or a little better: its papers' citations keep "
        "rising through their first years, so a young paper's rate now understates its next "
        "year, and fading the old ones happens to make room for the young. The dated rate is "
        "what litscout shows as *now*; the faded average is only its fallback for ranking."
    )
