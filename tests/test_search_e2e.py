"""`litscout search` end to end: the real CLI, real HTTP on loopback, the project's fake APIs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import FakeAPI, Fault
from litscout.cli import app
from litscout.models import RECORD_KEYS
from litscout.rank.velocity import BASES


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 2\nread_timeout = 2.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_cold_search_costs_one_arxiv_and_at_most_two_s2_requests(api: FakeAPI) -> None:
    code, out, err = run("search", "few-shot learning")
    assert code == 0, err
    records = jsonl(out)  # piped: JSON Lines
    assert 0 < len(records) <= 20
    assert all(tuple(r) == RECORD_KEYS for r in records)
    assert api.count("arxiv") == 1
    assert api.count("s2") <= 2
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicates across sources"
    both = [r for r in records if set(r["sources"]) == {"arxiv", "s2"}]
    assert both, "papers found by both sources are merged"
    assert all(r["citations"] is not None for r in records if r["arxiv_id"])
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    for r in records:
        assert abs(sum(r["score_parts"].values()) - r["score"]) < 2e-3


def test_repeat_within_ttl_makes_zero_requests(api: FakeAPI) -> None:
    first = run("search", "few-shot learning", "--json")
    before = api.count()
    second = run("search", "few-shot learning", "--json")
    assert api.count() == before
    assert json.loads(first[1]) == json.loads(second[1])
    run("search", "few-shot learning", "--json", "--refresh")
    assert api.count("arxiv") == 2


def test_young_paper_with_one_citation_does_not_top_the_list(api: FakeAPI) -> None:
    code, out, _ = run("search", "few-shot learning", "--json", "-n", "50")
    records = json.loads(out)
    young = [r for r in records if r["age_days"] is not None and r["age_days"] <= 3
             and r["citations"] == 1]  # fmt: skip
    if young:
        assert records[0]["id"] != young[0]["id"]
    assert {r["velocity_basis"] for r in records} <= set(BASES)


def test_plain_question_finds_the_field_through_s2(api: FakeAPI) -> None:
    code, out, err = run(
        "search", "use knowledge from a large dataset for a small dataset", "--json"
    )
    assert code == 0, err
    titles = " ".join(r["title"].lower() for r in json.loads(out))
    assert "few-shot" in titles or "meta-learning" in titles or "transfer" in titles


def test_arxiv_syntax_filters_and_sort(api: FakeAPI) -> None:
    code, out, err = run(
        "search", 'ti:"matching networks"', "--category", "cs.LG", "--sort", "recent", "--json"
    )
    assert code == 0, err
    arxiv = next(r for r in api.requests if r.service == "arxiv")
    query = arxiv.query["search_query"][0]
    assert query == 'ti:"matching networks" AND cat:cs.LG'
    assert arxiv.query["sortBy"] == ["submittedDate"]
    records = json.loads(out)
    ages = [r["age_days"] for r in records if r["age_days"] is not None]
    assert ages == sorted(ages)


def test_since_becomes_a_date_filter_on_both_sources(api: FakeAPI) -> None:
    code, out, err = run("search", "few-shot learning", "--since", "6m", "--json")
    assert code == 0, err
    arxiv = next(r for r in api.requests if r.service == "arxiv")
    assert "submittedDate:[" in arxiv.query["search_query"][0]
    s2 = next(r for r in api.requests if r.path.endswith("/paper/search"))
    assert s2.query["publicationDateOrYear"][0].endswith(":")
    assert all(r["age_days"] is None or r["age_days"] <= 186 for r in json.loads(out))


def test_formats_fields_and_explain(api: FakeAPI) -> None:
    code, out, _ = run("search", "few-shot learning", "--format", "csv", "--fields", "id,title")
    assert code == 0 and out.splitlines()[0] == "id,title"
    code, out, err = run("search", "few-shot learning", "--fields", "id,nope")
    assert code == 2 and "valid fields" in err
    code, out, _ = run("search", "few-shot learning", "--format", "table", "--explain")
    assert code == 0 and "How each score was made" in out and "openalex_years" in out
    assert "Counted" in out and " in 365 d" in out


def test_offline_searches_the_cache_with_fts(api: FakeAPI) -> None:
    run("search", "few-shot learning")
    before = api.count()
    code, out, err = run("search", "prototypical networks", "--offline", "--json")
    assert code == 0, err
    assert api.count() == before
    assert any("rototyp" in r["title"] for r in json.loads(out))


def test_one_source_down_still_answers_and_says_which(api: FakeAPI) -> None:
    api.inject("s2", Fault(status=500, times=50))
    code, out, err = run("search", "few-shot learning", "--json")
    assert code == 0
    assert json.loads(out)
    assert "Semantic Scholar" in err and "Traceback" not in err


def test_everything_down_and_nothing_cached_exits_3(api: FakeAPI) -> None:
    api.inject("s2", Fault(status=503, times=50))
    api.inject("arxiv", Fault(status=503, times=50))
    code, out, err = run("search", "few-shot learning")
    assert code == 3
    assert out == ""
    assert err.count("Error:") == 1 and "Traceback" not in err


def test_everything_down_falls_back_to_the_cache(api: FakeAPI, isolated_home: Path) -> None:
    run("search", "few-shot learning")
    db = sqlite3.connect(isolated_home / "litscout.db")
    db.execute("UPDATE query_cache SET fetched_at = fetched_at - 7 * 86400")
    db.commit()
    db.close()
    api.inject("s2", Fault(status=503, times=50))
    api.inject("arxiv", Fault(status=503, times=50))
    code, out, err = run("search", "few-shot learning", "--json")
    assert code == 0 and json.loads(out)
    assert "cached results" in err


def test_s2_api_key_is_sent_in_the_header(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2_API_KEY", "k-123")
    run("search", "few-shot learning")
    s2 = [r for r in api.requests if r.service == "s2"]
    assert s2 and all(r.headers.get("x-api-key") == "k-123" for r in s2)


def test_bad_input_is_exit_2_with_one_error_line(api: FakeAPI) -> None:
    for args in (["  "], ["x", "--since", "someday"], ["x", "-c", "cs.XX"], ["x", "-n", "0"],
                 ["x", "--sort", "hot"], ['ti:"open']):  # fmt: skip
        code, out, err = run("search", *args)
        assert code == 2, args
        assert err.startswith("Error:") and "Traceback" not in err
    assert api.count() == 0


def test_library_use(api: FakeAPI) -> None:
    from litscout import search

    papers = search("few-shot learning", limit=5)
    assert len(papers) == 5 and tuple(papers[0]) == RECORD_KEYS
