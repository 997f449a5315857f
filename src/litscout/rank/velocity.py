"""Citation velocity: citations per year *now*, from dated data. Pure functions.

"Now" is the last `window_days` (365 by default). Each basis counts the citations that fell
in that window, C_w, over an exposure E = min(window, age) as of the day the data was read:

  citing_dates   — the dates of the citing papers Semantic Scholar listed (exact)
  all_in_window  — the paper is younger than the window: all its citations are recent (exact)
  openalex_years — OpenAlex `counts_by_year`, each year spread evenly over the part of it the
                   paper existed (zero years, which OpenAlex omits, count 0; the current
                   year is partial, so it counts whole), then the part inside the window taken
  snapshots      — growth between litscout's own earlier count and today's
  lifetime       — only a total is known: shown as the lifetime average and labelled so, but
                   never ranked as a rate now: an old paper's rate fades, so ranking takes the
                   lifetime average × min(1, window / age) (the ranking backtest in
                   benchmarks/ measured it against the alternatives: NDCG@10 0.88, against
                   0.83 for the plain lifetime average and 0.25 for the typical rate)

The estimate shrinks toward a flat prior (Gamma–Poisson posterior mean), never toward the
paper's own lifetime rate:

  rate = (C_w + prior_rate · prior_years) / (E_years + prior_years)

so strong young evidence keeps most of its rate (96 citations in 4 months → ~220/yr) while
one citation in two days stays modest (~11/yr).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..ages import words as in_words

DAYS_PER_YEAR = 365.25
BASES = ("citing_dates", "all_in_window", "openalex_years", "snapshots", "lifetime", "unknown")
EXACT_BASES = ("citing_dates", "all_in_window")


@dataclass(frozen=True)
class Prior:
    rate: float  # citations/year assumed before any evidence (the field's typical rate)
    years: float  # how much exposure the prior is worth
    window_days: float


@dataclass(frozen=True)
class Evidence:
    """Citations counted in a window of `exposure_days` ending `as_of`."""

    basis: str
    count: float
    exposure_days: float
    as_of: date
    detail: str = ""


@dataclass(frozen=True)
class Velocity:
    rate: float | None  # shown: citations/year now (the lifetime average for "lifetime")
    basis: str
    observed: float | None = None  # citations counted for the estimate
    exposure_days: float | None = None  # over how long
    rank_rate: float | None = None  # what ranking uses; None when the count is unknown
    as_of: date | None = None
    detail: str = ""

    @property
    def is_now(self) -> bool:
        return self.basis not in ("lifetime", "unknown")


def shrunk(count: float, exposure_days: float, prior: Prior) -> float:
    """Gamma–Poisson posterior mean of a rate, prior worth `prior.years` of exposure."""
    years = max(exposure_days, 0.0) / DAYS_PER_YEAR
    return (max(count, 0.0) + prior.rate * prior.years) / (years + prior.years)


def exposure(age_days: float | None, window_days: float) -> float:
    age = window_days if age_days is None else max(age_days, 0.0)
    return min(window_days, age)


# -- counting citations in the window --------------------------------------------------------


def window_from_years(
    counts: Mapping[int, int],
    *,
    born: date | None,
    as_of: date,
    window_days: float,
) -> float:
    """Citations in [as_of − window, as_of] from calendar-year counts.

    A year's count is spread evenly over the days of that year the paper existed (up to
    `as_of`), and the share inside the window is taken. Years absent from `counts` are zero
    (OpenAlex omits them); the current year is partial and counts in full when the window
    covers it.
    """
    start = as_of - timedelta(days=window_days)
    total = 0.0
    for year, n in counts.items():
        if n <= 0:
            continue
        lo, hi = date(year, 1, 1), min(date(year + 1, 1, 1), as_of + timedelta(days=1))
        if born is not None and lo < born < hi:
            lo = born
        span = (hi - lo).days
        if span <= 0:  # a year the dates say is impossible (preprint cited early): spread it
            lo, hi, span = date(year, 1, 1), date(year + 1, 1, 1), 365
        inside = (hi - max(lo, start)).days
        total += n * min(max(inside, 0), span) / span
    return total


def window_from_dates(
    dates: Mapping[str, int], *, born: date | None, as_of: date, window_days: float
) -> float:
    """Citing papers dated in [as_of − window, as_of], from {date text: papers}: exact for
    full dates; a year-only date counts by the share of its year inside the window, undated
    papers in proportion to the dated ones."""
    start = as_of - timedelta(days=window_days)
    years: dict[int, int] = {}
    inside = 0.0
    dated = undated = 0
    for text, n in dates.items():
        if len(text) >= 10:
            dated += n
            if start <= date.fromisoformat(text[:10]) <= as_of:
                inside += n
        elif len(text) >= 4 and text[:4].isdigit():
            dated += n
            years[int(text[:4])] = years.get(int(text[:4]), 0) + n
        else:
            undated += n
    inside += window_from_years(years, born=born, as_of=as_of, window_days=window_days)
    if undated and dated:
        inside += undated * inside / dated
    return inside


# -- the estimate ------------------------------------------------------------------------------


def best_evidence(
    *,
    citations: int | None,
    age_days: float | None,
    as_of: date,
    window_days: float,
    dated: Sequence[Evidence] = (),
    snapshots: Sequence[tuple[float, int]] = (),
    now: float | None = None,
    min_snapshot_days: float = 7.0,
) -> Evidence | None:
    """The best dated evidence for a paper, or None when only a lifetime total is known."""
    candidates = list(dated)
    if citations is not None and age_days is not None and age_days <= window_days:
        candidates.append(
            Evidence(
                "all_in_window",
                float(citations),
                max(age_days, 0.0),
                as_of,
                f"{_n(citations, 'citation')}, all within its {in_words(age_days)}",
            )
        )
    if candidates:  # the freshest reading wins; on the same day, the more exact basis
        return max(candidates, key=lambda e: (e.as_of, -BASES.index(e.basis)))
    if snapshots and now is not None and citations is not None:
        oldest_allowed = now - window_days * 86_400
        usable = [
            (t, c)
            for t, c in snapshots
            if t >= oldest_allowed and (now - t) / 86_400 >= min_snapshot_days
        ]
        if usable:
            taken_at, then = min(usable)
            days = (now - taken_at) / 86_400
            gained = max(citations - then, 0)
            return Evidence(
                "snapshots",
                float(gained),
                days,
                as_of,
                f"{then:,} → {citations:,} citations over {in_words(days)} (litscout's own counts)",
            )
    return None


def estimate(
    citations: int | None,
    age_days: float | None,
    prior: Prior,
    evidence: Evidence | None,
) -> Velocity:
    """Citations per year now, with the basis and the counts behind it."""
    if evidence is not None:
        rate = shrunk(evidence.count, evidence.exposure_days, prior)
        return Velocity(
            rate,
            evidence.basis,
            evidence.count,
            evidence.exposure_days,
            rate,
            evidence.as_of,
            evidence.detail,
        )
    if citations is None:
        return Velocity(None, "unknown")
    days = max(age_days if age_days is not None else DAYS_PER_YEAR, 1.0)
    average = citations / (days / DAYS_PER_YEAR)
    faded = average * min(1.0, prior.window_days / days)
    return Velocity(
        average,
        "lifetime",
        float(citations),
        days,
        faded,
        None,
        f"{_n(citations, 'citation')} over {in_words(days)}: a lifetime average, which overstates "
        f"an old paper's rate now; ranked as {faded:,.1f}/yr (faded by window/age)",
    )


def years_detail(counts: Mapping[int, int], as_of: date) -> str:
    """`OpenAlex: 2025: 140, 2026 (to Dec 2): 110` — the counts behind an estimate."""
    recent = sorted(y for y in counts if y >= as_of.year - 1)
    parts = []
    for year in recent or [as_of.year]:
        n = counts.get(year, 0)
        label = f"{year} (to {as_of:%b} {as_of.day})" if year == as_of.year else str(year)
        parts.append(f"{label}: {n:,}")
    return "OpenAlex counts by year, " + ", ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
