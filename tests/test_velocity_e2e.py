"""Velocity *now* end to end: the CLI over real HTTP against the fake arXiv, S2 and OpenAlex.

The corpus gets a topic of its own with known numbers: two classics with large totals and few
citations in the last year, and two papers of this year gathering citations fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import FakeAPI, Fault
from fakeapi.corpus import FakePaper, generate_citations
from litscout.cli import app

TOPIC = "crystal lattice forecasting"


def _add(api: FakeAPI, key: str, title: str, days: float, total: int, recent: int) -> FakePaper:
    paper = api.corpus.add(
        FakePaper(
            key=key,
            title=title,
            abstract=f"We study {TOPIC} with {title.lower()}, a method for {TOPIC} at scale.",
            authors=["Ada Quill", "Ben Orr"],
            days_ago=days,
            categories=["cs.LG"],
            arxiv_id="auto",
        )
    )
    paper.citations = generate_citations(key, total, days, recent=recent)
    return paper


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 2\nread_timeout = 2.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        _add(fake, "lattice-classic", "Lattice Forecasting Networks", 3300, 2400, 40)
        _add(fake, "lattice-classic-2", "Deep Crystal Lattice Forecasting", 2900, 1800, 30)
        _add(fake, "lattice-hot", "Crystal Lattice Forecasting with Adapters", 106, 96, 96)
        _add(fake, "lattice-warm", "Fast Lattice Forecasting Transformers", 200, 70, 70)
        _add(fake, "lattice-new", "Lattice Forecasting in Two Days", 2, 1, 1)
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def by_title(recs: list[dict]) -> dict[str, dict]:
    return {r["title"]: r for r in recs}


def test_sort_velocity_puts_this_years_fast_papers_above_the_classics(api: FakeAPI) -> None:
    code, out, err = run("search", TOPIC, "--sort", "velocity", "--format", "jsonl")
    assert code == 0, err
    titles = [r["title"] for r in records(out)]
    assert titles[:2] == [
        "Crystal Lattice Forecasting with Adapters",
        "Fast Lattice Forecasting Transformers",
    ]
    assert titles.index("Lattice Forecasting in Two Days") > titles.index(
        "Lattice Forecasting Networks"
    ), "one citation in two days does not top the list"


def test_cold_search_budget_and_no_lifetime_average_while_openalex_answers(api: FakeAPI) -> None:
    code, out, err = run("search", TOPIC, "--format", "jsonl", "-n", "50")
    assert code == 0, err
    assert api.count("arxiv") == 1 and api.count("s2") <= 2
    assert api.count("openalex") == 1
    (listed,) = [r for r in api.requests if r.service == "openalex"]
    assert listed.path.endswith("/works") and listed.query["per_page"] == ["100"]
    assert listed.query["filter"][0].startswith("doi:")
    recs = records(out)
    assert recs
    assert not [r["title"] for r in recs if r["velocity_basis"] == "lifetime"]
    classic = by_title(recs)["Lattice Forecasting Networks"]
    assert classic["velocity_basis"] == "openalex_years"
    # 40 in the last year; the part of last year inside the window is apportioned evenly
    assert 30 <= classic["velocity_window"]["citations"] <= 60
    assert classic["velocity"] < 60  # not its lifetime average (~265/yr)
    before = api.count()
    assert run("search", TOPIC, "--format", "jsonl", "-n", "50")[0] == 0
    assert api.count() == before, "a repeat within the TTL asks nothing"


def test_openalex_budget_spent_warns_once_falls_back_and_rests(api: FakeAPI) -> None:
    api.openalex_budget = 0
    code, out, err = run("search", TOPIC, "--format", "jsonl")
    assert code == 0, err
    warnings = err.strip().splitlines()
    assert len(warnings) == 1 and "OpenAlex" in warnings[0], err
    assert "not asked again before" in err
    recs = by_title(records(out))
    classic = recs["Lattice Forecasting Networks"]
    assert classic["velocity_basis"] == "lifetime"
    hot = recs["Crystal Lattice Forecasting with Adapters"]
    assert hot["velocity_basis"] == "all_in_window"  # exact without OpenAlex
    asked = api.count("openalex")
    code, _, err = run("search", "lattice forecasting networks", "--format", "jsonl")
    assert code == 0
    assert api.count("openalex") == asked, "no process asks again before the budget renews"
    assert "resting until" in err


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=503, times=5),
        Fault(kind="html", times=5),
        Fault(kind="reset", times=5),
    ],
)
def test_openalex_down_never_fails_the_search(api: FakeAPI, fault: Fault) -> None:
    api.inject("openalex", fault)
    code, out, err = run("search", TOPIC, "--format", "jsonl")
    assert code == 0, err
    assert records(out)
    warnings = err.strip().splitlines()
    assert len(warnings) == 1 and "OpenAlex" in warnings[0], err


def test_openalex_off_in_config_asks_nothing(api: FakeAPI, isolated_home: Path) -> None:
    config = isolated_home / "config.toml"
    config.write_text(config.read_text() + "\n[sources]\nopenalex = false\n")
    code, out, err = run("search", TOPIC, "--format", "jsonl")
    assert code == 0, err
    assert api.count("openalex") == 0
    lifetime = [r for r in records(out) if r["velocity_basis"] == "lifetime"]
    assert lifetime and all(r["velocity_window"]["detail"] for r in lifetime)


def test_table_marks_lifetime_averages_with_a_legend(api: FakeAPI) -> None:
    api.openalex_budget = 0
    code, out, _ = run("search", TOPIC, "--format", "table")
    assert code == 0
    assert "~ lifetime average" in out


def test_explain_shows_the_counts_behind_each_velocity(api: FakeAPI) -> None:
    code, out, _ = run("search", TOPIC, "--format", "table", "--explain")
    assert code == 0
    assert "Counted" in out and "openalex_years" in out and " in 365 d" in out


def test_paper_of_a_months_old_fast_cited_paper_calls_it_recent(api: FakeAPI) -> None:
    assert run("search", TOPIC, "--format", "jsonl")[0] == 0
    hot = api.corpus.by_key("lattice-hot")
    code, out, err = run("paper", hot.arxiv_id or "", "--json")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["still_recent"].startswith("Recent and moving fast: 3 months old, 96 citations")
    assert rec["velocity_basis"] in ("citing_dates", "all_in_window")
    assert rec["velocity"] > 150


def test_paper_of_a_classic_counts_its_last_year_not_its_lifetime(api: FakeAPI) -> None:
    assert run("search", TOPIC, "--format", "jsonl")[0] == 0
    classic = api.corpus.by_key("lattice-classic")
    code, out, err = run("paper", classic.arxiv_id or "", "--json")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["velocity_basis"] in ("citing_dates", "openalex_years")
    assert 30 <= rec["velocity"] <= 50
    verdict = "Not recent, but still cited: 9 years old, 2,400 citations"
    assert rec["still_recent"].startswith(verdict)


def test_cites_ranks_citing_papers_with_the_same_estimator(api: FakeAPI) -> None:
    classic = api.corpus.by_key("lattice-classic")
    code, out, err = run("cites", classic.arxiv_id or "", "--format", "jsonl", "-n", "5")
    assert code == 0, err
    recs = records(out)
    assert recs and all(r["velocity_basis"] != "lifetime" or r["citations"] == 0 for r in recs)
