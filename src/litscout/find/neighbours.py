"""`map TOPIC`: the named fields next to a topic, and the topic's own standing.

The papers come from a small request budget (`BUDGET`, every service counted): the topic's
search (arXiv, S2, a citation batch, OpenAlex), then, while requests are left, the references
of its best survey, the last two years' citing papers of its most cited paper, and OpenAlex
counts for the papers those added. The assembled pool is cached (`map|<topic>`), so a repeat
within the TTL, or `--offline`, asks nothing.

A neighbour is a key phrase of the pool (`phrases.extract`) that is itself the name of a
research topic: cached papers carry it in their titles (at least `MIN_TITLES`) and a survey
has it at the head of its title ("Meta-Learning in Neural Networks: A Survey"; `fields.py`).
Phrases of the topic itself ("few-shot classification" for "few-shot learning") and
catch-alls ("deep learning") are not neighbours. How strongly one is tied: the pool's papers
on the topic that also use the phrase, and the citations litscout knows between the topic's
papers and the neighbour's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..context import Context
from ..errors import LitscoutError
from ..models import Paper
from ..rank.score import Ranked, sort_ranked
from ..store.follows import FollowStore
from ..watch.match import compile_query
from ..words import contains, tokens
from .engine import rank_papers
from .fields import heads_title, same_topic
from .phrases import GENERIC_PHRASES, Doc, extract, piece_words

BUDGET = 6  # requests a cold `map TOPIC` may make
POOL = 100  # papers asked of the topic's search
RECENT_DAYS = 730  # "recent": the last two years
MIN_TITLES = 2  # cached papers whose titles carry a phrase before it counts as a field's name
CANDIDATES = 60  # key phrases of the pool judged as possible neighbours
NEIGHBOURS = 8  # neighbours shown by default
CITERS = 1000  # citing papers asked for: one request
NEIGHBOUR_KEYS = (
    "kind", "topic", "neighbour", "shared_papers", "citations_between", "tie", "titles",
    "surveys", "fastest_recent", "best_survey", "command",
)  # fmt: skip
TOPIC_KEYS = (
    "kind", "topic", "papers", "counted_from", "growth", "fastest", "fastest_recent",
    "best_survey", "command",
)  # fmt: skip


@dataclass
class MapResult:
    records: list[dict[str, Any]]
    from_cache: bool
    requests: dict[str, int] = field(default_factory=dict)
    pool: int = 0  # papers the answer was drawn from


# -- shared by `map TOPIC` and `map TOPIC TOPIC2` -------------------------------------------


def map_command(topic: str) -> str:
    return 'litscout map "' + topic.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mentions(paper: Paper, phrase: str, title_only: bool = False) -> bool:
    """The phrase as a run of words (hyphen or space, light plurals) in the title/abstract."""
    want = tokens(phrase)
    words = tokens(paper.title)
    if not title_only:
        words = words + ["\x00"] + tokens(paper.abstract)
    return contains(words, want)


def about(topic: str) -> Any:
    """A predicate: does a paper address `topic` (every content word, like a watch)?"""
    try:
        return compile_query(topic)
    except LitscoutError:
        return lambda paper: mentions(paper, topic)


def room(ctx: Context, cost: int, budget: int) -> bool:
    """Are `cost` more requests within the budget?"""
    return sum(ctx.requests_made().values()) + cost <= budget


def mini(item: Ranked | None) -> dict[str, Any] | None:
    """A paper in a line: what the map shows of it."""
    if item is None:
        return None
    paper = item.paper
    rate = item.velocity.rate
    return {
        "id": paper.id,
        "title": paper.title,
        "year": paper.year or (paper.published.year if paper.published else None),
        "published": paper.published.isoformat() if paper.published else None,
        "citations": paper.citations,
        "velocity": round(rate, 2) if rate is not None else None,
        "velocity_basis": item.velocity.basis,
        "is_survey": paper.is_survey,
        "url": paper.url,
    }


def growth(papers: Iterable[Paper], today: date) -> dict[str, Any]:
    """Papers per year, this year so far against last year, and the last 12 months against
    the 12 before (a fair comparison whatever the month): growing, steady or shrinking."""
    by_year: dict[int, int] = {}
    last = previous = 0
    for paper in papers:
        year = paper.published.year if paper.published else paper.year
        if year is not None:
            by_year[year] = by_year.get(year, 0) + 1
        if paper.published is not None:
            age = (today - paper.published).days
            last += 0 <= age < 365
            previous += 365 <= age < 730
    if last + previous < 3:
        trend = "too few papers to tell"
    elif last > previous * 1.2:
        trend = "growing"
    elif last < previous / 1.2:
        trend = "shrinking"
    else:
        trend = "steady"
    return {
        "by_year": {str(y): by_year[y] for y in sorted(by_year) if y >= today.year - 5},
        "this_year": by_year.get(today.year, 0),
        "last_year": by_year.get(today.year - 1, 0),
        "last_12_months": last,
        "previous_12_months": previous,
        "trend": trend,
    }


def recent(ctx: Context, papers: Iterable[Paper]) -> list[Paper]:
    start = ctx.today - timedelta(days=RECENT_DAYS)
    return [p for p in papers if p.published is not None and p.published >= start]


def fastest(ctx: Context, papers: list[Paper], terms: list[str]) -> Ranked | None:
    """The paper gathering citations fastest now (ranked by velocity, no requests)."""
    if not papers:
        return None
    distinct = list({p.id: p for p in papers}.values())
    return sort_ranked(rank_papers(ctx, distinct, terms), "velocity")[0]


def best_survey(ctx: Context, papers: list[Paper], terms: list[str]) -> Ranked | None:
    return fastest(ctx, [p for p in papers if p.is_survey], terms)


def docs_of(papers: list[Paper]) -> list[Doc]:
    return [
        Doc(p.id, p.title, " ".join(x for x in (p.abstract, p.tldr) if x), rank)
        for rank, p in enumerate(papers)
    ]


# -- gathering the pool -----------------------------------------------------------------------


def pool_key(*topics: str) -> str:
    return "map|" + "|".join(" ".join(t.lower().split()) for t in topics)


def gather(ctx: Context, topic: str) -> tuple[list[Paper], bool]:
    """The topic's papers: cached pool, else search + survey references + recent citers."""
    from ..follow.common import ordered, usable
    from ..query import Query
    from .engine import run_search

    follow = FollowStore(ctx.store)
    key = pool_key(topic)
    cached = follow.fetch(key)
    if usable(ctx, cached):
        assert cached is not None
        return ordered(ctx, cached.ids), True
    result = run_search(ctx, Query.build(topic), limit=POOL)
    complete = not result.failed and not result.word_match
    found = [item.paper for item in result.items]
    on_topic = about(topic)
    added: list[Paper] = []
    survey = next((p for p in found if p.is_survey and on_topic(p)), None)
    if survey is not None and (ctx.offline or room(ctx, 1, BUDGET)):
        ctx.reporter.status(f"Reading the references of “{survey.title}”…")
        added += _references(ctx, survey)
    cited = sorted((p for p in found if on_topic(p)), key=lambda p: -(p.citations or 0))
    if cited and (ctx.offline or room(ctx, 1, BUDGET)):
        ctx.reporter.status(f"Reading what cites “{cited[0].title}”…")
        added += _citers(ctx, cited[0])
    papers = ordered(ctx, list({p.id: p for p in [*found, *added]}))  # as stored, merged
    if added and not ctx.offline and room(ctx, 1, BUDGET):
        _openalex(ctx, added)
    if complete and not ctx.offline:
        meta = {"topic": topic, "survey": survey.id if survey else None}
        follow.save(key, ctx.now, meta, [p.id for p in papers])
    return papers, result.from_cache and not added


