"""`paper`, `cites`, `related`, `export` end to end against the fake services.

Cost bounds from the issue are asserted with the fake's request log: `paper` ≤ 3 requests,
`cites` one request per 1,000 citing papers, repeats within the TTL make none.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeapi import MATCHING_NETWORKS, FakeAPI, Fault
from litscout.cli import app
from litscout.cli.paper import bar_chart
from litscout.follow import CITES_KEYS, PAPER_KEYS
from litscout.models import RECORD_KEYS

CONFIG = "[network]\nbackoff_base = 0.01\nretries = 1\n"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        isolated_home.mkdir(parents=True, exist_ok=True)
        (isolated_home / "config.toml").write_text(CONFIG)
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def paper_json(*args: str) -> dict:
    code, out, err = run("paper", *args, "--json")
    assert code == 0, err
    return json.loads(out)


# -- paper --------------------------------------------------------------------------------


def test_paper_in_full_within_three_requests(api: FakeAPI) -> None:
    rec = paper_json(MATCHING_NETWORKS)
    assert tuple(rec) == PAPER_KEYS
    assert api.count() - api.count("openalex") <= 3
    assert api.count("openalex") <= 1  # a free single-work look-up for the yearly chart
    assert rec["id"] == "arXiv:1606.04080"
    assert rec["citations"] == 2500 and rec["influential_citations"] > 0
    assert rec["tldr"] and rec["abstract"]
    assert rec["categories"] == ["cs.LG", "stat.ML"], "arXiv metadata merged in"
    # 2,500 citations: the last year's citing papers, one page, counted exactly
    assert rec["recent_citations"] == 300 and rec["recent_citations_exact"] is True
    assert rec["velocity_basis"] == "citing_dates"
    assert 250 < rec["velocity"] < 320
    # the yearly chart from OpenAlex's counts (the fake's agree with S2's citing papers)
    assert rec["citations_per_year_source"] == "openalex"
    assert rec["citations_per_year_complete"] is True
    per_year = rec["citations_per_year"]
    assert isinstance(per_year, dict) and sum(per_year.values()) == 2500
    assert all(k.isdigit() and isinstance(v, int) for k, v in per_year.items())
    months = rec["citations_per_month"]
    assert sum(months.values()) == 300 and 12 <= len(months) <= 13
    assert list(months) == sorted(months) and all(len(m) == 7 for m in months)
    sentence = rec["still_recent"]
    assert sentence.startswith(
        "Not recent, but still cited: 8 years old, 2,500 citations, 300 in the last year"
    )
    # its own citing papers are not its topic: with nothing else known, no comparison
    assert "too few papers on its topic" in sentence and 'litscout search "' in sentence
    assert rec["older_than_pct"] is None
    assert rec["bibtex"].startswith("@") and "valinsky2018matching" in rec["bibtex"]
    s2_paths = [r.path for r in api.requests if r.service == "s2"]
    assert any(p.endswith("/citations") for p in s2_paths)
    citing = next(r for r in api.requests if r.path.endswith("/citations"))
    assert "publicationDateOrYear" in citing.query  # only the last year's citing papers


def test_paper_with_up_to_1000_citations_gets_the_whole_chart(api: FakeAPI) -> None:
    fake = api.corpus.by_key("survey-meta-learning")  # exactly 1,000 citations
    rec = paper_json(fake.arxiv_id)
    assert api.count() <= 3
    assert rec["citations_per_year_complete"] is True
    assert sum(rec["citations_per_year"].values()) == fake.citation_count == 1000
    cutoff = (api.corpus.now - timedelta(days=365)).date()
    expected = sum(
        1 for c in fake.citations if (api.corpus.now - timedelta(days=c.days_ago)).date() >= cutoff
    )
    assert rec["recent_citations"] == expected
    assert rec["is_survey"] is True
    years = [int(y) for y in rec["citations_per_year"]]
    assert years == list(range(min(years), max(years) + 1)), "gaps are filled with zeros"


def test_paper_repeat_is_free_and_offline_works(api: FakeAPI) -> None:
    first = paper_json(MATCHING_NETWORKS)
    before = api.count()
    again = paper_json("arXiv:1606.04080v2")
    assert api.count() == before
    assert again["still_recent"] == first["still_recent"]
    assert again["citations_per_year"] == first["citations_per_year"]
    offline = paper_json("https://arxiv.org/abs/1606.04080", "--offline")
    assert api.count() == before
    assert offline["id"] == first["id"]


def test_paper_uses_the_full_list_after_cites(api: FakeAPI) -> None:
    code, _, err = run("cites", MATCHING_NETWORKS, "--json")
    assert code == 0, err
    rec = paper_json(MATCHING_NETWORKS)
    assert rec["citations_per_year_complete"] is True
    assert sum(rec["citations_per_year"].values()) == 2500
    assert not [
        r for r in api.requests if r.path.endswith("/citations") and "offset" not in r.query
    ]


def test_paper_id_forms_and_errors(api: FakeAPI) -> None:
    fake = api.corpus.by_key("survey-few-shot")
    by_arxiv = paper_json(f"arXiv:{fake.arxiv_id}v1")
    by_s2 = paper_json(f"s2:{fake.paper_id}")
    by_doi = paper_json(f"doi:10.48550/arXiv.{fake.arxiv_id}")
    assert by_arxiv["id"] == by_s2["id"] == by_doi["id"] == f"arXiv:{fake.arxiv_id}"
    code, out, err = run("paper", "not-an-id")
    assert code == 2 and out == ""
    assert err.startswith("Error: not a paper id") and "Hint:" in err
    code, _, err = run("paper", "s2:" + "0" * 40)
    assert code == 1 and "no paper" in err
    code, out, _ = run("paper", fake.arxiv_id, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == ",".join(PAPER_KEYS)
    assert run("paper", MATCHING_NETWORKS, "--offline", "--refresh")[0] == 2
    assert run("paper", MATCHING_NETWORKS, "--fields", "nope")[0] == 2


def test_paper_only_on_arxiv_and_nothing_reachable(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = api.corpus.by_key("fsl-2day")
    api.inject("s2", Fault(status=404, body={"error": "Paper not found"}, times=1))
    rec = paper_json(new.arxiv_id)  # S2 has not indexed it yet: arXiv alone
    assert rec["sources"] == ["arxiv"] and rec["citations"] is None
    assert rec["citations_per_year"] == {} and rec["velocity_basis"] == "unknown"
    for name in ("LITSCOUT_S2_API_URL", "LITSCOUT_ARXIV_API_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/unreachable")
    code, _, err = run("paper", "1703.05175")
    assert code == 3 and "cannot look up" in err


def test_paper_offline_without_cache_is_exit_3(api: FakeAPI) -> None:
    code, _, err = run("paper", MATCHING_NETWORKS, "--offline")
    assert code == 3 and "not in the cache" in err
    assert api.count() == 0


def test_paper_falls_back_to_the_cache_when_s2_fails(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = paper_json(MATCHING_NETWORKS)
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "http://127.0.0.1:9/unreachable")
    code, out, err = run("paper", MATCHING_NETWORKS, "--json", "--refresh")
    assert code == 0, err
    assert "cached" in err
    assert json.loads(out)["title"] == first["title"]


def test_paper_with_openalex_counts_by_year(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(CONFIG + "[sources]\nopenalex = true\n")
    monkeypatch.setenv("OPENALEX_API_KEY", "sekrit-openalex-key")
    code, out, err = run("paper", MATCHING_NETWORKS, "--json")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["citations_per_year_source"] == "openalex"
    assert rec["citations_per_year_complete"] is True
    assert api.count() - api.count("openalex") <= 3 and api.count("openalex") == 1
    # the last year's citing papers still give the exact window count
    assert [r for r in api.requests if r.path.endswith("/citations")]
    openalex = next(r for r in api.requests if r.service == "openalex")
    assert "10.48550/arXiv.1606.04080" in openalex.path
    assert openalex.query["api_key"] == ["sekrit-openalex-key"]
    assert "sekrit" not in out + err
    assert rec["recent_citations"] == 300 and rec["recent_citations_exact"] is True
    before = api.count()
    paper_json(MATCHING_NETWORKS)
    assert api.count() == before


def test_paper_stays_within_three_requests_when_openalex_misses(
    api: FakeAPI, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(CONFIG + "[sources]\nopenalex = true\n")
    api.inject("openalex", Fault(status=404, times=1))
    rec = paper_json(MATCHING_NETWORKS)
    assert api.count() - api.count("openalex") <= 3
    assert [r.service for r in api.requests][:3] == ["s2", "openalex", "s2"]
    assert rec["citations_per_year_source"] == "semantic_scholar"
    assert rec["recent_citations"] == 300
    before = api.count()
    paper_json(MATCHING_NETWORKS)
    assert api.count() == before, "the skipped arXiv look-up is not retried within the TTL"


def test_paper_rich_view(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    fake = api.corpus.by_key("prototypical-networks")
    code, out, err = run("paper", fake.arxiv_id)
    assert code == 0, err
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert out.splitlines()[0] == fake.title
    assert "TL;DR" in out or fake.tldr is None
    assert "Citations per year (OpenAlex)" in out and "█" in out  # 1,900 citations
    assert "Is this still recent?" in out
    assert "code: https://github.com/protonets-lab/prototypical-networks" in out


def test_bar_chart() -> None:
    lines = bar_chart({"2019": 10, "2020": 0, "2021": 5, "2022": 1}, width=8)
    assert lines[0] == "2019 ████████  10"
    assert lines[1] == "2020            0"
    assert lines[2].startswith("2021 ████ ")
    assert lines[3].startswith("2022 ▊ ")  # 1/10 of 8 cells = 6 eighths
    assert bar_chart({}) == []


# -- cites --------------------------------------------------------------------------------


def test_cites_costs_one_request_per_thousand(api: FakeAPI) -> None:
    code, out, err = run("cites", MATCHING_NETWORKS, "--json", "-n", "5000")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == 2500
    assert api.count("s2") == math.ceil(2500 / 1000) and api.count("arxiv") == 0
    assert all(tuple(r) == CITES_KEYS for r in records)
    assert all(r["list_capped"] is False for r in records)
    assert any(r["influential"] for r in records)
    assert sum(1 for r in records if r["influential"]) <= 200
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    # repeat, and a narrower --since, come from the cache
    before = api.count()
    code, out, _ = run("cites", MATCHING_NETWORKS, "--json", "--since", "1y", "--sort", "recent")
    assert code == 0 and api.count() == before
    recent = json.loads(out)
    cutoff = (date.today() - timedelta(days=366)).isoformat()
    assert recent and all((r["published"] or "9999") >= cutoff for r in recent)
    ages = [r["age_days"] for r in recent]
    assert ages == sorted(ages)


def test_cites_since_asks_only_for_the_window(api: FakeAPI) -> None:
    code, out, err = run("cites", MATCHING_NETWORKS, "--since", "6m", "--json")
    assert code == 0, err
    assert api.count() == 1
    request = api.requests[0]
    assert request.path.endswith("/citations")
    assert "publicationDateOrYear" in request.query
    assert json.loads(out)


def test_cites_output_formats_and_table(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = api.corpus.by_key("episodic-rethink")
    code, out, err = run("cites", fake.arxiv_id, "--format", "bibtex", "-n", "3")
    assert code == 0, err
    assert out.count("\n@") + out.startswith("@") == 3
    code, out, _ = run("cites", fake.arxiv_id, "--format", "csv")
    assert code == 0 and out.splitlines()[0].endswith(",influential,list_capped")
    code, out, _ = run("cites", fake.arxiv_id, "--fields", "id,influential", "--json")
    assert code == 0 and set(json.loads(out)[0]) == {"id", "influential"}
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "140")
    code, out, _ = run("cites", fake.arxiv_id, "-n", "200")
    assert code == 0
    assert "Papers citing" in out
    assert fake.influential_count > 0
    assert "★ " in out and "(★ = influential citation)" in out


def test_cites_says_when_the_s2_cap_cut_the_list(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litscout.models import Paper
    from litscout.sources import s2

    def capped(self: object, paper_id: str, **kw: object) -> tuple[list, bool]:
        papers = [Paper(title=f"Citing paper number {i}", s2_id=f"{i:040x}") for i in range(3)]
        return [(p, i == 0) for i, p in enumerate(papers)], True

    monkeypatch.setattr(s2.SemanticScholar, "citations", capped)
    code, out, err = run("cites", MATCHING_NETWORKS, "--json")
    assert code == 0
    assert "at most 9,999" in err
    records = json.loads(out)
    assert len(records) == 3 and all(r["list_capped"] for r in records)
    assert [r["influential"] for r in records].count(True) == 1


def test_cites_asks_again_lighter_when_s2_times_out(api: FakeAPI) -> None:
    api.inject("s2", Fault(status=504, body={"message": "Endpoint request timed out"}, times=2))
    code, out, err = run("cites", MATCHING_NETWORKS, "--json", "-n", "5000")
    assert code == 0, err
    assert "without abstracts" in err
    assert len(json.loads(out)) == 2500
    assert api.count("s2") == 2 + 3  # the timed-out try and its retry, then 3 pages
    last = [r for r in api.requests if r.service == "s2"][-1]
    assert "abstract" not in last.query["fields"][0]


def test_cites_errors_say_what_went_wrong(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run("cites", "s2:" + "0" * 40)
    assert code == 1 and "does not know" in err
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "http://127.0.0.1:9/unreachable")
    code, _, err = run("cites", MATCHING_NETWORKS)
    assert code == 3 and "none are cached" in err
    assert run("cites", MATCHING_NETWORKS, "--sort", "nope")[0] == 2
    assert run("cites", MATCHING_NETWORKS, "--since", "yesterday-ish")[0] == 2


def test_cites_lists_a_paper_s2_gives_twice_once(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litscout.models import Paper
    from litscout.sources import s2

    def twice(self: object, paper_id: str, **kw: object) -> tuple[list, bool]:
        one = Paper(title="The same paper", arxiv_id="2601.00001", s2_id="a" * 40)
        other = Paper(title="The same paper", arxiv_id="2601.00001", s2_id="b" * 40)
        return [(one, False), (other, True)], False

    monkeypatch.setattr(s2.SemanticScholar, "citations", twice)
    code, out, err = run("cites", MATCHING_NETWORKS, "--json")
    assert code == 0, err
    [rec] = json.loads(out)
    assert rec["id"] == "arXiv:2601.00001" and rec["influential"] is True


def test_cites_offline(api: FakeAPI) -> None:
    code, _, err = run("cites", MATCHING_NETWORKS, "--offline")
    assert code == 3 and api.count() == 0
    run("cites", MATCHING_NETWORKS, "--since", "1y", "--json")
    before = api.count()
    code, out, err = run("cites", MATCHING_NETWORKS, "--offline", "--json")
    assert code == 0 and api.count() == before
    assert json.loads(out)
    # the cached list covers only the last year; offline says it may be incomplete? no:
    # a cached list is used as is when offline.


def test_cites_falls_back_to_what_is_cached(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    run("cites", MATCHING_NETWORKS, "--since", "1y", "--json")
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "http://127.0.0.1:9/unreachable")
    code, out, err = run("cites", MATCHING_NETWORKS, "--json", "--refresh")
    assert code == 0, err
    assert "maybe not all" in err
    assert json.loads(out)


# -- related ------------------------------------------------------------------------------


def test_related_with_positive_and_negative_seeds(api: FakeAPI) -> None:
    proto = api.corpus.by_key("prototypical-networks")
    maml = api.corpus.by_key("maml")
    code, out, err = run(
        "related", MATCHING_NETWORKS, proto.arxiv_id, "--not", maml.arxiv_id, "--json"
    )
    assert code == 0, err
    records = json.loads(out)
    # seeds litscout has not seen yet: one batch look-up for their S2 ids, then one POST
    s2 = [r for r in api.requests if r.service == "s2"]
    assert [r.path.rsplit("/", 2)[-2:] for r in s2] == [["paper", "batch"], ["papers", ""]]
    assert api.count("openalex") <= 1  # citations per year of the older recommendations
    request = s2[-1]
    assert request.method == "POST" and "recommendations" in request.path
    body = json.loads(request.body)
    assert body["positivePaperIds"] == [
        api.corpus.by_arxiv(MATCHING_NETWORKS).paper_id,
        proto.paper_id,
    ]
    assert body["negativePaperIds"] == [maml.paper_id]
    assert records and all(tuple(r) == RECORD_KEYS for r in records)
    ids = {r["id"] for r in records}
    assert f"arXiv:{MATCHING_NETWORKS}" not in ids and f"arXiv:{proto.arxiv_id}" not in ids
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    before = api.count()
    again = run("related", proto.arxiv_id, MATCHING_NETWORKS, "--not", maml.arxiv_id, "--json")
    assert api.count() == before and json.loads(again[1]) == records
    offline = run("related", MATCHING_NETWORKS, proto.arxiv_id, "--not", maml.arxiv_id, "--offline")
    assert offline[0] == 0 and api.count() == before


def test_related_costs_one_request_for_cached_seeds(api: FakeAPI) -> None:
    paper_json(MATCHING_NETWORKS)
    before = api.count() - api.count("openalex")
    code, out, err = run("related", MATCHING_NETWORKS, "--json", "-n", "5")
    assert code == 0, err
    assert api.count() - api.count("openalex") == before + 1
    assert len(json.loads(out)) == 5


def test_related_errors(api: FakeAPI) -> None:
    code, _, err = run("related", "s2:" + "0" * 40)
    assert code == 1 and "does not know" in err
    assert run("related", MATCHING_NETWORKS, "--not", MATCHING_NETWORKS)[0] == 2
    assert run("related", "garbage")[0] == 2
    code, _, err = run("related", MATCHING_NETWORKS, "--offline")
    assert code == 3 and "--offline" in err


# -- export and --format bibtex -------------------------------------------------------------


def test_export_bibtex_one_request_then_none(api: FakeAPI) -> None:
    proto = api.corpus.by_key("prototypical-networks")
    code, out, err = run("export", MATCHING_NETWORKS, proto.arxiv_id, "--bibtex")
    assert code == 0, err
    assert api.count() == 1
    assert out.count("@") == 2
    assert "@Article{valinsky2018matching," in out or "{valinsky" in out
    assert "eprint = {1606.04080}" in out
    before = api.count()
    again = run("export", MATCHING_NETWORKS, proto.arxiv_id)
    assert again[1] == out and api.count() == before
    offline = run("export", MATCHING_NETWORKS, proto.arxiv_id, "--offline")
    assert offline[1] == out


def test_export_skips_unknown_ids_and_fails_when_none_found(api: FakeAPI) -> None:
    code, out, err = run("export", MATCHING_NETWORKS, "s2:" + "0" * 40)
    assert code == 0 and out.count("@") == 1
    assert "not found" in err
    code, _, err = run("export", "s2:" + "1" * 40)
    assert code == 1 and "none of these papers" in err
    assert run("export", "nonsense")[0] == 2


def test_export_json_keeps_record_keys_plus_bibtex(api: FakeAPI) -> None:
    code, out, err = run("export", MATCHING_NETWORKS, "--json")
    assert code == 0, err
    [rec] = json.loads(out)
    assert tuple(rec) == RECORD_KEYS + ("bibtex",)
    assert rec["bibtex"].startswith("@") and "valinsky2018matching" in rec["bibtex"]


def test_search_format_bibtex(api: FakeAPI) -> None:
    code, out, err = run("search", "few-shot learning", "--format", "bibtex", "-n", "3")
    assert code == 0, err
    assert out.count("\n@") + out.startswith("@") == 3
    assert "archivePrefix = {arXiv}" in out


# -- progress -----------------------------------------------------------------------------


@pytest.fixture
def statuses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the spinner would say on a terminal (CliRunner is none, so it is recorded)."""
    from litscout.cli import shell

    said: list[str] = []
    monkeypatch.setattr(shell.RichReporter, "start", lambda self, message: said.append(message))
    monkeypatch.setattr(shell.RichReporter, "status", lambda self, message: said.append(message))
    return said


