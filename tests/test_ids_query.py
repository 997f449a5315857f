"""Identifiers and query translation: what people paste and type."""

from __future__ import annotations

from datetime import date

import pytest

from litscout import ids
from litscout.errors import UsageError
from litscout.query import Query, is_arxiv_syntax, parse_date

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1606.04080", "arXiv:1606.04080"),
        ("arXiv:1606.04080v2", "arXiv:1606.04080"),
        ("ARXIV:1606.04080", "arXiv:1606.04080"),
        ("https://arxiv.org/abs/1606.04080v3", "arXiv:1606.04080"),
        ("http://arxiv.org/pdf/2104.12255v1.pdf", "arXiv:2104.12255"),
        ("hep-th/9901001", "arXiv:hep-th/9901001"),
        ("math.GT/0309136v2", "arXiv:math.GT/0309136"),
        ("doi:10.1145/3386252", "doi:10.1145/3386252"),
        ("https://doi.org/10.1145/3386252", "doi:10.1145/3386252"),
        ("10.48550/arXiv.1606.04080", "arXiv:1606.04080"),
        ("s2:" + "a" * 40, "s2:" + "a" * 40),
        ("https://www.semanticscholar.org/paper/Title-Words/" + "b" * 40, "s2:" + "b" * 40),
    ],
)
def test_ids_people_paste(text: str, canonical: str) -> None:
    assert ids.parse(text).canonical == canonical


@pytest.mark.parametrize("text", ["", "   ", "abc", "1606.0408", "arXiv:", "s2:xyz", "doi:11.1/x"])
def test_malformed_ids_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as err:
        ids.parse(text)
    assert err.value.hint and "arXiv id" in err.value.hint


def test_s2_form() -> None:
    assert ids.parse("1606.04080").s2 == "ARXIV:1606.04080"
    assert ids.parse("doi:10.1145/ABC").s2 == "DOI:10.1145/abc"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2025-01-01", date(2025, 1, 1)),
        ("2025-02", date(2025, 2, 1)),
        ("2024", date(2024, 1, 1)),
        ("30d", date(2026, 10, 26)),
        ("2w", date(2026, 11, 11)),
        ("6m", date(2026, 5, 25)),
        ("2y", date(2024, 11, 25)),
    ],
)
def test_dates(spec: str, expected: date) -> None:
    assert parse_date(spec, today=TODAY) == expected


def test_end_dates_cover_the_whole_period() -> None:
    assert parse_date("2024", today=TODAY, end=True) == date(2024, 12, 31)
    assert parse_date("2024-02", today=TODAY, end=True) == date(2024, 2, 29)


@pytest.mark.parametrize("spec", ["yesterday-ish", "2025-13-01", "2025-02-30", "6q", "", "-3d"])
def test_bad_dates(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_date(spec, today=TODAY)


def test_plain_words_become_an_arxiv_phrase() -> None:
    q = Query.build("few-shot learning", today=TODAY)
    assert q.arxiv_query() == 'all:"few-shot learning"'
    assert q.s2_text() == "few shot learning"


def test_long_questions_become_and_of_content_words() -> None:
    q = Query.build("how do I use knowledge from a big dataset for a small set", today=TODAY)
    assert q.arxiv_query() == "all:knowledge AND all:big AND all:dataset AND all:small AND all:set"
    assert " OR " in q.fts_match()


def test_arxiv_syntax_passes_through_with_filters() -> None:
    q = Query.build(
        'ti:"matching networks" AND cat:cs.LG',
        since="2025-01-01",
        until="2025-06-30",
        categories=["cs.LG", "stat.ML"],
        today=TODAY,
    )
    assert is_arxiv_syntax(q.text)
    assert q.arxiv_query() == (
        '(ti:"matching networks" AND cat:cs.LG) AND (cat:cs.LG OR cat:stat.ML) '
        "AND submittedDate:[202501010000 TO 202506302359]"
    )
    assert q.s2_text() == "matching networks"
    assert q.s2_date_filter() == "2025-01-01:2025-06-30"


def test_since_only_runs_to_today() -> None:
    q = Query.build("graphs", since="6m", today=TODAY)
    assert "submittedDate:[202605250000 TO" in q.arxiv_query()


@pytest.mark.parametrize(
    "text", ["", "   ", 'ti:"open phrase', "(a AND b", "a) OR (b", "the of and"]
)
def test_bad_queries(text: str) -> None:
    with pytest.raises(UsageError):
        Query.build(text, today=TODAY)


def test_unknown_category_suggests() -> None:
    with pytest.raises(UsageError) as err:
        Query.build("graphs", categories=["cs.LX"], today=TODAY)
    assert "cs.LG" in err.value.message


def test_category_case_is_forgiven() -> None:
    assert Query.build("graphs", categories=["cs.lg"], today=TODAY).categories == ("cs.LG",)


def test_since_after_until() -> None:
    with pytest.raises(UsageError):
        Query.build("graphs", since="2025-06-01", until="2025-01-01", today=TODAY)


def test_cache_key_ignores_case_and_spacing() -> None:
    a = Query.build("Few-Shot   learning", today=TODAY)
    b = Query.build("few-shot learning", today=TODAY)
    assert a.key == b.key


def test_author_and_category_clauses_are_not_topics_for_s2() -> None:
    q = Query.build('au:"Oriol Vinyals" AND ti:matching AND cat:cs.LG', today=TODAY)
    assert q.s2_text() == "matching"
    only_people = Query.build("au:vinyals AND cat:cs.LG", today=TODAY)
    assert only_people.s2_text() == ""
    assert only_people.terms() == []
    assert only_people.fts_match() == '"vinyals" "cs.lg"'
