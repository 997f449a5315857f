"""Several litscout processes at once: polite to the services, nothing locked, nothing lost."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from fakeapi import FakeAPI
from reliability import assert_clean, db_state, spawn, write_config

QUERIES = [
    "few-shot learning",
    "graph neural networks",
    "class imbalance",
    "meta-learning",
    "transfer learning",
    "quantum error correction",
    "prototypical networks",
    "few-shot learning",  # the same question twice at once
]


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


@pytest.fixture
def home(isolated_home: Path) -> Path:
    write_config(isolated_home)
    return isolated_home


def finish(procs: list, timeout: float = 120) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


def test_two_processes_started_together_respect_the_arxiv_delay(home: Path) -> None:
    """The fake's request log proves it: no two arXiv requests closer than the delay."""
    delay, s2_interval, latency = 1.0, 1.0, 0.2
    with FakeAPI(arxiv_delay=delay, s2_interval=s2_interval, latency=latency) as api:
        env = {**api.env(), "LITSCOUT_HOME": str(home), "LITSCOUT_S2_INTERVAL": str(s2_interval)}
        procs = [
            spawn(["search", query, "--json", "-n", "5"], env)
            for query in ("few-shot learning", "graph neural networks")
        ]
        results = finish(procs)
        log = api.requests
    for code, out, err in results:
        assert code == 0, err
        assert_clean(err)
        assert "429" not in err  # nobody was told off, so nobody had to retry
        assert json.loads(out)
    assert all(r.status == 200 for r in log), [(r.service, r.status) for r in log]
    arxiv = [r.t for r in log if r.service in ("arxiv", "rss")]
    s2 = [r.t for r in log if r.service == "s2"]
    assert len(arxiv) == 2 and len(s2) >= 2
    # arXiv: one connection at a time, so the next request comes `delay` after the previous
    # answer (which the fake sends `latency` after it received the request).
    assert min(gaps(arxiv)) >= delay + latency
    assert min(gaps(s2)) >= s2_interval


def test_search_and_watch_share_the_arxiv_slot(home: Path) -> None:
    """The listing feed (watch) and the API (search) count as one host."""
    delay = 1.0
    with FakeAPI(arxiv_delay=delay, s2_interval=0.0) as api:
        env = {**api.env(), "LITSCOUT_HOME": str(home), "LITSCOUT_S2_INTERVAL": "0"}
        add = ["watch", "add", "fewshot", "few-shot learning", "-c", "cs.LG"]
        code, _, err = finish([spawn(add, env)])[0]
        assert code == 0, err
        procs = [
            spawn(["watch", "run", "--json"], env),
            spawn(["search", "graph neural networks", "--json"], env),
        ]
        results = finish(procs)
        log = api.requests
    for code, _, err in results:
        assert code == 0, err
        assert_clean(err)
        assert "429" not in err
    assert {"arxiv", "rss"} <= {r.service for r in log}
    assert all(r.status == 200 for r in log), [(r.service, r.status) for r in log]
    assert min(gaps([r.t for r in log if r.service in ("arxiv", "rss")])) >= delay


