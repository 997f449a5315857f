"""Phrase counts on a big cache: sampled where a phrase is common, exact where it is rare."""

from __future__ import annotations

import random

from litscout.models import Paper
from litscout.store import phrase_counts
from litscout.store.papers import PaperStore


def _store(papers: int, seed: int = 3) -> PaperStore:
    rng = random.Random(seed)
    store = PaperStore(":memory:")
    rows = []
    for n in range(papers):
        words = ["deep", "model"] + (["graph kernel"] if n % 4 == 0 else [])
        words += ["rare phrase"] if n in (17, 901, 1803) else ["filler"]
        rng.shuffle(words)
        rows.append(Paper(title=" ".join(words), abstract="model model", s2_id=f"{n:040x}"))
    store.upsert_papers(rows)
    return store


def _exact(store: PaperStore, match: str) -> int:
    sql = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?"
    return int(store.conn.execute(sql, (match,)).fetchone()[0])


def test_samples_grow_to_the_whole_index() -> None:
    plan = phrase_counts.samples(1, 100_000, start=1_000)
    assert [round(s.share, 3) for s in plan] == [0.01, 0.08, 0.64, 1.0]
    first = plan[0]
    assert len(first.slices) == phrase_counts.SLICES
    assert all(1 <= a <= b <= 100_000 for a, b in first.slices)
    assert plan[-1].slices == ((1, 100_000),) and plan[-1].sql() == ("", [])
    assert phrase_counts.samples(1, 500, start=1_000) == [
        phrase_counts.Sample(((1, 500),), 500, 500)
    ]


def test_common_phrases_are_estimated_and_rare_ones_counted_exactly() -> None:
    store = _store(4_000)
    counts = phrase_counts.document_frequency(
        store.conn,
        ["model", "graph kernel", "rare phrase", "absent words"],
        [],
        lambda p: [p],
        first_sample=400,
    )
    assert counts["absent words"] == 0
    assert counts["rare phrase"] == 3  # too few in any sample: the whole index was counted
    assert abs(counts["model"] - 4_000) <= 4_000 * 0.05
    assert abs(counts["graph kernel"] - 1_000) <= 1_000 * 0.35
    # exact on a cache no bigger than the first sample
    small = phrase_counts.document_frequency(
        store.conn, ["graph kernel", "model"], [], lambda p: [p], first_sample=10_000
    )
    assert small == {"graph kernel": 1_000, "model": 4_000}
    assert _exact(store, '"graph kernel"') == 1_000


def test_excluded_papers_are_subtracted_inside_the_sample() -> None:
    store = _store(4_000)
    rowids = [r[0] for r in store.conn.execute("SELECT rowid FROM papers WHERE rowid <= 100")]
    whole = phrase_counts.document_frequency(
        store.conn, ["model", "rare phrase"], rowids, lambda p: [p], first_sample=10_000
    )
    assert whole == {"model": 3_900, "rare phrase": 2}  # paper 17 is among the first 100
    sampled = phrase_counts.document_frequency(
        store.conn, ["model"], rowids, lambda p: [p], first_sample=400
    )
    assert abs(sampled["model"] - 3_900) <= 3_900 * 0.06


def test_a_topic_stored_side_by_side_is_not_multiplied_by_the_sample() -> None:
    """A search's papers are stored together: a slice falling on them must not be scaled up."""
    store = PaperStore(":memory:")
    papers = [
        Paper(
            title="deep model" + (" tidal flat sediment" if 1_000 <= n < 1_150 else ""),
            abstract="model",
            s2_id=f"{n:040x}",
        )
        for n in range(4_000)
    ]
    store.upsert_papers(papers)
    counts = phrase_counts.document_frequency(
        store.conn, ["tidal flat sediment", "deep model"], [], lambda p: [p], first_sample=400
    )
    assert counts["tidal flat sediment"] == 150  # bunched in one slice: counted exactly
    assert abs(counts["deep model"] - 4_000) <= 4_000 * 0.05  # spread: estimated
