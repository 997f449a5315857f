"""arXiv's query API through the `arxiv` package, made polite and honest.

The package parses the Atom feed well but has no timeout, no backoff and no shared rate
limit. We keep its Client and parser and hand it a `requests` session that waits for the
shared arXiv slot, retries with backoff, and checks each body before the parser sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import ids
from ..config import mask_url
from ..errors import SourceError, UsageError
from ..models import Paper, clean_text
from .bodies import BrokenBody, check_xml, describe_body, status_reason
from .http import USER_AGENT, Http
from .retry import _Retry, parse_retry_after

if TYPE_CHECKING:
    import arxiv
    import requests

ERROR_ENTRY = re.compile(rb"<entry>.*?<title>Error</title>.*?<summary>(.*?)</summary>", re.S)
MAX_RESULTS_PER_CALL = 2000
ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"


class _PageLimit(Exception):
    """The package wanted another page; we promised the user one request per search."""


def _session_class() -> type:
    import requests

    class PoliteSession(requests.Session):
        """A requests session that follows litscout's rules for arXiv."""

        def __init__(self, http: Http) -> None:
            super().__init__()
            self.http = http
            self.pages_left: int | None = None
            self.headers["User-Agent"] = USER_AGENT

        def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
            net = self.http.settings.network
            kwargs.setdefault("timeout", (net.connect_timeout, net.read_timeout))
            kwargs.pop("headers", None)  # the package sends its own UA; ours identifies us
            if self.pages_left is not None:
                if self.pages_left <= 0:
                    raise _PageLimit()
                self.pages_left -= 1
            service = self.http.services["arxiv"]

            def attempt() -> requests.Response:
                self.http.counts["arxiv"] += 1
                try:
                    response = super(PoliteSession, self).get(url, **kwargs)
                    body = response.content
                except requests.Timeout:
                    raise _Retry("timed out") from None
                except requests.ConnectionError as exc:
                    if "Connection aborted" in str(exc) or "RemoteDisconnected" in str(exc):
                        raise _Retry("connection dropped") from None
                    raise _Retry("cannot connect", unreachable=True, quiet=True) from None
                except requests.RequestException as exc:
                    raise _Retry(f"connection failed ({type(exc).__name__})") from None
                status = response.status_code
                if status == 429 or status >= 500:
                    raise _Retry(
                        status_reason(status, body),
                        status=status,
                        retry_after=parse_retry_after(response.headers.get("retry-after")),
                    )
                if status == 400:
                    found = ERROR_ENTRY.search(body)
                    message = found.group(1).decode("utf-8", "replace") if found else "bad request"
                    raise UsageError(
                        f"arXiv rejected the query: {message}",
                        hint="check the arXiv query syntax (ti:, au:, abs:, cat:, AND, OR, ANDNOT)",
                    )
                if status != 200:
                    raise SourceError(
                        "arXiv", f"HTTP {status}: {describe_body(body)}", status=status
                    )
                head = body[:512].lstrip().lower()
                if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
                    raise SourceError(
                        "arXiv",
                        f"expected an Atom feed but got {describe_body(body)}",
                        hint="arXiv may be blocking automated access for now; try again later",
                    )
                try:
                    root = check_xml(service, body)
                except BrokenBody as exc:  # cut off, most likely: asked for once more
                    raise _Retry.broken(exc) from None
                if root != ATOM_FEED:
                    raise SourceError(
                        "arXiv",
                        f"expected an Atom feed but got XML with a <{root}> root "
                        f"({describe_body(body, 60)})",
                        hint="the service may be changing or down; try again later",
                    )
                return response

            result: requests.Response = self.http.retrying.run(service, attempt, self.http.limiter)
            return result

    return PoliteSession


@dataclass
class Page:
    """One page of an answer: its papers, arXiv's totalResults, the latest submission time."""

    papers: list[Paper]
    total: int
    last_submitted: datetime | None


