"""`litscout map` (issue 15): the named fields next to a topic, and where two topics meet.

End to end over real HTTP against the fake services. The default corpus has few-shot learning
with meta-learning and transfer learning next to it (each with a survey); these tests add a
domain adaptation survey and papers, and papers on few-shot learning under class imbalance,
so the neighbours and the meeting are known.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import litscout
from conftest import fake_services
from fakeapi import FakeAPI
from fakeapi.corpus import Citation, FakePaper, generate_citations
from litscout.cli import app
from litscout.errors import UsageError
from litscout.find.fields import heads_title, same_topic
from litscout.find.meet import MEET_BUDGET
from litscout.find.neighbours import BUDGET, growth
from litscout.models import Paper
from litscout.render.reporter import SilentReporter

NETWORK = "backoff_base = 0.01\nretries = 1"
QUIET = SilentReporter()


def _add(
    api: FakeAPI,
    key: str,
    title: str,
    abstract: str,
    days: float,
    cites: int,
    *,
    refs: tuple[str, ...] = (),
    review: bool = False,
) -> FakePaper:
    paper = api.corpus.add(
        FakePaper(
            key=key,
            title=title,
            abstract=abstract,
            authors=["Ines Marlow", "Tomas Reyes"],
            days_ago=days,
            categories=["cs.LG"],
            arxiv_id="auto",
            publication_types=["Review"] if review else None,
            reference_count=180 if review else 40,
        )
    )
    recent = cites if days <= 365 else cites // 3
    paper.citations = generate_citations(key, cites, days, recent=recent)
    for ref in refs:
        cited = api.corpus.by_key(ref)
        paper.references.append(cited.paper_id)
        cited.citations.append(Citation(paper.paper_id, days, False))
    return paper


def _corpus(api: FakeAPI) -> None:
    _add(
        api,
        "da-survey",
        "Deep Domain Adaptation: A Survey",
        "This survey reviews domain adaptation, where a model trained on a labelled source "
        "domain must work on a shifted target domain: adversarial alignment, self-training and "
        "few-shot learning with a handful of labelled target examples.",
        900,
        300,
        refs=("adversarial-domain-adaptation", "feature-transferability", "negative-transfer"),
        review=True,
    )
    _add(
        api,
        "da-fewshot",
        "Few-Shot Domain Adaptation with Prototype Alignment",
        "We combine few-shot learning and domain adaptation: class prototypes from a handful of "
        "labelled target examples are aligned with the source domain.",
        150,
        30,
        refs=("prototypical-networks", "adversarial-domain-adaptation"),
    )
    _add(
        api,
        "da-source-free",
        "Source-Free Domain Adaptation with Confidence Calibration",
        "Domain adaptation without access to the source data: we calibrate the confidence of "
        "pseudo-labels on the target domain, and unlike few-shot learning need no labelled "
        "target examples.",
        80,
        45,
        refs=("adversarial-domain-adaptation",),
    )
    _add(
        api,
        "fsl-imbalance-benchmark",
        "Few-Shot Learning under Class Imbalance: A Benchmark",
        "Few-shot learning benchmarks sample balanced episodes, yet real support sets suffer "
        "from class imbalance. We build imbalanced episodes and measure how metric-based and "
        "optimisation-based few-shot learners degrade when one class has most examples.",
        300,
        25,
        refs=("prototypical-networks",),
    )
    _add(
        api,
        "fsl-imbalance-prototypes",
        "Rebalanced Prototypes for Imbalanced Few-Shot Learning",
        "Class imbalance inside a support set biases prototypes towards the majority class. We "
        "reweight support examples so that few-shot learning stays accurate on rare classes.",
        60,
        12,
        refs=("prototypical-networks", "fsl-imbalance-benchmark"),
    )
    _add(
        api,
        "fsl-imbalance-meta",
        "Meta-Learning Loss Reweighting for Imbalanced Few-Shot Classification",
        "We meta-learn a loss reweighting that corrects class imbalance across tasks, improving "
        "few-shot learning on long-tailed benchmarks.",
        500,
        40,
        refs=("maml", "effective-number"),
    )


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with fake_services(monkeypatch, isolated_home, NETWORK) as fake:
        _corpus(fake)
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# -- one topic: its neighbourhood ----------------------------------------------------------------


def test_few_shot_learning_neighbours_within_the_request_budget(api: FakeAPI) -> None:
    records = litscout.map("few-shot learning", reporter=QUIET)
    assert api.count() <= BUDGET == 6, [r.path for r in api.requests]
    topic, *found = records
    assert topic["kind"] == "topic" and topic["topic"] == "few-shot learning"
    names = [r["neighbour"] for r in found]
    assert {"meta-learning", "transfer learning", "domain adaptation"} <= set(names), names
    assert not [n for n in names if same_topic(n, "few-shot learning")]
    for rec in found:
        assert rec["kind"] == "neighbour" and rec["surveys"] >= 1 and rec["titles"] >= 2
        assert rec["tie"] == rec["shared_papers"] + rec["citations_between"] > 0
        assert rec["best_survey"]["is_survey"]
        assert rec["command"] == f'litscout map "{rec["neighbour"]}"'
    by_name = {r["neighbour"]: r for r in found}
    survey = by_name["domain adaptation"]["best_survey"]
    assert survey["title"] == "Deep Domain Adaptation: A Survey"
    assert by_name["meta-learning"]["best_survey"]["title"] == (
        "Meta-Learning in Neural Networks: A Survey"
    )
    fastest = by_name["domain adaptation"]["fastest_recent"]
    assert fastest["title"] == "Source-Free Domain Adaptation with Confidence Calibration"
    api.clear_log()
    assert litscout.map("few-shot learning", reporter=QUIET) == records
    assert api.count() == 0, "a repeat within the TTL asks nothing"
    assert litscout.map("few-shot learning", offline=True, reporter=QUIET) == records


def test_the_topics_own_standing(api: FakeAPI) -> None:
    topic = litscout.map("few-shot learning", reporter=QUIET)[0]
    assert topic["papers"] > 10 and topic["counted_from"] >= topic["papers"]
    grown = topic["growth"]
    assert set(grown) == {
        "by_year", "this_year", "last_year", "last_12_months", "previous_12_months", "trend"
    }  # fmt: skip
    assert grown["trend"] in ("growing", "steady", "shrinking", "too few papers to tell")
    assert topic["fastest"]["velocity"] >= topic["fastest_recent"]["velocity"]
    assert topic["best_survey"]["title"].startswith("A Survey on Few-Shot Learning")


def test_growth_compares_the_last_twelve_months_with_the_twelve_before() -> None:
    from datetime import date, timedelta

    today = date(2026, 6, 1)

    def made(days: int) -> Paper:
        return Paper(title="x", published=today - timedelta(days=days))

    grown = growth([made(10), made(40), made(200), made(400)], today)
    assert grown["trend"] == "growing"
    assert (grown["last_12_months"], grown["previous_12_months"]) == (3, 1)
    assert grown["this_year"] == 2 and grown["last_year"] == 2
    assert growth([made(10), made(400), made(500)], today)["trend"] == "shrinking"
    assert growth([made(10)], today)["trend"] == "too few papers to tell"


def test_a_topics_own_phrases_are_not_neighbours() -> None:
    assert same_topic("few-shot classification", "few-shot learning")
    assert same_topic("few-shot object detection", "few-shot learning")
    assert not same_topic("meta-learning", "few-shot learning")
    assert not same_topic("zero-shot learning", "few-shot learning")
    assert not same_topic("transfer learning", "few-shot learning")


@pytest.mark.parametrize(
    ("phrase", "title", "heads"),
    [
        ("meta-learning", "Meta-Learning in Neural Networks: A Survey", True),
        ("networks", "Meta-Learning in Neural Networks: A Survey", False),
        ("few-shot learning", "A Survey on Few-Shot Learning: Methods, Benchmarks", True),
        ("benchmarks", "A Survey on Few-Shot Learning: Methods, Benchmarks", True),
        ("domain adaptation", "Deep Domain Adaptation: A Survey", True),
        ("transfer learning", "Transfer Learning for Low-Resource Domains: A Survey", True),
        ("domains", "Transfer Learning for Low-Resource Domains: A Survey", False),
        ("survey", "Transfer Learning for Low-Resource Domains: A Survey", False),
        ("data", "Learning from imbalanced data: open challenges and future directions", False),
    ],
)
def test_a_survey_names_its_field_at_the_head_of_its_title(
    phrase: str, title: str, heads: bool
) -> None:
    assert heads_title(phrase, title) is heads


def test_cli_table_json_and_jsonl_agree(api: FakeAPI) -> None:
    code, out, err = run("map", "few-shot learning", "--format", "table")
    assert code == 0, err
    assert "Neighbouring fields" in out and 'litscout map "domain adaptation"' in out
    assert "Deep Domain Adaptation: A Survey" in out and "Fastest now:" in out
    api.clear_log()
    code, out, err = run("map", "few-shot learning", "--json")
    assert code == 0, err
    assert api.count() == 0
    as_json = json.loads(out)
    code, out, _ = run("map", "few-shot learning")  # piped: JSON Lines
    assert jsonl(out) == as_json == litscout.map("few-shot learning", reporter=QUIET)
    code, out, _ = run("map", "few-shot learning", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("kind,topic,papers")
    code, out, _ = run("map", "few-shot learning", "--fields", "kind,neighbour", "--json")
    assert json.loads(out)[1].keys() == {"kind", "neighbour"}


def test_offline_before_any_run_says_what_to_do(api: FakeAPI) -> None:
    code, _, err = run("map", "few-shot learning", "--offline", "--json")
    assert code != 0 and "--offline" in err
    assert api.count() == 0


# -- two topics: where they meet -----------------------------------------------------------------


def test_few_shot_learning_meets_class_imbalance(api: FakeAPI) -> None:
    records = litscout.map("few-shot learning", "class imbalance", reporter=QUIET)
    assert api.count() <= MEET_BUDGET == 10
    meeting, *papers = records
    assert meeting["kind"] == "meeting" and meeting["topics"] == [
        "few-shot learning",
        "class imbalance",
    ]
    titles = {r["title"] for r in papers if r["kind"] == "paper"}
    assert titles == {
        "Few-Shot Learning under Class Imbalance: A Benchmark",
        "Rebalanced Prototypes for Imbalanced Few-Shot Learning",
        "Meta-Learning Loss Reweighting for Imbalanced Few-Shot Classification",
    }
    assert meeting["papers"] == 3
    scores = [r["score"] for r in papers]
    assert scores == sorted(scores, reverse=True), "ranked like search"
    grown = meeting["growth"]
    assert (grown["last_12_months"], grown["previous_12_months"]) == (2, 1)
    assert all(" " in t["term"] for t in meeting["shared_terms"])
    api.clear_log()
    assert litscout.map("few-shot learning", "class imbalance", reporter=QUIET) == records
    assert api.count() == 0


def test_an_empty_meeting_says_so_and_shows_the_nearest(api: FakeAPI) -> None:
    code, out, err = run("map", "graph neural networks", "quantum codes", "-f", "table")
    assert code == 0, err
    assert "No paper found addresses both" in out
    code, out, _ = run("map", "graph neural networks", "quantum codes", "--json")
    records = json.loads(out)
    assert records[0]["papers"] == 0
    kinds = {(r["kind"], r.get("topic")) for r in records[1:]}
    assert kinds == {
        ("nearest", "graph neural networks"),
        ("nearest", "quantum codes"),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("  ",), "empty"),
        (("the of",), "no words"),
        (("few-shot learning", ""), "empty"),
    ],
)
def test_bad_topics_are_refused_before_any_request(
    api: FakeAPI, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        litscout.map(*args)
    assert message in caught.value.message
    code, _, err = run("map", *args)
    assert code == 2 and message in err
    assert api.count() == 0


# -- the report's section ----------------------------------------------------------------------


def test_report_draws_the_neighbourhood_as_a_small_graph(api: FakeAPI, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, _, err = run("report", "few-shot learning", "-o", str(page))
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    section = text.split("<h2>Neighbouring fields</h2>", 1)[1].split("</section>", 1)[0]
    assert section.count('<g class="node">') == len(section.split("<li>")) - 1 >= 3
    for name in ("meta-learning", "transfer learning", "domain adaptation"):
        assert f">{name}</text>" in section and f"<strong>{name}</strong>" in section
    assert "Deep Domain Adaptation: A Survey" in section
    assert "<script" not in text


def test_report_on_arxiv_syntax_still_gives_a_page(api: FakeAPI, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, _, err = run("report", 'ti:"few-shot" AND cat:cs.LG', "-o", str(page))
    assert code == 0, err
    assert "<h2>Neighbouring fields</h2>" in page.read_text(encoding="utf-8")
