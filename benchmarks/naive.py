"""The naive baseline: what people write today to get papers with citation counts.

The `arxiv` package's own Client for the query (its 3-second politeness delay), then one
Semantic Scholar request per paper for its citation count, one request per second as S2
asks of keyless clients. Prints the papers as JSON, like `litscout search --format json`.

    python -m benchmarks.naive --arxiv-url URL --s2-url URL --query QUERY -n 100
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def naive_search(
    arxiv_url: str, s2_url: str, query: str, limit: int, interval: float = 1.0
) -> list[dict[str, object]]:
    import arxiv
    import requests

    client = arxiv.Client(page_size=limit, delay_seconds=3.0, num_retries=3)
    client.query_url_format = arxiv_url.rstrip("/") + "?{}"
    results = list(client.results(arxiv.Search(query=query, max_results=limit)))
    papers: list[dict[str, object]] = []
    session = requests.Session()
    last = 0.0
    for result in results:
        arxiv_id = result.get_short_id().split("v")[0]
        count = None
        for _ in range(3):  # polite: one request per `interval`, a retry after a 429
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            last = time.monotonic()
            response = session.get(
                f"{s2_url.rstrip('/')}/graph/v1/paper/ARXIV:{arxiv_id}",
                params={"fields": "citationCount"},
                timeout=30,
            )
            if response.status_code == 429:
                continue
            if response.ok:
                count = response.json().get("citationCount")
            break
        papers.append(
            {
                "arxiv_id": arxiv_id,
                "title": result.title,
                "published": result.published.date().isoformat(),
                "citations": count,
            }
        )
    return papers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.naive", description=__doc__)
    parser.add_argument("--arxiv-url", required=True, help="the arXiv query endpoint")
    parser.add_argument("--s2-url", required=True, help="the Semantic Scholar base URL")
    parser.add_argument("--query", required=True, help="arXiv search_query syntax")
    parser.add_argument("-n", "--limit", type=int, default=100)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between S2 calls")
    args = parser.parse_args(argv)
    papers = naive_search(args.arxiv_url, args.s2_url, args.query, args.limit, args.interval)
    json.dump(papers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
