"""ruff and mypy are part of the test suite, so the README's one test command checks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff_is_clean() -> None:
    run = subprocess.run(
        [_tool("ruff"), "check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_is_clean() -> None:
    run = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_core_imports_without_typer_or_rich() -> None:
    code = (
        "import sys, litscout; from litscout import search; "
        "import litscout.store.papers, litscout.rank.score, litscout.find.engine; "
        "import litscout.follow, litscout.watch, litscout.query, litscout.models; "
        "bad = [m for m in ('typer', 'rich', 'click') if m in sys.modules]; "
        "assert not bad, bad"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


SRC = ROOT / "src" / "litscout"
MAX_LINES = 400


def test_every_module_is_under_400_lines() -> None:
    """Small modules with one job each (ARCHITECTURE.md); split a module before it grows past."""
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_LINES
    }
    assert not long, long


def test_every_module_imports_first_without_a_cycle() -> None:
    """Each module imported first in a fresh interpreter: a cycle would fail on some order."""
    modules = sorted(
        "litscout." + ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        for p in SRC.rglob("*.py")
        if p.name != "__main__.py"
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import importlib, subprocess, sys\n"
        "bad = []\n"
        "for name in sys.argv[1:]:\n"
        "    run = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True)\n"
        "    if run.returncode:\n"
        "        bad.append((name, run.stderr.decode()[-300:]))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
