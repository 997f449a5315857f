"""Plain option coercion (litscout.cli.typer_plain): same answers as typer, without pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from litscout.cli import app

runner = CliRunner()


def test_bad_integer_is_a_usage_error_naming_the_option() -> None:
    result = runner.invoke(app, ["search", "few-shot", "--offline", "-n", "abc"])
    assert result.exit_code == 2
    assert "'abc' is not a valid integer" in result.output
    assert "--limit" in result.output


def test_plain_options_reach_the_command_typed() -> None:
    result = runner.invoke(
        app, ["search", "few-shot", "--offline", "-n", " 7 ", "-c", "cs.LG", "-c", "cs.CV"]
    )
    # Nothing is cached: the offline search finds nothing, but the options parsed.
    assert "not a valid" not in result.output
    assert result.exit_code in (0, 1, 3)


def test_a_command_runs_without_importing_pydantic() -> None:
    code = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from litscout.cli import app\n"
        "r = CliRunner().invoke(app, ['search', 'x y', '--offline', '-n', '3', '--json'])\n"
        "print(json.dumps([r.exit_code, 'pydantic' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    exit_code, imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert exit_code == 3  # the command ran: an empty cache matches nothing offline
    assert imported is False


def test_ranged_float_is_checked_and_paths_convert(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["watch", "add", "w", "few-shot", "--min-score", "2"])
    assert bad.exit_code == 2
    assert "2.0 is not in the range 0<=x<=1" in bad.output
    ok = runner.invoke(app, ["watch", "add", "w", "few-shot", "-c", "cs.LG", "--min-score", ".5"])
    assert ok.exit_code == 0, ok.output
    target = tmp_path / "watches.toml"
    exported = runner.invoke(app, ["watch", "export", "-o", str(target)])
    assert exported.exit_code == 0, exported.output
    assert "min_score = 0.5" in target.read_text()
