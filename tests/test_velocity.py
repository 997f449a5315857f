"""Velocity means *now*: the estimator, the window counts and "is this still recent?"."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from litscout.config import Ranking, Recent
from litscout.models import Paper
from litscout.rank import recent, velocity
from litscout.rank import score as ranking
from litscout.rank.velocity import Evidence, Prior

TODAY = date(2026, 12, 2)
PARAMS = Ranking()
PRIOR = Prior(PARAMS.prior_rate, PARAMS.prior_years, PARAMS.window_days)


def window_evidence(count: float, days: float, basis: str = "openalex_years") -> Evidence:
    return Evidence(basis, count, days, TODAY)


# -- the estimator ---------------------------------------------------------------------------


@given(st.floats(0, 20_000), st.floats(0.5, 2_000), st.floats(1, 365))
def test_monotone_in_the_window_count(count: float, extra: float, days: float) -> None:
    low = velocity.estimate(None, None, PRIOR, window_evidence(count, days))
    high = velocity.estimate(None, None, PRIOR, window_evidence(count + extra, days))
    assert high.rate is not None and low.rate is not None
    assert high.rate > low.rate


@given(st.integers(20, 2_000), st.floats(60, 365))
def test_young_papers_are_shrunk_but_not_flattened(count: int, days: float) -> None:
    """Strong young evidence keeps most of its rate; the shrinkage only ever lowers it."""
    v = velocity.estimate(count, days, PRIOR, window_evidence(count, days, "all_in_window"))
    raw = count / (days / 365.25)
    assert v.rate is not None
    assert v.rate <= raw
    assert v.rate >= 0.5 * raw


def test_one_citation_in_two_days_stays_modest() -> None:
    v = velocity.estimate(1, 2, PRIOR, window_evidence(1, 2, "all_in_window"))
    assert v.rate is not None and v.rate < 15


def test_the_prior_is_flat_not_the_papers_lifetime_rate() -> None:
    """110 citations in the last year of a 9-year-old classic with 11,840: about 110/yr."""
    v = velocity.estimate(11_840, 9 * 365, PRIOR, window_evidence(110, 365))
    assert v.rate is not None and 95 < v.rate < 115


def test_a_lifetime_total_is_shown_but_not_ranked_as_a_rate_now() -> None:
    v = velocity.estimate(11_840, 9 * 365.25, PRIOR, None)
    assert v.basis == "lifetime" and not v.is_now
    assert v.rate is not None and 1_300 < v.rate < 1_320  # the lifetime average, labelled
    assert v.rank_rate is not None and abs(v.rank_rate - v.rate / 9) < 1  # faded by its age
    assert "overstates" in v.detail


def paper(age_days: int, citations: int) -> Paper:
    return Paper(
        title="few-shot learning", published=TODAY - timedelta(days=age_days), citations=citations
    )


@given(
    st.integers(3 * 365, 15 * 365),  # the classic's age
    st.integers(2_000, 50_000),  # its lifetime citations
    st.integers(0, 30),  # citations it gathered in the last year
    st.integers(30, 250),  # the young paper's age
    st.integers(0, 40),  # citations per month it gathers
)
def test_a_fast_young_paper_outranks_a_slow_classic_under_sort_velocity(
    classic_age: int, classic_total: int, classic_recent: int, young_age: int, per_month: int
) -> None:
    young_count = max(round(per_month * young_age / 30.44), 0)
    young_rate = young_count / (young_age / 365.25)
    if young_rate < 2 * classic_recent + 10:
        return  # only the case the property is about: the young one is clearly faster
    classic = ranking.score_paper(
        paper(classic_age, classic_total),
        today=TODAY,
        params=PARAMS,
        relevance_value=0.5,
        dated=[window_evidence(classic_recent, 365)],
    )
    young = ranking.score_paper(
        paper(young_age, young_count), today=TODAY, params=PARAMS, relevance_value=0.5
    )
    order = ranking.sort_ranked([classic, young], "velocity")
    assert order[0] is young


def test_dated_velocity_beats_a_lifetime_guess_of_the_same_value_in_sort() -> None:
    guess = ranking.score_paper(paper(2000, 500), today=TODAY, params=PARAMS, relevance_value=0.5)
    measured = ranking.score_paper(
        paper(2000, 500),
        today=TODAY,
        params=PARAMS,
        relevance_value=0.5,
        dated=[window_evidence(500 / (2000 / 365.25) * 365 / 2000 * 1.1 - 0.2, 365)],
    )
    assert ranking.sort_ranked([guess, measured], "velocity")[0] is measured


def test_the_freshest_evidence_wins() -> None:
    old = Evidence("citing_dates", 10, 365, TODAY - timedelta(days=40))
    new = Evidence("openalex_years", 50, 365, TODAY - timedelta(days=1))
    best = velocity.best_evidence(
        citations=900, age_days=3000, as_of=TODAY, window_days=365, dated=[old, new]
    )
    assert best is new


# -- counting the window ------------------------------------------------------------------------


def test_openalex_years_count_the_partial_current_year_whole_and_apportion_the_last() -> None:
    # 2 December: 336 days of 2026 so far; the window reaches 30 days into 2025 (from 2 Dec).
    counts = {2026: 110, 2025: 365, 2023: 40}  # 2024 omitted: zero
    got = velocity.window_from_years(counts, born=date(2016, 6, 13), as_of=TODAY, window_days=365)
    assert abs(got - (110 + 365 * 30 / 365)) < 0.01


def test_openalex_years_spread_a_first_year_over_the_days_the_paper_existed() -> None:
    # Published 10 Dec 2025: its 22 days of 2025 fall wholly inside the window.
    got = velocity.window_from_years(
        {2025: 30, 2026: 70}, born=date(2025, 12, 10), as_of=TODAY, window_days=365
    )
    assert abs(got - 100) < 0.01
    # Published 1 Nov 2025: 30 of its 61 days of 2025 are inside the window.
    got = velocity.window_from_years(
        {2025: 30, 2026: 70}, born=date(2025, 11, 1), as_of=TODAY, window_days=365
    )
    assert abs(got - (70 + 30 * 30 / 61)) < 0.01


def test_citing_dates_count_exactly_and_year_only_dates_by_share() -> None:
    dates = {"2026-11-30": 2, "2025-12-02": 1, "2025-12-01": 1, "2024-05-01": 3, "2026": 4}
    got = velocity.window_from_dates(dates, born=date(2020, 1, 1), as_of=TODAY, window_days=365)
    assert abs(got - (3 + 4)) < 0.01  # 2025-12-01 is outside [2025-12-02, 2026-12-02]


# -- is this still recent? ----------------------------------------------------------------------

LIMITS = Recent()


def test_a_months_old_fast_paper_is_recent_and_moving_fast() -> None:
    v = velocity.estimate(96, 106, PRIOR, window_evidence(96, 106, "all_in_window"))
    topic = [30.0, 200.0, 400.0, 800.0, 1200.0, 2000.0, 3000.0]  # its topic's top papers
    sentence, pct = recent.verdict(106, 96, v, topic, LIMITS)
    assert sentence.startswith("Recent and moving fast: 3 months old, 96 citations, about")
    assert pct == 14


def test_an_old_paper_still_cited_says_so_in_numbers() -> None:
    v = velocity.estimate(2000, 3650, PRIOR, window_evidence(88, 365, "citing_dates"))
    topic = [30.0, 200.0, 400.0, 800.0, 1200.0, 2000.0]
    sentence, pct = recent.verdict(3650, 2000, v, topic, LIMITS)
    assert sentence.startswith(
        "Not recent, but still cited: 10 years old, 2,000 citations, 88 in the last year"
    )
    assert pct == 100


def test_a_young_paper_is_recent_even_if_its_topic_is_all_this_month() -> None:
    v = velocity.estimate(5, 90, PRIOR, window_evidence(5, 90, "all_in_window"))
    sentence, _ = recent.verdict(90, 5, v, [3.0, 5.0, 8.0, 10.0, 20.0], LIMITS)
    assert sentence.startswith("Recent")


def test_no_dated_data_says_the_rate_now_is_unknown() -> None:
    v = velocity.estimate(500, 3000, PRIOR, None)
    sentence, pct = recent.verdict(3000, 500, v, [], LIMITS)
    assert pct is None
    assert sentence.startswith("Not recent: 8 years old, 500 citations")
    assert "rate now is unknown" in sentence
