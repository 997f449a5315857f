"""What the follow commands share: record keys, errors, the cache TTL, cached papers."""

from __future__ import annotations

from .. import ids
from ..context import Context
from ..errors import LitscoutError, UsageError
from ..models import RECORD_KEYS, Paper
from ..query import content_words
from ..store.follows import Fetch

# Keys `paper` adds to the search record (documented in docs/follow.md).
PAPER_EXTRA_KEYS = (
    "tldr",
    "comment",
    "journal_ref",
    "publication_types",
    "reference_count",
    "citations_per_year",
    "citations_per_year_source",
    "citations_per_year_complete",
    "citations_per_month",
    "recent_citations",
    "recent_citations_exact",
    "still_recent",
    "older_than_pct",
    "topic_papers",
    "bibtex",
)
PAPER_KEYS = RECORD_KEYS + PAPER_EXTRA_KEYS
CITES_KEYS = RECORD_KEYS + ("influential", "list_capped")


class NotFoundError(LitscoutError):
    """No source knows the paper (exit 1)."""


class AmbiguousTitleError(UsageError):
    """A title (or start of one) that fits several papers: the user must pick (exit 2)."""


# -- helpers ------------------------------------------------------------------------------


def _ttl(ctx: Context) -> float:
    return ctx.settings.search.cache_ttl_hours * 3600


def usable(ctx: Context, fetch: Fetch | None) -> bool:
    """A cached answer to use without asking: fresh, or any answer when offline."""
    if fetch is None:
        return False
    return ctx.offline or (not ctx.refresh and ctx.now - fetch.fetched_at < _ttl(ctx))


def cached_paper(ctx: Context, pid: ids.PaperId) -> Paper | None:
    store = ctx.store
    if pid.kind == "arxiv":
        return store.find(arxiv_id=pid.value)
    if pid.kind == "doi":
        return store.find(doi=pid.value)
    if pid.kind == "corpus":
        return store.find(corpus_id=int(pid.value))
    return store.find(s2_id=pid.value)


def s2_ref(paper: Paper | None, pid: ids.PaperId) -> str:
    return paper.s2_id if paper is not None and paper.s2_id else pid.s2


def topic_terms(paper: Paper) -> list[str]:
    from ..find.phrases import GENERIC

    return [w for w in content_words(paper.title or "") if w not in GENERIC][:8]


def ordered(ctx: Context, paper_ids: list[str]) -> list[Paper]:
    found = ctx.store.get(paper_ids)
    return [found[i] for i in paper_ids if i in found]


def paid_requests(ctx: Context) -> int:
    """Requests that count against `paper`'s budget (OpenAlex single-work look-ups are free)."""
    return sum(n for service, n in ctx.requests_made().items() if service != "openalex")
