"""Offline search over a large cache: bounded FTS work, and questions answer with papers
that have every word before papers that merely share one."""

from __future__ import annotations

from datetime import date

from litscout.context import Context
from litscout.find.engine import run_search
from litscout.models import Paper
from litscout.query import Query
from litscout.store.papers import PaperStore


def paper(n: int, title: str, abstract: str = "") -> Paper:
    return Paper(
        title=title,
        arxiv_id=f"2401.{n:05d}",
        abstract=abstract or title,
        published=date(2024, 1, 1),
        categories=["cs.LG"],
        citations=1,
    )


def test_a_question_prefers_papers_with_every_word() -> None:
    with PaperStore(":memory:") as store:
        both = paper(1, "Transfer learning on a small dataset of images")
        # Stored later (so newer in FTS order) and many: each has only one of the words.
        noise = [paper(100 + i, f"Learning dynamics number {i}") for i in range(60)]
        store.upsert_papers([both, *noise])
        ctx = Context(store=store, offline=True)
        query = Query.build("how can I use transfer learning on a small dataset")
        assert " OR " in query.fts_match()  # a question: any word matches
        result = run_search(ctx, query, limit=5)
        assert result.items[0].paper.id == both.id
        assert result.requests == {}


def test_search_text_scores_a_bounded_number_of_candidates() -> None:
    with PaperStore(":memory:") as store:
        store.upsert_papers(
            [paper(i, f"Graph networks study {i}", "graph " * (1 + i % 5)) for i in range(50)]
        )
        everything = store.search_text('"graph"', limit=50)
        assert len(everything) == 50
        # With a cap the newest 10 matches are scored; the best of them come back, in order.
        capped = store.search_text('"graph"', limit=5, candidates=10)
        newest = {p.id for p in store.get(f"arXiv:2401.{i:05d}" for i in range(40, 50)).values()}
        assert len(capped) == 5
        assert {p.id for p, _ in capped} <= newest
        scores = [score for _, score in capped]
        assert scores == sorted(scores, reverse=True)
        assert store.search_text('"graph"', limit=3, categories=["cs.CV"]) == []


def test_filters_follow_inserts_updates_and_renames() -> None:
    with PaperStore(":memory:") as store:
        doi_only = Paper(
            title="Graph filters", doi="10.1/x", abstract="graph", published=date(2020, 1, 1)
        )
        store.upsert_papers([doi_only, paper(1, "Graph one", "graph")])
        assert len(store.search_text('"graph"', since=date(2023, 1, 1))) == 1
        # The DOI-only paper turns out to be on arXiv: its row is replaced under a new id.
        found = Paper(title="Graph filters", doi="10.1/x", arxiv_id="2401.00009")
        store.upsert_papers([found])
        conn = store.conn
        assert conn.execute("SELECT count(*) FROM paper_filters").fetchone()[0] == 2
        conn.execute("UPDATE papers SET published = '2025-05-05' WHERE arxiv_id = '2401.00009'")
        recent = store.search_text('"graph"', since=date(2025, 1, 1))
        assert [p.id for p, _ in recent] == ["arXiv:2401.00009"]
        orphans = conn.execute(
            "SELECT count(*) FROM paper_filters WHERE paper_rowid NOT IN (SELECT rowid FROM papers)"
        ).fetchone()[0]
        assert orphans == 0
