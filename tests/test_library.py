"""The library covers every command: same records as the JSON output, bad arguments refused
before any request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import litscout
from conftest import fake_services
from fakeapi import FakeAPI
from fakeapi.corpus import MATCHING_NETWORKS, PROTOTYPICAL_NETWORKS
from litscout.errors import LitscoutError, UsageError
from litscout.models import RECORD_KEYS
from litscout.render.reporter import SilentReporter


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 2\nread_timeout = 2.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


QUIET = SilentReporter()


def test_every_command_is_a_function_returning_records(api: FakeAPI) -> None:
    found = litscout.search("few-shot learning", limit=5, reporter=QUIET)
    assert 0 < len(found) <= 5 and all(tuple(r) == RECORD_KEYS for r in found)
    one = litscout.paper(MATCHING_NETWORKS, reporter=QUIET)
    assert one["id"] == f"arXiv:{MATCHING_NETWORKS}" and one["still_recent"]
    citing = litscout.cites(MATCHING_NETWORKS, limit=3, sort="recent", reporter=QUIET)
    assert len(citing) == 3 and all("influential" in r for r in citing)
    like = litscout.related([MATCHING_NETWORKS], limit=3, reporter=QUIET)
    assert len(like) == 3
    words = litscout.terms("learn a classifier from few examples", limit=5, reporter=QUIET)
    assert words and {"term", "documents", "command"} <= set(words[0])
    entries = litscout.export([MATCHING_NETWORKS, PROTOTYPICAL_NETWORKS], reporter=QUIET)
    assert [e["bibtex"].startswith("@") for e in entries] == [True, True]
    assert litscout.watch_run(reporter=QUIET) == []  # no watches yet


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: litscout.search("x", sort="bogus"), "unknown sort"),
        (lambda: litscout.search("x", limit=0), "out of range"),
        (lambda: litscout.search("x", offline=True, refresh=True), "contradict"),
        (lambda: litscout.cites(MATCHING_NETWORKS, limit=10**6), "out of range"),
        (lambda: litscout.cites("garbage"), "not a paper id"),
        (lambda: litscout.paper("  "), "empty"),
        (lambda: litscout.related([]), "at least one"),
        (lambda: litscout.terms(""), "empty"),
        (lambda: litscout.export([]), "at least one"),
        (lambda: litscout.cites(MATCHING_NETWORKS, since="next tuesday"), "date"),
        (lambda: litscout.watch_run(min_score=3.0), "out of range"),
    ],
)
def test_bad_arguments_raise_usage_error_before_any_request(
    api: FakeAPI, call: object, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value.message) and caught.value.exit_code == 2
    assert api.count() == 0


def test_errors_are_litscout_errors_with_exit_codes(api: FakeAPI) -> None:
    with pytest.raises(LitscoutError) as caught:
        litscout.cites("s2:" + "0" * 40, reporter=QUIET)
    assert caught.value.exit_code == 1
