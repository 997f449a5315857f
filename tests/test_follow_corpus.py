"""End to end on a corpus of my own, where the right answers are known by construction.

A 2016 classic on knowledge distillation with exactly 40 citing papers, 12 of them in the last
year; eight younger and older papers on the same topic; a few unrelated papers that share the
generic words ("neural network", "model", "state of the art").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeapi import AUTO, Citation, Corpus, FakeAPI, FakePaper
from litscout.cli import app

CLASSIC = "1611.02531"
RECENT_DAYS = [10, 35, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330]  # 12 in the last year
OLDER_DAYS = [400 + 90 * i for i in range(28)]  # 28 before that (400 .. 2830 days ago)


def distillation(key: str, title: str, days: float, extra: str = "") -> FakePaper:
    return FakePaper(
        key=key,
        title=title,
        abstract=(
            "Knowledge distillation makes a big model small and fast: a teacher model "
            "trains a student model on its soft targets. " + extra
        ),
        authors=["Ada Lindqvist", "Bo Tanaka"],
        days_ago=days,
        categories=["cs.LG"],
        arxiv_id=AUTO,
    )


def build() -> Corpus:
    corpus = Corpus()
    classic = FakePaper(
        key="classic",
        title="Distilling the Knowledge in a Neural Network",
        abstract=(
            "A big neural network model is expensive. Knowledge distillation compresses it "
            "into a small and fast student model that learns from the teacher model. "
            "Code: https://github.com/example-lab/distill."
        ),
        authors=["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"],
        days_ago=3650,
        categories=["stat.ML", "cs.LG"],
        arxiv_id=CLASSIC,
        venue="NIPS Deep Learning Workshop",
        tldr="Knowledge distillation transfers what a big model knows to a small one.",
    )
    cites = [Citation(f"{i:040x}", d, i < 3) for i, d in enumerate(RECENT_DAYS + OLDER_DAYS)]
    classic.citations = cites
    corpus.add(classic)
    peers = [
        ("Knowledge Distillation with Noisy Teachers", 30),
        ("Born-Again Networks via Knowledge Distillation", 60),
        ("Data-Free Knowledge Distillation", 120),
        ("Relational Knowledge Distillation", 200),
        ("On the Efficacy of Knowledge Distillation", 400),
        ("Knowledge Distillation for Compact Object Detectors", 800),
        ("Self-Distillation: Students Teach Themselves", 1500),
        ("Model Compression", 4000),
    ]
    for i, (title, days) in enumerate(peers):
        paper = distillation(
            f"peer-{i}", title, days, "We compare teacher model sizes." if i % 2 else ""
        )
        paper.citations = [
            Citation(f"{1000 + 10 * i + k:040x}", min(days, 5.0 + k), False) for k in range(3)
        ]
        corpus.add(paper)
    for i, topic in enumerate(["weather forecasting", "protein folding", "speech synthesis"]):
        corpus.add(
            FakePaper(
                key=f"other-{i}",
                title=f"A Neural Network Model for {topic.title()}",
                abstract=f"This paper presents a neural network model for {topic} that is "
                "state of the art. The model is big.",
                authors=["C. Other"],
                days_ago=100 + i,
                categories=["cs.LG"],
                arxiv_id=AUTO,
            )
        )
    return corpus


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0, corpus=build()) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_terms_names_the_field(api: FakeAPI) -> None:
    code, out, err = run("terms", "make a big model small and fast", "--json")
    assert code == 0, err
    terms = [r["term"] for r in json.loads(out)]
    assert terms[0] == "knowledge distillation"
    assert {"teacher model", "student model"} <= set(terms[:4])
    assert "neural network" not in terms[:3]
    assert "big model" not in terms[:3], "the question's own words are not news"


def test_paper_knows_its_numbers(api: FakeAPI) -> None:
    code, out, err = run("paper", CLASSIC, "--json")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["citations"] == 40
    assert rec["recent_citations"] == 12 and rec["recent_citations_exact"] is True
    assert rec["citations_per_year_complete"] is True
    assert sum(rec["citations_per_year"].values()) == 40
    assert rec["code_urls"] == ["https://github.com/example-lab/distill"]
    assert rec["tldr"].startswith("Knowledge distillation")
    # nothing else on the topic is cached yet, and its citing papers (all newer) are not
    # its topic: it is judged by its age alone, and says how to compare
    assert rec["still_recent"] == (
        "Not recent, but still cited: 10 years old, 40 citations, 12 in the last year; "
        "litscout knows too few papers on its topic to compare "
        '(`litscout search "distilling knowledge neural network"` first).'
    )


def test_paper_against_its_topic_after_a_search(api: FakeAPI) -> None:
    code, _, err = run("search", "knowledge distillation", "--json")
    assert code == 0, err
    code, out, err = run("paper", CLASSIC, "--json")
    assert code == 0, err
    rec = json.loads(out)
    # the eight topic papers are the comparison: seven are younger, one (4000 days) older
    assert rec["topic_papers"] == 8
    assert rec["older_than_pct"] == 88
    assert rec["still_recent"] == (
        "Not recent, but still cited: 10 years old, 40 citations, 12 in the last year; "
        "older than 88% of the 8 top papers litscout has on its topic."
    )


def test_cites_marks_the_three_influential(api: FakeAPI) -> None:
    code, out, err = run("cites", CLASSIC, "--json", "-n", "100")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == 40 and api.count("s2") == 1
    assert sum(r["influential"] for r in records) == 3
    code, out, _ = run("cites", CLASSIC, "--json", "--since", "1y", "-n", "100")
    assert len(json.loads(out)) == 12
