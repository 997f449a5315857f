"""Fault suite, round two: no silent hangs, no rate-limit slips, no watch ruined by one typo.

One section per defect of issue 16, each through the real CLI (or the real limiter) and, where
the network is involved, real sockets to the project's fake services.
"""

from __future__ import annotations

import errno
import json
import math
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import fake_services
from fakeapi import FakeAPI, Fault
from litscout import config, paths
from litscout.sources.http import Http
from litscout.sources.limiter import RateLimiter, Service
from litscout.sources.ratestate import RateState
from litscout.store.papers import PaperStore
from litscout.store.watches import WatchStore
from reliability import REPO, assert_clean, run, spawn, write_config

QUERY = "few-shot learning"
CITED = "arXiv:1606.04080"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        write_config(isolated_home)
        yield fake


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def finish(procs: list[subprocess.Popen[str]], timeout: float = 120) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


# -- 1. a lock held by a stopped process: bounded, spoken, the other source goes on ---------

HOLDER = """
import os, signal, sys
from pathlib import Path
from litscout import locks
with locks.hold(Path(sys.argv[1]), 5):
    print("held", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)  # like Ctrl-Z in the middle of a request
"""


@pytest.fixture
def stopped_holder() -> Iterator[Any]:
    """Start a process that takes a lock file and stops itself while holding it."""
    procs: list[subprocess.Popen[str]] = []

    def start(path: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO
        )
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


def test_arxiv_lock_held_by_a_stopped_process_is_given_up_on_and_named(
    api: FakeAPI, stopped_holder: Any
) -> None:
    holder = stopped_holder(paths.state_dir() / "arxiv.lock")
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    elapsed = time.monotonic() - started
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    # FAST_NETWORK: one request can hold arXiv's connection for 2 + 1 + 1 (+1) seconds at most.
    assert 5.0 <= elapsed < 15
    assert f"pid {holder.pid}" in result.stderr
    assert "arXiv: another litscout process" in result.stderr and "waiting up to" in result.stderr
    assert "gave up waiting" in result.stderr and "continuing without arXiv" in result.stderr
    assert api.count("arxiv") == 0
    assert all("s2" in r["sources"] for r in result.records())


def test_lock_waits_restart_per_holder_so_processes_taking_turns_never_time_out(
    tmp_path: Path,
) -> None:
    from litscout import locks

    path = tmp_path / "x.lock"
    stop = threading.Event()

    def churn() -> None:  # someone else takes the lock over and over, briefly each time
        while not stop.is_set():
            with locks.hold(path, 5):
                time.sleep(0.15)
            time.sleep(0.01)

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        time.sleep(0.05)
        told: list[tuple[str, float]] = []
        with locks.hold(path, 10, hold_limit=0.5, on_wait=lambda h, b: told.append((h, b))):
            pass  # got it, although each holder kept it only briefly and the wait was long
    finally:
        stop.set()
        worker.join()
    assert told and told[0][0] == f" (pid {os.getpid()})"


def test_the_watch_lock_of_a_stopped_run_is_bounded_and_named(
    api: FakeAPI, isolated_home: Path, stopped_holder: Any
) -> None:
    (isolated_home / "config.toml").write_text("[watch]\nlock_timeout = 1.0\n")
    assert run("watch", "add", "fewshot", QUERY, "-c", "cs.LG").code == 0
    holder = stopped_holder(isolated_home / "watch.lock")
    started = time.monotonic()
    result = run("watch", "run", "--json")
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert_clean(result.stderr)
    assert f"pid {holder.pid}" in result.stderr and "still running" in result.stderr


# -- 2. S2 spacing counts from the send: a slow-connecting proxy in front of the fake -------


class SlowProxy:
    """A TCP proxy on loopback whose every new connection takes `delay` to be set up."""

    def __init__(self, upstream: int, delay: float) -> None:
        self.upstream = upstream
        self.delay = delay
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        time.sleep(self.delay)  # the request bytes wait in the client's socket meanwhile
        server = socket.create_connection(("127.0.0.1", self.upstream))
        self.sockets += [client, server]
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass


