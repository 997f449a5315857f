"""The library: one function per command, returning the same records as the CLI's JSON.

Every function checks its arguments before any request and raises `UsageError` (exit code 2)
for bad ones; other failures are `LitscoutError`s with an `exit_code`. They use
`$LITSCOUT_HOME`, the user config and the rate limits shared with every litscout process.
Warnings go to stderr as in the CLI; pass `reporter=` to collect them instead.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .context import Context
    from .render.reporter import Reporter

SEARCH_MAX = 2000  # arXiv answers at most 2,000 papers a request
LIST_MAX = 10_000  # S2 lists at most 9,999 citing papers


def check_limit(limit: int | None, most: int, option: str = "--limit") -> None:
    """The one limit validator: None means the configured default."""
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
        raise UsageError(f"{option} {limit!r} is out of range", hint=f"use 1 to {most}")


def check_sort(sort: str) -> None:
    from .rank.score import SORTS

    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}", hint="use one of: " + ", ".join(SORTS))


def check_mode(offline: bool, refresh: bool) -> None:
    if offline and refresh:
        raise UsageError("--offline and --refresh contradict each other")


def check_listing(sort: str, limit: int | None, most: int, offline: bool, refresh: bool) -> None:
    """What every ranked listing checks first: the order, the limit, the cache mode."""
    check_sort(sort)
    check_limit(limit, most)
    check_mode(offline, refresh)


def check_text(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise UsageError(f"the {what} is empty", hint=f"give a {what}")
    return text.strip()


def check_topic(text: str | None, what: str = "topic") -> str:
    """A topic with words to search for; no requests."""
    from .query import content_words

    topic = check_text(text or "", what)
    if not content_words(topic):
        raise UsageError(f"the {what} has no words to search for", hint='e.g. "meta-learning"')
    return topic


def check_paper(text: str) -> str:
    """A paper id (arXiv, DOI, s2:, URL) or a title of two words or more; no requests."""
    from .follow import id_or_title

    id_or_title(check_text(text, "paper id"))
    return text


def _since(since: str | date | None) -> date | None:
    from .query import parse_date

    if since is None or isinstance(since, date):
        return since
    return parse_date(since)


def _context(offline: bool, refresh: bool, reporter: Reporter | None) -> Context:
    from .context import Context
    from .render.reporter import PlainReporter

    return Context(reporter=reporter or PlainReporter(), offline=offline, refresh=refresh)


def search(
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    categories: list[str] | None = None,
    limit: int | None = None,
    sort: str = "score",
    offline: bool = False,
    refresh: bool = False,
    surveys: bool = False,
    has_code: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """Ranked papers for `query` (words, a question, or arXiv syntax)."""
    from .find.engine import run_search
    from .query import Query

    check_listing(sort, limit, SEARCH_MAX, offline, refresh)
    q = Query.build(query, since=since, until=until, categories=categories or [])
    with _context(offline, refresh, reporter) as ctx:
        result = run_search(ctx, q, limit=limit, sort=sort, surveys=surveys, has_code=has_code)
        return result.records()


def paper(
    paper_id: str, *, offline: bool = False, refresh: bool = False, reporter: Reporter | None = None
) -> dict[str, Any]:
    """One paper in full: citations per year, velocity now, "is this still recent?"."""
    from .follow import paper_report

    check_mode(offline, refresh)
    check_paper(paper_id)
    with _context(offline, refresh, reporter) as ctx:
        return paper_report(ctx, paper_id).record()


def cites(
    paper_id: str,
    *,
    since: str | date | None = None,
    sort: str = "score",
    limit: int | None = None,
    surveys: bool = False,
    has_code: bool = False,
    offline: bool = False,
    refresh: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """What builds on a paper: its citing papers, ranked like search."""
    from .follow import cites as find_cites

    check_listing(sort, limit, LIST_MAX, offline, refresh)
    check_paper(paper_id)
    start = _since(since)
    with _context(offline, refresh, reporter) as ctx:
        found = find_cites(
            ctx, paper_id, since=start, sort=sort, limit=limit, surveys=surveys, has_code=has_code
        )
        return found.records()


def references(
    paper_id: str,
    *,
    sort: str = "score",
    limit: int | None = None,
    surveys: bool = False,
    has_code: bool = False,
    offline: bool = False,
    refresh: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """What a paper builds on: the papers it cites, ranked like search (a survey's references
    are its field's canon: `sort="citations"` puts the most cited first)."""
    from .follow import references as find_references

    check_listing(sort, limit, LIST_MAX, offline, refresh)
    check_paper(paper_id)
    with _context(offline, refresh, reporter) as ctx:
        result = find_references(
            ctx, paper_id, sort=sort, limit=limit, surveys=surveys, has_code=has_code
        )
        return result.records()


def related(
    positive: list[str],
    negative: list[str] | None = None,
    *,
    since: str | date | None = None,
    sort: str = "score",
    limit: int | None = None,
    surveys: bool = False,
    has_code: bool = False,
    offline: bool = False,
    refresh: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """More papers like `positive` and unlike `negative` (S2 recommendations), ranked."""
    from .follow import related as find_related

    check_listing(sort, limit, LIST_MAX, offline, refresh)
    if not positive:
        raise UsageError("give at least one paper id to find related papers")
    for text in [*positive, *(negative or [])]:
        check_paper(text)
    start = _since(since)
    with _context(offline, refresh, reporter) as ctx:
        result = find_related(
            ctx,
            positive,
            negative,
            sort=sort,
            limit=limit,
            since=start,
            surveys=surveys,
            has_code=has_code,
        )
        return result.records()


def terms(
    question: str,
    *,
    limit: int = 10,
    offline: bool = False,
    refresh: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """What is this field called? Key phrases papers use for what `question` describes."""
    from .find.terms import discover

    check_limit(limit, LIST_MAX)
    check_mode(offline, refresh)
    text = check_text(question, "question")
    with _context(offline, refresh, reporter) as ctx:
        return discover(ctx, text, limit=limit).records()


def export(
    paper_ids: list[str], *, offline: bool = False, reporter: Reporter | None = None
) -> list[dict[str, Any]]:
    """Records with a `bibtex` entry for each paper id."""
    from .follow import export_records

    if not paper_ids:
        raise UsageError("give at least one paper id to export")
    for text in paper_ids:
        check_paper(text)
    with _context(offline, False, reporter) as ctx:
        return export_records(ctx, paper_ids)


def watch_run(
    names: list[str] | None = None,
    *,
    dry_run: bool = True,
    min_score: float | None = None,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """New papers of the saved watches (all, or `names`), each record naming its `watch`.

    A dry run (the default here) marks nothing as seen; `dry_run=False` delivers them once.
    """
    from . import watch as core

    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise UsageError(f"min_score {min_score!r} is out of range", hint="use 0 to 1")
    with _context(False, False, reporter) as ctx:
        kept: list[dict[str, Any]] = []

        def deliver(result: core.RunResult) -> None:  # nothing to write: keep the records
            kept.extend(result.records())

        core.run(ctx, names or [], deliver=deliver, dry_run=dry_run, min_score=min_score)
        return kept


def watch_list(*, reporter: Reporter | None = None) -> list[dict[str, Any]]:
    """The saved watches, one record each, as `litscout watch list --json` shows them."""
    from . import watch as core

    with _context(False, False, reporter) as ctx:
        return core.listing(ctx)


def map(  # the command's name; shadows the builtin only inside this module
    topic: str,
    topic2: str | None = None,
    *,
    limit: int | None = None,
    offline: bool = False,
    refresh: bool = False,
    reporter: Reporter | None = None,
) -> list[dict[str, Any]]:
    """The map around a topic. One topic: a `topic` record (papers per year, its fastest
    paper now, its survey), then one `neighbour` record per named field next to it (how
    strongly tied, its fastest recent paper, its best survey, the command to go there).
    Two topics: a `meeting` record (papers on both per year, the terms they share), then the
    papers on both ranked like search (`paper`), or, when there are none, the `nearest`
    papers of each."""
    from .find.meet import PAPERS, meet
    from .find.neighbours import NEIGHBOURS, map_topic

    check_limit(limit, LIST_MAX)
    check_mode(offline, refresh)
    first = check_topic(topic, "topic")
    second = check_topic(topic2, "second topic") if topic2 is not None else None
    with _context(offline, refresh, reporter) as ctx:
        if second is None:
            return map_topic(ctx, first, limit=limit or NEIGHBOURS).records
        return meet(ctx, first, second, limit=limit or PAPERS).records
