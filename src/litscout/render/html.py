"""One self-contained HTML page: `litscout report` and `watch run --html`.

The page carries everything it needs (inline CSS and SVG, no scripts, no remote assets), so it
opens from a file, offline, and prints. Every value from a record passes through `esc`
(`html.escape`, quotes included) and only http(s) links become `href`s.

The field map answers "what is moving, and is this paper still recent?" at a glance:
x is the paper's age (log scale), y its citations per year now (`velocity`, on a log(1 + v)
scale), the area its total citations, the colour survey / has code / other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import __version__
from .fieldmap import (
    BASES,
    NOT_NOW,
    age_text,
    count_text,
    esc,
    field_map,
    kind,
    legend,
    link,
    rate_text,
    safe_url,
)
from .neighbourhood import CSS as NEIGHBOURHOOD_CSS


@dataclass
class Section:
    """A block of ranked papers: the whole report, or one watch of a digest."""

    records: list[dict[str, Any]]
    header: str | None = None
    description: str | None = None
    warnings: list[str] = field(default_factory=list)


def _authors(names: object) -> str:
    if not isinstance(names, list) or not names:
        return ""
    shown = ", ".join(str(n) for n in names[:3])
    return shown + (" et al." if len(names) > 3 else "")


def _code_label(url: str) -> str:
    host, _, path = url.split("://", 1)[-1].partition("/")
    return ("HF " if host.startswith("huggingface") else "") + path


def table(records: Sequence[dict[str, Any]]) -> str:
    rows = []
    for rank, r in enumerate(records, 1):
        badges = "".join(
            f' <span class="badge {k}">{t}</span>'
            for k, t, on in (
                ("survey", "survey", r.get("is_survey")),
                ("code", "code", r.get("code_urls")),
            )
            if on
        )
        meta = " · ".join(
            part
            for part in (
                esc(_authors(r.get("authors"))),
                esc(r.get("venue") or r.get("primary_category") or ""),
                esc(r.get("published") or r.get("year") or ""),
                esc(r.get("watch") and f"watch: {r['watch']}"),
            )
            if part
        )
        pages = ((r.get("url"), "abstract"), (r.get("pdf_url"), "PDF"))
        links = [link(url, text) for url, text in pages if url]
        links += [
            link(u, "code: " + _code_label(u), "code")
            for u in r.get("code_urls") or []
            if safe_url(u)
        ]
        basis = r.get("velocity_basis") or "unknown"
        score = r.get("score")
        rows.append(
            f'<tr id="paper-{rank}" class="{kind(r)}">'
            f'<td class="rank" data-label="#">{rank}</td>'
            f'<td class="paper">{link(r.get("url"), r.get("title") or "(untitled)", "title")}'
            f'{badges}<div class="meta">{meta}</div></td>'
            f'<td class="num" data-label="Age">{esc(age_text(r.get("age_days")))}</td>'
            f'<td class="num" data-label="Citations">{count_text(r.get("citations"))}</td>'
            f'<td class="num" data-label="Citations/yr now">{esc(rate_text(r))}'
            f'<span class="basis">{esc(basis)}</span></td>'
            f'<td class="num" data-label="Score">'
            f"{'' if score is None else f'{score:.2f}'}</td>"
            f'<td class="links" data-label="Links">{" · ".join(links)}</td></tr>'
        )
    return (
        '<table class="ranked"><thead><tr><th>#</th><th>Paper</th><th>Age</th>'
        "<th>Citations</th><th>Citations/yr now</th><th>Score</th><th>Links</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def terms_block(terms: Sequence[dict[str, Any]] | None, error: str | None) -> str:
    if error:
        return f'<p class="note">Key terms unavailable: {esc(error)}</p>'
    if not terms:
        return '<p class="note">No key terms found.</p>'
    items = "".join(
        f'<li><strong>{esc(t.get("term"))}</strong> <span class="count">'
        f"{count_text(t.get('documents'))} papers</span>"
        + (f" <code>{esc(t['command'])}</code>" if t.get("command") else "")
        + "</li>"
        for t in terms
    )
    return f'<ul class="terms">{items}</ul>'


def surveys_block(records: Iterable[dict[str, Any]]) -> str:
    seen: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.get("is_survey"):
            seen.setdefault(str(r.get("id")), r)
    if not seen:
        return '<p class="note">No surveys among these papers.</p>'
    items = "".join(
        f"<li>{link(r.get('url'), r.get('title') or '(untitled)')} "
        f'<span class="meta">{esc(r.get("year") or "")} · {count_text(r.get("citations"))} '
        f"citations · {esc(rate_text(r))}/yr now</span></li>"
        for r in seen.values()
    )
    return f'<ul class="surveys">{items}</ul>'


def _summary(records: Sequence[dict[str, Any]]) -> str:
    surveys = sum(1 for r in records if r.get("is_survey"))
    code = sum(1 for r in records if r.get("code_urls"))
    parts = [f"{len(records)} paper(s)", f"{surveys} survey(s)", f"{code} with code"]
    now = [r for r in records if r.get("velocity") is not None and r.get("velocity_basis")]
    now = [r for r in now if r["velocity_basis"] not in NOT_NOW]
    if now:
        top = max(now, key=lambda r: r["velocity"])
        parts.append(f"fastest now: {esc(top.get('title'))} ({esc(rate_text(top))}/yr)")
    return " · ".join(parts)


# -- the page --------------------------------------------------------------------------


CSS = """
:root{--fg:#1d232b;--muted:#5b6470;--line:#d9dde3;--bg:#fff;--panel:#f6f7f9;
--survey:#8a3ffc;--code:#198038;--other:#1f6fd1;--link:#0b57d0}
*{box-sizing:border-box}
body{margin:0;padding:16px;color:var(--fg);background:var(--bg);line-height:1.45;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto}
h1{font-size:1.6em;margin:.2em 0 .1em;overflow-wrap:anywhere}
h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
.when,.note,.meta,.basis,.count,.summary{color:var(--muted)}
.when{margin:0}.summary{margin:.3em 0 0}
.note{font-style:italic}
.warning{color:#8a5300}
figure{margin:0}
.fieldmap{width:100%;height:auto;display:block;background:var(--bg)}
.fieldmap .plot{fill:var(--panel);stroke:var(--line)}
.fieldmap .grid{stroke:var(--line);stroke-width:1}
.fieldmap .tick{font-size:11px;fill:var(--muted)}
.fieldmap .axis{font-size:12px;fill:var(--fg)}
.fieldmap .rank{font-size:11px;font-weight:600;fill:var(--fg)}
.mark{fill-opacity:.55;stroke-width:1.5}
.mark.survey{fill:var(--survey);stroke:var(--survey)}
.mark.code{fill:var(--code);stroke:var(--code)}
.mark.other{fill:var(--other);stroke:var(--other)}
.mark.not-now{fill-opacity:0;stroke-dasharray:3 2}
a:hover .mark{fill-opacity:.9}
.legend{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.3em 1.2em;
font-size:.85em;color:var(--muted)}
.legend .swatch{width:12px;height:12px;margin-right:.35em;vertical-align:-1px}
table.ranked{width:100%;border-collapse:collapse;font-size:.92em}
.ranked th{text-align:left;font-weight:600;border-bottom:2px solid var(--line);padding:.4em}
.ranked td{border-bottom:1px solid var(--line);padding:.45em .4em;vertical-align:top}
.ranked td.num,.ranked td.rank{white-space:nowrap;text-align:right}
.ranked .title{font-weight:600}
.ranked .meta{font-size:.85em;overflow-wrap:anywhere}
.ranked .links{font-size:.88em;overflow-wrap:anywhere}
.basis{display:block;font-size:.78em}
.badge{font-size:.72em;border-radius:3px;padding:0 .35em;color:#fff;vertical-align:1px}
.badge.survey{background:var(--survey)}.badge.code{background:var(--code)}
.terms,.surveys{padding-left:1.2em}.terms li,.surveys li{margin:.25em 0}
code{font-size:.85em;background:var(--panel);padding:0 .25em;border-radius:3px;
overflow-wrap:anywhere}
footer{margin-top:2em;font-size:.82em;color:var(--muted)}
@media (max-width:640px){
body{padding:10px;font-size:14px}
h1{font-size:1.3em}
.fieldmap .tick{font-size:19px}.fieldmap .tick.minor{display:none}
.fieldmap .axis{font-size:21px}.fieldmap .rank{font-size:19px}
.ranked thead{display:none}
.ranked,.ranked tbody,.ranked tr,.ranked td{display:block;width:100%}
.ranked tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .7em;padding:.3em .5em}
.ranked td{border:0;padding:.15em 0;text-align:left!important;white-space:normal!important}
.ranked td.rank{font-weight:600}
.ranked td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}
.ranked td.rank::before{content:"#"}
.basis{display:inline;margin-left:.4em}
}
@media print{
body{padding:0;font-size:10pt;color:#000}
main{max-width:none}
a{color:#000}
.ranked .title{color:#000}
figure,.fieldmap,tr,li{break-inside:avoid;page-break-inside:avoid}
h2{break-after:avoid;page-break-after:avoid}
thead{display:table-header-group}
.mark{fill-opacity:.45}
}
"""


def page(
    *,
    title: str,
    question: str,
    generated: datetime,
    sections: Sequence[Section],
    terms: Sequence[dict[str, Any]] | None = None,
    terms_error: str | None = None,
    show_terms: bool = True,
    extra: str = "",
) -> str:
    """The whole document; `extra` is more sections' HTML, after the key terms."""
    when = generated.strftime("%Y-%m-%d %H:%M %Z").strip()
    everything = [r for s in sections for r in s.records]
    body = [
        f"<header><h1>{esc(question)}</h1>",
        f'<p class="when">Answered <time datetime="{esc(generated.isoformat())}">{esc(when)}'
        f"</time> by litscout {esc(__version__)}</p>",
        f'<p class="summary">{_summary(everything)}</p></header>',
    ]
    for number, section in enumerate(sections, 1):
        level = "h2" if section.header is None else "h3"
        if section.header is not None:
            body.append(f'<h2 id="section-{number}">{esc(section.header)}</h2>')
        if section.description:
            body.append(f'<p class="meta">{esc(section.description)}</p>')
        body.extend(f'<p class="warning">Warning: {esc(w)}</p>' for w in section.warnings)
        if not section.records:
            body.append('<p class="note">No papers.</p>')
            continue
        body.append(
            f"<section><{level}>Field map</{level}><figure>"
            f"{field_map(section.records, f'Field map of {len(section.records)} papers')}"
            f"<figcaption>{legend()}</figcaption></figure></section>"
        )
        body.append(f"<section><{level}>Ranked papers</{level}>{table(section.records)}</section>")
    if show_terms:
        body.append(f"<section><h2>Key terms</h2>{terms_block(terms, terms_error)}</section>")
    body.append(extra)
    body.append(f"<section><h2>Surveys</h2>{surveys_block(everything)}</section>")
    body.append(
        "<footer><p>Citations per year now (velocity) count the citations of the last year; "
        f"the basis under each says how: {esc(BASES)} Score (0–1) adds velocity, recency and "
        "relevance. Data: arXiv, Semantic Scholar, OpenAlex.</p></footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="litscout {esc(__version__)}">'
        f"<title>{esc(title)}</title><style>{CSS}{NEIGHBOURHOOD_CSS}</style></head>\n"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def report(
    question: str,
    records: list[dict[str, Any]],
    generated: datetime,
    terms: Sequence[dict[str, Any]] | None = None,
    terms_error: str | None = None,
    neighbours: Sequence[dict[str, Any]] | None = None,
    neighbours_error: str | None = None,
) -> str:
    """`litscout report`: the question, its field map, the ranked papers, terms, the
    neighbouring fields (`litscout map` records, drawn as a small graph), surveys."""
    from .neighbourhood import block

    return page(
        title=f"{question} · litscout",
        question=question,
        generated=generated,
        sections=[Section(records)],
        terms=terms,
        terms_error=terms_error,
        extra="<section><h2>Neighbouring fields</h2>"
        f"{block(neighbours, neighbours_error)}</section>",
    )


def digest(sections: Sequence[dict[str, Any]], generated: datetime) -> str:
    """`watch run --html`: the digest's sections (as for Markdown), one map and table each."""
    return page(
        title=f"New papers · litscout digest {generated:%Y-%m-%d}",
        question="New papers on your watches",
        generated=generated,
        sections=[
            Section(
                records=list(s["records"]),
                header=s.get("header"),
                description=s.get("description"),
                warnings=list(s.get("warnings") or []),
            )
            for s in sections
        ],
        show_terms=False,
    )