def test_progress_says_what_each_command_waits_for(api: FakeAPI, statuses: list[str]) -> None:
    assert run("cites", MATCHING_NETWORKS, "--json", "-n", "3000")[0] == 0
    assert "Page 2 of the citing papers (1,000 so far)…" in statuses
    assert "Page 3 of the citing papers (2,000 so far)…" in statuses
    statuses.clear()
    assert run("paper", "2210.04431", "--json")[0] == 0  # not cached yet: it asks
    assert statuses[0] == "Looking up 2210.04431…"
    assert any(s.startswith("Counting who cites “") for s in statuses)
    statuses.clear()
    assert run("export", "1703.03400", "--format", "bibtex")[0] == 0
    assert "Asking Semantic Scholar for 1 paper(s)…" in statuses
    statuses.clear()
    assert run("related", MATCHING_NETWORKS, "--json")[0] == 0
    assert "Asking Semantic Scholar for papers like these…" in statuses


def test_paper_by_corpus_id_is_the_same_paper_as_by_arxiv_id(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_arxiv = paper_json(MATCHING_NETWORKS)
    assert by_arxiv["corpus_id"]
    other = isolated_home.parent / "other-home"  # a fresh cache: nothing known yet
    other.mkdir()
    (other / "config.toml").write_text(CONFIG)
    monkeypatch.setenv("LITSCOUT_HOME", str(other))
    before = api.count()
    by_corpus = paper_json(f"CorpusId:{by_arxiv['corpus_id']}")
    asked = api.requests[before:]
    assert sum(1 for r in asked if r.service == "s2" and "CorpusId:" in r.path) == 1
    assert not any(r.service == "s2" and "ARXIV:" in r.path for r in asked)  # not asked twice
    assert any(r.service == "arxiv" for r in asked)  # arXiv's categories and comment, as by id
    for key in ("id", "categories", "primary_category", "code_urls", "sources", "comment"):
        assert by_corpus[key] == by_arxiv[key], key
