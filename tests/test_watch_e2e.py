"""`litscout watch` end to end: the real CLI, real HTTP on loopback, the project's fake APIs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

import litscout.watch as watch_core
from conftest import fake_services
from fakeapi import FakeAPI, Fault
from litscout.cli import app
from litscout.models import RECORD_KEYS
from litscout.render import digest
from litscout.store.papers import PaperStore
from litscout.store.watches import WatchStore

WATCH_KEYS = (*RECORD_KEYS, "watch")
DAY = 86_400.0


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 1\nread_timeout = 5.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def deliver(*args: str) -> list[dict]:
    code, out, err = run("watch", "run", "--format", "json", *args)
    assert code == 0, err
    records: list[dict] = json.loads(out)
    return records


def ids_of(api: FakeAPI, *keys: str) -> set[str]:
    return {f"arXiv:{api.corpus.by_key(k).arxiv_id}" for k in keys}


def watch_store(home: Path) -> WatchStore:
    return WatchStore(PaperStore(home / "litscout.db"))


def add_fewshot() -> None:
    code, _, err = run(
        "watch", "add", "fewshot", "few-shot learning", "-c", "cs.LG", "-c", "stat.ML"
    )
    assert code == 0, err
    assert "Added watch fewshot" in err


TODAY_FEWSHOT = ("ssl-fewshot-shift", "bayes-meta")  # in today's cs.LG/stat.ML listing


def test_first_run_delivers_todays_matching_papers_and_the_second_nothing(api: FakeAPI) -> None:
    add_fewshot()
    records = deliver()
    assert {r["id"] for r in records} == ids_of(api, *TODAY_FEWSHOT)
    assert all(tuple(r) == WATCH_KEYS and r["watch"] == "fewshot" for r in records)
    assert [r["score"] for r in records] == sorted((r["score"] for r in records), reverse=True)
    assert all(r["citations"] is not None for r in records), "enriched through S2"
    # One listing request and one S2 batch request, nothing else.
    assert [r.service for r in api.requests] == ["rss", "s2"]
    assert api.requests[0].path == "/rss/cs.LG+stat.ML"
    assert api.requests[1].path.endswith("/paper/batch")

    api.clear_log()
    assert deliver() == []
    assert api.count() == 0, "the listing is cached until arXiv's next update"


def test_feed_is_fetched_once_for_all_watches_and_cross_lists_are_not_repeated(
    api: FakeAPI,
) -> None:
    add_fewshot()
    code, _, err = run("watch", "add", "meta", "meta-learning", "-c", "stat.ML", "-c", "cs.CV")
    assert code == 0, err
    records = deliver()
    assert [r.path for r in api.requests if r.service == "rss"] == ["/rss/cs.CV+cs.LG+stat.ML"]
    by_watch: dict[str, list[str]] = {}
    for r in records:
        by_watch.setdefault(r["watch"], []).append(r["id"])
    assert set(by_watch["fewshot"]) == ids_of(api, *TODAY_FEWSHOT)
    assert ids_of(api, "bayes-meta") <= set(by_watch["meta"])
    for found in by_watch.values():
        assert len(found) == len(set(found))


def test_a_gap_of_several_days_is_backfilled_through_the_api(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_fewshot()
    first = {r["id"] for r in deliver()}
    store = watch_store(isolated_home)
    week_ago = time.time() - 6 * DAY
    last_listing = datetime.fromtimestamp(week_ago, UTC).date()
    store.set_state(
        "fewshot", last_fetch=week_ago, last_success=week_ago, last_announced=last_listing
    )
    api.clear_log()

    records = deliver()
    got = {r["id"] for r in records}
    assert ids_of(api, "fsl-2day") <= got, "announced two days ago: only the API has it now"
    assert not got & first, "already delivered papers never come back"
    api_requests = [r for r in api.requests if r.service == "arxiv"]
    assert len(api_requests) == 1
    query = api_requests[0].query["search_query"][0]
    # Only what the missed listings announced, with about a day of overlap; one query for
    # the categories, each watch matched locally.
    start = time.strftime("%Y%m%d", time.gmtime(watch_core.missed_since(last_listing)))
    assert query.startswith(f"(cat:cs.LG OR cat:stat.ML) AND submittedDate:[{start}0000 TO ")
    assert api.count("rss") == 0, "today's listing was still cached"
    assert store.get("fewshot").backfill_from is None  # type: ignore[union-attr]


def test_a_crash_while_writing_the_digest_leaves_the_papers_unseen(
    api: FakeAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_fewshot()
    target = tmp_path / "digest.md"

    def crash(path: Path, text: str) -> None:
        raise digest.DigestWriteError(f"cannot write {path}: disk full")

    with monkeypatch.context() as patched:
        patched.setattr(digest, "write_atomic", crash)
        code, out, err = run("watch", "run", "--format", "json", "--markdown", str(target))
    assert code == 1
    assert "disk full" in err and out == ""

    code, out, _ = run("watch", "list", "--json")
    (row,) = json.loads(out)
    assert row["unseen"] == 2 and row["delivered"] == 0 and row["last_success"] is None

    api.clear_log()
    records = deliver("--markdown", str(target))
    assert {r["id"] for r in records} == ids_of(api, *TODAY_FEWSHOT)
    assert api.count("rss") == 0 and api.count("arxiv") == 0
    text = target.read_text()
    assert text.startswith("# litscout digest")
    for r in records:
        assert f"(<{r['url']}>)" in text
    assert deliver() == []


def test_a_digest_target_that_cannot_be_written_fails_before_fetching(
    api: FakeAPI, tmp_path: Path
) -> None:
    add_fewshot()
    code, _, err = run("watch", "run", "--markdown", str(tmp_path))
    assert code == 2 and "is a directory" in err
    code, _, err = run("watch", "run", "--atom", str(tmp_path / "missing" / "feed.xml"))
    assert code == 2 and "does not exist" in err
    (tmp_path / "notes.xml").write_text("<notes/>")
    code, _, err = run("watch", "run", "--atom", str(tmp_path / "notes.xml"))
    assert code == 2 and "not an Atom feed" in err
    assert api.count() == 0
    assert (tmp_path / "notes.xml").read_text() == "<notes/>"


def test_dry_run_shows_without_marking_and_reset_reopens(
    api: FakeAPI, isolated_home: Path, tmp_path: Path
) -> None:
    add_fewshot()
    code, out, err = run(
        "watch", "run", "--dry-run", "--json", "--markdown", str(tmp_path / "d.md")
    )
    assert code == 0, err
    assert {r["id"] for r in json.loads(out)} == ids_of(api, *TODAY_FEWSHOT)
    assert "nothing marked as seen" in err
    assert not (tmp_path / "d.md").exists()
    state = watch_store(isolated_home).get("fewshot")
    assert state is not None and state.last_run is None and state.last_fetch is None

    delivered = deliver()
    assert {r["id"] for r in delivered} == ids_of(api, *TODAY_FEWSHOT)
    assert deliver("--dry-run") == []

    code, _, err = run("watch", "reset", "fewshot", "--since", "1d")
    assert code == 0, err
    assert "Re-opened 2 paper(s)" in err
    api.clear_log()
    again = deliver()
    assert {r["id"] for r in again} >= ids_of(api, *TODAY_FEWSHOT)
    (backfill,) = [r for r in api.requests if r.service == "arxiv"]
    assert "submittedDate:[" in backfill.query["search_query"][0]
    assert deliver() == []


def run_two_at_once(api: FakeAPI) -> list[list[dict]]:
    api.latency = 0.3  # both processes are surely running at the same time
    command = [sys.executable, "-m", "litscout", "watch", "run", "--format", "json"]
    procs = [
        subprocess.Popen(
            command, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    return [json.loads(out) for out, _ in outputs]


def test_two_concurrent_runs_deliver_each_paper_exactly_once(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_fewshot()
    code, _, err = run("watch", "add", "imbalance", "class imbalance")
    assert code == 0, err
    code, _, err = run("watch", "add", "matching", "--cites", "arXiv:1606.04080")
    assert code == 0, err
    runs = run_two_at_once(api)
    delivered = [(r["watch"], r["id"]) for records in runs for r in records]
    assert len(delivered) == len(set(delivered)), "a paper was delivered twice"
    assert {i for w, i in delivered if w == "fewshot"} == ids_of(api, *TODAY_FEWSHOT)
    assert {i for w, i in delivered if w == "imbalance"} >= ids_of(api, "logit-adjust-ssl")
    assert {i for w, i in delivered if w == "matching"} >= ids_of(api, "fsl-2day")
    assert sorted(len(records) for records in runs)[0] == 0, "the second run found nothing new"
    assert api.count("rss") == 1, "the second run used the first one's listing"
    assert api.count("s2") == 2, "citations and one batch, asked by one process only"
    store = watch_store(isolated_home)
    for name in ("fewshot", "imbalance", "matching"):
        assert set(store.status_of(name).values()) == {"delivered"}
    assert store.unseen_counts() == {}


def test_concurrent_runs_of_citation_watches_take_turns(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no S2 spacing, both processes are served at the same moment (arXiv's one-connection
    # rule does not apply to S2), so without the run lock both would print the same papers.
    monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
    for name, cited in (("matching", "arXiv:1606.04080"), ("protonets", "arXiv:1703.05175")):
        code, _, err = run("watch", "add", name, "--cites", cited)
        assert code == 0, err
    runs = run_two_at_once(api)
    delivered = [(r["watch"], r["id"]) for records in runs for r in records]
    assert delivered, "citing papers were found"
    assert len(delivered) == len(set(delivered)), "a paper was delivered twice"
    assert [len(records) == 0 for records in runs].count(True) == 1
    assert api.count("s2") == 2, "one citations request per watch: the second run waited"


def test_atom_feed_parses_and_keeps_older_entries_across_runs(api: FakeAPI, tmp_path: Path) -> None:
    feed_path = tmp_path / "litscout.xml"
    add_fewshot()
    first = deliver("--atom", str(feed_path))
    code, _, err = run("watch", "add", "imbalance", "class imbalance")
    assert code == 0, err
    second = deliver("--atom", str(feed_path), "--atom-url", "https://example.org/litscout.xml")
    assert first and second
    parsed = feedparser.parse(str(feed_path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    entry_ids = [e.id for e in parsed.entries]
    assert len(entry_ids) == len(set(entry_ids))
    assert entry_ids[: len(second)] == [r["url"] for r in second], "newest first"
    assert set(entry_ids[len(second) :]) == {r["url"] for r in first}, "older entries survive"
    assert {"href": "https://example.org/litscout.xml"}.items() <= next(
        link for link in parsed.feed.links if link.rel == "self"
    ).items()
    for entry in parsed.entries:
        assert entry.title and entry.updated and entry.link and entry.summary and entry.author


def test_atom_keeps_only_the_configured_number_of_entries(
    api: FakeAPI, tmp_path: Path, isolated_home: Path
) -> None:
    config = isolated_home / "config.toml"
    config.write_text(config.read_text() + "[watch]\natom_entries = 1\n")
    add_fewshot()
    feed_path = tmp_path / "feed.xml"
    records = deliver("--atom", str(feed_path))
    assert len(records) == 2
    assert [e.id for e in feedparser.parse(str(feed_path)).entries] == [records[0]["url"]]


def test_citation_watch_asks_s2_for_a_recent_window(api: FakeAPI) -> None:
    code, _, err = run("watch", "add", "matching", "--cites", "arXiv:1606.04080")
    assert code == 0, err
    records = deliver()
    (request,) = [r for r in api.requests if "/citations" in r.path]
    assert request.path.endswith("/paper/ARXIV:1606.04080/citations")
    window = request.query["publicationDateOrYear"][0]
    assert window.endswith(":")
    since = time.strptime(window[:-1], "%Y-%m-%d")
    assert 25 <= (time.time() - time.mktime(since)) / DAY <= 35
    assert records and all(r["watch"] == "matching" for r in records)
    assert all(r["age_days"] is None or r["age_days"] <= 40 for r in records)
    assert deliver() == []


def test_a_failed_fetch_is_loud_and_the_gap_is_filled_later(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_fewshot()
    deliver()
    store = watch_store(isolated_home)
    long_ago = time.time() - 5 * DAY
    last_listing = datetime.fromtimestamp(long_ago, UTC).date()
    store.set_state(
        "fewshot", last_fetch=long_ago, last_success=long_ago, last_announced=last_listing
    )
    api.inject("arxiv", Fault(status=503, times=10))
    code, out, err = run("watch", "run", "--refresh", "--format", "json")
    assert code == 3, err
    assert json.loads(out) == []
    assert "stale" in err and "fewshot" in err
    code, out, _ = run("watch", "list", "--json")
    (row,) = json.loads(out)
    assert row["stale"] is True and "503" in row["last_error"]
    state = store.get("fewshot")
    assert state is not None and state.last_fetch == pytest.approx(long_ago)
    api.clear_faults()
    records = deliver()
    assert ids_of(api, "fsl-2day") <= {r["id"] for r in records}, "the gap is backfilled"
    (row,) = json.loads(run("watch", "list", "--json")[1])
    assert row["stale"] is False and row["last_error"] is None


def test_table_output_has_a_header_per_watch(api: FakeAPI) -> None:
    add_fewshot()
    code, out, err = run("watch", "run", "--format", "table")
    assert code == 0, err
    assert "fewshot · 2 new papers (first run)" in out
    code, out, _ = run("watch", "run", "--format", "table")
    assert "fewshot · 0 new papers since" in out and "No papers found." not in out
    code, out, _ = run("watch", "list", "--format", "table")
    assert "fewshot" in out and "few-shot learning" in out and "never" not in out


def test_bad_input_is_exit_2_and_changes_nothing(api: FakeAPI, isolated_home: Path) -> None:
    add_fewshot()
    before = run("watch", "export")[1]
    cases = [
        ("watch", "add", "fewshot", "another topic"),
        ("watch", "add", "new", ""),
        ("watch", "add", "new", "topic", "-c", "cs.NOPE"),
        ("watch", "add", "new", "ti:(open"),
        ("watch", "add", "new", "topic", "--min-score", "2"),
        ("watch", "add", "bad name", "topic"),
        ("watch", "add", "new", "--cites", "not-an-id"),
        ("watch", "run", "nosuch"),
        ("watch", "run", "--fields", "colour"),
        ("watch", "remove", "nosuch"),
        ("watch", "reset", "nosuch", "--since", "1d"),
        ("watch", "reset", "fewshot", "--since", "yesterday-ish"),
    ]
    for args in cases:
        code, out, err = run(*args)
        assert code == 2, (args, err)
        assert err.startswith("Error: ") or "Usage:" in err, (args, err)
    assert run("watch", "export")[1] == before
    assert api.count() == 0


def test_export_import_round_trip_and_all_or_nothing_import(api: FakeAPI, tmp_path: Path) -> None:
    add_fewshot()
    assert run("watch", "add", "matching", "--cites", "1606.04080", "--min-score", "0.3")[0] == 0
    assert run("watch", "add", "quoted", 'ti:"graph neural" ANDNOT au:smith')[0] == 0
    exported = tmp_path / "watches.toml"
    code, _, err = run("watch", "export", "-o", str(exported))
    assert code == 0, err
    for name in ("fewshot", "matching", "quoted"):
        assert run("watch", "remove", name)[0] == 0
    assert json.loads(run("watch", "list", "--json")[1]) == []
    code, _, err = run("watch", "import", str(exported))
    assert code == 0 and "3 added" in err, err
    assert run("watch", "export")[1] == exported.read_text()
    code, _, err = run("watch", "import", "-", stdin=exported.read_text())
    assert code == 0 and "3 unchanged" in err

    conflicting = exported.read_text().replace("few-shot learning", "zero-shot learning")
    conflicting += '\n[[watch]]\nname = "brandnew"\nquery = "graphs"\n'
    code, _, err = run("watch", "import", "-", stdin=conflicting)
    assert code == 2 and "already exists" in err
    assert "brandnew" not in run("watch", "export")[1], "nothing was imported"
    code, _, err = run("watch", "import", "-", "--replace", stdin=conflicting)
    assert code == 0 and "1 added, 1 updated, 2 unchanged" in err
    assert 'query = "zero-shot learning"' in run("watch", "export")[1]
    code, _, err = run("watch", "import", str(tmp_path / "missing.toml"))
    assert code == 2 and "cannot read" in err


def test_removing_a_watch_forgets_its_history(api: FakeAPI, isolated_home: Path) -> None:
    add_fewshot()
    deliver()
    code, _, err = run("watch", "remove", "fewshot")
    assert code == 0 and "2 paper(s)" in err
    add_fewshot()
    assert {r["id"] for r in deliver()} == ids_of(api, *TODAY_FEWSHOT)


def test_no_watches_is_a_normal_empty_result(api: FakeAPI) -> None:
    code, out, err = run("watch", "run", "--json")
    assert code == 0 and "No watches yet" in err
    code, out, err = run("watch", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_min_score_leaves_weak_papers_out_for_good_until_reset(
    api: FakeAPI, isolated_home: Path
) -> None:
    code, _, err = run(
        "watch", "add", "picky", "few-shot learning", "-c", "cs.LG", "--min-score", "0.99"
    )
    assert code == 0, err
    code, out, err = run("watch", "run", "--format", "table")
    assert code == 0, err
    assert "picky · 0 new papers (first run) · 2 below min score" in out
    store = watch_store(isolated_home)
    assert set(store.status_of("picky").values()) == {"filtered"}
    assert store.unseen_counts() == {}
    assert deliver() == []
    assert run("watch", "reset", "picky", "--since", "1d")[0] == 0
    records = deliver("--min-score", "0")  # a run's own floor overrides the watch's
    assert {r["id"] for r in records} == ids_of(api, *TODAY_FEWSHOT)


def test_running_one_watch_reuses_the_listing_fetched_for_all(api: FakeAPI) -> None:
    add_fewshot()
    code, _, err = run("watch", "add", "vision", "few-shot detection", "-c", "cs.CV")
    assert code == 0, err
    deliver()
    assert [r.path for r in api.requests if r.service == "rss"] == ["/rss/cs.CV+cs.LG+stat.ML"]
    assert run("watch", "reset", "fewshot", "--since", "1d")[0] == 0
    api.clear_log()
    records = deliver("fewshot", "--refresh")
    assert [r.path for r in api.requests if r.service == "rss"] == ["/rss/cs.LG+stat.ML"]
    assert {r["id"] for r in records} >= ids_of(api, *TODAY_FEWSHOT)
    assert run("watch", "reset", "fewshot", "--since", "1d")[0] == 0
    api.clear_log()
    records = deliver("fewshot")
    assert api.count("rss") == 0, "a cached listing of a superset of the categories serves"
    assert {r["id"] for r in records} >= ids_of(api, *TODAY_FEWSHOT)


def test_an_empty_listing_does_not_count_as_reading_the_day(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_fewshot()
    deliver()
    store = watch_store(isolated_home)
    read = store.get("fewshot")
    assert read is not None and read.last_announced is not None
    api.inject("rss", Fault(kind="empty_feed"))
    assert deliver("--refresh") == []
    after = store.get("fewshot")
    assert after is not None and after.last_announced == read.last_announced
    assert after.last_fetch is not None and after.last_fetch > read.last_fetch  # type: ignore[operator]


def test_an_empty_api_answer_costs_one_request_and_is_asked_again_next_day(
    api: FakeAPI, isolated_home: Path
) -> None:
    code, _, err = run("watch", "add", "imbalance", "class imbalance")
    assert code == 0, err
    api.inject("arxiv", Fault(kind="empty_feed"))
    assert deliver() == []
    assert api.count("arxiv") == 1, "at most one request per watch and run"
    store = watch_store(isolated_home)
    owed = store.get("imbalance")
    assert owed is not None and owed.backfill_from is not None
    assert owed.backfill_retry is not None and owed.backfill_retry > time.time()
    api.clear_log()
    assert deliver() == [] and api.count() == 0, "not asked again on the same day"
    store.set_state("imbalance", backfill_retry=time.time() - 1)  # the next announcement day
    records = deliver()
    assert ids_of(api, "logit-adjust-ssl") <= {r["id"] for r in records}
    (request,) = [r for r in api.requests if r.service == "arxiv"]
    start = time.strftime("%Y%m%d%H%M", time.gmtime(owed.backfill_from))
    assert f"submittedDate:[{start} TO " in request.query["search_query"][0]
    done = store.get("imbalance")
    assert done is not None and done.backfill_from is None and done.backfill_retry is None
    api.clear_log()
    assert deliver() == [] and api.count() == 0, "fetched today: nothing to ask"


@pytest.mark.parametrize("kind", ["truncated", "html"])
def test_a_broken_listing_fails_the_run_instead_of_delivering_half_a_day(
    api: FakeAPI, isolated_home: Path, kind: str
) -> None:
    add_fewshot()
    # A cut-off answer is asked for once more; an HTML page is not.
    api.inject("rss", Fault(kind=kind, times=2 if kind == "truncated" else 1))
    code, out, err = run("watch", "run", "--json")
    assert code == 3, err
    assert json.loads(out) == [] and "Error:" in err
    state = watch_store(isolated_home).get("fewshot")
    assert state is not None and state.last_fetch is None and state.last_error
    assert {r["id"] for r in deliver()} == ids_of(api, *TODAY_FEWSHOT)


def test_quiet_run_writes_the_files_and_prints_nothing(api: FakeAPI, tmp_path: Path) -> None:
    add_fewshot()
    target = tmp_path / "digest.md"
    code, out, err = run("watch", "run", "-q", "--markdown", str(target))
    assert code == 0, err
    assert out == ""
    assert target.read_text().count("https://arxiv.org/abs/") == 2
    code, out, err = run("watch", "run", "-q", "--markdown", str(target))
    assert code == 0 and out == ""
    assert "No new papers." in target.read_text()


def test_a_run_killed_midway_loses_nothing_and_leaves_no_stuck_lock(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_fewshot()
    api.latency = 2.0
    command = [sys.executable, "-m", "litscout", "watch", "run", "--format", "json"]
    proc = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while api.count("s2") == 0 and time.monotonic() < deadline:  # killed in its last request
        time.sleep(0.05)
    proc.kill()
    out, _ = proc.communicate(timeout=10)
    assert out == "" and proc.returncode != 0
    state = watch_store(isolated_home)
    assert set(state.status_of("fewshot").values()) <= {"pending"}
    api.latency = 0.0
    started = time.monotonic()
    assert {r["id"] for r in deliver()} == ids_of(api, *TODAY_FEWSHOT)
    assert time.monotonic() - started < 10, "the dead run's lock was released by the OS"
