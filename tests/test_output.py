"""The output contract: same keys in every record, formats that pipe cleanly."""

from __future__ import annotations

import csv
import io
import json

import pytest

from litscout.errors import UsageError
from litscout.models import RECORD_KEYS, Paper, find_code_urls, to_record
from litscout.render.output import Output, human_age, parse_fields


def records() -> list[dict[str, object]]:
    a = Paper(
        title="Matching Networks for One Shot Learning [v2]",
        arxiv_id="1606.04080",
        authors=["Oriol Vinyals", "Charles Blundell"],
        abstract="Code: https://github.com/deepmind/matching-networks.",
    )
    b = Paper(
        title="A survey of few-shot learning", doi="10.1145/3386252", publication_types=["Review"]
    )
    return [to_record(a, {"score": 0.5, "age_days": 3000}), to_record(b)]


def render(fmt: str, fields: list[str] | None = None, tty: bool = False) -> str:
    out = io.StringIO()
    Output(fmt, fields, stdout=out, stderr=io.StringIO(), is_tty=tty).records(records())
    return out.getvalue()


def test_every_record_has_exactly_the_contract_keys() -> None:
    for record in records():
        assert tuple(record) == RECORD_KEYS


def test_auto_is_jsonl_when_piped_and_table_on_a_tty() -> None:
    lines = render("auto").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["arXiv:1606.04080", "doi:10.1145/3386252"]
    table = render("auto", tty=True)
    assert "Matching Networks" in table and "{" not in table


def test_json_is_an_array_and_keeps_brackets() -> None:
    data = json.loads(render("json"))
    assert data[0]["title"].endswith("[v2]")  # never eaten as rich markup
    assert data[1]["citations"] is None


def test_fields_select_and_unknown_fields_list_valid_ones() -> None:
    data = json.loads(render("json", ["id", "title"]))
    assert list(data[0]) == ["id", "title"]
    with pytest.raises(UsageError) as err:
        parse_fields("id,titel")
    assert "titel" in err.value.message and "title" in (err.value.hint or "")


def test_csv_has_a_header_and_flat_values() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv"))))
    assert rows[0]["authors"] == "Oriol Vinyals; Charles Blundell"
    assert rows[1]["is_survey"] == "True"


def test_code_urls_and_surveys() -> None:
    assert records()[0]["code_urls"] == ["https://github.com/deepmind/matching-networks"]
    assert records()[1]["is_survey"] is True
    assert find_code_urls(
        "see http://www.github.com/a/b.git, https://github.com/a/b and https://github.com/org",
        "weights: https://huggingface.co/org/model).",
    ) == ["https://github.com/a/b", "https://huggingface.co/org/model"]


@pytest.mark.parametrize(
    ("days", "text"), [(0, "today"), (3, "3 d"), (20, "2 wk"), (240, "8 mo"), (3650, "10 y")]
)
def test_human_age(days: int, text: str) -> None:
    assert human_age(days) == text


def test_unknown_format() -> None:
    with pytest.raises(UsageError):
        Output("yaml")
