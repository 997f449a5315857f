"""Tables that fit: every table rendered at 80, 100, 120 and 160 columns.

No line wider than the terminal, ids whole (the short id every command accepts), survey/code
flags shown (abbreviated with a legend when narrow), numbers right-aligned, legends for marks.
Plus one end-to-end check that an S2-only paper's printed short id works with `paper`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import MATCHING_NETWORKS, FakeAPI
from litscout import ids
from litscout.cli import app
from litscout.cli.terms import _terms_view
from litscout.models import Paper, to_record
from litscout.render import mapview
from litscout.render.output import Output

WIDTHS = (80, 100, 120, 160)
S2_ID = "3e39f955" + "0123456789abcdef" * 2
LONG_DOI = "10.18653/v1/2023.findings-emnlp.1012"


def records() -> list[dict[str, Any]]:
    survey = Paper(
        title="Generalizing from a Few Examples: A Survey on Few-Shot Learning, Its Methods, "
        "Benchmarks and the Open Problems Nobody Has Solved Yet",
        arxiv_id="1904.05046",
        authors=["Yaqing Wang", "Quanming Yao"],
        abstract="In this survey we review the literature. Code: https://github.com/a/fsl",
        publication_types=["Review"],
        published=date(2019, 4, 10),
        citations=2345,
        sources=["arxiv", "s2"],
    )
    s2_only = Paper(
        title="Robust Meta-Learning for Remote Sensing with Limited Labels",
        s2_id=S2_ID,
        authors=["K. Nguyen"],
        published=date(2025, 3, 1),
        citations=7,
        abstract="No code here.",
    )
    corpus = Paper(
        title="Adaptive Graph Learning under Distribution Shift",
        s2_id="f" * 40,
        corpus_id=269761698,
        citations=123456,
        abstract="",
    )
    journal = Paper(
        title="A Journal Paper Known Only by Its Rather Long Digital Object Identifier",
        doi=LONG_DOI,
        authors=["A. Author", "B. Author"],
        year=2023,
        citations=41,
    )
    lifetime = {"velocity_basis": "lifetime", "velocity_window": {"citations": 2345, "days": 2300}}
    parts = {"velocity": 0.4, "recency": 0.2, "relevance": 0.21}
    return [
        to_record(
            survey,
            {"score": 0.81, "age_days": 2300, "velocity": 372.14, **lifetime, "score_parts": parts},
        ),  # fmt: skip
        to_record(
            s2_only,
            {
                "score": 0.5,
                "age_days": 40,
                "velocity": 7.0,
                "velocity_basis": "citing_dates",
                "velocity_window": {"citations": 7, "days": 40},
            },
        ),  # fmt: skip
        to_record(
            corpus,
            {
                "score": 0.33,
                "age_days": 400,
                "velocity": 1234.5,
                "velocity_basis": "openalex_years",
                "velocity_window": {"citations": 123456, "days": 365},
            },
        ),  # fmt: skip
        to_record(journal, {"score": 0.05, "age_days": 700}),
    ]


SHORT_IDS = ("arXiv:1904.05046", f"s2:{S2_ID}", "CorpusId:269761698", f"doi:{LONG_DOI}")


def render(width: int, fields: list[str] | None = None, explain: bool = False) -> str:
    out = io.StringIO()
    Output("table", fields, stdout=out, stderr=io.StringIO(), is_tty=False, width=width).records(
        records(), explain=explain
    )
    return out.getvalue()


def fits(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, f"wider than {width}: {too_wide}"
    return lines


def right_aligned(lines: list[str], header: str, rows: re.Pattern[str]) -> None:
    """Every row's cell under `header` ends where the header ends (a left-aligned cell shorter
    than its header would leave a blank there)."""
    head = next(line for line in lines if re.search(rf"(^|\s){re.escape(header)}(\s|$)", line))
    end = re.search(rf"(?:^|\s)({re.escape(header)})(?:\s|$)", head)
    assert end is not None
    stop = end.end(1)
    body = [line for line in lines if rows.match(line)]
    assert body
    for line in body:
        assert line[stop - 1] != " ", (header, line)
        assert stop == len(line) or line[stop] == " ", (header, line)


PAPER_ROW = re.compile(r"^\s*\d+\s{2}")


@pytest.mark.parametrize("width", WIDTHS)
def test_paper_table_fits_keeps_ids_flags_and_aligns_numbers(width: int) -> None:
    lines = fits(render(width), width)
    text = "\n".join(lines)
    for short in SHORT_IDS:
        assert short in text, (width, short)
    assert "…" not in "".join(short for short in SHORT_IDS if short in text)
    assert re.search(r"\bsurvey code\b", text) or re.search(r"\bS C\b", text)
    if re.search(r"\bS C\b", text):
        assert "S survey or review · C links to code" in text
    assert "~" in text and "~ lifetime average" in text
    for header in ("Cites", "Score"):
        right_aligned(lines, header, PAPER_ROW)
    # velocities: the digits aligned whether or not a `~` follows
    head = next(line for line in lines if "Cites/yr" in line)
    stop = head.index("Cites/yr") + len("Cites/yr")
    for line in (line for line in lines if PAPER_ROW.match(line)):
        assert line[stop - 2] in "0123456789?" and line[stop - 1] in "~ ", line
    assert sum(1 for line in lines if PAPER_ROW.match(line)) == 4


def test_short_ids_prefer_arxiv_then_corpus_id_and_parse_back() -> None:
    found = [ids.short(r) for r in records()]
    assert found == list(SHORT_IDS)
    assert ids.parse("CorpusId:269761698") == ids.PaperId("corpus", "269761698")
    assert ids.parse("corpus:0042").s2 == "CorpusId:42"
    assert ids.parse("CORPUSID:7").canonical == "CorpusId:7"
    s2_doi = {"doi": "10.1000/" + "x" * 60, "s2_id": S2_ID, "id": "doi:..."}
    assert ids.short(s2_doi) == f"s2:{S2_ID}"  # the shorter one


@pytest.mark.parametrize("width", WIDTHS)
def test_fields_table_fits(width: int) -> None:
    lines = fits(render(width, ["id", "title", "citations", "score", "abstract"]), width)
    text = "\n".join(lines)
    for record in records():
        assert record["id"] in text
    right_aligned(lines, "citations", re.compile(r"^(arXiv|s2|doi):"))


@pytest.mark.parametrize("width", WIDTHS)
def test_explain_table_fits(width: int) -> None:
    lines = fits(render(width, explain=True), width)
    start = next(i for i, line in enumerate(lines) if line == "How each score was made")
    explain = lines[start:]
    assert any("openalex_years" in line for line in explain)
    assert any(line.startswith("Vel., Rec., Rel.:") for line in explain)
    for header in ("Cites/yr", "Counted", "Vel.", "Rec.", "Rel.", "Score"):
        right_aligned(explain, header, PAPER_ROW)


@pytest.mark.parametrize("width", WIDTHS)
def test_terms_table_fits(width: int) -> None:
    rows = [
        {
            "term": term,
            "documents": n,
            "example_title": "Prototypical Networks for Few-shot Learning and Much More Besides",
            "command": f'litscout search "{term}"',
        }
        for term, n in (("few-shot learning", 37), ("meta-learning", 12), ("prototypical", 5))
    ]
    out = io.StringIO()
    _terms_view(Output("table", stdout=out, is_tty=False, width=width), 40, rows)
    lines = fits(out.getvalue(), width)
    text = "\n".join(lines)
    assert all(row["command"] in text for row in rows)
    right_aligned(lines, "Used by", PAPER_ROW)
    if width >= 100:
        assert "Prototypical Networks" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_map_table_fits(width: int) -> None:
    paper = {"title": "A Survey of Meta-Learning", "year": 2021, "velocity": 12.3, "id": "arXiv:1"}
    growth = {"this_year": 5, "last_year": 9, "last_12_months": 11, "previous_12_months": 7,
              "trend": "growing"}  # fmt: skip
    topic = {"topic": "few-shot learning", "papers": 40, "counted_from": 100, "growth": growth,
             "fastest": paper, "fastest_recent": paper, "best_survey": paper}  # fmt: skip
    found = [
        {
            "kind": "neighbour",
            "neighbour": name,
            "shared_papers": shared,
            "citations_between": between,
            "titles": titled,
            "command": f'litscout map "{name}"',
            "fastest_recent": paper,
            "best_survey": paper,
        }  # fmt: skip
        for name, shared, between, titled in (
            ("meta-learning", 12, 340, 9),
            ("domain generalisation", 3, 1205, 4),
        )
    ]
    out = io.StringIO()
    mapview.show(Output("table", stdout=out, is_tty=False, width=width), [topic, *found])
    lines = fits(out.getvalue(), width)
    text = "\n".join(lines)
    assert all(rec["command"] in text for rec in found)
    assert "Shared: papers on both" in text
    for header in ("Shared", "Between", "Titled"):
        right_aligned(lines, header, PAPER_ROW)


# -- end to end: a printed short id goes back into `paper` -----------------------------------


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
    with fake_services(monkeypatch, isolated_home, "backoff_base = 0.01\nretries = 1") as fake:
        yield fake


def test_an_s2_only_papers_printed_id_works_with_paper(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()
    listed = runner.invoke(app, ["cites", MATCHING_NETWORKS, "--format", "table", "-n", "30"])
    assert listed.exit_code == 0, listed.stderr
    fits(listed.stdout, 80)
    shown = re.findall(r"CorpusId:\d+", listed.stdout)
    assert shown, listed.stdout
    for short in shown[:2]:
        done = runner.invoke(app, ["paper", short, "--json"])
        assert done.exit_code == 0, done.stderr
        record = json.loads(done.stdout)
        assert f"CorpusId:{record['corpus_id']}" == short
        assert record["id"].startswith(("s2:", "doi:")) and not record["arxiv_id"]
        # the same id again: from the cache, by its corpus id
        again = runner.invoke(app, ["paper", short.replace("CorpusId", "corpus"), "--json"])
        assert again.exit_code == 0 and json.loads(again.stdout)["id"] == record["id"]


def test_store_keeps_and_finds_the_corpus_id() -> None:
    from litscout.store.migrations import MIGRATIONS, version
    from litscout.store.papers import PaperStore

    with PaperStore(":memory:") as store:
        assert version(store.conn) == len(MIGRATIONS)
        store.upsert_papers([Paper(title="One", s2_id="a" * 40, corpus_id=42)])
        store.upsert_papers([Paper(title="Two", s2_id="b" * 40, corpus_id=42)])  # bad data
        assert store.count_papers() == 2  # two S2 records are never merged by corpus id
        found = store.find(corpus_id=42)
        assert found is not None and found.corpus_id == 42
        assert store.find(corpus_id=7) is None