def _references(ctx: Context, survey: Paper) -> list[Paper]:
    from ..follow.cites import references

    try:
        return [i.paper for i in references(ctx, survey.id, limit=10_000).items]
    except LitscoutError as exc:
        if not ctx.offline:
            ctx.reporter.warn(f"{exc.message} — the map goes without the survey's references")
        return []


def _citers(ctx: Context, paper: Paper) -> list[Paper]:
    from .. import ids
    from ..follow.citations import citations
    from ..follow.common import s2_ref

    since = ctx.today - timedelta(days=RECENT_DAYS)
    try:
        ref = s2_ref(paper, ids.parse(paper.id))
        return citations(ctx, paper.id, ref, since=since, max_results=CITERS).papers
    except LitscoutError as exc:
        if not ctx.offline:
            ctx.reporter.warn(f"{exc.message} — the map goes without its citing papers")
        return []


def _openalex(ctx: Context, papers: list[Paper]) -> None:
    """Citations per year for the papers the survey and the citers added: one request."""
    from ..sources.openalex import BATCH
    from .dated import dois_of, ensure_openalex, needs_openalex

    chosen: list[Paper] = []
    used = 0
    for paper in sorted(needs_openalex(ctx, papers), key=lambda p: -(p.citations or 0)):
        n = len(dois_of(paper))
        if used + n > BATCH:
            break
        chosen.append(paper)
        used += n
    ensure_openalex(ctx, chosen)


