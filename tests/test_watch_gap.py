"""Watches after a gap: one combined backfill, every page, nothing re-asked without cause.

Real CLI, real HTTP on loopback against the project's fake arXiv (paging, totalResults, the
listing feeds) and Semantic Scholar.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import litscout.watch as watch_core
from conftest import fake_services
from fakeapi import FakeAPI, Fault
from litscout.cli import app
from litscout.models import Paper
from litscout.store.papers import PaperStore
from litscout.store.watches import WatchStore
from litscout.watch.match import compile_query

DAY = 86_400.0
WATCHES = {
    "fewshot": ("few-shot learning", ("cs.LG", "stat.ML")),
    "meta": ("meta-learning", ("cs.LG",)),
    "transfer": ("transfer learning", ("cs.LG", "cs.CV")),
    "detection": ("object detection", ("cs.CV",)),
    "gnn": ("graph neural networks", ("stat.ML", "cs.LG")),
}
# Announced in the last week but not in today's listing: only a backfill finds them.
GAP = {
    "fewshot": {"fsl-2day"},
    "meta": {"continual-meta"},
    "transfer": {"fsl-2day", "synthetic-support"},
    "detection": {"fewshot-detection"},
    "gnn": {"gnn-sampling-bounds"},
}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 1\nread_timeout = 5.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def deliver(*args: str) -> list[dict]:
    code, out, err = run("watch", "run", "--format", "json", *args)
    assert code == 0, err
    records: list[dict] = json.loads(out)
    return records


def by_watch(records: list[dict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for record in records:
        out.setdefault(record["watch"], set()).add(record["id"])
    return out


def ids_of(api: FakeAPI, keys: set[str]) -> set[str]:
    return {f"arXiv:{api.corpus.by_key(k).arxiv_id}" for k in keys}


def store_of(home: Path) -> WatchStore:
    return WatchStore(PaperStore(home / "litscout.db"))


def add_watches(names: tuple[str, ...] = tuple(WATCHES)) -> None:
    for name in names:
        query, cats = WATCHES[name]
        argv = ["watch", "add", name, query]
        for cat in cats:
            argv += ["-c", cat]
        code, _, err = run(*argv)
        assert code == 0, err


def gap(home: Path, days: float) -> float:
    """Pretend every watch last read a listing `days` ago; returns that moment."""
    then = time.time() - days * DAY
    store = store_of(home)
    for watch in store.all():
        store.set_state(
            watch.name,
            last_fetch=then,
            last_success=then,
            last_announced=datetime.fromtimestamp(then, UTC).date(),
        )
    return then


def config(home: Path, text: str) -> None:
    path = home / "config.toml"
    path.write_text(path.read_text() + f"[watch]\n{text}\n")


def arxiv_queries(api: FakeAPI) -> list[dict[str, list[str]]]:
    return [r.query for r in api.requests if r.service == "arxiv"]


def matches(api: FakeAPI, name: str, record: dict) -> bool:
    """The listing matcher's verdict on a delivered record (categories from the fake)."""
    query, cats = WATCHES[name]
    fake = api.corpus.by_arxiv(record["id"].removeprefix("arXiv:"))
    assert fake is not None
    paper = Paper(title=record["title"], abstract=record["abstract"], categories=fake.categories)
    return compile_query(query)(paper) and bool(set(cats) & set(fake.categories))


