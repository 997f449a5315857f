"""Fault injection against the fake services: every failure ends in a clear message.

Each test starts from a database that already holds a finished search, injects a fault,
runs `litscout search` through the real CLI and real sockets, and checks the exit code, the
message, that no traceback was printed and that the database still holds what it held.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeapi import FakeAPI, Fault
from reliability import assert_clean, assert_kept, db_state, run, write_config

SEED_QUERY = "graph neural networks"
QUERY = "few-shot learning"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        write_config(isolated_home)
        yield fake


@pytest.fixture
def seeded(api: FakeAPI, isolated_home: Path) -> Iterator[dict[str, Any]]:
    """The database after one good search; faults must never take any of it away.

    Checked again after every test that uses it (integrity, papers, cached queries, FTS).
    """
    first = run("search", SEED_QUERY, "--json")
    assert first.code == 0, first.stderr
    api.clear_log()
    before = db_state(isolated_home / "litscout.db")
    yield before
    assert_kept(before, db_state(isolated_home / "litscout.db"))


def push_back(host: str, until: float) -> None:
    """What a 429 in another process leaves in the shared rate state."""
    from litscout import paths
    from litscout.sources.ratestate import FileRateState

    def push(slots: Any) -> None:
        slots.next = max(slots.next, until)
        slots.sent = max(slots.sent, until)

    FileRateState(paths.state_dir()).update(host, push)


def requests_to(api: FakeAPI, service: str) -> list[Any]:
    return [r for r in api.requests if r.service == service]


# -- one source fails for good: the other one answers -----------------------------------

ONE_SOURCE_DOWN = [
    pytest.param(
        "s2",
        Fault(status=429, times=100),
        "Semantic Scholar: still rate-limited (HTTP 429)",
        3,
        id="s2-429-storm",
    ),
    pytest.param(
        "s2",
        Fault(status=500, times=100),
        "Semantic Scholar: HTTP 500",
        3,
        id="s2-500",
    ),
    pytest.param(
        "s2",
        Fault(kind="delay", seconds=1.6, times=100),
        "Semantic Scholar: timed out",
        3,
        id="s2-timeout",
    ),
    pytest.param(
        "s2",
        Fault(kind="reset", times=100),
        "Semantic Scholar: connection failed",
        3,
        id="s2-reset",
    ),
    pytest.param(
        "s2",
        Fault(kind="malformed_json", times=100),
        "Semantic Scholar: invalid JSON",
        2,
        id="s2-malformed-json",
    ),
    pytest.param(
        "s2",
        Fault(kind="html", times=100),
        "Semantic Scholar: expected JSON but got an HTML page",
        1,
        id="s2-html",
    ),
    pytest.param(
        "s2",
        Fault(kind="truncated", times=100),
        "Semantic Scholar: invalid JSON",
        2,
        id="s2-truncated",
    ),
    pytest.param(
        "arxiv",
        Fault(status=429, body="Rate exceeded.", times=100),
        "arXiv: still rate-limited (HTTP 429)",
        3,
        id="arxiv-429",
    ),
    pytest.param(
        "arxiv",
        Fault(status=503, times=100),
        "arXiv: HTTP 503",
        3,
        id="arxiv-503",
    ),
    pytest.param(
        "arxiv",
        Fault(kind="html", times=100),
        "arXiv: expected an Atom feed but got an HTML page ('Access Denied')",
        1,
        id="arxiv-html",
    ),
    pytest.param(
        "arxiv",
        Fault(kind="truncated", times=100),
        "arXiv: the XML answer is broken",
        2,
        id="arxiv-truncated",
    ),
    pytest.param(
        "arxiv",
        Fault(kind="reset", times=100),
        "arXiv: connection dropped",
        3,
        id="arxiv-reset",
    ),
    pytest.param(
        "arxiv",
        Fault(kind="delay", seconds=1.6, times=100),
        "arXiv: timed out",
        3,
        id="arxiv-timeout",
    ),
]


@pytest.mark.parametrize(("service", "fault", "message", "tries"), ONE_SOURCE_DOWN)
def test_one_source_down_the_other_answers(
    api: FakeAPI,
    seeded: dict[str, Any],
    isolated_home: Path,
    service: str,
    fault: Fault,
    message: str,
    tries: int,
) -> None:
    api.inject(service, fault)
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert message in result.stderr
    other = "Semantic Scholar" if service == "arxiv" else "arXiv"
    name = "arXiv" if service == "arxiv" else "Semantic Scholar"
    assert f"continuing without {name}" in result.stderr or "citation counts are missing" in (
        result.stderr
    )
    assert f"continuing without {other}" not in result.stderr
    records = result.records()
    assert records, "the working source still answers"
    wanted = "s2" if service == "arxiv" else "arxiv"
    assert all(wanted in r["sources"] for r in records)
    # Bounded: retries=2 means three tries for what is worth retrying, two for a body that
    # does not parse (cut off, most likely), one for what is not (an HTML page will not
    # improve by asking again at once).
    assert len(requests_to(api, service)) == tries
    if tries > 1:
        assert f"after {tries} tries" in result.stderr
    if tries > 1:
        assert result.stderr.count(f"{name}: ") >= tries  # it said what it waited for
        assert "waiting" in result.stderr and f"before retry 1/{tries - 1}" in result.stderr
    # A partial answer is not cached as if it were complete.
    after = db_state(isolated_home / "litscout.db")
    assert_kept(seeded, after)
    assert len(after["queries"]) == len(seeded["queries"])


# -- transient faults: one bad answer, then the retry succeeds ---------------------------

TRANSIENT = [
    pytest.param("s2", Fault(status=429, times=1), "Semantic Scholar: HTTP 429", id="s2-429"),
    pytest.param("s2", Fault(status=500, times=2), "Semantic Scholar: HTTP 500", id="s2-500"),
    pytest.param("s2", Fault(status=504, times=1), "Semantic Scholar: HTTP 504", id="s2-504"),
    pytest.param("s2", Fault(kind="reset", times=1), "Semantic Scholar: connection", id="s2-reset"),
    pytest.param(
        "s2",
        Fault(kind="delay", seconds=1.6, times=1),
        "Semantic Scholar: timed out",
        id="s2-timeout",
    ),
    pytest.param(
        "arxiv",
        Fault(status=429, body="Rate exceeded.", times=1),
        "arXiv: HTTP 429 'Rate exceeded.'",
        id="arxiv-429",
    ),
    pytest.param("arxiv", Fault(status=503, times=2), "arXiv: HTTP 503", id="arxiv-503"),
    pytest.param("arxiv", Fault(kind="reset", times=1), "arXiv: connection", id="arxiv-reset"),
]


@pytest.mark.parametrize(("service", "fault", "message"), TRANSIENT)
def test_transient_fault_is_retried_and_the_answer_is_complete(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path, service: str, fault: Fault,
    message: str,
) -> None:  # fmt: skip
    api.inject(service, fault)
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert message in result.stderr and "waiting" in result.stderr
    assert "continuing without" not in result.stderr
    records = result.records()
    assert any(set(r["sources"]) == {"arxiv", "s2"} for r in records)
    after = db_state(isolated_home / "litscout.db")
    assert_kept(seeded, after)
    assert len(after["queries"]) == len(seeded["queries"]) + 1  # complete: cached


def test_arxiv_empty_first_page_is_asked_once_more_after_the_delay(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.arxiv_delay = 0.4
    monkeypatch.setenv("LITSCOUT_ARXIV_DELAY", "0.4")
    api.inject("arxiv", Fault(kind="empty_feed", times=1))
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    arxiv = requests_to(api, "arxiv")
    assert len(arxiv) == 2 and [r.status for r in arxiv] == [200, 200]
    assert arxiv[1].t - arxiv[0].t >= 0.4
    assert any("arxiv" in r["sources"] for r in result.records())
    assert_kept(seeded, db_state(isolated_home / "litscout.db"))


def test_arxiv_truly_empty_is_believed_after_one_retry(
    api: FakeAPI, seeded: dict[str, Any]
) -> None:
    api.inject("arxiv", Fault(kind="empty_feed", times=2))
    result = run("search", QUERY, "--json")
    assert result.code == 0
    assert len(requests_to(api, "arxiv")) == 2  # never a third time
    assert_clean(result.stderr)
    assert "continuing without" not in result.stderr  # an empty answer is not a failure
    assert result.records()  # S2 still answers


# -- Retry-After, caps and budgets --------------------------------------------------------


def test_retry_after_is_honoured(api: FakeAPI, seeded: dict[str, Any]) -> None:
    api.inject("s2", Fault(status=429, headers={"Retry-After": "1"}, times=1))
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert "Retry-After 1s" in result.stderr
    s2 = requests_to(api, "s2")
    assert s2[1].t - s2[0].t >= 1.0


def test_retry_after_is_capped_and_says_so(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path
) -> None:
    write_config(isolated_home, max_retry_wait=0.5)
    api.inject("s2", Fault(status=503, headers={"Retry-After": "3600"}, times=1))
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert time.monotonic() - started < 10
    assert "Retry-After 3600s, capped at" in result.stderr
    assert "waiting 0.5s" in result.stderr


def test_total_wait_is_bounded_and_names_the_service(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path
) -> None:
    write_config(isolated_home, retries=50, backoff_base=0.3, max_total_wait=1.5)
    api.inject("s2", Fault(status=500, times=1000))
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    elapsed = time.monotonic() - started
    assert result.code == 0
    assert_clean(result.stderr)
    assert elapsed < 6
    assert "Semantic Scholar: HTTP 500" in result.stderr
    assert "network.max_total_wait" in result.stderr
    assert len(requests_to(api, "s2")) < 10


@pytest.mark.parametrize(
    ("status", "fragment"),
    [(400, "HTTP 400"), (403, "HTTP 403"), (404, "HTTP 404"), (422, "HTTP 422")],
)
def test_other_4xx_are_not_retried(
    api: FakeAPI, seeded: dict[str, Any], status: int, fragment: str
) -> None:
    api.inject("s2", Fault(status=status, times=100))
    result = run("search", QUERY, "--json")
    assert result.code == 0
    assert_clean(result.stderr)
    assert fragment in result.stderr
    assert len(requests_to(api, "s2")) == 1
    assert "waiting" not in result.stderr


def test_429_pushes_every_process_back(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path
) -> None:
    """After a 429 the shared limiter keeps the next request (any process) back as well."""
    write_config(isolated_home, backoff_base=0.5)
    api.inject("s2", Fault(status=429, times=1))
    run("search", QUERY, "--json")
    s2 = requests_to(api, "s2")
    assert s2[1].t - s2[0].t >= 0.5 * 0.75


# -- everything down ------------------------------------------------------------------------


def test_both_down_nothing_cached_exits_3(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path
) -> None:
    api.inject("arxiv", Fault(status=429, body="Rate exceeded.", times=100))
    api.inject("s2", Fault(kind="reset", times=100))
    result = run("search", "zebrafish heart regeneration", "--json")
    assert result.code == 3
    assert result.stdout == ""
    assert_clean(result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "arXiv" in errors[0] and "Semantic Scholar" in errors[0]
    assert "Hint:" in result.stderr
    assert_kept(seeded, db_state(isolated_home / "litscout.db"))


def test_both_down_answers_from_the_cache(
    api: FakeAPI, seeded: dict[str, Any], isolated_home: Path
) -> None:
    api.inject("arxiv", Fault(kind="html", times=100))
    api.inject("s2", Fault(status=500, times=100))
    result = run("search", SEED_QUERY, "--json", "--refresh")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert "showing cached results" in result.stderr
    assert {r["id"] for r in result.records()} <= set(seeded["papers"])
    assert_kept(seeded, db_state(isolated_home / "litscout.db"))


# -- the database itself ------------------------------------------------------------------


def test_corrupt_database_is_reported_and_left_alone(api: FakeAPI, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    path = isolated_home / "litscout.db"
    junk = b"these are my notes, not a database\n" * 200
    path.write_bytes(junk)
    result = run("search", QUERY, "--json")
    assert result.code == 1
    assert_clean(result.stderr)
    assert result.stderr.startswith("Error: ")
    assert str(path) in result.stderr and "not a usable litscout database" in result.stderr
    assert "move it aside" in result.stderr
    assert path.read_bytes() == junk
    assert api.count() == 0  # no network work for a run that cannot store anything


def test_nothing_listening_is_quick_and_exits_3(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network at all: one retry per service (not the full budget), then exit 3."""
    for name in ("LITSCOUT_ARXIV_API_URL", "LITSCOUT_S2_API_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/closed")
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 3
    assert time.monotonic() - started < 5
    assert_clean(result.stderr)
    assert "arXiv: cannot connect (gave up after 2 tries)" in result.stderr
    assert "Semantic Scholar: cannot connect (gave up after 2 tries)" in result.stderr
    assert result.stderr.count("Error:") == 1


