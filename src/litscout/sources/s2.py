"""Semantic Scholar's graph and recommendations APIs over httpx.

S2 reads plain language (good for people who do not know a field's words) and knows
citation counts; the batch endpoint prices 500 papers as one request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from .. import ids
from ..models import Paper, clean_text
from .http import Http

PAPER_FIELDS = (
    "paperId,externalIds,url,title,abstract,venue,year,publicationDate,publicationTypes,"
    "referenceCount,citationCount,influentialCitationCount,openAccessPdf,authors"
)
DETAIL_FIELDS = PAPER_FIELDS + ",tldr,citationStyles"
BATCH_LIMIT = 500
SEARCH_LIMIT = 100
CITATIONS_PAGE = 1000
CITATIONS_CAP = 9999  # S2 will not page past this offset


class SemanticScholar:
    def __init__(self, http: Http) -> None:
        self.http = http
        base = http.settings.sources.s2_api_url.rstrip("/")
        self.graph = f"{base}/graph/v1"
        self.recommendations = f"{base}/recommendations/v1"

    @property
    def headers(self) -> dict[str, str]:
        key = self.http.settings.s2_api_key
        return {"x-api-key": key} if key else {}

    def _get(self, url: str, params: dict[str, Any], ok: tuple[int, ...] = (200,)) -> Any:
        return self.http.request(
            "s2", "GET", url, params=params, headers=self.headers, ok_statuses=ok
        )[1]

    def search(
        self,
        text: str,
        limit: int = 50,
        date_range: str | None = None,
        fields_of_study: Iterable[str] = (),
    ) -> list[Paper]:
        """Relevance search; one request for up to 100 papers."""
        params: dict[str, Any] = {
            "query": text,
            "limit": max(1, min(limit, SEARCH_LIMIT)),
            "fields": PAPER_FIELDS,
        }
        if date_range:
            params["publicationDateOrYear"] = date_range
        studies = ",".join(dict.fromkeys(fields_of_study))
        if studies:
            params["fieldsOfStudy"] = studies
        data = self._get(f"{self.graph}/paper/search", params)
        return [p for p in (from_s2(item) for item in _items(data, "data")) if p]

    def bulk(
        self, query: str, *, sort: str | None = None, limit: int = SEARCH_LIMIT
    ) -> list[Paper]:
        """Boolean search (`"few shot" | meta-learning`), one request; the first `limit`."""
        params: dict[str, Any] = {"query": query, "fields": PAPER_FIELDS}
        if sort:
            params["sort"] = sort
        data = self._get(f"{self.graph}/paper/search/bulk", params)
        return [p for p in (from_s2(item) for item in _items(data, "data")) if p][:limit]

    def batch(self, paper_ids: list[str], fields: str = PAPER_FIELDS) -> list[Paper | None]:
        """Look up many papers (ids in S2 form, e.g. ARXIV:1606.04080); None where unknown."""
        found: list[Paper | None] = []
        for start in range(0, len(paper_ids), BATCH_LIMIT):
            chunk = paper_ids[start : start + BATCH_LIMIT]
            _, data = self.http.request(
                "s2",
                "POST",
                f"{self.graph}/paper/batch",
                params={"fields": fields},
                json_body={"ids": chunk},
                headers=self.headers,
            )
            items = data if isinstance(data, list) else []
            items = items + [None] * (len(chunk) - len(items))
            found.extend(from_s2(item) if isinstance(item, dict) else None for item in items)
        return found

    def paper(self, paper_id: str, fields: str = DETAIL_FIELDS) -> Paper | None:
        status, data = self.http.request(
            "s2",
            "GET",
            f"{self.graph}/paper/{paper_id}",
            params={"fields": fields},
            headers=self.headers,
            ok_statuses=(200, 404),
        )
        return from_s2(data) if status == 200 and isinstance(data, dict) else None

    def citations(
        self,
        paper_id: str,
        limit: int = CITATIONS_CAP,
        date_range: str | None = None,
        fields: str = PAPER_FIELDS,
    ) -> tuple[list[tuple[Paper, bool]], bool]:
        """Citing papers with their `isInfluential` flag; True if S2's cap cut the list."""
        results: list[tuple[Paper, bool]] = []
        offset = 0
        capped = False
        while offset < limit:
            page = min(CITATIONS_PAGE, limit - offset, CITATIONS_CAP - offset)
            if page <= 0:
                capped = True
                break
            if offset:
                self._status(
                    f"Page {offset // CITATIONS_PAGE + 1} of the citing papers ({offset:,} so far)…"
                )
            params: dict[str, Any] = {
                "fields": "isInfluential," + fields,
                "offset": offset,
                "limit": page,
            }
            if date_range:
                params["publicationDateOrYear"] = date_range
            data = self._get(f"{self.graph}/paper/{paper_id}/citations", params)
            items = _items(data, "data")
            for item in items:
                paper = from_s2(item.get("citingPaper")) if isinstance(item, dict) else None
                if paper:
                    results.append((paper, bool(item.get("isInfluential"))))
            offset += len(items)
            if not isinstance(data, dict) or "next" not in data or not items:
                break
            if offset >= CITATIONS_CAP:
                capped = True
                break
        return results, capped

    def references(
        self, paper_id: str, limit: int = CITATIONS_CAP, fields: str = PAPER_FIELDS
    ) -> tuple[list[tuple[Paper, bool]], int]:
        """What a paper cites, with `isInfluential`; also how many references S2 lists
        without a paperId (it could not identify them)."""
        results: list[tuple[Paper, bool]] = []
        unknown = 0
        offset = 0
        while offset < min(limit, CITATIONS_CAP):
            page = min(CITATIONS_PAGE, limit - offset, CITATIONS_CAP - offset)
            if offset:
                self._status(
                    f"Page {offset // CITATIONS_PAGE + 1} of the references ({offset:,} so far)…"
                )
            params: dict[str, Any] = {
                "fields": "isInfluential," + fields,
                "offset": offset,
                "limit": page,
            }
            data = self._get(f"{self.graph}/paper/{paper_id}/references", params)
            items = _items(data, "data")
            for item in items:
                paper = from_s2(item.get("citedPaper")) if isinstance(item, dict) else None
                if paper:
                    results.append((paper, bool(item.get("isInfluential"))))
                else:
                    unknown += 1
            offset += len(items)
            if not isinstance(data, dict) or "next" not in data or not items:
                break
        return results, unknown

    def _status(self, message: str) -> None:
        """Progress on stderr (a spinner on a terminal; nothing otherwise)."""
        if self.http.retrying.reporter is not None:
            self.http.retrying.reporter.status(message)

    def recommend(
        self,
        positive: list[str],
        negative: Sequence[str] = (),
        limit: int = 100,
    ) -> list[Paper]:
        _, data = self.http.request(
            "s2",
            "POST",
            f"{self.recommendations}/papers/",
            params={"fields": PAPER_FIELDS, "limit": max(1, min(limit, 500))},
            json_body={"positivePaperIds": positive, "negativePaperIds": list(negative)},
            headers=self.headers,
        )
        return [p for p in (from_s2(i) for i in _items(data, "recommendedPapers")) if p]


