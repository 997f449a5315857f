"""Ages and durations as text — the one place that formats them (tables, prose, "ago")."""

from __future__ import annotations

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = 30.44


def short(days: float | None) -> str:
    """For tables: `today`, `5 d`, `3 wk`, `6 mo`, `4.1 y`, `12 y`."""
    if days is None:
        return "?"
    if days < 1:
        return "today"
    if days < 14:
        return f"{int(days)} d"
    if days < 60:
        return f"{int(days) // 7} wk"
    if days < 365:
        return f"{round(days / DAYS_PER_MONTH)} mo"
    years = days / DAYS_PER_YEAR
    return f"{years:.1f} y" if years < 9.95 else f"{round(years)} y"


def words(days: float) -> str:
    """For sentences: `1 day`, `12 days`, `4 months`, `10 years`."""
    if days < 60:
        n, unit = round(days), "day"
    elif days < 2 * DAYS_PER_YEAR:
        n, unit = round(days / DAYS_PER_MONTH), "month"
    else:
        n, unit = round(days / DAYS_PER_YEAR), "year"
    return f"{n} {unit}" + ("" if n == 1 else "s")


def old(days: float | None) -> str:
    """`12 days old`, `today`, `date unknown` — a paper's age in a digest line."""
    if days is None:
        return "date unknown"
    if days < 1:
        return "today"
    return f"{words(days)} old"


def ago(seconds: float) -> str:
    """How long ago something happened: `just now`, `5 min ago`, `3 h ago`, `4 days ago`."""
    if seconds < 90:
        return "just now"
    if seconds < 5400:
        return f"{round(seconds / 60)} min ago"
    if seconds < 172800:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"