def test_read_only_lock_file_location_still_spaces_requests(tmp_path: Path) -> None:
    """If the arXiv lock file cannot be created, requests still go out one at a time."""
    import httpx

    from litscout.config import Network, Settings
    from litscout.sources.http import Http

    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(time.time())
        return httpx.Response(200, json={})

    (tmp_path / "arxiv.lock").mkdir()  # os.open() of the lock fails
    http = Http(Settings(network=Network(arxiv_delay=0.2)), state_dir=tmp_path)
    http._client = httpx.Client(transport=httpx.MockTransport(answer))
    for _ in range(3):
        http.request("arxiv", "GET", "http://arxiv.test/x")
    http.close()
    assert all(b - a >= 0.2 for a, b in zip(seen, seen[1:], strict=False))


@pytest.mark.parametrize(
    ("service", "fault"),
    [
        ("arxiv", Fault(status=429, body="Rate exceeded.", times=1)),
        ("arxiv", Fault(status=503, times=1)),
        ("s2", Fault(status=429, times=1)),
        ("s2", Fault(status=503, headers={"Retry-After": "0"}, times=1)),
    ],
)
def test_the_announced_wait_is_the_real_wait(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, service: str, fault: Fault
) -> None:
    """stderr says "waiting Xs"; the fake sees the retry X seconds later, not X + interval."""
    monkeypatch.setenv("LITSCOUT_ARXIV_DELAY", "0.4")
    monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0.4")
    write_config(isolated_home, backoff_base=0.2)
    api.inject(service, fault)
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    announced = float(re.search(r"waiting ([\d.]+)s", result.stderr).group(1))  # type: ignore[union-attr]
    assert announced >= 0.4  # never less than the service's own interval
    first, second = requests_to(api, service)[:2]
    assert announced - 0.05 <= second.t - first.t <= announced + 0.25


