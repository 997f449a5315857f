"""arXiv's clock: announcement days in US Eastern time, weekdays, listing updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

# -- time ---------------------------------------------------------------------------------


def _eastern() -> Any:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database (Windows without tzdata): standard time is close
        from datetime import timezone

        return timezone(timedelta(hours=-5))


def eastern_date(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, _eastern()).date()


def last_feed_update(now: float) -> float:
    """The listing feeds change at midnight US Eastern: the latest such moment before `now`."""
    local = datetime.fromtimestamp(now, _eastern())
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def day_text(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def moment_text(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
