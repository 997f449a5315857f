"""The database never loses what was committed and never hides damage.

Corrupt files are reported with their path and left byte-for-byte alone; a killed writer
leaves the last committed state; migrations run from older schemas, atomically.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litscout.errors import StoreError
from litscout.models import Paper
from litscout.store import migrations
from litscout.store.papers import BUSY_TIMEOUT_MS, PaperStore
from reliability import REPO, assert_clean, db_state, run


def papers(n: int, prefix: str = "2101", citations: int = 5) -> list[Paper]:
    return [
        Paper(
            title=f"Paper {i} on few-shot learning",
            arxiv_id=f"{prefix}.{i:05d}",
            abstract="We study learning from few examples. " * 20,
            authors=["A. Author", "B. Author"],
            categories=["cs.LG"],
            citations=citations,
        )
        for i in range(n)
    ]


def seeded_db(path: Path, n: int = 50) -> None:
    with PaperStore(path) as store:
        store.upsert_papers(papers(n))
        store.save_query("q|||", [{"id": f"arXiv:2101.{i:05d}"} for i in range(n)], ["arxiv"])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_wal_and_busy_timeout(tmp_path: Path) -> None:
    with PaperStore(tmp_path / "litscout.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
        assert migrations.version(store.conn) == len(migrations.MIGRATIONS)


# -- damaged files ------------------------------------------------------------------------


def _damaged_pages(path: Path) -> bytes:
    seeded_db(path, 300)
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) // 2, 4096):
        data[offset + 10 : offset + 200] = b"\xff" * 190
    return bytes(data)


DAMAGE = {
    "text": lambda path: b"my reading list\n" * 500,
    "random": lambda path: os.urandom(64 * 1024),
    "header-only": lambda path: b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 80,
    "damaged-pages": _damaged_pages,
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_database_is_reported_with_its_path_and_never_touched(
    isolated_home: Path, kind: str
) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    path = isolated_home / "litscout.db"
    data = DAMAGE[kind](path)
    for leftover in isolated_home.glob("litscout.db*"):
        leftover.unlink()
    path.write_bytes(data)
    # Offline: the damage must be found by opening/reading, not by a network failure.
    result = run("search", "few-shot learning", "--offline", "--json")
    assert result.code == 1, result.stderr
    assert_clean(result.stderr)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and str(path) in lines[0]
    assert "not a usable litscout database" in lines[0]
    assert lines[1].startswith("Hint: move it aside") and "never deletes" in lines[1]
    assert path.read_bytes() == data  # never deleted, repaired or overwritten
    # The library says the same thing with a typed error.
    with pytest.raises(StoreError) as caught:
        with PaperStore(path) as store:
            store.search_text('"few"')
            store.get(["arXiv:2101.00001"])
            store.count_papers()
            store.conn.execute("SELECT * FROM papers_fts").fetchall()
    assert str(path) in caught.value.message
    assert path.read_bytes() == data


def test_debug_mode_shows_the_traceback_for_damage(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "litscout.db").write_bytes(b"junk" * 1000)
    monkeypatch.setenv("LITSCOUT_DEBUG", "1")
    result = run("search", "few-shot learning", "--offline")
    assert result.code == 1
    assert "Traceback" in result.stderr and "Error: " in result.stderr


def test_unusable_home_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LITSCOUT_HOME", str(blocker / "home"))
    result = run("search", "few-shot learning", "--offline")
    assert result.code == 1
    assert_clean(result.stderr)
    assert result.stderr.startswith(f"Error: cannot use the data directory {blocker / 'home'}")
    assert "Hint: set LITSCOUT_HOME" in result.stderr
    monkeypatch.setenv("LITSCOUT_HOME", str(blocker))
    result = run("search", "few-shot learning", "--offline")
    assert result.code == 1
    assert "it is a file, not a directory" in result.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_home_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o555)
    try:
        monkeypatch.setenv("LITSCOUT_HOME", str(home / "inner"))
        result = run("search", "few-shot learning", "--offline")
        assert result.code == 1
        assert_clean(result.stderr)
        assert "Hint: set LITSCOUT_HOME" in result.stderr
    finally:
        home.chmod(0o755)


# -- migrations ---------------------------------------------------------------------------


def make_v1_database(path: Path) -> None:
    """A database exactly as the first release left it: the V1 schema and some data."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    migrations._run_step(conn, migrations.MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO papers (id, arxiv_id, title, title_norm, authors, abstract, published, "
        "year, categories, citations, publication_types, sources, updated_at) "
        "VALUES ('arXiv:1606.04080', '1606.04080', 'Matching Networks for One Shot Learning', "
        "'matching networks for one shot learning', '[\"Oriol Vinyals\"]', "
        "'Learning from a few examples remains a key challenge.', '2016-06-13', 2016, "
        "'[\"cs.LG\"]', 5000, '[]', '[\"arxiv\", \"s2\"]', 1700000000.0)"
    )
    conn.execute(
        "INSERT INTO citation_snapshots VALUES ('arXiv:1606.04080', 1700000000.0, 5000, 400)"
    )
    conn.execute(
        "INSERT INTO query_cache VALUES ('one shot|||', 1700000000.0, ?, '[\"arxiv\"]')",
        (json.dumps([{"id": "arXiv:1606.04080", "arxiv_rank": 0, "s2_rank": None}]),),
    )
    conn.execute("INSERT INTO rate_state VALUES ('arxiv', 1700000000.0)")
    conn.execute("COMMIT")
    conn.close()


