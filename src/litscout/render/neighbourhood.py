"""The neighbourhood of a topic as a small inline SVG graph (`litscout report`).

The topic sits in the middle, its named neighbours (`litscout map` records) around it; a line's
width grows with how strongly the two are tied (shared papers + citations between them), and
each neighbour's node is labelled with its name. Below the graph, each neighbour's fastest
recent paper and best survey, linked, and the command to go there. No scripts, like the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .fieldmap import esc, link

WIDTH, HEIGHT = 640, 360
RADIUS = 130  # of the circle the neighbours sit on


def _paper(paper: dict[str, Any] | None) -> str:
    if not paper:
        return '<span class="note">none found</span>'
    rate = paper.get("velocity")
    speed = f" · {rate:.1f} citations/yr now" if isinstance(rate, (int, float)) else ""
    year = f" ({esc(paper.get('year'))})" if paper.get("year") else ""
    return f"{link(paper.get('url'), paper.get('title') or '(untitled)')}{year}{speed}"


def graph(topic: str, neighbours: Sequence[dict[str, Any]]) -> str:
    cx, cy = WIDTH / 2, HEIGHT / 2
    strongest = max((int(n.get("tie") or 0) for n in neighbours), default=0) or 1
    lines, nodes = [], []
    for i, rec in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(neighbours), 1)
        x, y = cx + RADIUS * 1.6 * math.cos(angle), cy + RADIUS * math.sin(angle)
        tie = int(rec.get("tie") or 0)
        width = 1.0 + 7.0 * tie / strongest
        lines.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="tie" '
            f'stroke-width="{width:.1f}"><title>{esc(rec.get("neighbour"))}: '
            f"{esc(rec.get('shared_papers'))} shared papers, "
            f"{esc(rec.get('citations_between'))} citations between</title></line>"
        )
        nodes.append(
            f'<g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="9"/>'
            f'<text x="{x:.1f}" y="{y + 24:.1f}" text-anchor="middle">'
            f"{esc(rec.get('neighbour'))}</text></g>"
        )
    centre = (
        f'<g class="node topic"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="14"/>'
        f'<text x="{cx:.1f}" y="{cy + 32:.1f}" text-anchor="middle">{esc(topic)}</text></g>'
    )
    return (
        f'<svg class="neighbourhood" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{esc(topic)} and its neighbouring fields">'
        f"{''.join(lines)}{''.join(nodes)}{centre}</svg>"
    )


def block(records: Sequence[dict[str, Any]] | None, error: str | None = None) -> str:
    """The section's body from `api.map(topic)` records (or why they are missing)."""
    if error:
        return f'<p class="note">The neighbourhood is unavailable: {esc(error)}</p>'
    topic = next((r for r in records or () if r.get("kind") == "topic"), None)
    found = [r for r in records or () if r.get("kind") == "neighbour"]
    if topic is None or not found:
        return '<p class="note">No named field next to it among the papers found.</p>'
    items = "".join(
        f"<li><strong>{esc(r.get('neighbour'))}</strong> "
        f'<span class="meta">{esc(r.get("shared_papers"))} shared papers · '
        f"{esc(r.get('citations_between'))} citations between</span>"
        f"<br>Fastest recent: {_paper(r.get('fastest_recent'))}"
        f"<br>Survey: {_paper(r.get('best_survey'))}"
        f"<br>Go there: <code>{esc(r.get('command'))}</code></li>"
        for r in found
    )
    return (
        f"<figure>{graph(str(topic.get('topic')), found)}</figure>"
        f'<ul class="neighbours">{items}</ul>'
    )


CSS = """
.neighbourhood{width:100%;max-width:720px;height:auto;display:block}
.neighbourhood .tie{stroke:var(--line)}
.neighbourhood .node circle{fill:var(--other);fill-opacity:.7}
.neighbourhood .topic circle{fill:var(--survey)}
.neighbourhood text{font-size:13px;fill:var(--fg)}
.neighbours{padding-left:1.2em}.neighbours li{margin:.5em 0}
"""
