"""Properties of the ranking: the things a user would call a bug if they broke."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from litscout.config import Ranking
from litscout.models import Paper
from litscout.rank import score as ranking

TODAY = date(2026, 11, 25)
PARAMS = Ranking()


def paper(age_days: int, citations: int | None, title: str = "few-shot learning") -> Paper:
    return Paper(title=title, published=TODAY - timedelta(days=age_days), citations=citations)


def score(p: Paper, relevance: float = 0.5, **kwargs: object) -> ranking.Ranked:
    return ranking.score_paper(p, today=TODAY, params=PARAMS, relevance_value=relevance, **kwargs)


def test_two_day_old_single_citation_does_not_beat_six_months_with_forty() -> None:
    young = score(paper(2, 1))
    established = score(paper(182, 40))
    assert established.score > young.score
    assert established.velocity.rate > young.velocity.rate


@given(st.integers(0, 3000), st.integers(1, 3000), st.floats(0, 5000), st.floats(0, 1))
def test_newer_beats_older_at_equal_velocity(age: int, gap: int, rate: float, rel: float) -> None:
    newer = sum(ranking.combine(rate, age, rel, PARAMS).values())
    older = sum(ranking.combine(rate, age + gap, rel, PARAMS).values())
    assert newer > older or (newer == older and age > 20 * PARAMS.half_life_days)


@given(st.integers(0, 3000), st.floats(0, 5000), st.floats(0.01, 500), st.floats(0, 1))
def test_faster_beats_slower_at_equal_age_in_combine(
    age: int, rate: float, extra: float, rel: float
) -> None:
    slower = sum(ranking.combine(rate, age, rel, PARAMS).values())
    faster = sum(ranking.combine(rate + extra, age, rel, PARAMS).values())
    assert faster >= slower


@given(st.integers(1, 5000), st.integers(0, 5000), st.integers(1, 5000))
def test_faster_beats_slower_at_equal_age(age: int, slow: int, extra: int) -> None:
    slower = score(paper(age, slow))
    faster = score(paper(age, slow + extra))
    assert faster.velocity.rate > slower.velocity.rate
    assert faster.score >= slower.score


def test_shrinkage_pulls_a_young_paper_toward_the_prior() -> None:
    v = ranking.estimate_velocity(1, 2, PARAMS, today=TODAY)
    naive = 1 / (2 / 365.25)
    assert v.rate is not None and v.rate < naive / 10  # 1 citation in 2 days is not 180 a year
    assert v.basis == "all_in_window"


def test_snapshots_sharpen_the_estimate() -> None:
    now = 1_800_000_000.0
    # 1,000 citations over 10 years, but +300 in the last 200 days: it is accelerating.
    snaps = [(now - 200 * 86400, 700)]
    lifetime = ranking.estimate_velocity(1000, 3650, PARAMS)
    recent = ranking.estimate_velocity(1000, 3650, PARAMS, snapshots=snaps, now=now)
    assert recent.basis == "snapshots"
    assert recent.rate is not None and lifetime.rate is not None
    assert recent.rate > lifetime.rate * 2


def test_snapshots_too_recent_are_ignored() -> None:
    now = 1_800_000_000.0
    v = ranking.estimate_velocity(10, 400, PARAMS, snapshots=[(now - 3600, 9)], now=now)
    assert v.basis == "lifetime"


def test_unknown_citations_are_reported_as_unknown() -> None:
    item = score(paper(10, None))
    assert item.velocity.basis == "unknown"
    assert item.velocity.rate is None


def test_score_parts_add_up_and_weights_apply() -> None:
    item = score(paper(100, 30), relevance=0.8)
    assert abs(sum(item.parts.values()) - item.score) < 1e-3
    assert set(item.parts) == {"velocity", "recency", "relevance"}


def test_sort_orders() -> None:
    items = [score(paper(10, 1)), score(paper(1000, 900)), score(paper(300, 50))]
    recent = ranking.sort_ranked(items, "recent")
    assert [i.age_days for i in recent] == [10, 300, 1000]
    cited = ranking.sort_ranked(items, "citations")
    assert [i.paper.citations for i in cited] == [900, 50, 1]


def test_relevance_rewards_title_matches() -> None:
    title = Paper(title="Few-shot learning with prototypes", abstract="x")
    abstract = Paper(title="Something else", abstract="we study few-shot learning")
    none = Paper(title="Graph networks", abstract="graphs")
    terms = ["few-shot", "learning"]
    assert ranking.relevance(terms, title) > ranking.relevance(terms, abstract) > 0
    assert ranking.relevance(terms, none) == 0
