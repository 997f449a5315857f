"""The hot start-up path (`cli/fast.py`): a plain search runs without typer and answers
exactly like the typer command; anything else is left to typer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litscout.cli import app
from litscout.cli.fast import DEFAULTS, parse_search
from litscout.models import Paper
from litscout.store.papers import PaperStore


def test_plain_search_arguments_are_read_like_typer_reads_them() -> None:
    got = parse_search(
        ["few-shot", "-c", "cs.LG", "--category=cs.CV", "-n20", "--since", "2y", "--json",
         "--offline", "--sort", "recent", "-f", "csv", "--fields", "id,title"]
    )  # fmt: skip
    assert got == {
        **DEFAULTS,
        "query": "few-shot",
        "category": ["cs.LG", "cs.CV"],
        "limit": 20,
        "since": "2y",
        "as_json": True,
        "offline": True,
        "sort": "recent",
        "fmt": "csv",
        "fields": "id,title",
    }
    assert parse_search(["--", "-not-an-option"]) == {**DEFAULTS, "query": "-not-an-option"}
    assert parse_search(["x", "--limit", " 7 "])["limit"] == 7  # type: ignore[index]


@pytest.mark.parametrize(
    "args",
    [
        ["x", "--help"],
        ["-h"],
        [],
        ["x", "y"],
        ["x", "-n", "abc"],
        ["x", "--limit"],
        ["x", "--offline=yes"],
        ["x", "--unknown"],
    ],
)
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert parse_search(args) is None


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\ntry:\n    from litscout.cli import main; main()\nfinally:\n"
        "    print('TYPER' if 'typer' in sys.modules else 'PLAIN', file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITSCOUT_")}
    env.update(LITSCOUT_HOME=str(home), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def cached(isolated_home: Path) -> Path:
    isolated_home.mkdir(parents=True, exist_ok=True)
    with PaperStore(isolated_home / "litscout.db") as store:
        store.upsert_papers(
            [
                Paper(
                    title=f"Few-shot learning study {n}",
                    abstract="few-shot learning with prototypes",
                    arxiv_id=f"2611.{n:05d}",
                    categories=["cs.LG"],
                )
                for n in range(5)
            ]
        )
    return isolated_home


def test_a_plain_search_runs_without_typer_and_answers_like_the_typer_command(
    cached: Path,
) -> None:
    args = ["search", "few-shot learning", "--offline", "-n", "3", "--json"]
    fast = _cli(cached, *args)
    assert fast.returncode == 0, fast.stderr
    assert fast.stderr.strip().endswith("PLAIN")
    slow = CliRunner().invoke(app, args)
    assert slow.exit_code == 0
    assert [r["id"] for r in json.loads(fast.stdout)] == [r["id"] for r in json.loads(slow.stdout)]
    assert len(json.loads(fast.stdout)) == 3


def test_errors_on_the_hot_path_are_the_same_line_and_exit_code(cached: Path) -> None:
    fast = _cli(cached, "search", "x", "--offline", "--sort", "colour")
    slow = CliRunner().invoke(app, ["search", "x", "--offline", "--sort", "colour"])
    assert fast.returncode == slow.exit_code == 2
    assert fast.stderr.startswith(slow.stderr.strip() + "\n")
    assert fast.stderr.strip().endswith("PLAIN")


def test_help_and_bad_values_go_to_typer(cached: Path) -> None:
    helped = _cli(cached, "search", "--help")
    assert helped.returncode == 0 and "Usage: litscout search" in helped.stdout
    bad = _cli(cached, "search", "x", "-n", "abc")
    assert bad.returncode == 2 and "is not a valid integer" in bad.stderr
    assert bad.stderr.strip().endswith("TYPER")
    root = _cli(cached, "--help")
    assert root.returncode == 0 and "watch" in root.stdout and "terms" in root.stdout
    version = _cli(cached, "--version")
    assert version.stdout == CliRunner().invoke(app, ["--version"]).stdout
    assert version.stderr.strip() == "PLAIN"
    watch = _cli(cached, "watch", "list", "--json")
    assert watch.returncode == 0 and json.loads(watch.stdout) == []


def test_terms_runs_without_typer_too_and_answers_like_the_typer_command(cached: Path) -> None:
    args = ["terms", "few-shot learning with prototypes", "--offline", "-n", "3", "--json"]
    fast = _cli(cached, *args)
    assert fast.returncode == 0, fast.stderr
    assert fast.stderr.strip().endswith("PLAIN")
    slow = CliRunner().invoke(app, args)
    assert slow.exit_code == 0, slow.output
    assert json.loads(fast.stdout) == json.loads(slow.stdout)
    assert json.loads(fast.stdout), "the cached papers share phrases"
    bad = _cli(cached, "terms", "x", "--offline", "--refresh")
    assert bad.returncode == 2 and bad.stderr.strip().endswith("PLAIN")
    assert _cli(cached, "terms", "--help").stderr.strip().endswith("TYPER")