def test_a_gap_is_one_request_for_all_watches_each_matched_locally(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_watches()
    deliver()
    last = gap(isolated_home, 6)
    api.clear_log()
    records = deliver()
    (query,) = arxiv_queries(api)
    start = time.strftime("%Y%m%d", time.gmtime(watch_core.missed_since(_utc_date(last))))
    assert query["search_query"][0].startswith(
        f"(cat:cs.CV OR cat:cs.LG OR cat:stat.ML) AND submittedDate:[{start}0000 TO "
    )
    assert query["sortBy"] == ["submittedDate"] and query["sortOrder"] == ["ascending"]
    assert query["max_results"] == ["2000"]
    got = by_watch(records)
    for name, keys in GAP.items():
        assert ids_of(api, keys) <= got.get(name, set()), name
    for record in records:
        assert matches(api, record["watch"], record), (record["watch"], record["title"])
    assert api.count("rss") == 0, "today's listing was cached"

    api.clear_log()
    assert deliver() == [] and api.count() == 0, "the gap is filled: nothing is asked again"


def test_the_runs_after_a_gap_ask_only_for_the_new_listing(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_watches()
    deliver()
    gap(isolated_home, 5)
    deliver()
    # The next announcement day: the watches read yesterday's listing, the cache is old.
    store = store_of(isolated_home)
    for watch in store.all():
        assert watch.backfill_from is None
        assert watch.last_fetch is not None and watch.last_announced is not None
        store.set_state(
            watch.name,
            last_fetch=watch.last_fetch - DAY,
            last_announced=watch_core.previous_weekday(watch.last_announced),
        )
    store.conn.execute("UPDATE watch_feeds SET fetched_at = fetched_at - ?", (DAY,))
    api.clear_log()
    deliver()
    assert [r.service for r in api.requests if r.service != "s2"] == ["rss"]


def test_a_gap_larger_than_a_page_is_paged_until_total_results(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_watches()
    deliver()
    gap(isolated_home, 6)
    api.clear_log()
    whole = by_watch(deliver("--dry-run"))
    assert len(arxiv_queries(api)) == 1

    config(isolated_home, "backfill_results = 3")
    api.clear_log()
    paged = by_watch(deliver())
    queries = arxiv_queries(api)
    assert [q["start"][0] for q in queries] == [str(3 * i) for i in range(len(queries))]
    assert all(q["max_results"] == ["3"] for q in queries)
    assert len({q["search_query"][0] for q in queries}) == 1, "one query, paged"
    total = _total(api, queries[0]["search_query"][0])
    assert total > 3 and len(queries) == math.ceil(total / 3)
    assert paged == whole


def test_a_capped_backfill_warns_and_the_next_run_fetches_the_rest(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_watches()
    deliver()
    gap(isolated_home, 6)
    api.clear_log()
    whole = by_watch(deliver("--dry-run"))
    config(isolated_home, "backfill_results = 4\nbackfill_pages = 1")
    got: dict[str, set[str]] = {}
    store = store_of(isolated_home)
    for attempt in range(20):
        api.clear_log()
        code, out, err = run("watch", "run", "--format", "json")
        assert code == 0, err
        for name, ids in by_watch(json.loads(out)).items():
            got.setdefault(name, set()).update(ids)
        owed = [w.name for w in store.all() if w.backfill_from is not None]
        if not owed:
            break
        assert attempt < 19
        assert "left out" in err and "the next run fetches them" in err
        assert all(name in err for name in owed)
        assert len(arxiv_queries(api)) == 1, "one page a run, as configured"
    assert attempt > 0, "the cap did cut the first run short"
    assert got == whole, "nothing dropped: the later runs fetched the rest"
    api.clear_log()
    assert deliver() == [] and api.count("arxiv") == 0


def test_an_empty_answer_for_busy_categories_is_an_error_asked_again_later(
    api: FakeAPI, isolated_home: Path
) -> None:
    add_watches(("fewshot", "meta"))
    deliver()
    gap(isolated_home, 6)
    api.clear_log()
    api.inject("arxiv", Fault(kind="empty_feed"))
    code, out, err = run("watch", "run", "--format", "json")
    assert code == 3, err  # no watch could fetch (the listing had nothing new for them)
    assert "fewshot" in err and "meta" in err and "not believable" in err
    assert len(arxiv_queries(api)) == 1, "no second request in the same run"
    store = store_of(isolated_home)
    first = store.get("fewshot")
    assert first is not None and first.backfill_from is not None and first.backfill_tries == 1
    assert first.backfill_retry is not None and first.backfill_retry > time.time()

    api.clear_log()
    code, out, err = run("watch", "run", "--format", "json")
    assert code == 0, err
    assert api.count("arxiv") == 0, "at most once per announcement day"
    assert "still owed" in err

    api.inject("arxiv", Fault(kind="empty_feed"))
    for name in ("fewshot", "meta"):
        store.set_state(name, backfill_retry=time.time() - 1)
    api.clear_log()
    assert run("watch", "run", "--format", "json")[0] == 3
    again = store.get("fewshot")
    assert again is not None and again.backfill_tries == 2
    assert again.backfill_from == first.backfill_from
    assert first.backfill_retry is not None and again.backfill_retry is not None
    assert again.backfill_retry - first.backfill_retry >= DAY - 60, "backing off"

    for name in ("fewshot", "meta"):
        store.set_state(name, backfill_retry=time.time() - 1)
    api.clear_log()
    got = by_watch(deliver())
    assert ids_of(api, GAP["fewshot"]) <= got["fewshot"]
    assert ids_of(api, GAP["meta"]) <= got["meta"]
    assert len(arxiv_queries(api)) == 1
    done = store.get("fewshot")
    assert done is not None and done.backfill_from is None and done.backfill_tries == 0
    api.clear_log()
    assert deliver() == [] and api.count() == 0


def test_watches_without_categories_share_one_or_query(api: FakeAPI, isolated_home: Path) -> None:
    for name, query in (("imbalance", "class imbalance"), ("meta", "meta-learning")):
        assert run("watch", "add", name, query)[0] == 0
    got = by_watch(deliver())
    (query,) = arxiv_queries(api)
    text = query["search_query"][0]
    assert text.startswith('((all:"class imbalance") OR (all:"meta-learning")) AND submittedDate:[')
    assert ids_of(api, {"logit-adjust-ssl"}) <= got["imbalance"]
    assert ids_of(api, {"bayes-meta"}) <= got["meta"]
    for record in [r for r in deliver("--dry-run", "--refresh") if r["watch"] == "imbalance"]:
        assert compile_query("class imbalance")(
            Paper(title=record["title"], abstract=record["abstract"])
        )

    # arXiv refusing the combination: each watch asks on its own.
    store = store_of(isolated_home)
    for name in ("imbalance", "meta"):
        store.set_state(name, last_fetch=time.time() - 2 * DAY)
    api.clear_log()
    api.inject("arxiv", Fault(status=400))
    deliver()
    queries = [q["search_query"][0] for q in arxiv_queries(api)]
    assert len(queries) == 3 and " OR " in queries[0]
    assert {q.split(" AND ")[0] for q in queries[1:]} == {
        'all:"class imbalance"',
        'all:"meta-learning"',
    }


def test_watch_add_since_seeds_the_watch_with_the_recent_past(
    api: FakeAPI, isolated_home: Path
) -> None:
    code, _, err = run(
        "watch", "add", "fewshot", "few-shot learning", "-c", "cs.LG", "-c", "stat.ML",
        "--since", "7d",
    )  # fmt: skip
    assert code == 0, err
    assert "first run also delivers papers submitted since" in err
    code, out, err = run("watch", "run", "--format", "table")
    assert code == 0, err
    header = " ".join(out.split())
    assert "fewshot · 4 new papers (first run) · reaches listing of " in header
    assert " + submissions since " in header
    assert [r.service for r in api.requests if r.service != "s2"] == ["rss", "arxiv"]
    week_ago = time.strftime("%Y%m%d", time.gmtime(time.time() - 7 * DAY))
    assert f"submittedDate:[{week_ago}0000 TO " in arxiv_queries(api)[0]["search_query"][0]
    api.clear_log()
    code, out, err = run("watch", "run", "--json", "--refresh")
    assert code == 0 and api.count("arxiv") == 0, "seeded once: the backfill is done"
    assert "reaches" not in err

    assert run("watch", "add", "later", "topic", "--since", "2999-01-01")[0] == 2


def test_since_seeded_watch_delivers_the_gap_papers(api: FakeAPI) -> None:
    code, _, err = run(
        "watch", "add", "fewshot", "few-shot learning", "-c", "cs.LG", "--since", "1w"
    )
    assert code == 0, err
    code, out, err = run("watch", "run", "--json")
    assert code == 0, err
    assert {r["id"] for r in json.loads(out)} >= ids_of(api, {"fsl-2day", "ssl-fewshot-shift"})
    assert "fewshot: reaches listing of " in err and " + submissions since " in err


def _utc_date(timestamp: float):  # type: ignore[no-untyped-def]
    return datetime.fromtimestamp(timestamp, UTC).date()


def _total(api: FakeAPI, search_query: str) -> int:
    import urllib.parse
    import urllib.request

    url = f"{api.url}/api/query?" + urllib.parse.urlencode(
        {"search_query": search_query, "max_results": "0"}
    )
    body = urllib.request.urlopen(url, timeout=10).read().decode()
    return int(body.split("<opensearch:totalResults")[1].split(">")[1].split("<")[0])