# -- the neighbourhood ----------------------------------------------------------------------


def map_topic(ctx: Context, topic: str, limit: int = NEIGHBOURS) -> MapResult:
    text = " ".join(topic.split())
    papers, from_cache = gather(ctx, text)
    ctx.reporter.status("Finding the neighbouring fields…")
    on_topic = about(text)
    mine = [p for p in papers if on_topic(p)]
    terms = [w for w, _, _ in piece_words(text)]
    # its own papers say so in their titles; one that names it in passing is not its fastest
    core = [p for p in mine if on_topic(Paper(title=p.title))] or mine
    standing = {
        "kind": "topic",
        "topic": text,
        "papers": len(mine),
        "counted_from": len(papers),
        "growth": growth(mine, ctx.today),
        "fastest": mini(fastest(ctx, core, terms)),
        "fastest_recent": mini(fastest(ctx, recent(ctx, core), terms)),
        "best_survey": mini(best_survey(ctx, core, terms)),
        "command": f"{map_command(text)} TOPIC2",
    }
    found = neighbours(ctx, text, papers, mine, limit)
    return MapResult([standing, *found], from_cache, ctx.requests_made(), len(papers))


def neighbours(
    ctx: Context, topic: str, papers: list[Paper], mine: list[Paper], limit: int
) -> list[dict[str, Any]]:
    # a neighbour may be a small part of a large pool: three papers are enough to judge it
    candidates = extract(
        docs_of(papers), question=topic, limit=CANDIDATES, min_documents=3, min_share=0.0
    )
    mine_ids = {p.id for p in mine}
    links = _links(ctx)
    out: list[dict[str, Any]] = []
    for term in candidates:
        phrase = term.term
        if term.key in GENERIC_PHRASES or same_topic(phrase, topic):
            continue
        titled = titled_papers(ctx, phrase)
        surveys = [p for p in titled if p.is_survey and heads_title(phrase, p.title)]
        if len(titled) < MIN_TITLES or not surveys:
            continue  # a phrase papers use, not the name of a field of its own
        theirs = {p.id for p in titled} | {p.id for p in papers if mentions(p, phrase)}
        shared = sum(1 for p in mine if mentions(p, phrase))
        between = sum(
            1
            for citing, cited in links
            if (citing in mine_ids and cited in theirs - mine_ids)
            or (cited in mine_ids and citing in theirs - mine_ids)
        )
        words = [w for w, _, _ in piece_words(phrase)]
        # its own recent papers (the phrase in their titles), else the pool's that use it
        latest = recent(ctx, titled) or recent(ctx, [p for p in papers if p.id in theirs])
        latest = [p for p in latest if not p.is_survey] or latest  # its survey comes next
        out.append(
            {
                "kind": "neighbour",
                "topic": topic,
                "neighbour": phrase,
                "shared_papers": shared,
                "citations_between": between,
                "tie": shared + between,
                "titles": len(titled),
                "surveys": len(surveys),
                "fastest_recent": mini(fastest(ctx, latest, words)),
                "best_survey": mini(best_survey(ctx, surveys, words)),
                "command": map_command(phrase),
            }
        )
    out.sort(key=lambda r: (-r["tie"], -r["titles"], r["neighbour"]))
    return _distinct(out)[:limit]


def _distinct(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per field: "meta-learning" and "meta-learning initialisations" are one."""
    kept: list[dict[str, Any]] = []
    for rec in found:
        if not any(same_topic(rec["neighbour"], k["neighbour"]) for k in kept):
            kept.append(rec)
    return kept


def titled_papers(ctx: Context, phrase: str) -> list[Paper]:
    """Cached papers whose titles carry the phrase (FTS on the title column, then checked)."""
    from .terms import spellings

    forms = [" ".join(f.replace('"', " ").split()) for f in spellings(phrase)]
    forms = [f for f in dict.fromkeys(forms) if f]
    if not forms:
        return []
    match = "title : (" + " OR ".join(f'"{f}"' for f in forms) + ")"
    found = ctx.store.search_text(match, limit=500)
    return [p for p, _ in found if mentions(p, phrase, title_only=True)]


def _links(ctx: Context) -> set[tuple[str, str]]:
    """Every (citing, cited) pair litscout knows: citation lists and reference lists."""
    follow = FollowStore(ctx.store)
    pairs = follow.links()
    for fetch in follow.fetches("refs|"):
        citing = fetch.key.removeprefix("refs|")
        pairs.update((citing, cited) for cited in fetch.ids)
    return pairs