def test_s2_gaps_measured_at_the_service_hold_behind_a_slow_connecting_proxy(
    isolated_home: Path,
) -> None:
    """Two processes, three S2 requests each, 300 ms of connection set-up: never a 429."""
    interval = 1.0
    write_config(isolated_home, read_timeout=5.0)
    with FakeAPI(s2_interval=interval) as api:
        proxy = SlowProxy(api.port, 0.3)
        try:
            env = {
                **api.env(),
                "LITSCOUT_S2_API_URL": f"http://127.0.0.1:{proxy.port}",
                "LITSCOUT_S2_INTERVAL": str(interval),
            }
            procs = [spawn(["cites", CITED, "--json", "-n", "5"], env) for _ in range(2)]
            results = finish(procs)
        finally:
            proxy.close()
        log = [r for r in api.requests if r.service == "s2"]
    for code, out, err in results:
        assert code == 0, err
        assert_clean(err)
        assert "429" not in err
        assert json.loads(out)
    assert len(log) >= 4 and all(r.status == 200 for r in log), [(r.t, r.status) for r in log]
    assert min(gaps([r.t for r in log])) >= interval


def test_a_fresh_connection_holds_others_back_until_it_is_answered() -> None:
    """The send gate in isolation: the hold, its release, and the margin (a share)."""
    now = [1000.0]
    limiter = RateLimiter(
        RateState(), clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    s2 = Service("Semantic Scholar", "s2", 1.0)
    hold = limiter.sending(s2, fresh=True, longest=40.0)
    assert hold == 1040.0
    now[0] += 0.3  # the answer comes 0.3 s later
    limiter.settle(s2, hold)
    assert limiter.sending(s2, fresh=False, longest=40.0) is None
    assert now[0] == pytest.approx(1000.3 + 1.1)  # counted from the answer, 10 % margin
    assert Service("arXiv", "arxiv", 3.0).gap == pytest.approx(3.3)


# -- 3. watch reset into the future; a stuck watch is an error in `watch list` --------------


def test_watch_reset_to_a_future_date_is_a_usage_error(api: FakeAPI, isolated_home: Path) -> None:
    assert run("watch", "add", "fewshot", QUERY, "-c", "cs.LG").code == 0
    result = run("watch", "reset", "fewshot", "--since", "2099-01-01")
    assert result.code == 2
    assert "--since 2099-01-01 is in the future" in result.stderr
    state = WatchStore(PaperStore(isolated_home / "litscout.db")).get("fewshot")
    assert state is not None and state.backfill_from is None


def test_a_watch_that_cannot_make_progress_is_an_error_in_list_and_run(
    api: FakeAPI, isolated_home: Path
) -> None:
    assert run("watch", "add", "imbalance", "class imbalance").code == 0
    store = WatchStore(PaperStore(isolated_home / "litscout.db"))
    store.set_state("imbalance", backfill_from=4070908800.0)  # 2099-01-01, from an old typo
    listed = run("watch", "list", "--json")
    assert listed.code == 0
    (row,) = json.loads(listed.stdout)
    assert row["stuck"] is True and row["stale"] is True
    assert "cannot make progress" in row["last_error"] and "2099-01-01" in row["last_error"]
    assert "watch reset imbalance --since" in row["last_error"]
    assert "Error: watch imbalance cannot make progress" in listed.stderr
    table = run("watch", "list", "--format", "table")
    assert "ERROR" in table.stdout
    ran = run("watch", "run", "--json")
    assert ran.code == 3 and "cannot make progress" in ran.stderr
    assert api.count("arxiv") == 0, "the same useless request is not sent again"
    assert run("watch", "reset", "imbalance", "--since", "7d").code == 0
    assert json.loads(run("watch", "list", "--json").stdout)[0]["stuck"] is False


def test_a_last_fetch_in_the_future_is_stuck_until_reset(api: FakeAPI, isolated_home: Path) -> None:
    """A watch without categories fetched "today" forever: the clock was wrong once."""
    assert run("watch", "add", "imbalance", "class imbalance").code == 0
    store = WatchStore(PaperStore(isolated_home / "litscout.db"))
    store.set_state("imbalance", last_fetch=time.time() + 400 * 86_400)
    (row,) = json.loads(run("watch", "list", "--json").stdout)
    assert row["stuck"] is True and "last fetch is dated" in row["last_error"]
    assert run("watch", "run", "--json").code == 3 and api.count() == 0
    assert run("watch", "reset", "imbalance", "--since", "7d").code == 0
    ran = run("watch", "run", "--json")
    assert ran.code == 0, ran.stderr
    assert api.count("arxiv") == 1
    (row,) = json.loads(run("watch", "list", "--json").stdout)
    assert row["stuck"] is False and row["last_error"] is None


# -- 4. arXiv delay, intervals, timeouts: documented ranges; the limiter is never off -------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LITSCOUT_ARXIV_DELAY", "300"),
        ("LITSCOUT_ARXIV_DELAY", "1e9"),
        ("LITSCOUT_ARXIV_DELAY", "inf"),
        ("LITSCOUT_ARXIV_DELAY", "nan"),
        ("LITSCOUT_ARXIV_DELAY", "-1"),
        ("LITSCOUT_S2_INTERVAL", "1e400"),
        ("LITSCOUT_S2_INTERVAL", "61"),
    ],
)
def test_delays_outside_the_documented_range_are_refused(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    result = run("search", QUERY, "--json")
    assert result.code == 2
    assert_clean(result.stderr)
    assert f"${name}" in result.stderr
    assert api.count() == 0


def test_a_long_delay_keeps_the_limiter_on() -> None:
    """The longest accepted delay: the next request still waits all of it (no 'stale' slot)."""
    settings_ = config.load([], {"LITSCOUT_ARXIV_DELAY": "120"})
    http = Http(settings_)
    now = [1.7e9]
    http.limiter.clock = lambda: now[0]
    http.limiter.sleep = lambda s: now.__setitem__(0, now[0] + s)
    arxiv = http.services["arxiv"]
    sent = []
    for _ in range(3):
        with http.limiter.turn(arxiv):
            sent.append(now[0])
            now[0] += 1.0  # the request takes a second
    assert min(gaps(sent)) >= 120


# -- 5. first open of a new database by 8 processes at once ----------------------------------

OPENER = """
import sys, time
from litscout.store.papers import PaperStore
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
PaperStore(sys.argv[1]).close()
"""


def test_eight_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    for round_ in range(3):
        path = tmp_path / f"new{round_}.db"
        at = time.time() + 1.5  # all start at the same moment, imports done
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path), str(at)],
                stderr=subprocess.PIPE,
                text=True,
                cwd=REPO,
            )
            for _ in range(8)
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_the_switch_to_wal_waits_for_a_writer_instead_of_failing(tmp_path: Path) -> None:
    """SQLite answers "locked" at once here (no busy handler): the open must retry."""
    path = tmp_path / "litscout.db"
    with PaperStore(path) as store:
        store.conn.execute("PRAGMA journal_mode = DELETE")  # as before the first WAL switch
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO query_cache VALUES ('k', 0, '[]', '[]')")
    threading.Timer(0.5, lambda: writer.execute("COMMIT")).start()
    started = time.monotonic()
    with PaperStore(path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.cached_query("k") is not None
    assert time.monotonic() - started >= 0.4
    writer.close()


# -- 6. disk full ----------------------------------------------------------------------------


def test_disk_full_says_disk_full_with_the_path_and_free_space(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own SQLITE_FULL (max_page_count): it has rolled back before we could."""
    original = PaperStore.__init__

    def tiny(self: PaperStore, path: Any) -> None:
        original(self, path)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    assert run("search", "graph neural networks", "--json").code == 0  # the schema exists
    monkeypatch.setattr(PaperStore, "__init__", tiny)
    result = run("search", QUERY, "--json", "--refresh")
    assert result.code == 1
    assert_clean(result.stderr)
    assert "disk full" in result.stderr and str(isolated_home / "litscout.db") in result.stderr
    assert "free on that disk" in result.stderr
    assert "rollback" not in result.stderr.lower()


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or sys.platform != "linux":
        pytest.skip("mounting a tmpfs needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_real_full_disk(api: FakeAPI, tiny_tmpfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Searches into a 600 KB home until it is full: then one disk-full line, nothing else."""
    home = tiny_tmpfs / "home"
    write_config(home)
    monkeypatch.setenv("LITSCOUT_HOME", str(home))
    for query in (QUERY, "graph neural networks", "class imbalance", "meta-learning"):
        result = run("search", query, "--json", "-n", "100")
        assert_clean(result.stderr)
        assert "rollback" not in result.stderr.lower()
        if result.code != 0:
            break
    assert result.code == 1, "the tiny disk filled up"
    assert f"disk full: cannot write the database at {home / 'litscout.db'}" in result.stderr
    assert "free on that disk" in result.stderr


def test_no_room_for_the_pid_in_the_watch_lock_is_not_an_error(
    api: FakeAPI, isolated_home: Path
) -> None:
    assert run("watch", "add", "fewshot", QUERY, "-c", "cs.LG").code == 0
    (isolated_home / "watch.lock").symlink_to("/dev/full")  # every write: ENOSPC
    result = run("watch", "run", "--json")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert json.loads(result.stdout)


def test_enospc_anywhere_is_a_disk_full_line(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import litscout.watch as watch

    target = isolated_home / "watch.lock"

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(watch, "run", full)
    assert run("watch", "add", "fewshot", QUERY).code == 0
    result = run("watch", "run")
    assert result.code == 1
    assert_clean(result.stderr)
    assert f"disk full: cannot write {target}" in result.stderr


# -- 7. keys only to their own origin; passwords in URLs never printed ----------------------


def test_the_s2_key_does_not_follow_a_redirect_to_another_origin(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2_API_KEY", "sekrit-key")
    with FakeAPI() as other:
        target = f"{other.url}/graph/v1/paper/search?query=few-shot&limit=5&fields=title"
        api.inject("s2", Fault(status=307, headers={"Location": target}, times=100))
        result = run("search", QUERY, "--json")
        assert result.code == 0, result.stderr
        moved = [r for r in other.requests if r.service == "s2"]
    assert moved, "the redirect was followed"
    assert all("x-api-key" not in r.headers for r in moved)
    assert all(
        r.headers.get("x-api-key") == "sekrit-key" for r in api.requests if r.service == "s2"
    )


def test_the_openalex_key_does_not_follow_a_redirect_to_another_origin(api: FakeAPI) -> None:
    from litscout.config import Settings, Sources

    with FakeAPI() as other:
        target = f"{other.url}/openalex/works/doi:10.48550/arXiv.1606.04080?api_key=k1"
        api.inject("openalex", Fault(status=302, headers={"Location": target}))
        sources = Sources(openalex_api_url=f"{api.url}/openalex")
        http = Http(Settings(sources=sources, openalex_api_key="k1"))
        status, _ = http.request(
            "openalex",
            "GET",
            f"{api.url}/openalex/works/doi:10.48550/arXiv.1606.04080",
            params={"api_key": "k1"},
        )
        http.close()
        moved = other.requests
    assert status == 200 and moved
    assert all("api_key" not in r.query for r in moved)
    assert api.requests[0].query["api_key"] == ["k1"]


def test_passwords_in_configured_urls_are_masked_in_config(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "http://me:hunter2@127.0.0.1:9/")
    monkeypatch.delenv("LITSCOUT_ARXIV_API_URL")  # the file's URL is the one in force
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text(
        '[sources]\narxiv_api_url = "https://me:hunter2@export.arxiv.org/api/query"\n'
    )
    for args in (["config"], ["config", "--json"]):
        result = run(*args)
        assert result.code == 0, result.stderr
        assert "hunter2" not in result.stdout + result.stderr
        assert "***@127.0.0.1:9" in result.stdout and "***@export.arxiv.org" in result.stdout
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "ftp://me:hunter2@127.0.0.1:9/")
    result = run("config")
    assert result.code == 2 and "hunter2" not in result.stderr and "***@" in result.stderr


# -- 8. a 200 whose body does not parse is asked for once more -------------------------------


@pytest.mark.parametrize("kind", ["truncated", "malformed_json"])
def test_a_200_with_a_broken_body_is_retried_once(api: FakeAPI, kind: str) -> None:
    api.inject("s2", Fault(kind=kind, times=1))
    result = run("cites", CITED, "--json", "-n", "5")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert "before retry 1/1" in result.stderr
    assert result.records()


# -- 9. a new watch's empty first listing is not the day's answer ----------------------------


def test_an_empty_first_listing_is_asked_again_and_the_gap_backfilled(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    network = "backoff_base = 0.01\nretries = 1\nread_timeout = 5.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        assert run("watch", "add", "fewshot", QUERY, "-c", "cs.LG", "-c", "stat.ML").code == 0
        fake.inject("rss", Fault(kind="empty_feed"))
        first = run("watch", "run", "--json")
        assert first.code == 0, first.stderr
        assert json.loads(first.stdout) == []
        state = WatchStore(PaperStore(isolated_home / "litscout.db")).get("fewshot")
        assert state is not None and state.backfill_from is not None
        fake.clear_log()
        second = run("watch", "run", "--json")
        assert second.code == 0, second.stderr
        assert fake.count("rss") == 1, "the empty listing was not cached as the day's answer"
        (backfill,) = [r for r in fake.requests if r.service == "arxiv"]
        assert "submittedDate:[" in backfill.query["search_query"][0]
        today = {f"arXiv:{fake.corpus.by_key(k).arxiv_id}" for k in ("ssl-fewshot-shift",)}
        assert today <= {r["id"] for r in json.loads(second.stdout)}


# -- 10. config values that would crash: refused at load time, exit 2 ------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[ranking]\nprior_years = 0\n", "[ranking] prior_years = 0.0"),
        ("[network]\nread_timeout = 0\n", "[network] read_timeout = 0.0"),
        ("[network]\nconnect_timeout = 0\n", "[network] connect_timeout = 0.0"),
        ('[sources]\ns2_api_url = "ftp://example.org"\n', "is not an http(s) URL"),
        ('[sources]\narxiv_feed_url = "not-a-url"\n', "is not an http(s) URL"),
    ],
)
def test_config_values_that_would_crash_are_refused(
    api: FakeAPI, isolated_home: Path, text: str, fragment: str
) -> None:
    (isolated_home / "config.toml").write_text(text)
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 2
    assert time.monotonic() - started < 3
    assert_clean(result.stderr)
    assert fragment in result.stderr and str(isolated_home / "config.toml") in result.stderr
    assert api.count() == 0


@pytest.mark.parametrize("value", ["ftp://127.0.0.1/x", "not-a-url", "http://", "http://h:port/"])
def test_source_urls_from_the_environment_must_be_http(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("LITSCOUT_S2_API_URL", value)
    started = time.monotonic()
    result = run("search", QUERY, "--json")
    assert result.code == 2
    assert time.monotonic() - started < 3
    assert "$LITSCOUT_S2_API_URL" in result.stderr and "Hint:" in result.stderr
    assert api.count() == 0


# -- 11. database identity: newer schema, foreign file -- refused, untouched -----------------


def test_a_database_from_a_newer_litscout_is_refused_untouched(
    api: FakeAPI, isolated_home: Path
) -> None:
    path = isolated_home / "litscout.db"
    PaperStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run("search", QUERY, "--json")
    assert result.code == 1
    assert_clean(result.stderr)
    assert "made by a newer litscout" in result.stderr
    assert "upgrade litscout, or point LITSCOUT_HOME elsewhere" in result.stderr
    assert path.read_bytes() == before
    assert api.count() == 0


def test_a_foreign_sqlite_file_is_refused_untouched(api: FakeAPI, isolated_home: Path) -> None:
    path = isolated_home / "litscout.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('mine')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run("search", QUERY, "--json")
    assert result.code == 1
    assert_clean(result.stderr)
    assert "another program" in result.stderr and "notes" in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in isolated_home.iterdir()) == ["config.toml", "litscout.db"]


# -- 12. the limiter is per user account, not per home ---------------------------------------


def test_two_homes_share_one_limiter(tmp_path: Path) -> None:
    delay = 1.0
    homes = [tmp_path / "home-a", tmp_path / "home-b"]
    for home in homes:
        write_config(home)
    with FakeAPI(arxiv_delay=delay) as api:
        procs = [
            spawn(
                ["search", query, "--json", "-n", "5"],
                {**api.env(), "LITSCOUT_HOME": str(home), "LITSCOUT_S2_INTERVAL": "0"},
            )
            for home, query in zip(homes, (QUERY, "graph neural networks"), strict=True)
        ]
        results = finish(procs)
        arxiv = [r for r in api.requests if r.service == "arxiv"]
    for code, _, err in results:
        assert code == 0, err
        assert "429" not in err
    assert len(arxiv) == 2 and all(r.status == 200 for r in arxiv)
    assert min(gaps([r.t for r in arxiv])) >= delay


def test_the_state_dir_is_the_platforms_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    assert paths.state_dir() == tmp_path / "state"  # conftest gives every test its own
    assert json.loads(run("config", "--json").stdout)["state"] == str(tmp_path / "state")
    monkeypatch.delenv("LITSCOUT_STATE_DIR")
    assert paths.state_dir() == Path(platformdirs.user_state_dir("litscout", appauthor=False))
    monkeypatch.setenv("LITSCOUT_HOME", str(tmp_path / "elsewhere"))
    assert paths.state_dir() == Path(platformdirs.user_state_dir("litscout", appauthor=False))


# -- property: no accepted configuration lets two arXiv requests come closer than the delay --

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=400),
    st.sampled_from([0, 0.05, 3, 119.99, 120, 120.01, 240, 241, 300, 1e9]),
)