def test_migrates_a_v1_database_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "litscout.db"
    make_v1_database(path)
    with PaperStore(path) as store:
        assert migrations.version(store.conn) == len(migrations.MIGRATIONS)
        paper = store.get(["arXiv:1606.04080"])["arXiv:1606.04080"]
        assert paper.title == "Matching Networks for One Shot Learning"
        assert paper.citations == 5000 and paper.authors == ["Oriol Vinyals"]
        assert store.snapshots(["arXiv:1606.04080"]) == {"arXiv:1606.04080": [(1700000000.0, 5000)]}
        cached = store.cached_query("one shot|||")
        assert cached is not None and cached.hits[0]["id"] == "arXiv:1606.04080"
        assert [p.id for p, _ in store.search_text('"matching"')] == ["arXiv:1606.04080"]
        # The migrated database takes new writes, merging with the old row.
        store.upsert_papers([Paper(title="Matching Networks", arxiv_id="1606.04080", citations=6)])
        assert store.count_papers() == 1
    assert db_state(path)["fts"] == 1


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "litscout.db"
    make_v1_database(path)
    PaperStore(path).close()
    before = path.read_bytes()
    PaperStore(path).close()
    assert path.read_bytes() == before


def test_a_failing_migration_leaves_the_old_schema_and_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "litscout.db"
    make_v1_database(path)

    def broken_step(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("DROP TABLE papers")
        conn.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken_step])
    with pytest.raises(StoreError) as caught:
        PaperStore(path)
    assert str(path) in caught.value.message
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables and "papers" in tables
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 1
    finally:
        conn.close()


def test_processes_racing_to_create_the_database_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "litscout.db"
    script = (
        "import sys; from litscout.store.papers import PaperStore\n"
        "from litscout.models import Paper\n"
        "s = PaperStore(sys.argv[1]); s.upsert_papers([Paper(title='t', arxiv_id=sys.argv[2])])\n"
        "s.close()\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), f"2201.{i:05d}"],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for i in range(6)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with PaperStore(path) as store:
        assert store.count_papers() == 6
        assert migrations.version(store.conn) == len(migrations.MIGRATIONS)


# -- a writer killed half-way ---------------------------------------------------------------

WRITER = """
import sys
from litscout.models import Paper
from litscout.store.papers import PaperStore

store = PaperStore(sys.argv[1])
batch = [
    Paper(title=f"Batch paper {i}", arxiv_id=f"2301.{i:05d}", abstract="text " * 200,
          citations=i)
    for i in range(int(sys.argv[2]))
]
print("writing", flush=True)
store.upsert_papers(batch)
print("done", flush=True)
"""


def test_killed_writer_leaves_the_last_committed_state(tmp_path: Path) -> None:
    path = tmp_path / "litscout.db"
    seeded_db(path, 50)
    before = db_state(path)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "200000"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.5)
    assert proc.poll() is None, "the batch finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    after = db_state(path)  # includes PRAGMA integrity_check == ok
    assert after == before  # the unfinished batch left no trace, the old data is all there
    with PaperStore(path) as store:  # and the database is still usable
        store.upsert_papers(papers(3, prefix="2401"))
        assert store.count_papers() == 53
