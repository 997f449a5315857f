"""The follow core without HTTP: "is this still recent?", timelines, cached citation lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from litscout.context import Context
from litscout.follow.citations import CitationSet, covering_fetch
from litscout.follow.paper import Timeline, _from_citing, _recent_from_years, still_recent
from litscout.models import Paper
from litscout.rank import score as ranking
from litscout.rank.score import Ranked
from litscout.rank.velocity import Evidence
from litscout.render.reporter import SilentReporter
from litscout.sources.openalex import parse_counts
from litscout.store.follows import FollowStore
from litscout.store.papers import PaperStore

TODAY = date(2026, 6, 30)


@pytest.fixture
def ctx() -> Iterator[Context]:
    context = Context(store=PaperStore(":memory:"), reporter=SilentReporter(), offline=True)
    context.today = TODAY
    yield context
    context.close()


def peer(i: int, age_days: int) -> Paper:
    return Paper(
        title=f"Graph colouring heuristics, part {i}",
        s2_id=f"{i:040x}",
        published=TODAY - timedelta(days=age_days),
        citations=5,
    )


def item_for(
    ctx: Context, age_days: int, citations: int = 100, last_year: int | None = None
) -> Ranked:
    """The paper under judgement, with `last_year` citations dated in the window if given."""
    paper = Paper(
        title="Graph Colouring Heuristics Revisited",
        s2_id="f" * 40,
        published=TODAY - timedelta(days=age_days),
        citations=citations,
    )
    ctx.store.upsert_papers([paper])
    dated = []
    if last_year is not None:
        dated = [Evidence("citing_dates", last_year, min(age_days, 365), TODAY)]
    return ranking.score_paper(
        paper, today=TODAY, params=ctx.settings.ranking, relevance_value=1.0, dated=dated
    )


TERMS = ["graph", "colouring", "heuristics"]
NO_TIMELINE = Timeline({}, None, False, None, False)


def test_age_against_known_peers(ctx: Context) -> None:
    ctx.store.upsert_papers([peer(i, 10 * i) for i in range(1, 11)])  # 10 .. 100 days old
    sentence, pct, n = still_recent(ctx, item_for(ctx, 55), NO_TIMELINE, TERMS)
    assert (pct, n) == (50, 10)
    # under a year old is recent whatever the topic; 100 citations in 55 days is fast
    assert sentence == (
        "Recent and moving fast: 55 days old, 100 citations, about 400 a year now; "
        "newer than 50% of the 10 top papers litscout has on its topic."
    )


def test_old_paper_still_cited(ctx: Context) -> None:
    ctx.store.upsert_papers([peer(i, 10 * i) for i in range(1, 11)])
    timeline = Timeline({2025: 20, 2026: 30}, "semantic_scholar", True, 38, True)
    item = item_for(ctx, 3000, 2500, last_year=38)
    sentence, pct, _ = still_recent(ctx, item, timeline, TERMS)
    assert pct == 100
    assert sentence == (
        "Not recent, but still cited: 8 years old, 2,500 citations, 38 in the last year; "
        "older than all of the 10 top papers litscout has on its topic."
    )


def test_old_and_forgotten(ctx: Context) -> None:
    ctx.store.upsert_papers([peer(i, 10 * i) for i in range(1, 11)])
    timeline = Timeline({2019: 200}, "semantic_scholar", True, 2, True)
    sentence, _, _ = still_recent(ctx, item_for(ctx, 3000, 500, last_year=2), timeline, TERMS)
    assert sentence.startswith("Not recent, and rarely cited now: 8 years old, 500 citations, 2 in")


def test_its_own_citing_papers_are_not_its_topic(ctx: Context) -> None:
    citers = [peer(i, 5 * i) for i in range(1, 11)]  # all newer, as citing papers are
    ctx.store.upsert_papers(citers)
    timeline = Timeline({2026: 10}, "semantic_scholar", True, 10, True, citing=citers)
    sentence, pct, n = still_recent(ctx, item_for(ctx, 100, 96), timeline, TERMS)
    assert pct is None and n == 0
    assert sentence.startswith("Recent and moving fast: 3 months old, 96 citations")


def test_recent_paper(ctx: Context) -> None:
    ctx.store.upsert_papers([peer(i, 100 * i) for i in range(1, 11)])
    timeline = Timeline({2026: 3}, "openalex", True, 3, False)
    sentence, pct, _ = still_recent(ctx, item_for(ctx, 20, 3), timeline, TERMS)
    assert pct == 0
    assert sentence.startswith("Recent: 20 days old, 3 citations, about")
    assert sentence.endswith("newer than all of the 10 top papers litscout has on its topic.")


def test_too_few_peers_says_so_and_suggests_a_search(ctx: Context) -> None:
    ctx.store.upsert_papers([peer(1, 10)])
    sentence, pct, n = still_recent(ctx, item_for(ctx, 55), NO_TIMELINE, TERMS)
    assert pct is None and n == 1
    assert 'litscout search "graph colouring heuristics"' in sentence


def test_timeline_from_dates_fills_gaps_and_counts_the_window(ctx: Context) -> None:
    dates = ["2021-03-01", "2023-05-05", "2025-07-01", "2025-06-29", "2026-01-10", "2024", ""]
    found = CitationSet([], {}, False, None, False, False, None, dates)
    timeline = _from_citing(ctx, found, TODAY - timedelta(days=365), complete=True)
    assert timeline.per_year == {2021: 1, 2022: 0, 2023: 1, 2024: 1, 2025: 2, 2026: 1}
    assert timeline.recent == 2  # 2025-07-01 and 2026-01-10; 2025-06-29 is a day too old
    assert list(timeline.per_month)[0] == "2025-06" and list(timeline.per_month)[-1] == "2026-06"
    assert timeline.per_month["2025-07"] == 1 and timeline.per_month["2026-01"] == 1
    assert timeline.per_month["2025-06"] == 0  # the 29th is before the window opens


def test_recent_from_calendar_years(ctx: Context) -> None:
    ctx.today = date(2026, 4, 1)  # a quarter of the year gone
    old = Paper(title="x", published=date(2010, 1, 1))
    assert _recent_from_years(ctx, old, {2025: 100, 2026: 10}) == 10 + 75


def test_openalex_counts_fill_omitted_zero_years() -> None:
    items = [
        {"year": 2024, "cited_by_count": 3},
        {"year": 2021, "cited_by_count": 1},
        {"year": "x"},
    ]
    assert parse_counts(items) == {2021: 1, 2022: 0, 2023: 0, 2024: 3}
    assert parse_counts(None) == {}


def test_a_cached_full_list_covers_any_since_but_a_window_only_later_ones(ctx: Context) -> None:
    follow = FollowStore(ctx.store)
    follow.save("cites|arXiv:1|2026-01-01", 1.0, {"since": "2026-01-01"}, [])
    assert covering_fetch(ctx, "arXiv:1", date(2026, 3, 1)) is not None
    assert covering_fetch(ctx, "arXiv:1", date(2025, 3, 1)) is None
    assert covering_fetch(ctx, "arXiv:1", None) is None
    follow.save("cites|arXiv:1|", 2.0, {"since": None}, [])
    assert covering_fetch(ctx, "arXiv:1", None) is not None
    assert covering_fetch(ctx, "arXiv:1", date(2020, 1, 1)) is not None
    follow.save("cites|arXiv:2|", 2.0, {"since": None, "partial": True}, [])
    assert covering_fetch(ctx, "arXiv:2", None) is None, "a partial list covers nothing"


def test_citation_links_follow_a_paper_rename(ctx: Context) -> None:
    follow = FollowStore(ctx.store)
    citing = Paper(title="A paper only S2 knows at first", doi="10.1/abc", s2_id="a" * 40)
    ctx.store.upsert_papers([citing])
    follow.link_citations("arXiv:1606.04080", [("doi:10.1/abc", True)])
    # the same paper turns out to be on arXiv: its id becomes arXiv:..., links follow
    ctx.store.upsert_papers([Paper(title=citing.title, doi="10.1/abc", arxiv_id="2101.00001")])
    assert follow.citing("arXiv:1606.04080") == {"arXiv:2101.00001": True}


def test_distinct_s2_papers_with_the_same_title_stay_distinct(ctx: Context) -> None:
    # citing papers often share titles ("Robust Transfer Learning in the Wild"); S2 ids differ
    a = Paper(title="Robust Transfer Learning in the Wild", s2_id="a" * 40)
    b = Paper(title="Robust Transfer Learning in the Wild", s2_id="b" * 40)
    stored = ctx.store.upsert_papers([a, b])
    assert len({p.id for p in stored}) == 2
    # a record without ids still merges into a paper known by its title
    ctx.store.upsert_papers([Paper(title="Graph Colouring Heuristics, Revisited", s2_id="c" * 40)])
    same = ctx.store.upsert_papers([Paper(title="Graph colouring heuristics revisited")])
    assert same[0].s2_id == "c" * 40
    assert ctx.store.count_papers() == 3


def test_document_frequency_counts_spellings_and_skips_the_results(ctx: Context) -> None:
    from litscout.find.terms import spellings

    ctx.store.upsert_papers(
        [
            Paper(title="Deep neural networks for weather", s2_id="1" * 40),
            Paper(title="A neural network for proteins", s2_id="2" * 40),
            Paper(title="Few-shot learning for birds", s2_id="3" * 40),
            Paper(title="Trees", abstract="no match here", s2_id="4" * 40),
        ]
    )
    follow = FollowStore(ctx.store)
    counts = follow.document_frequency(
        ["neural networks", "few-shot learning", "graph kernels"], variants=spellings
    )
    assert counts == {"neural networks": 2, "few-shot learning": 1, "graph kernels": 0}
    skip = follow.document_frequency(
        ["neural networks"], exclude=["s2:" + "1" * 40], variants=spellings
    )
    assert skip == {"neural networks": 1}
    assert follow.document_frequency(['"quoted"']) == {'"quoted"': 0}


def test_document_frequency_subtracts_the_excluded_papers_like_a_join(ctx: Context) -> None:
    import random

    rng = random.Random(5)
    words = ["graph", "neural", "network", "networks", "kernel", "few-shot", "birds", "é"]
    papers = [
        Paper(
            title=" ".join(rng.choice(words) for _ in range(4)),
            abstract=" ".join(rng.choice(words) for _ in range(12)),
            s2_id=f"{n:040d}",
        )
        for n in range(60)
    ]
    stored = ctx.store.upsert_papers(papers)
    follow = FollowStore(ctx.store)
    phrases = ["graph", "neural network", "few-shot", "kernel birds", "e", "nothing"]
    skip = [p.id for p in stored[::3]] + ["s2:unknown"]
    counts = follow.document_frequency(phrases, exclude=skip)
    marks = ", ".join("?" for _ in skip)
    for phrase in phrases:
        match = f'"{phrase}"'
        expected = ctx.store.conn.execute(
            "SELECT count(*) FROM papers_fts JOIN papers ON papers.rowid = papers_fts.rowid "
            f"WHERE papers_fts MATCH ? AND papers.id NOT IN ({marks})",
            (match, *skip),
        ).fetchone()[0]
        assert counts[phrase] == expected, phrase
    assert counts["graph"] > 0
    tables = ctx.store.conn.execute("SELECT name FROM temp.sqlite_master").fetchall()
    assert tables == [], "the scratch index is dropped"
