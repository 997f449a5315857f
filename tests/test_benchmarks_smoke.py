"""The benchmark code runs (tiny sizes, no latency, no rate limits). No timing assertions:
the figures live in benchmarks/RESULTS.md; this only keeps `python -m benchmarks` working."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import report, scale, searches, watch  # noqa: E402
from benchmarks.__main__ import render  # noqa: E402


def test_synthetic_cache_and_offline_search(tmp_path: Path) -> None:
    result = scale.scale(1_000, runs=1, process_runs=1, path=tmp_path / "litscout.db")
    assert result.papers == 1_000
    assert 500 < result.bytes_per_paper < 20_000
    assert {q.query for q in result.queries} == set(scale.QUERIES)
    assert all(q.matches > 0 and q.total and q.rank and q.process for q in result.queries)
    assert result.terms is not None and result.terms.results > 0
    assert result.terms.total and result.terms.process
    out = report.Report()
    scale.report_scale(out, result)
    assert "1,000 papers" in out.table() and "`terms` with the question cached" in out.table()


def test_generated_papers_look_like_papers() -> None:
    papers = list(scale.Generator(seed=3).papers(50))
    assert len({p.arxiv_id for p in papers}) == 50
    assert all(700 <= len(p.abstract or "") <= 1_250 for p in papers)
    assert all(p.authors and p.categories and p.published for p in papers)


def test_searches_and_watch_against_the_fake(tmp_path: Path) -> None:
    with searches.fake_services(latency=0.0, arxiv_delay=0.0, s2_interval=0.0) as api:
        cold, home = searches.cold(api, tmp_path, runs=1, naive_runs=1)
        assert cold.litscout_papers == 100
        assert cold.naive_papers == 100
        assert sum(cold.naive_requests[0].values()) == 101
        used = cold.litscout_requests[0]
        assert used.get("arxiv", 0) <= 1 and used.get("s2", 0) <= 2
        assert used.get("openalex", 0) <= 1
        warm = searches.warm(api, home, runs=2)
        assert warm.requests == 0 and warm.papers == 100
        watched = watch.watch_runs(api, tmp_path)
        assert [r.watches for r in watched] == [20, 100, 20]
        assert all(r.steps[0].name == "first run" for r in watched)
        paged = watched[2]
        assert paged.page_size is not None and paged.gap_total is not None
        gap = next(s for s in paged.steps if s.name.startswith("after"))
        assert gap.requests.get("arxiv") == -(-paged.gap_total // paged.page_size) > 1
    start = searches.startup(runs=1)
    out = report.Report()
    searches.report_cold(out, cold)
    searches.report_warm(out, warm)
    searches.report_startup(out, start)
    watch.report_watch(out, watched)
    text = out.table()
    assert "Cold search" in text and "Warm search" in text and "--version" in text
    assert "Watch run" in text
    watch_rows = [r for r in out.rows if r.measure.startswith("Watch run")]
    assert len(watch_rows) == 13 and all(r.met for r in watch_rows), [
        (r.measure, r.litscout) for r in watch_rows if not r.met
    ]


def test_render_names_machine_and_command() -> None:
    import argparse

    args = argparse.Namespace(latency=0.2, arxiv_delay=3.0, s2_interval=1.0)
    text = render(report.Report(), args, "python -m benchmarks --papers 10", 1.0)
    assert "python -m benchmarks --papers 10" in text
    assert "cores" in text and "Python" in text