def _items(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        value = data.get(key)
        return value if isinstance(value, list) else []
    return []


def from_s2(item: Any) -> Paper | None:
    """An S2 paper object as a Paper; tolerant of nulls, missing keys and wrong types."""
    if not isinstance(item, dict) or not _str(item.get("paperId")):
        return None
    external = _dict(item.get("externalIds"))
    arxiv_id = ids.arxiv_id(_str(external.get("ArXiv")))
    doi = ids.normalise_doi(_str(external.get("DOI")))
    if doi and doi.startswith("10.48550/arxiv.") and not arxiv_id:
        arxiv_id = ids.arxiv_id(doi.split("arxiv.", 1)[1])
    published = _date(item.get("publicationDate"))
    year = _int(item.get("year"))
    pdf = _dict(item.get("openAccessPdf"))
    tldr = _dict(item.get("tldr"))
    styles = _dict(item.get("citationStyles"))
    authors = [_text(a.get("name")) for a in _list(item.get("authors")) if isinstance(a, dict)]
    return Paper(
        title=_text(item.get("title")) or "",
        arxiv_id=arxiv_id,
        doi=doi,
        s2_id=_str(item.get("paperId")),
        corpus_id=_corpus_id(external.get("CorpusId")),
        authors=[a for a in authors if a],
        abstract=_text(item.get("abstract")),
        published=published,
        year=year or (published.year if published else None),
        venue=_text(item.get("venue")),
        citations=_int(item.get("citationCount")),
        influential_citations=_int(item.get("influentialCitationCount")),
        reference_count=_int(item.get("referenceCount")),
        publication_types=[t for t in _list(item.get("publicationTypes")) if isinstance(t, str)],
        tldr=_text(tldr.get("text")),
        bibtex=_str(styles.get("bibtex")),
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else _str(item.get("url")),
        pdf_url=_str(pdf.get("url")),
        sources=["s2"],
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _text(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    """A count or a year: a non-negative int that SQLite can store, else unknown."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53:
        return value
    return None


def _corpus_id(value: Any) -> int | None:
    """S2's CorpusId: an integer (a string of digits is taken too)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())  # isdigit alone lets "²" through, which int() refuses
    return _int(value) or None


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
