"""Surveys and code links: what `is_survey` and `code_urls` promise in every record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeapi import FakeAPI
from litscout.cli import app
from litscout.models import Paper, find_code_urls


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Code: https://github.com/protonets-lab/prototypical-networks.",
            ["https://github.com/protonets-lab/prototypical-networks"],
        ),
        ("available at github.com/Foo/Bar.git)", ["https://github.com/Foo/Bar"]),
        (
            "http://www.github.com/foo/bar/ and https://GitHub.com/foo/bar/tree/main/src",
            ["https://github.com/foo/bar"],
        ),
        (
            "https://gitlab.com/group/sub/project/-/tree/master",
            ["https://gitlab.com/group/sub/project"],
        ),
        (
            "weights: https://huggingface.co/org/model-7b; data: "
            "huggingface.co/datasets/org/corpus-v2.",
            [
                "https://huggingface.co/org/model-7b",
                "https://huggingface.co/datasets/org/corpus-v2",
            ],
        ),
        ("profile https://github.com/someone only", []),
        ("a paper page https://huggingface.co/papers/2106.09685", []),
        ("email me@github.com/x/y is not a link; nor is notgithub.com/a/b", []),
        ("", []),
    ],
)
def test_code_urls_are_normalised(text: str, expected: list[str]) -> None:
    assert find_code_urls(text) == expected


def test_code_urls_from_abstract_and_comment_are_deduplicated() -> None:
    paper = Paper(
        title="X",
        abstract="Our code is at https://github.com/a/b.",
        comment="Code: github.com/A/B; models on https://huggingface.co/a/b-large",
    )
    assert paper.code_urls == ["https://github.com/a/b", "https://huggingface.co/a/b-large"]


SURVEY_ABSTRACT = "In this survey we organise the existing methods into three families."


@pytest.mark.parametrize(
    ("paper", "survey"),
    [
        # two signals: title noun + abstract, title + type, type + long reference list, ...
        (Paper(title="Meta-Learning in Neural Networks: A Survey", abstract=SURVEY_ABSTRACT), True),
        (Paper(title="A Tutorial on Thompson Sampling", reference_count=120), True),
        (
            Paper(title="An Overview of Gradient Descent Optimization", abstract=SURVEY_ABSTRACT),
            True,
        ),
        (Paper(title="Graph neural networks: a primer", publication_types=["Review"]), True),
        (
            Paper(title="Learning from Data", publication_types=["Review"], reference_count=180),
            True,
        ),
        (
            Paper(
                title="Learning from Data",
                abstract="We comprehensively review recent advances.",
                reference_count=150,
            ),
            True,
        ),  # fmt: skip
        # one signal is not enough
        (Paper(title="Meta-Learning in Neural Networks: A Survey"), False),
        (Paper(title="Learning from Data", publication_types=["Review"]), False),
        (Paper(title="Attention Is All You Need", reference_count=200), False),
        (Paper(title="Attention Is All You Need", reference_count=40), False),
        (Paper(title="Prototypical Networks for Few-shot Learning"), False),
        # "survey" and "review" in another sense
        (
            Paper(
                title="Planet Yields of the TESS and PLATO Transit Surveys",
                reference_count=160,
                abstract="We simulate this survey and its yield of transiting exoplanets.",
            ),
            False,
        ),  # fmt: skip
        (Paper(title="Book Review: Deep Learning", publication_types=["Review"]), False),
        (Paper(title="A Review of “Pattern Recognition”", publication_types=["Review"]), False),
        (Paper(title="A Kepler Transit Survey of M Dwarfs", abstract=SURVEY_ABSTRACT), False),
        (Paper(title="Code Review with Large Language Models", reference_count=150), False),
        (
            Paper(
                title="The Cosmic Star Formation History from Deep Radio Continuum Surveys",
                abstract="Using deep radio surveys we measure the star formation rate density.",
                reference_count=98,
            ),
            False,
        ),  # fmt: skip
    ],
)
def test_is_survey(paper: Paper, survey: bool) -> None:
    assert paper.is_survey is survey


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_surveys_and_has_code_filters(api: FakeAPI) -> None:
    code, out, err = run("search", "few-shot learning", "--surveys", "--json")
    assert code == 0, err
    surveys = json.loads(out)
    assert surveys and all(r["is_survey"] for r in surveys)
    titles = " ".join(r["title"] for r in surveys)
    assert "Survey" in titles
    code, out, err = run("search", "few-shot learning", "--has-code", "--json")
    assert code == 0, err
    with_code = json.loads(out)
    assert with_code and all(r["code_urls"] for r in with_code)
    assert any(
        "https://github.com/protonets-lab/prototypical-networks" in r["code_urls"]
        for r in with_code
    )


def test_table_marks_code_and_surveys(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "160")
    code, out, err = run("search", "few-shot learning", "-n", "50")
    assert code == 0, err
    assert "code" in out and "survey" in out