def test_a_long_wait_for_the_shared_slot_is_explained(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process was told to slow down (or is queued first): say why nothing happens."""
    monkeypatch.setenv("LITSCOUT_ARXIV_DELAY", "0.5")
    push_back("arxiv", time.time() + 5.5)  # as a 429 elsewhere would
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert time.monotonic() - started >= 5.5
    assert re.search(r"arXiv: waiting \d+s for its rate limit, which all litscout", result.stderr)
    assert "Semantic Scholar: waiting" not in result.stderr


def test_a_clock_set_back_does_not_stall_every_run(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slot an hour away (the clock was set back, or the state is stale) is forgotten."""
    from litscout.sources.limiter import RateLimiter, Service

    monkeypatch.setenv("LITSCOUT_ARXIV_DELAY", "0.5")
    push_back("arxiv", time.time() + 3600)
    push_back("s2", time.time() + 3600)
    # A slot within the horizon is still honoured exactly.
    clock = [100.0]
    limiter = RateLimiter(horizon=10.0, clock=lambda: clock[0], sleep=lambda s: None)
    other = Service("Other", "other", 1.0 / 1.1)  # a gap of 1 s with the margin
    starts = []
    for _ in range(2):
        limiter.wait(other)
        starts.append(limiter.state.update("other", lambda slots: slots.next))
    assert starts == pytest.approx([100.0, 101.0])
    limiter.state.update("other", lambda slots: setattr(slots, "next", 500.0))
    limiter.wait(other)
    assert limiter.state.update("other", lambda slots: slots.next) == 100.0
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 0, result.stderr
    assert time.monotonic() - started < 5
    assert "waiting" not in result.stderr


def test_nothing_reachable_is_one_line_per_source_then_the_error(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network and an empty cache: no retry chatter, and no --offline hint (it finds nothing)."""
    for name in ("LITSCOUT_ARXIV_API_URL", "LITSCOUT_S2_API_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/closed")
    result = run("search", QUERY, "--json")
    assert result.code == 3
    lines = result.stderr.splitlines()
    warnings = [line for line in lines if line.startswith("Warning:")]
    assert len(warnings) == 2 and sum("Semantic Scholar" in w for w in warnings) == 1
    assert lines[len(warnings)].startswith("Error: ") and lines[len(warnings) + 1 :] == [
        "Hint: check your connection and try again"
    ]
    assert "--offline" not in result.stderr
    result = run("paper", "1606.04080", "--json")
    assert result.code == 3 and "--offline" not in result.stderr
