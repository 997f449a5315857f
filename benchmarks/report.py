"""Render the measurements as one Markdown table (printed, and written to RESULTS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .common import Stats


@dataclass
class Row:
    part: str
    measure: str
    litscout: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.rows.append(Row(*args, **kwargs))

    def table(self) -> str:
        head = ["#", "Measure", "litscout", "Baseline", "Ratio", "Goal", "Met"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in sorted(self.rows, key=lambda row: row.part):
            met = {True: "yes", False: "**no**", None: "–"}[r.met]
            cells = [r.part, r.measure, r.litscout, r.baseline, r.ratio, r.goal, met]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines)


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}×" if fast > 0 else "∞"


def total_requests(counts: dict[str, int]) -> int:
    return sum(v for k, v in counts.items() if k != "429")


def requests_text(counts: list[dict[str, int]]) -> str:
    """`3 (arxiv 1, s2 2)`; refused requests are named; runs that differ are listed apart."""
    texts = []
    for c in counts:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k != "429")
        refused = f"; {c['429']} answered 429" if c.get("429") else ""
        texts.append(f"{total_requests(c)} ({parts}{refused})" if parts else "0")
    unique = list(dict.fromkeys(texts))
    return unique[0] if len(unique) == 1 else " / ".join(unique)


def stats_ms(stats: Stats) -> str:
    return stats.ms() if stats.samples else "not run"


def stats_s(stats: Stats) -> str:
    return stats.seconds() if stats.samples else "not run"


def history() -> str:
    """benchmarks/CHANGES.md: what the benchmark made us change, with before/after figures."""
    from .common import ROOT

    path = ROOT / "benchmarks" / "CHANGES.md"
    return path.read_text().strip() if path.exists() else ""
