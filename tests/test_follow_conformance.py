"""Follow code against real recorded answers in ../shared/fixtures (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

from litscout.models import to_record
from litscout.render import bibtex
from litscout.sources.openalex import parse_counts
from litscout.sources.s2 import from_s2


def test_openalex_counts_by_year(shared_fixtures: Path) -> None:
    work = json.loads(
        (shared_fixtures / "openalex" / "openalex-python__W2741809807.json").read_text()
    )
    counts = parse_counts(work["counts_by_year"])
    assert counts == dict(sorted(counts.items()))
    assert list(counts) == list(range(min(counts), max(counts) + 1))
    assert sum(counts.values()) == sum(i["cited_by_count"] for i in work["counts_by_year"])


def test_s2_bibtex_entry_is_rekeyed(shared_fixtures: Path) -> None:
    item = json.loads(
        (shared_fixtures / "s2" / "s2-paper-details-doi-arxiv-paperqa2.json").read_text()
    )
    paper = from_s2(item)
    assert paper is not None and paper.bibtex and paper.arxiv_id
    record = to_record(paper)
    record["bibtex"] = paper.bibtex
    text = bibtex.entries([record])
    assert text.startswith("@Article{lala2023paperqa,")
    assert "L'ala2023PaperQARG" not in text
    assert f"eprint = {{{paper.arxiv_id}}}" in text
    assert text.count("{") == text.count("}")


def test_s2_citation_pages_parse(shared_fixtures: Path) -> None:
    page = json.loads((shared_fixtures / "s2" / "s2-paper-citations-title-page1.json").read_text())
    papers = [from_s2(item["citingPaper"]) for item in page["data"]]
    assert papers and all(p is not None and p.title for p in papers)
    assert "next" in page  # more pages: litscout keeps asking, one request per page


def test_s2_recommendations_parse(shared_fixtures: Path) -> None:
    data = json.loads((shared_fixtures / "s2" / "s2-recommendations-from-lists.json").read_text())
    papers = [from_s2(item) for item in data["recommendedPapers"]]
    assert papers and all(p is not None and p.s2_id for p in papers)
