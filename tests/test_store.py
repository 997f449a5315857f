"""The store: merging by any id, snapshots, FTS, query cache, rate slots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from litscout.models import Paper
from litscout.store.papers import PaperStore


def make(**kw: object) -> Paper:
    base: dict[str, object] = {"title": "Matching Networks for One Shot Learning"}
    base.update(kw)
    return Paper(**base)  # type: ignore[arg-type]


def test_s2_only_paper_becomes_arxiv_when_the_link_appears(tmp_path: Path) -> None:
    with PaperStore(tmp_path / "db.sqlite") as store:
        store.upsert_papers([make(doi="10.1/x", s2_id="a" * 40, citations=10)], now=1000.0)
        [merged] = store.upsert_papers(
            [make(arxiv_id="1606.04080", doi="10.1/x", abstract="one shot")], now=2000.0
        )
        assert merged.id == "arXiv:1606.04080"
        assert merged.s2_id == "a" * 40 and merged.citations == 10
        assert store.count_papers() == 1
        # the snapshot followed the paper to its new id
        assert store.snapshots(["arXiv:1606.04080"])["arXiv:1606.04080"][0][1] == 10


def test_snapshots_keep_a_daily_series(tmp_path: Path) -> None:
    with PaperStore(tmp_path / "db.sqlite") as store:
        day = 86_400.0
        for i, count in enumerate([5, 5, 8, 8, 12]):
            store.upsert_papers([make(arxiv_id="1606.04080", citations=count)], now=i * 2 * day)
        series = store.snapshots(["arXiv:1606.04080"])["arXiv:1606.04080"]
        assert [c for _, c in series] == [5, 8, 12]


def test_full_text_search_with_filters(tmp_path: Path) -> None:
    with PaperStore(tmp_path / "db.sqlite") as store:
        store.upsert_papers(
            [
                make(arxiv_id="2401.00001", title="Few-shot learning with prototypes",
                     published=date(2024, 1, 2), categories=["cs.LG"]),
                make(arxiv_id="2301.00002", title="Graph networks", abstract="few-shot graphs",
                     published=date(2023, 1, 2), categories=["cs.SI"]),
            ]
        )  # fmt: skip
        hits = store.search_text('"few" "shot"')
        assert [p.arxiv_id for p, _ in hits] == ["2401.00001", "2301.00002"]  # title wins
        assert hits[0][1] == 1.0
        recent = store.search_text('"few" "shot"', since=date(2024, 1, 1))
        assert [p.arxiv_id for p, _ in recent] == ["2401.00001"]
        graphs = store.search_text('"few"', categories=["cs.SI"])
        assert [p.arxiv_id for p, _ in graphs] == ["2301.00002"]
        assert store.search_text('"nothing"') == []
        assert store.search_text("AND AND (") == []  # FTS syntax error is no match


def test_query_cache_roundtrip(tmp_path: Path) -> None:
    with PaperStore(tmp_path / "db.sqlite") as store:
        assert store.cached_query("k") is None
        store.save_query("k", [{"id": "arXiv:1", "arxiv_rank": 0, "s2_rank": None}], ["arxiv"])
        cached = store.cached_query("k")
        assert cached is not None and cached.hits[0]["id"] == "arXiv:1"


def test_sqlite_utils_recognises_the_full_text_index(tmp_path: Path) -> None:
    """`sqlite-utils search litscout.db papers …` and Datasette's search work on the cache."""
    import sqlite_utils

    path = tmp_path / "litscout.db"
    with PaperStore(path) as store:
        store.upsert_papers(
            [Paper(title="Prototype networks", arxiv_id="2601.00001", abstract="few-shot")]
        )
    table = sqlite_utils.Database(path)["papers"]
    assert table.detect_fts() == "papers_fts"
    found = list(table.search("few-shot", quote=True))
    assert [r["title"] for r in found] == ["Prototype networks"]