class ArxivAPI:
    """Search and look up papers on arXiv."""

    def __init__(self, http: Http) -> None:
        self.http = http
        self._client: arxiv.Client | None = None

    @property
    def client(self) -> arxiv.Client:
        if self._client is None:
            import arxiv

            client = arxiv.Client(page_size=100, delay_seconds=0.0, num_retries=0)
            client.query_url_format = self.http.settings.sources.arxiv_api_url + "?{}"
            client._session = _session_class()(self.http)
            self._client = client
        return self._client

    def search(
        self, query: str, max_results: int, sort: str = "relevance", retry_empty: bool = True
    ) -> list[Paper]:
        """One request (up to 2,000 results). An empty first page is retried once."""
        import arxiv

        criterion = {
            "relevance": arxiv.SortCriterion.Relevance,
            "submitted": arxiv.SortCriterion.SubmittedDate,
            "updated": arxiv.SortCriterion.LastUpdatedDate,
        }[sort]
        size = max(1, min(max_results, MAX_RESULTS_PER_CALL))
        search = arxiv.Search(
            query=query,
            max_results=size,
            sort_by=criterion,
            sort_order=arxiv.SortOrder.Descending,
        )
        papers = self._run(search, size)
        if not papers and retry_empty:
            # arXiv sometimes answers a valid, empty feed for a query that has results.
            self.http.retrying.reporter.status("arXiv answered an empty page; asking once more")
            papers = self._run(search, size)
        return papers

    def lookup(self, arxiv_ids: list[str]) -> list[Paper]:
        """Fetch papers by id (versionless ids are fine); unknown ids are silently absent."""
        import arxiv

        wanted = [i for i in dict.fromkeys(arxiv_ids) if i]
        papers: list[Paper] = []
        for start in range(0, len(wanted), MAX_RESULTS_PER_CALL):
            chunk = wanted[start : start + MAX_RESULTS_PER_CALL]
            search = arxiv.Search(id_list=chunk, max_results=len(chunk))
            papers.extend(self._run(search, len(chunk)))
        return papers

    def page(
        self, query: str, start: int, size: int, sort: str = "submitted", ascending: bool = True
    ) -> Page:
        """One request: up to `size` results from `start`, with arXiv's `totalResults`.

        For paging through a large answer (a gap backfill): the caller decides whether to
        ask for the next page. An empty page is returned as it came.
        """
        import arxiv

        criterion = {
            "relevance": arxiv.SortCriterion.Relevance,
            "submitted": arxiv.SortCriterion.SubmittedDate,
            "updated": arxiv.SortCriterion.LastUpdatedDate,
        }[sort]
        search = arxiv.Search(
            query=query,
            sort_by=criterion,
            sort_order=arxiv.SortOrder.Ascending if ascending else arxiv.SortOrder.Descending,
        )
        size = max(1, min(size, MAX_RESULTS_PER_CALL))
        url = self.client._format_url(search, max(0, start), size)
        self.client._session.pages_left = 1
        with _answer_errors():
            feed = self.client._parse_feed(url, first_page=True)
            papers = [from_result(result) for result in feed.results]
            stamps = [r.published for r in feed.results if r.published is not None]
        total = max(int(feed.header.total_results or 0), start + len(papers))
        return Page(papers, total, max(stamps) if stamps else None)

    def _run(self, search: Any, size: int) -> list[Paper]:

        self.client.page_size = size
        session = self.client._session
        session.pages_left = 1  # arXiv may send a short page; never chase it with more requests
        papers: list[Paper] = []
        try:
            with _answer_errors():
                for result in self.client.results(search):
                    papers.append(from_result(result))
            return papers
        except _PageLimit:
            return papers


@contextmanager
def _answer_errors() -> Iterator[None]:
    """The `arxiv` package's errors, and parse errors of a damaged feed, as SourceError."""
    import arxiv

    try:
        yield
    except arxiv.HTTPError as exc:  # pragma: no cover - our session raises first
        raise SourceError("arXiv", f"HTTP {exc.status}", status=exc.status) from None
    except arxiv.ArxivError as exc:
        raise SourceError("arXiv", f"unexpected answer: {mask_url(str(exc))}") from None
    except (ValueError, TypeError, AttributeError, LookupError) as exc:
        # Well-formed XML whose fields make no sense (e.g. a <published> that is not a
        # date): the package's parser raises plain Python errors.
        raise SourceError(
            "arXiv",
            f"could not read an entry of the Atom feed ({type(exc).__name__}: {exc})",
            hint="the answer may be damaged; try again later",
        ) from None


def from_result(result: Any) -> Paper:
    """An `arxiv.Result` as a Paper."""
    arxiv_id = ids.arxiv_id(result.entry_id) or result.get_short_id()
    published = result.published.date() if result.published else None
    if published is not None and published <= date(1900, 1, 1):
        published = None
    return Paper(
        title=clean_text(result.title) or "",
        arxiv_id=arxiv_id,
        doi=ids.normalise_doi(result.doi),
        authors=[a.name for a in result.authors],
        abstract=clean_text(result.summary),
        published=published,
        year=published.year if published else None,
        primary_category=result.primary_category or None,
        categories=list(result.categories),
        comment=clean_text(result.comment),
        journal_ref=clean_text(result.journal_ref),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=result.pdf_url or f"https://arxiv.org/pdf/{arxiv_id}",
        sources=["arxiv"],
    )