def test_eight_processes_share_one_database(home: Path) -> None:
    """Five searches and three `watch run`s at once on one database (cron + a user)."""
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0, latency=0.1) as api:
        env = {**api.env(), "LITSCOUT_HOME": str(home), "LITSCOUT_S2_INTERVAL": "0"}
        for args in (["watch", "add", "fewshot", "few-shot learning"],
                     ["watch", "add", "gnn", "graph neural networks", "-c", "cs.LG"]):  # fmt: skip
            code, _, err = finish([spawn(args, env)])[0]
            assert code == 0, err
        searches = QUERIES[:5]
        procs = [spawn(["search", query, "--json", "-n", "50"], env) for query in searches]
        procs += [spawn(["watch", "run", "--json"], env) for _ in range(3)]
        results = finish(procs)
        arxiv = [r for r in api.requests if r.service in ("arxiv", "rss")]
    shown: set[str] = set()
    delivered: list[tuple[str, str]] = []
    for index, (code, out, err) in enumerate(results):
        assert code == 0, err
        assert_clean(err)
        assert "database is locked" not in err and "busy" not in err
        records = json.loads(out)
        shown |= {r["id"] for r in records}
        if index < len(searches):
            assert records
        else:
            delivered += [(r["watch"], r["id"]) for r in records]
    assert delivered, "the watches found today's papers"
    assert len(delivered) == len(set(delivered)), "a watch delivered a paper twice"
    # Every paper any process showed is in the database, once, with its FTS row.
    state = db_state(home / "litscout.db")
    assert shown <= set(state["papers"])
    assert state["fts"] == len(state["papers"])
    assert len(state["queries"]) >= len(set(searches))
    conn = sqlite3.connect(home / "litscout.db")
    try:
        dupes = conn.execute(
            "SELECT arxiv_id, count(*) FROM papers WHERE arxiv_id IS NOT NULL "
            "GROUP BY arxiv_id HAVING count(*) > 1"
        ).fetchall()
        assert dupes == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    # arXiv (API and listings) saw one connection at a time even with no delay configured:
    # each request arrived after the previous answer (sent `latency` after its request).
    assert len(arxiv) >= len(set(searches))
    assert min(gaps([r.t for r in arxiv])) >= 0.1


def test_a_long_write_does_not_break_a_reader_or_a_writer(home: Path) -> None:
    """A process holding the write lock for a while makes others wait, not fail."""
    from litscout.store.papers import PaperStore

    path = home / "litscout.db"
    PaperStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO rate_state (host, last_at) VALUES ('test', 0)")
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as api:
        env = {**api.env(), "LITSCOUT_HOME": str(home), "LITSCOUT_S2_INTERVAL": "0"}
        proc = spawn(["search", "few-shot learning", "--json", "-n", "5"], env)
        time.sleep(1.5)  # the search is now waiting for the write lock
        assert proc.poll() is None
        holder.execute("COMMIT")
        holder.close()
        code, out, err = finish([proc])[0]
    assert code == 0, err
    assert_clean(err)
    assert json.loads(out)


def test_documented_default_limits() -> None:
    from litscout.config import Network

    net = Network()
    assert net.arxiv_delay == 3.0  # arXiv: one request every three seconds
    assert net.s2_interval == 1.0  # Semantic Scholar: 1 request/s with a key
    assert net.openalex_interval == 0.1  # OpenAlex: at most 10/s
    assert net.max_retry_wait == 60.0


def test_each_service_is_spaced_by_its_own_interval(home: Path) -> None:
    """Interleaved requests to three services: each host keeps its own spacing."""
    import httpx

    from litscout import paths
    from litscout.config import Network, Settings
    from litscout.sources.http import Http

    seen: dict[str, list[float]] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        seen.setdefault(request.url.host, []).append(time.time())
        return httpx.Response(200, json={})

    settings = Settings(network=Network(s2_interval=0.3, openalex_interval=0.1, arxiv_delay=0.5))
    http = Http(settings, state_dir=paths.state_dir())
    http._client = httpx.Client(transport=httpx.MockTransport(answer))
    started = time.time()
    for _ in range(4):
        http.request("s2", "GET", "http://s2.test/x")
        for _ in range(3):
            http.request("openalex", "GET", "http://openalex.test/x")
        http.request("arxiv", "GET", "http://arxiv.test/x")
    http.close()
    assert min(gaps(seen["s2.test"])) >= 0.3
    assert min(gaps(seen["openalex.test"])) >= 0.1
    assert min(gaps(seen["arxiv.test"])) >= 0.5
    # ...and they do not wait for each other: the run takes about as long as arXiv's spacing.
    assert time.time() - started < 4 * 0.55 + 1.0
