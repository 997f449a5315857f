"""Real recorded OpenAlex answers (../shared/fixtures/openalex) through litscout's own client,
over loopback HTTP, into velocity evidence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from litscout.config import Network, Settings, Sources
from litscout.rank.velocity import window_from_years
from litscout.sources.http import Http
from litscout.sources.openalex import OpenAlex, normalise_doi, parse_batch, parse_counts
from test_conformance import Loopback


def test_a_real_list_answer_through_the_batch_client(shared_fixtures: Path) -> None:
    path = shared_fixtures / "openalex" / "openalex-works-filter-title-search-paperqa.json"
    if not path.is_file():
        pytest.skip("no OpenAlex list answer recorded")
    server = Loopback()
    try:
        server.body = path.read_bytes()
        settings = Settings(
            network=Network(retries=0, read_timeout=5.0),
            sources=Sources(openalex_api_url=server.url.rsplit("/api/query", 1)[0]),
        )
        found = OpenAlex(Http(settings)).batch(["10.48550/arXiv.2312.07559", "10.1000/absent"])
        (asked,) = server.paths
    finally:
        server.close()
    assert asked.startswith("/works?") and "per_page=100" in asked
    assert "filter=doi%3A10.48550%2Farxiv.2312.07559%7C10.1000%2Fabsent" in asked
    # results carry the DOI as a lower-cased URL; an unknown DOI is simply absent
    assert list(found) == ["10.48550/arxiv.2312.07559"]
    counts = parse_counts(found["10.48550/arxiv.2312.07559"]["counts_by_year"])
    assert counts == {2023: 1, 2024: 14, 2025: 12}
    # recorded 2025-09-11: the window reaches back to 2024-09-11
    count = window_from_years(
        counts, born=date(2023, 12, 12), as_of=date(2025, 9, 11), window_days=365
    )
    assert 12 < count < 17


def test_every_recorded_work_has_counts_we_can_read(shared_fixtures: Path) -> None:
    folder = shared_fixtures / "openalex"
    works = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and "results" in data:
            works += list(parse_batch(data).values())
        elif isinstance(data, dict) and "counts_by_year" in data:
            works.append(data)
    if not works:
        pytest.skip("no OpenAlex works recorded")
    for work in works:
        counts = parse_counts(work.get("counts_by_year"))
        assert all(isinstance(y, int) and n >= 0 for y, n in counts.items())
        if counts:  # omitted zero years are filled in, so the years run without gaps
            assert list(counts) == list(range(min(counts), max(counts) + 1))
        assert normalise_doi(work.get("doi") or "10.x/y").startswith("10.")