def _toml(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    delay=NUMBERS,
    max_retry_wait=NUMBERS,
    max_total_wait=NUMBERS,
    read_timeout=NUMBERS,
    backoff_base=NUMBERS,
    steps=st.lists(
        st.tuples(
            st.integers(0, 1),  # which of two processes
            st.floats(0, 400),  # idle time before the request
            st.floats(0, 60),  # how long the request takes
            st.booleans(),  # answered 429
        ),
        min_size=2,
        max_size=10,
    ),
)
def test_no_accepted_configuration_lets_arxiv_requests_come_closer_than_the_delay(
    delay: float,
    max_retry_wait: float,
    max_total_wait: float,
    read_timeout: float,
    backoff_base: float,
    steps: list[tuple[int, float, float, bool]],
) -> None:
    import tempfile

    text = "[network]\n" + "".join(
        f"{key} = {_toml(value)}\n"
        for key, value in (
            ("arxiv_delay", delay),
            ("max_retry_wait", max_retry_wait),
            ("max_total_wait", max_total_wait),
            ("read_timeout", read_timeout),
            ("backoff_base", backoff_base),
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(text)
        try:
            accepted = config.load([path], {})
        except config.ConfigError:
            return  # refused at the door
    now = [1.7e9]
    shared = RateState()
    processes = []
    for _ in range(2):
        http = Http(accepted)
        http.limiter.state = shared
        http.limiter.clock = lambda: now[0]
        http.limiter.sleep = lambda s: now.__setitem__(0, now[0] + max(s, 0.0))
        processes.append(http)
    sent: list[float] = []
    for which, idle, duration, refused in steps:
        http = processes[which]
        arxiv = http.services["arxiv"]
        now[0] += idle
        with http.limiter.turn(arxiv):
            sent.append(now[0])
            now[0] += duration
        if refused:  # as Retrying.run does after a 429
            pause = http.retrying._pause(1, None, arxiv)
            http.limiter.back_off(arxiv, pause)
            now[0] += pause
    assert min(gaps(sent)) >= accepted.network.arxiv_delay
