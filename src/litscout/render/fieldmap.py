"""The field map: age (log scale) against citations per year now, as inline SVG, and the
small text helpers every part of the HTML page shares (`esc` escapes every value; only
http(s) links become hrefs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from ..ages import words as age_words

# The map's geometry (SVG user units; the SVG scales to the page width).
WIDTH, HEIGHT = 720, 430
LEFT, RIGHT, TOP, BOTTOM = 72, 18, 14, 52
MIN_R, MAX_R = 4.0, 18.0
LABELLED = 10  # the top papers get their rank beside the mark

AGE_TICKS = (
    (1, "1 day"), (7, "1 wk"), (30, "1 mo"), (91, "3 mo"), (182, "6 mo"), (365, "1 yr"),
    (730, "2 yr"), (1826, "5 yr"), (3652, "10 yr"), (7305, "20 yr"), (18262, "50 yr"),
)  # fmt: skip
RATE_TICKS = (0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000)
MINOR_AGES = frozenset({7, 182, 730, 7305})  # tick labels hidden on a phone
MINOR_RATES = frozenset({1, 3, 300, 3000, 30000})
KINDS = (("survey", "survey or review"), ("code", "links to code"), ("other", "other"))
NOT_NOW = ("lifetime", "unknown")  # not a rate now: drawn hollow
BASES = (
    "citing_dates: counted from the dates of the citing papers (exact); "
    "all_in_window: younger than the window, so every citation is recent (exact); "
    "openalex_years: from OpenAlex's citations per year; "
    "snapshots: growth between litscout's own counts; "
    "lifetime: only a total is known, the lifetime average (not a rate now)."
)


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def safe_url(value: object) -> str | None:
    """Only web links become hrefs (a record's text is data, never a script)."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return None


def link(url: object, text: str, cls: str = "") -> str:
    href = safe_url(url)
    if href is None:
        return esc(text)
    attr = f' class="{cls}"' if cls else ""
    return f'<a{attr} href="{esc(href)}">{esc(text)}</a>'


def kind(record: dict[str, Any]) -> str:
    if record.get("is_survey"):
        return "survey"
    if record.get("code_urls"):
        return "code"
    return "other"


def age_text(days: object) -> str:
    if not isinstance(days, int | float):
        return "age unknown"
    return age_words(days)


def rate_text(record: dict[str, Any]) -> str:
    velocity = record.get("velocity")
    if velocity is None:
        return "unknown"
    return f"{velocity:,.1f}" if velocity < 100 else f"{velocity:,.0f}"


def count_text(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"


def mark_title(rank: int, record: dict[str, Any]) -> str:
    basis = record.get("velocity_basis") or "unknown"
    per_year = "per year (lifetime average)" if basis == "lifetime" else "per year now"
    return (
        f"#{rank} {record.get('title') or '(untitled)'}\n"
        f"{record.get('year') or 'year unknown'} · {age_text(record.get('age_days'))} old · "
        f"{count_text(record.get('citations'))} citations · {rate_text(record)} {per_year} "
        f"({basis})"
    )


# -- the field map ---------------------------------------------------------------------


def _age_scale(ages: Sequence[float]) -> tuple[float, float]:
    low = math.log10(max(1.0, min(ages) / 1.6))
    high = math.log10(max(ages) * 1.6)
    if high - low < 1.0:  # at least a factor of ten across
        middle = (high + low) / 2
        low, high = max(0.0, middle - 0.5), max(0.0, middle - 0.5) + 1.0
    return low, high


def _rate(value: object) -> float:
    return math.log10(1.0 + max(0.0, float(value))) if isinstance(value, int | float) else 0.0


def field_map(records: Sequence[dict[str, Any]], label: str = "Field map") -> str:
    """The SVG: one `<circle class="mark">` per paper with a known age, linked and titled."""
    placed = [
        (rank, r) for rank, r in enumerate(records, 1) if isinstance(r.get("age_days"), int | float)
    ]
    if not placed:
        return '<p class="note">No paper has a known date, so there is nothing to map.</p>'
    ages = [max(1.0, float(r["age_days"])) for _, r in placed]
    x_low, x_high = _age_scale(ages)
    y_high = max(_rate(10), max(_rate(r.get("velocity")) for _, r in placed) * 1.08)
    most = max([r.get("citations") or 0 for _, r in placed] + [1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(days: float) -> float:
        return LEFT + (math.log10(max(1.0, days)) - x_low) / (x_high - x_low) * plot_w

    def y_of(value: float) -> float:
        return TOP + plot_h - value / y_high * plot_h

    out = [
        f'<svg class="fieldmap" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}"/>',
    ]
    for days, text in AGE_TICKS:
        if x_low <= math.log10(days) <= x_high:
            x = x_of(days)
            minor = " minor" if days in MINOR_AGES else ""
            out.append(
                f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}"/>'
                f'<text class="tick{minor}" x="{x:.1f}" y="{TOP + plot_h + 18}" '
                f'text-anchor="middle">{text}</text>'
            )
    for value in RATE_TICKS:
        if _rate(value) <= y_high:
            y = y_of(_rate(value))
            minor = " minor" if value in MINOR_RATES else ""
            out.append(
                f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}"/>'
                f'<text class="tick{minor}" x="{LEFT - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end">{value:,}</text>'
            )
    out.append(
        f'<text class="axis" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" '
        'text-anchor="middle">age (log scale) →</text>'
        f'<text class="axis" transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" '
        'text-anchor="middle">citations per year now →</text>'
    )
    marks, labels = [], []
    for rank, record in placed:
        cites = record.get("citations") or 0
        radius = MIN_R + (MAX_R - MIN_R) * math.sqrt(max(0, cites) / most)
        x = x_of(float(record["age_days"]))
        y = y_of(_rate(record.get("velocity")))
        classes = f"mark {kind(record)}"
        if (record.get("velocity_basis") or "unknown") in NOT_NOW:
            classes += " not-now"
        circle = (
            f'<circle class="{classes}" data-rank="{rank}" data-id="{esc(record.get("id"))}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{esc(mark_title(rank, record))}</title></circle>"
        )
        href = safe_url(record.get("url")) or safe_url(record.get("pdf_url"))
        if href:
            circle = f'<a href="{esc(href)}">{circle}</a>'
        marks.append((radius, circle))
        if rank <= LABELLED:
            labels.append(
                f'<text class="rank" x="{x + radius * 0.7 + 2:.1f}" '
                f'y="{y - radius * 0.7 - 2:.1f}">{rank}</text>'
            )
    out.extend(circle for _, circle in sorted(marks, key=lambda m: -m[0]))  # small on top
    out.extend(labels)
    out.append("</svg>")
    unplaced = len(records) - len(placed)
    note = f'<p class="note">{unplaced} paper(s) without a date are not on the map.</p>'
    return "\n".join(out) + (note if unplaced else "")


def legend() -> str:
    items = "".join(
        f'<li><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true">'
        f'<circle class="mark {k}" cx="6" cy="6" r="5"/></svg>{esc(text)}</li>'
        for k, text in KINDS
    )
    items += (
        '<li><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true">'
        '<circle class="mark other not-now" '
        'cx="6" cy="6" r="5"/></svg>hollow: lifetime average, not a rate now</li>'
        "<li>area: total citations · numbers: rank in the table</li>"
    )
    return f'<ul class="legend">{items}</ul>'


# -- the table, the terms, the surveys -------------------------------------------------
