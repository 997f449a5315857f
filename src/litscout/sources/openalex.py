"""OpenAlex: citations per year (`counts_by_year`), the dated data behind "velocity now".

On by default (`[sources] openalex = false` turns it off). Costs, per OpenAlex's metered
daily budget: a list call (`batch`, up to 100 DOIs) costs $0.0001 — a few hundred a day
without a key, about 10,000 with the free key in OPENALEX_API_KEY; a single-work look-up
(`work`) is free; at most 100 requests/s. The key travels as the `api_key` parameter and is
never printed (errors from net.py never show the URL).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..errors import SourceError
from .http import Http

BATCH = 100  # DOIs OR-ed in one filter, and results per page: OpenAlex's maximum for both
SELECT = "id,doi,cited_by_count,counts_by_year,publication_date"


def normalise_doi(doi: str) -> str:
    """`https://doi.org/10.48550/ARXIV.1606.04080` → `10.48550/arxiv.1606.04080`."""
    low = doi.strip().lower()
    for head in ("https://doi.org/", "http://doi.org/", "doi:"):
        low = low.removeprefix(head)
    return low


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

    def batch(self, dois: list[str]) -> dict[str, dict[str, Any]]:
        """Works for up to 100 DOIs in one list request, keyed by normalised DOI.

        A DOI OpenAlex does not know is simply absent from the answer.
        """
        wanted = list(dict.fromkeys(normalise_doi(d) for d in dois if _filterable(d)))
        if not wanted:
            return {}
        if len(wanted) > BATCH:
            raise ValueError(f"at most {BATCH} DOIs per OpenAlex request, got {len(wanted)}")
        params: dict[str, Any] = {
            "filter": "doi:" + "|".join(wanted),
            "select": SELECT,
            "per_page": BATCH,
        }
        key = self.http.settings.openalex_api_key
        if key:
            params["api_key"] = key
        url = f"{self.base}/works"
        # no retries: a 429 here usually means the day's budget is spent (see dated.py)
        _, data = self.http.request("openalex", "GET", url, params=params, retries=0)
        return parse_batch(data)

    def counts_by_year(
        self, *, arxiv_id: str | None = None, doi: str | None = None
    ) -> dict[int, int] | None:
        """{year: citations} for the last ten years (zero years filled in); None if unknown."""
        work = self.work(arxiv_id=arxiv_id, doi=doi)
        if work is None:
            return None
        return parse_counts(work.get("counts_by_year"))


def parse_batch(data: Any) -> dict[str, dict[str, Any]]:
    """A list answer (`{"meta": …, "results": [work, …]}`) → works by normalised DOI."""
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise SourceError("OpenAlex", "the answer has no list of results")
    found: dict[str, dict[str, Any]] = {}
    for work in results:
        if isinstance(work, dict) and isinstance(work.get("doi"), str):
            found[normalise_doi(work["doi"])] = work
    return found


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


def _filterable(doi: str) -> bool:
    """A DOI that can go into an OR filter (`|` and `,` are the filter's own syntax)."""
    low = normalise_doi(doi)
    return low.startswith("10.") and "|" not in low and "," not in low
