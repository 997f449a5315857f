"""The outsider's path (issue 10): from plain words to the field's terms, canon and code.

End to end over real HTTP against the fake services; `s2_match="all"` makes the fake's
relevance search answer like the real one does for a long plain-language question: only
papers with every word, so often few or none.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import (
    AUTO,
    MATCHING_NETWORKS,
    PROTOTYPICAL_NETWORKS,
    FakeAPI,
    FakePaper,
    Fault,
    default_corpus,
)
from litscout.cli import app
from litscout.find.relax import any_of, relaxed
from litscout.follow import CITES_KEYS
from litscout.models import Paper, find_code_urls
from litscout.query import Query, content_words
from litscout.rank.score import text_match
from litscout.watch.match import compile_query

NETWORK = "backoff_base = 0.01\nretries = 1"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with fake_services(monkeypatch, isolated_home, NETWORK) as fake:
        yield fake


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with fake_services(monkeypatch, isolated_home, NETWORK, s2_match="all") as fake:
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def records(*args: str) -> list[dict]:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


# -- 2. words that carry meaning here; hyphen or space ------------------------------------------


@pytest.mark.parametrize("word", "few one zero single low small large long multi".split())
def test_setting_words_are_never_stop_words(word: str) -> None:
    assert word in content_words(f"learning from {word} examples")


def test_few_survives_query_translation() -> None:
    assert Query.build("learning from few examples").arxiv_query() == (
        'all:"learning few examples"'
    )
    assert Query.build("few shot learning").arxiv_query() == 'all:"few shot learning"'
    assert Query.build("few shot learning").terms() == ["few", "shot", "learning"]


def test_hyphen_and_space_match_each_other_in_relevance_and_local_matcher() -> None:
    title = "Prototypical Networks for Few-shot Learning"
    for query in ("few-shot learning", "few shot learning"):
        terms = Query.build(query).terms()
        assert text_match(terms, title, None) == 1.0
        assert compile_query(query)(Paper(title=title))
        assert compile_query(query)(Paper(title="Few shot learning, revisited"))
    assert not compile_query("few-shot learning")(Paper(title="A few notes on shot learning"))


def test_relaxed_forms_of_a_question() -> None:
    assert relaxed("my model has too little data to learn from") == "little data"
    assert relaxed("few-shot learning") is None
    assert any_of("train a classifier with very few labeled images") == (
        'classifier | "few labeled" | "labeled images"'
    )
    assert any_of("few-shot learning") == '"few shot learning"'


def test_search_with_no_results_points_to_terms(strict: FakeAPI) -> None:
    code, out, err = run("search", "my model has too little data to learn from", "--json")
    assert code == 0, err
    assert json.loads(out) == []
    assert 'litscout terms "my model has too little data to learn from"' in err
    assert '"little data"' in err


def test_search_with_few_results_points_to_terms(strict: FakeAPI) -> None:
    code, out, err = run("search", "very few labeled images", "--json")
    assert code == 0, err
    assert 0 < len(json.loads(out)) < 5
    assert "Hint: only" in err and 'litscout terms "very few labeled images"' in err


def test_search_with_enough_results_gives_no_hint(api: FakeAPI) -> None:
    code, _, err = run("search", "few shot learning", "--json")
    assert code == 0, err
    assert "Hint" not in err
    code, _, err = run("search", 'ti:"no such words here"', "--json")
    assert code == 0 and "Hint" not in err, "arXiv syntax is the user's own choice of words"


# -- 3. titles as ids ---------------------------------------------------------------------------


def test_paper_by_its_title_costs_one_search(api: FakeAPI) -> None:
    rec = records("paper", "Matching Networks for One Shot Learning")
    assert rec["id"] == "arXiv:1606.04080"
    searches = [r for r in api.requests if r.path.endswith("/paper/search")]
    paid = api.count() - api.count("openalex")  # the OpenAlex single-work look-up is free
    assert len(searches) == 1 and paid <= 4, "the title search is one request more"
    assert searches[0].query["query"] == ["Matching Networks for One Shot Learning"]
    records("paper", "Model-Agnostic Meta-Learning for Fast Adaptation")
    asked = [r for r in api.requests if r.path.endswith("/paper/search")][-1]
    assert asked.query["query"] == ["Model Agnostic Meta Learning for Fast Adaptation"]
    assert rec["code_urls"] == [], "its arXiv comment was read"
    api.clear_log()
    again = records("paper", "matching networks for one-shot learning", "--offline")
    assert again["id"] == "arXiv:1606.04080" and api.count() == 0


def test_a_unique_start_of_a_title_is_enough(api: FakeAPI) -> None:
    rec = records("paper", "Prototypical networks for few")
    assert rec["id"] == "arXiv:1703.05175"


@pytest.mark.parametrize("command", ["cites", "references", "related", "export"])
def test_every_follow_command_takes_a_title(api: FakeAPI, command: str) -> None:
    code, out, err = run(command, "Model-Agnostic Meta-Learning for Fast Adaptation", "--json")
    assert code == 0, err
    if command == "export":
        assert json.loads(out)[0]["id"] == "arXiv:1703.03400"
    else:
        assert json.loads(out)


def test_several_close_titles_are_listed_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    corpus = default_corpus()
    corpus.add(
        FakePaper(
            key="fsl-replication",
            title="Few-Shot Learning via Knowledge Transfer: A Replication Study",
            abstract="We replicate few-shot learning results.",
            authors=["Ada Quill"],
            days_ago=40,
            categories=["cs.LG"],
            arxiv_id=AUTO,
        )
    )
    with fake_services(monkeypatch, isolated_home, NETWORK, corpus=corpus):
        code, out, err = run("cites", "Few-Shot Learning via Knowledge", "--json")
        assert code == 2 and out == ""
        assert err.startswith("Error: 'Few-Shot Learning via Knowledge' fits 2 papers:")
        for key in ("fsl-replication", "fsl-2day"):
            paper = corpus.by_key(key)
            assert f"arXiv:{paper.arxiv_id}  {paper.title}" in err
        assert "Hint: give the id" in err
        code, out, err = run(
            "cites", "Few-Shot Learning via Knowledge Transfer from Large Pretrained", "--json"
        )
        assert code == 0, err


def test_unknown_titles_and_malformed_ids(api: FakeAPI) -> None:
    code, _, err = run("paper", "Banana peel dynamics in the wild")
    assert code == 1 and "no paper titled 'Banana peel dynamics in the wild'" in err
    code, _, err = run("paper", "Banana peel dynamics", "--offline")
    assert code == 3 and "--offline" in err
    for typo in ("1606.0408", "nonsense", "doi:10.1/"):
        code, _, err = run("paper", typo)
        assert code == 2 and "not a paper id" in err
    assert api.count("s2") == 1, "only the real title was looked up"


# -- 4. references: what a paper builds on -------------------------------------------------------


def test_references_of_a_survey_are_the_canon(api: FakeAPI) -> None:
    survey = api.corpus.by_key("survey-few-shot")
    recs = records("references", survey.arxiv_id, "--sort", "citations", "-n", "4")
    assert [tuple(r) for r in recs] == [CITES_KEYS] * 4
    assert [r["id"] for r in recs] == [
        "arXiv:1606.04080",
        "arXiv:1703.03400",
        "arXiv:1703.05175",
        "arXiv:1711.06025",
    ]
    refs = [r for r in api.requests if r.path.endswith("/references")]
    assert len(refs) == 1 and api.count() == 2, "its details (title, topic words) + references"
    everything = records("references", survey.arxiv_id, "-n", "10000")
    assert len(everything) == survey.reference_count
    flags = [r["influential"] for r in everything]
    assert any(flags) and not all(flags)
    assert api.count() == 2, "cached"
    offline = records("references", survey.arxiv_id, "--offline", "-n", "10000")
    assert {r["id"] for r in offline} == {r["id"] for r in everything}


def test_references_ranked_like_search_and_the_table_marks_influential(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = api.corpus.by_key("survey-few-shot")
    scores = [r["score"] for r in records("references", survey.arxiv_id, "-n", "50")]
    assert scores == sorted(scores, reverse=True) and len(scores) == 50
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run("references", survey.arxiv_id, "-n", "200")
    assert code == 0, err
    assert f"Papers cited by “{survey.title}” (★ = influential reference)" in out
    assert "★ " in out


def test_references_errors(api: FakeAPI) -> None:
    code, _, err = run("references", MATCHING_NETWORKS, "--offline")
    assert code == 3 and "--offline" in err
    code, _, err = run("references", "s2:" + "0" * 40)
    assert code == 1 and "does not know" in err


# -- 5. code links you can trust -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Code will be released upon acceptance.",
        "Project page: https://tass-fsl.github.io/support-selection",
        "See our website at lab.github.io/project for videos.",
    ],
)
def test_promises_and_project_pages_are_not_code(text: str) -> None:
    assert find_code_urls(text) == []


def test_code_urls_unknown_until_the_text_is_seen() -> None:
    s2_only = Paper(title="X", arxiv_id="1703.03400", abstract="No link here.", sources=["s2"])
    assert s2_only.code_urls is None, "the arXiv comment was never read"
    from_arxiv = Paper(title="X", arxiv_id="1703.03400", abstract="No link.", sources=["arxiv"])
    assert from_arxiv.code_urls == []
    linked = Paper(title="X", arxiv_id="1703.03400", abstract="See github.com/a/b", sources=["s2"])
    assert linked.code_urls == ["https://github.com/a/b"], "a link in an S2 abstract counts"
    journal = Paper(title="X", doi="10.1/x", abstract="No link.", sources=["s2"])
    assert journal.code_urls == [], "not on arXiv: the abstract is all there is"
    assert Paper(title="X", doi="10.1/x", sources=["s2"]).code_urls is None


def test_has_code_reads_the_arxiv_comments_of_s2_only_papers(api: FakeAPI) -> None:
    plain = {r["id"]: r for r in records("search", "few-shot learning", "-n", "50")}
    assert plain["arXiv:1703.03400"]["code_urls"] is None, "MAML came only from S2"
    api.clear_log()
    found = records("search", "few-shot learning", "--has-code", "-n", "50")
    assert "https://github.com/cfenwick/maml" in {u for r in found for u in r["code_urls"]}
    lookups = [r for r in api.requests if r.service == "arxiv" and r.query.get("id_list")]
    assert len(lookups) == 1 and api.count() == 1, "cached search + one id_list request"
    api.clear_log()
    again = records("search", "few-shot learning", "--has-code", "-n", "50")
    assert [r["id"] for r in again] == [r["id"] for r in found] and api.count() == 0
    plain = {r["id"]: r for r in records("search", "few-shot learning", "-n", "50")}
    assert plain["arXiv:1703.03400"]["code_urls"] == ["https://github.com/cfenwick/maml"]
    assert all(r["code_urls"] is not None for r in plain.values() if r["id"].startswith("arXiv"))


# -- 6. --surveys and --has-code on cites, related, references -----------------------------------


def test_surveys_on_cites_related_references(api: FakeAPI) -> None:
    cites = records("cites", MATCHING_NETWORKS, "--surveys", "-n", "10000")
    assert {r["title"] for r in cites} >= {
        "Meta-Learning in Neural Networks: A Survey",
        "A Survey on Few-Shot Learning: Methods, Benchmarks and Open Problems",
    }
    assert all(r["is_survey"] for r in cites)
    refs = records("references", api.corpus.by_key("icl-implicit-meta").arxiv_id, "--surveys")
    assert [r["title"] for r in refs] == ["Meta-Learning in Neural Networks: A Survey"]
    related = records("related", MATCHING_NETWORKS, "--surveys")
    assert related and all(r["is_survey"] for r in related)


def test_has_code_on_cites_related_references(api: FakeAPI) -> None:
    refs = records("references", api.corpus.by_key("icl-implicit-meta").arxiv_id, "--has-code")
    assert [r["code_urls"] for r in refs] == [["https://github.com/cfenwick/maml"]]
    related = records("related", PROTOTYPICAL_NETWORKS, "--has-code")
    assert related and all(r["code_urls"] for r in related)
    cites = records("cites", MATCHING_NETWORKS, "--has-code", "-n", "10000")
    assert cites and all(r["code_urls"] for r in cites)


def test_astronomy_surveys_are_not_surveys(api: FakeAPI) -> None:
    found = records("search", "galaxy surveys", "-n", "50")
    titles = {r["title"]: r["is_survey"] for r in found}
    assert titles["The Cosmic Star Formation History from Deep Radio Continuum Surveys"] is False
    assert titles["Photometric Redshift Estimation with Domain Adaptation Across Surveys"] is False


# -- 1. terms that do not give up ----------------------------------------------------------------


def test_terms_relaxes_a_question_no_paper_words_that_way(strict: FakeAPI) -> None:
    question = "train a classifier with very few labeled images"
    code, out, err = run("terms", question, "--json")
    assert code == 0, err
    found = [r["term"] for r in json.loads(out)]
    assert "few-shot learning" in found[:3]
    s2 = [r for r in strict.requests if r.service == "s2"]
    assert [r.path.rsplit("/", 1)[-1] for r in s2] == ["search", "search", "bulk"]
    assert s2[1].query["query"] == ["classifier labeled images"]
    assert s2[2].query["query"] == ['classifier | "few labeled" | "labeled images"']
    assert err.startswith(f"Searched Semantic Scholar for “{question}” (0 papers), then")
    assert "any of classifier | " in err
    strict.clear_log()
    code, again, err2 = run("terms", question, "--json")
    assert code == 0 and again == out and strict.count() == 0
    assert err2 == err, "the cached answer says what was searched, too"


def test_terms_asks_once_when_the_first_answer_is_enough(api: FakeAPI) -> None:
    code, out, err = run("terms", "use knowledge from a large dataset for a small dataset")
    assert code == 0, err
    assert api.count("s2") == 1 and "Searched" not in err


def test_terms_stays_within_three_requests_and_says_when_nothing_is_shared(
    strict: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    code, out, err = run("terms", "my model has too little data to learn from")
    assert code == 0, err
    assert strict.count("s2") <= 3
    assert "No recurring terms found" in out
    assert "(0 papers)" in err


# -- 7. honest fallback ------------------------------------------------------------------------


def test_a_new_question_offline_shows_only_papers_with_most_of_its_words(api: FakeAPI) -> None:
    for query in ("few-shot learning", "graph neural networks", "class imbalance"):
        assert run("search", query, "--json")[0] == 0
    code, out, err = run("search", "graph neural networks for molecules", "--offline", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found
    for rec in found:
        text = f"{rec['title']} {rec['abstract']}".lower()
        assert sum(w in text for w in ("graph", "neural", "network", "molecul")) >= 3, rec["title"]
    assert "Prototypical Networks for Few-shot Learning" not in {r["title"] for r in found}
    assert "Warning: not a fresh answer" in err
    assert "cached papers that match most of the words of" in err
    code, out, err = run("search", "few shot learning", "--offline", "--json")
    assert code == 0 and "Prototypical Networks for Few-shot Learning" in out, "hyphen = space"


def test_a_new_question_nothing_matches_is_an_error(api: FakeAPI) -> None:
    assert run("search", "few-shot learning", "--json")[0] == 0
    code, out, err = run("search", "zebrafish heart regeneration", "--offline")
    assert code == 3 and out == ""
    assert err.startswith("Error: ") and "matches most of its words" in err


def test_sources_down_a_new_question_says_what_it_shows(api: FakeAPI) -> None:
    assert run("search", "few-shot learning", "--json")[0] == 0
    api.inject("arxiv", Fault(status=503, times=100))
    api.inject("s2", Fault(status=503, times=100))
    code, out, err = run("search", "meta-learning for few-shot classification", "--json")
    assert code == 0, err
    assert json.loads(out)
    assert "never asked before and no source answered" in err


# -- 8. relevance does not depend on the sort order or on being found twice ---------------------


def _relevance(recs: list[dict]) -> dict[str, float]:
    return {r["id"]: r["score_parts"]["relevance"] for r in recs}


def test_relevance_is_the_same_whatever_the_sort(api: FakeAPI) -> None:
    by_score = _relevance(records("search", "few-shot learning", "-n", "100"))
    by_recent = _relevance(records("search", "few-shot learning", "--sort", "recent", "-n", "100"))
    common = set(by_score) & set(by_recent)
    assert len(common) >= 20
    assert {i: by_score[i] for i in common} == {i: by_recent[i] for i in common}


def test_found_by_both_sources_gains_no_relevance(api: FakeAPI) -> None:
    both = records("search", "few-shot learning", "-n", "100")
    twice = {r["id"] for r in both if set(r["sources"]) >= {"arxiv", "s2"}}
    assert twice
    api.inject("arxiv", Fault(status=503, times=100))
    s2_only = _relevance(records("search", "few-shot learning", "-n", "100", "--refresh"))
    before = _relevance(both)
    assert {i: before[i] for i in twice if i in s2_only} == {
        i: s2_only[i] for i in twice if i in s2_only
    }


# -- the path: own words -> the field's name -> its surveys -> its canon with code --------------


def test_three_commands_each_pointing_to_the_next(
    strict: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run("terms", "train a classifier with very few labeled images")
    assert code == 0, err
    step = err.split("Next: its surveys with ", 1)[1].splitlines()[0]
    assert step == 'litscout search "few-shot learning" --surveys'
    code, out, err = run(*shlex.split(step)[1:])
    assert code == 0, err
    assert "A Survey on Few-Shot Learning" in out
    step = err.split("Next: what the field builds on: ", 1)[1].splitlines()[0]
    assert step.startswith("litscout references ") and step.endswith("--has-code")
    code, out, err = run(*shlex.split(step)[1:])
    assert code == 0, err
    assert "Model-Agnostic Meta-Learning" in out and "Prototypical Networks" in out
    assert "code" in out


# -- the fake's bulk search speaks S2's boolean syntax --------------------------------------------


def test_fake_bulk_search_boolean_syntax(api: FakeAPI) -> None:
    import httpx

    def titles(query: str, **params: str) -> list[str]:
        got = httpx.get(
            f"{api.url}/graph/v1/paper/search/bulk",
            params={"query": query, "fields": "title,citationCount", **params},
        )
        assert got.status_code == 200, got.text
        return [p["title"] for p in got.json().get("data", [])]

    both = titles('"few shot" + prototypes')
    assert "Cross-Domain Few-Shot Learning with Style-Augmented Prototypes" in both
    assert "Matching Networks for One Shot Learning" not in both
    assert set(both) < set(titles('"few shot"'))
    either = titles('"matching networks" | "prototypical networks"', sort="citationCount:desc")
    assert either[:2] == [
        "Matching Networks for One Shot Learning",
        "Prototypical Networks for Few-shot Learning",
    ]
    assert "Matching Networks for One Shot Learning" not in titles('"matching networks" -one')
    bad = httpx.get(f"{api.url}/graph/v1/paper/search/bulk", params={"query": "a (b"})
    assert bad.status_code == 400


def test_references_s2_could_not_identify_are_counted_not_shown(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    with fake_services(monkeypatch, isolated_home, NETWORK, unidentified_refs=3) as fake:
        survey = fake.corpus.by_key("survey-few-shot")
        found = records("references", survey.arxiv_id, "-n", "10000")
        assert len(found) == survey.reference_count
        assert all(r["title"] and not r["title"].startswith("Unmatched") for r in found)
        monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
        code, _, err = run("references", survey.arxiv_id)
        assert code == 0 and "3 not identified by Semantic Scholar" in err
