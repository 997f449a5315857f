""" "Is this still recent?": a paper's age and its citation rate now, against its topic.

The topic is the top-ranked papers litscout has for searches on the paper's subject, never
the paper's own citing papers (they are newer by construction). Thresholds are the
`[recent]` settings (config/litscout.toml documents them).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ages import words as span_text
from ..config import Recent
from .velocity import DAYS_PER_YEAR, Velocity

MIN_PEERS = 5  # fewer topic papers than this: judge by age alone


def verdict(
    age_days: float | None,
    citations: int | None,
    velocity: Velocity,
    peer_ages: Sequence[float],
    limits: Recent,
    window_days: float = 365.0,
) -> tuple[str, int | None]:
    """One sentence in numbers, and the share (%) of the topic's papers that are newer."""
    if age_days is None:
        return "Its date is unknown, so its age cannot be judged" + _cites(
            citations, velocity, None, window_days
        ) + ".", None
    pct: int | None = None
    if len(peer_ages) >= MIN_PEERS:
        pct = round(100 * sum(1 for a in peer_ages if a < age_days) / len(peer_ages))
    share = limits.topic_share
    recent = age_days <= limits.young_days or (pct is not None and pct <= share)
    if pct is not None:
        old = pct >= 100 - share
    else:
        old = age_days > limits.old_days
    rate = velocity.rate if velocity.is_now else None
    fast = rate is not None and rate >= limits.fast_rate
    cited = rate is not None and rate >= limits.cited_rate
    if recent:
        word = "Recent, few citations yet"
        if cited:
            word = "Recent and moving fast" if fast else "Recent"
    elif old:
        word = "Not recent"
        if rate is not None:
            word += ", but still cited" if cited else ", and rarely cited now"
    else:
        word = "Neither new nor old" + (
            ", and moving fast" if fast else ", still cited" if cited else ""
        )
    text = f"{word}: {span_text(age_days)} old" + _cites(citations, velocity, age_days, window_days)
    return text + _topic(pct, len(peer_ages)) + ".", pct


def _cites(
    citations: int | None, velocity: Velocity, age_days: float | None, window_days: float
) -> str:
    if citations is None and velocity.rate is None:
        return ", citations unknown"
    total = f", {citations:,} citations" if citations is not None else ""
    if not velocity.is_now or velocity.rate is None:
        return total + " (litscout has no dated citations for it: its rate now is unknown)"
    young = age_days is not None and age_days <= window_days
    observed = velocity.observed
    if young or observed is None:
        return total + f", about {_round(velocity.rate)} a year now"
    approx = "" if velocity.basis == "citing_dates" else "about "
    period = "year" if abs(window_days - DAYS_PER_YEAR) <= 1 else span_text(window_days)
    return total + f", {approx}{round(observed):,} in the last {period}"


def _topic(pct: int | None, peers: int) -> str:
    if pct is None:
        return ""
    if pct <= 50:
        share = "all" if pct == 0 else f"{100 - pct}%"
        return f"; newer than {share} of the {peers} top papers litscout has on its topic"
    share = "all" if pct == 100 else f"{pct}%"
    return f"; older than {share} of the {peers} top papers litscout has on its topic"


def _round(rate: float) -> str:
    """About 300, 45, 7: two significant figures are all an estimate deserves."""
    if rate >= 100:
        return f"{round(rate, -1):,.0f}"
    if rate >= 10:
        return f"{rate:.0f}"
    return f"{rate:.1f}".rstrip("0").rstrip(".")
