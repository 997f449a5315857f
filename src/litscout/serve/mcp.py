"""`litscout mcp`: litscout's commands as tools for AI assistants (Model Context Protocol).

Each tool calls one function of the library (`litscout.api`) and returns the same records as
the CLI's JSON output, as structured content (and as JSON text for clients that read only
text). Arguments are checked by the library before any request; a bad one comes back as an
error result carrying the CLI's `Error:`/`Hint:` text, and the server keeps serving. The
server shares the cache, the config and the cross-process rate limits with every other
litscout process (same `LITSCOUT_HOME`).

Importing this module imports `mcp`: only `litscout mcp` does, after checking it is installed.
"""

import json
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from .. import __version__, api
from ..errors import LitscoutError
from ..rank.score import SORTS
from ..render.reporter import SilentReporter

VELOCITY = (
    "`velocity` is citations per year *now* (over the last year), not the lifetime average; "
    "`velocity_basis` says how it was measured: citing_dates (dates of the citing papers, "
    "exact), all_in_window (younger than a year, all citations are recent, exact), "
    "openalex_years (OpenAlex citations per year), snapshots (growth between litscout's own "
    "counts), lifetime (only a total is known: the lifetime average, not a rate now) or "
    "unknown. `velocity_window` holds the counts behind it. `score` (0-1) adds the parts in "
    "`score_parts`: velocity, recency and relevance."
)

INSTRUCTIONS = f"""litscout answers "what is the latest on X?" from arXiv, Semantic Scholar and
OpenAlex, ranking papers by how fast they gather citations now, how recent and how relevant they
are. Start with `search` for a topic; use `terms` first when unsure what the field calls the
thing. `paper` gives one paper in full, and its `still_recent` field answers "is this paper
still recent?" in one sentence. `cites` finds what builds on a paper, `related` papers like one.
{VELOCITY}
Paper ids: arXiv ids (1606.04080), DOIs, Semantic Scholar ids (s2:..., CorpusId:...) or their
URLs."""

SINCE = (
    "Only papers from this date: 2025-01-01, 2025-01, or relative like 30d, 6m, 2y. "
    "Omit for no limit."
)
PAPER_ID = (
    "A paper id: arXiv id (1606.04080), DOI (10.x/y), s2:<Semantic Scholar id>, CorpusId:<n>, "
    "a URL, or the paper's title (or a unique start of it)."
)
OFFLINE = "Answer from litscout's cache only, never touching the network."
REFRESH = "Ignore cached answers and ask the services again (slower; uses rate limits)."


def _sort(help_text: str) -> Any:
    # Advertised as an enum, checked by the library: a bad value gets the CLI's message.
    return Field(description=help_text, json_schema_extra={"enum": list(SORTS)})


def _limit(most: int, default: str) -> Any:
    return Field(
        description=f"How many to return, 1 to {most}; {default}.",
        json_schema_extra={"minimum": 1, "maximum": most},
    )


SortArg = Annotated[
    str,
    _sort(
        "Order: score (velocity + recency + relevance, the default), recent (newest first), "
        "velocity (citations per year now), citations (total), relevance."
    ),
]
LimitSearch = Annotated[int | None, _limit(api.SEARCH_MAX, "default: the configured 20")]
LimitList = Annotated[int | None, _limit(api.LIST_MAX, "default: the configured 20")]
SinceArg = Annotated[str | None, Field(description=SINCE)]
OfflineArg = Annotated[bool, Field(description=OFFLINE)]
RefreshArg = Annotated[bool, Field(description=REFRESH)]
IdArg = Annotated[str, Field(description=PAPER_ID)]


class Answer(BaseModel):
    """What every tool answers besides its records."""

    warnings: list[str] = Field(description="What litscout warned about (stale cache, gaps).")


class Papers(Answer):
    papers: list[dict[str, Any]] = Field(
        description="Paper records, best first, as `litscout ... --json` prints them. " + VELOCITY
    )


class OnePaper(Answer):
    paper: dict[str, Any] = Field(
        description="The paper record with its citations per year and month, and "
        "`still_recent`: one sentence answering 'is this paper still recent?'. " + VELOCITY
    )


class Terms(Answer):
    terms: list[dict[str, Any]] = Field(
        description="Key phrases, best first: `term`, how many papers use it (`documents`) and "
        "the `command` that searches for it."
    )


