"""OpenAlex (optional): citations per year for one work, one free single-work request.

Enabled with `[sources] openalex = true`. The key, when set in OPENALEX_API_KEY, travels as
the `api_key` parameter and is never printed (errors from net.py never show the URL).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..errors import SourceError
from ..net import Http


class OpenAlex:
    def __init__(self, http: Http) -> None:
        self.http = http
        self.base = http.settings.sources.openalex_api_url.rstrip("/")

    def work(self, *, arxiv_id: str | None = None, doi: str | None = None) -> dict[str, Any] | None:
        """The work for an arXiv id (through its DataCite DOI) or a DOI; None if unknown."""
        if arxiv_id:
            doi = f"10.48550/arXiv.{arxiv_id}"
        if not doi:
            return None
        params: dict[str, Any] = {"select": "id,doi,cited_by_count,counts_by_year"}
        key = self.http.settings.openalex_api_key
        if key:
            params["api_key"] = key
        url = f"{self.base}/works/https://doi.org/{quote(doi, safe='/.:')}"
        try:
            _, data = self.http.request("openalex", "GET", url, params=params)
        except SourceError as exc:
            if exc.status == 404:
                return None
            raise
        return data if isinstance(data, dict) else None

    def counts_by_year(
        self, *, arxiv_id: str | None = None, doi: str | None = None
    ) -> dict[int, int] | None:
        """{year: citations} for the last ten years (zero years filled in); None if unknown."""
        work = self.work(arxiv_id=arxiv_id, doi=doi)
        if work is None:
            return None
        return parse_counts(work.get("counts_by_year"))


def parse_counts(items: Any) -> dict[int, int]:
    counts: dict[int, int] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        year, count = item.get("year"), item.get("cited_by_count")
        if isinstance(year, int) and isinstance(count, int) and count >= 0:
            counts[year] = counts.get(year, 0) + count
    if counts:  # OpenAlex omits zero years: fill the gaps so a chart shows them
        for year in range(min(counts), max(counts) + 1):
            counts.setdefault(year, 0)
    return dict(sorted(counts.items()))
