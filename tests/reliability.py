"""Helpers shared by the reliability tests (faults, concurrency, secrets, store integrity)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from litscout.cli import app

REPO = Path(__file__).resolve().parents[1]

# Retries happen in these tests: keep them quick but real (backoff, jitter, budget).
FAST_NETWORK = {
    "backoff_base": 0.01,
    "retries": 2,
    "connect_timeout": 1.0,
    "read_timeout": 1.0,
    "max_retry_wait": 2.0,
    "max_total_wait": 20.0,
}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def records(self) -> list[dict[str, Any]]:
        text = self.stdout.strip()
        if text.startswith("["):
            return list(json.loads(text))
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_config(home: Path, **network: Any) -> None:
    home.mkdir(parents=True, exist_ok=True)
    settings = {**FAST_NETWORK, **network}
    lines = ["[network]"] + [f"{key} = {value!r}" for key, value in settings.items()]
    (home / "config.toml").write_text("\n".join(lines) + "\n")


def run(*args: str) -> Run:
    """The real CLI in-process (environment from monkeypatch)."""
    result = CliRunner().invoke(app, list(args))
    return Run(result.exit_code, result.stdout, result.stderr)


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -m litscout ...` as a separate process (for concurrency and kill tests)."""
    return subprocess.Popen(
        [sys.executable, "-m", "litscout", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def db_state(path: Path) -> dict[str, Any]:
    """What the database holds, in a comparable form (and proof that it is intact)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        papers = dict(conn.execute("SELECT id, title FROM papers").fetchall())
        queries = {k for (k,) in conn.execute("SELECT key FROM query_cache")}
        snapshots = conn.execute("SELECT count(*) FROM citation_snapshots").fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM papers_fts").fetchone()[0]
    finally:
        conn.close()
    return {"papers": papers, "queries": queries, "snapshots": snapshots, "fts": fts}


def assert_kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Nothing the database held before was lost or damaged."""
    for paper_id, title in before["papers"].items():
        assert after["papers"].get(paper_id) == title, f"lost or changed {paper_id}"
    assert before["queries"] <= after["queries"]
    assert after["snapshots"] >= before["snapshots"]
    assert after["fts"] == len(after["papers"])


def assert_clean(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "unexpected" not in stderr.lower(), stderr