class Map(Answer):
    map: list[dict[str, Any]] = Field(
        description="Records with a `kind`: one `topic` (papers per year, its fastest paper now, "
        "its survey) then `neighbour` fields (how tied, fastest recent paper, best survey, the "
        "`command` to go there); for two topics a `meeting` record then the `paper`s on both "
        "(or the `nearest` papers of each when none covers both)."
    )


class Watches(Answer):
    watches: list[dict[str, Any]] = Field(
        description="Saved searches: name, query, categories, cites, last run and success, "
        "`unseen` papers waiting, `stale` when it has not succeeded lately."
    )


def error_text(message: str, hint: str | None) -> str:
    """What the CLI prints for a failure, without colour."""
    return f"Error: {message}" + (f"\nHint: {hint}" if hint else "")


def _answer(key: str, call: Callable[[SilentReporter], Any]) -> CallToolResult:
    """Run one library call; its records, or the CLI's error text as an error result."""
    reporter = SilentReporter()
    try:
        value = call(reporter)
    except LitscoutError as exc:
        text = error_text(exc.message, exc.hint)
        return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
    except Exception as exc:  # a bug: still an answer, and the server keeps serving
        text = error_text(f"unexpected {type(exc).__name__}: {exc}", "please report it")
        return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
    data = {key: value, "warnings": reporter.warnings}
    text = json.dumps(data, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


# -- the tools ---------------------------------------------------------------------------


def search(
    query: Annotated[
        str,
        Field(
            description='The topic in plain words ("few-shot learning"), a question, or arXiv '
            'syntax (ti:"matching networks" AND cat:cs.LG).'
        ),
    ],
    since: SinceArg = None,
    until: Annotated[
        str | None, Field(description="Only papers up to this date (same forms as since).")
    ] = None,
    categories: Annotated[
        list[str] | None, Field(description="arXiv categories to keep, e.g. ['cs.LG', 'cs.CV'].")
    ] = None,
    limit: LimitSearch = None,
    sort: SortArg = "score",
    surveys: Annotated[
        bool, Field(description="Only surveys, reviews and tutorials (an overview first).")
    ] = False,
    has_code: Annotated[bool, Field(description="Only papers that link to code.")] = False,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Papers]:
    """What is the latest on a topic? Papers ranked by citation velocity now, recency and
    relevance. Each record has title, authors, published, age_days, citations, velocity
    (citations per year now) with velocity_basis, score, is_survey, code_urls, url, pdf_url."""
    return _answer(
        "papers",
        lambda r: api.search(
            query,
            since=since,
            until=until,
            categories=categories,
            limit=limit,
            sort=sort,
            offline=offline,
            refresh=refresh,
            surveys=surveys,
            has_code=has_code,
            reporter=r,
        ),
    )


def paper(
    paper_id: IdArg, offline: OfflineArg = False, refresh: RefreshArg = False
) -> Annotated[CallToolResult, OnePaper]:
    """One paper in full: metadata, TL;DR, citations per year and per month, velocity now
    with its basis, and `still_recent` — one sentence answering "is this paper still
    recent?" (its age and citation rate now against the top papers on its topic)."""
    return _answer(
        "paper", lambda r: api.paper(paper_id, offline=offline, refresh=refresh, reporter=r)
    )


def cites(
    paper_id: IdArg,
    since: SinceArg = None,
    sort: SortArg = "score",
    limit: LimitList = None,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Papers]:
    """What builds on a paper: the papers citing it, ranked like search (sort=recent for the
    newest). Records add `influential` (Semantic Scholar's influential-citation flag)."""
    return _answer(
        "papers",
        lambda r: api.cites(
            paper_id,
            since=since,
            sort=sort,
            limit=limit,
            offline=offline,
            refresh=refresh,
            reporter=r,
        ),
    )


def references(
    paper_id: IdArg,
    sort: SortArg = "score",
    limit: LimitList = None,
    surveys: Annotated[bool, Field(description="Only surveys and reviews.")] = False,
    has_code: Annotated[bool, Field(description="Only papers that link to code.")] = False,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Papers]:
    """What a paper builds on: the papers it cites, ranked like search. A survey's references
    are its field's canon: sort=citations puts the most cited first, has_code=true keeps the
    ones with code to try. Records add `influential`."""
    return _answer(
        "papers",
        lambda r: api.references(
            paper_id,
            sort=sort,
            limit=limit,
            surveys=surveys,
            has_code=has_code,
            offline=offline,
            refresh=refresh,
            reporter=r,
        ),
    )


def related(
    paper_ids: Annotated[
        list[str], Field(description="One or more papers to find more like. " + PAPER_ID)
    ],
    unlike: Annotated[
        list[str] | None, Field(description="Papers the results should not be like.")
    ] = None,
    since: SinceArg = None,
    sort: SortArg = "score",
    limit: LimitList = None,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Papers]:
    """More papers like the given ones (Semantic Scholar recommendations), ranked."""
    return _answer(
        "papers",
        lambda r: api.related(
            paper_ids,
            unlike,
            since=since,
            sort=sort,
            limit=limit,
            offline=offline,
            refresh=refresh,
            reporter=r,
        ),
    )


def terms(
    question: Annotated[
        str,
        Field(
            description="What you are looking for, in your own words, e.g. 'learn a "
            "classifier from a handful of examples'."
        ),
    ],
    limit: Annotated[int, _limit(api.LIST_MAX, "default 10")] = 10,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Terms]:
    """What is this field called? The key phrases papers use for what the question
    describes, to search with (each with the `command` that does)."""
    return _answer(
        "terms",
        lambda r: api.terms(question, limit=limit, offline=offline, refresh=refresh, reporter=r),
    )


def map(  # the tool's name
    topic: Annotated[str, Field(description="A field's name, e.g. 'few-shot learning'.")],
    topic2: Annotated[
        str | None,
        Field(description="A second field: where the two meet, e.g. 'class imbalance'."),
    ] = None,
    offline: OfflineArg = False,
    refresh: RefreshArg = False,
) -> Annotated[CallToolResult, Map]:
    """The map around a field: which named fields neighbour it (each with its fastest recent
    paper, best survey and how strongly tied), or, with a second topic, the papers where the
    two problems meet and whether that work is growing."""
    return _answer(
        "map",
        lambda r: api.map(topic, topic2, offline=offline, refresh=refresh, reporter=r),
    )


def watch_list() -> Annotated[CallToolResult, Watches]:
    """The user's saved searches (`litscout watch add`): what each watches and its state."""
    return _answer("watches", lambda r: api.watch_list(reporter=r))


def watch_run(
    names: Annotated[
        list[str] | None, Field(description="Watches to run (default: all of them).")
    ] = None,
    dry_run: Annotated[
        bool,
        Field(
            description="True (the default): show what is new without marking it seen. False "
            "delivers the papers: they will not be shown again, here or in the user's digests; "
            "only set it when the user asks to mark them as read."
        ),
    ] = True,
    min_score: Annotated[
        float | None,
        Field(
            description="Leave out papers scoring below this (0 to 1).",
            json_schema_extra={"minimum": 0, "maximum": 1},
        ),
    ] = None,
) -> Annotated[CallToolResult, Papers]:
    """New papers of the saved watches, best first, each record naming its `watch`."""
    return _answer(
        "papers",
        lambda r: api.watch_run(names, dry_run=dry_run, min_score=min_score, reporter=r),
    )


READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=True)
TOOLS: list[tuple[Callable[..., CallToolResult], str, ToolAnnotations]] = [
    (search, "Search papers", READ_ONLY),
    (paper, "One paper in full", READ_ONLY),
    (cites, "Papers citing a paper", READ_ONLY),
    (references, "Papers a paper cites", READ_ONLY),
    (related, "Related papers", READ_ONLY),
    (terms, "The field's vocabulary", READ_ONLY),
    (map, "The fields around a topic", READ_ONLY),
    (watch_list, "Saved watches", ToolAnnotations(read_only_hint=True, open_world_hint=False)),
    (
        watch_run,
        "New papers of saved watches",
        ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True),
    ),
]


def server() -> MCPServer[Any]:
    app: MCPServer[Any] = MCPServer(
        "litscout", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    for fn, title, annotations in TOOLS:
        description = " ".join((fn.__doc__ or "").split())  # one line, as clients show it
        app.add_tool(fn, title=title, description=description, annotations=annotations)
    return app


def serve() -> None:
    """Serve over stdio until the client closes the connection."""
    server().run("stdio")
