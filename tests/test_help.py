"""`--help`: examples at the end of every command, readable placeholders, completion."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from litscout.cli import app
from litscout.cli.examples import EXAMPLES


def _commands() -> Iterator[tuple[str, ...]]:
    root = typer.main.get_command(app)

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, (*path, name))

    yield from walk(root, ())


COMMANDS = list(_commands())


def test_every_command_is_listed() -> None:
    assert ("search",) in COMMANDS and ("watch", "run") in COMMANDS
    assert {" ".join(c) for c in COMMANDS} <= set(EXAMPLES), "a command without examples"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "litscout")
def test_help_ends_with_examples_and_readable_placeholders(
    path: tuple[str, ...], isolated_home: Path
) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="litscout")
    assert result.exit_code == 0, result.output
    text = result.output
    tail = text.rstrip().split("Examples:")[-1].strip().splitlines()
    assert 1 <= len(tail) <= 3 and all(line.strip().startswith("litscout ") for line in tail)
    assert "Examples:" in text
    assert not re.search(r"<(str|int|float|list\[[a-z]+\]|Path)>|\{[a-z_]+\}", text), text


def test_root_help_offers_shell_completion(isolated_home: Path) -> None:
    text = CliRunner().invoke(app, ["--help"], prog_name="litscout").output
    assert "--install-completion" in text and "--show-completion" in text


def test_help_says_what_options_do(isolated_home: Path) -> None:
    terms = CliRunner().invoke(app, ["terms", "--help"]).output
    assert "key phrases" in terms.split("--limit")[1].split("\n -")[0]
    paper = CliRunner().invoke(app, ["paper", "--help"]).output
    assert "one JSON object" in paper and "JSON array" not in paper


def test_completion_of_categories_and_watch_names(isolated_home: Path) -> None:
    from litscout.cli import complete

    assert "cs.LG" in complete.categories("cs.l") and "math.AG" not in complete.categories("cs")
    assert complete.watch_names("") == []  # no database yet: nothing, and none created
    assert not (isolated_home / "litscout.db").exists()
    result = CliRunner().invoke(app, ["watch", "add", "fewshot", "few-shot learning"])
    assert result.exit_code == 0, result.output
    CliRunner().invoke(app, ["watch", "add", "gnn", "graph neural networks"])
    assert complete.watch_names("f") == ["fewshot"]
    assert complete.watch_names("") == ["fewshot", "gnn"]


def test_the_shell_asks_and_gets_watch_names(isolated_home: Path) -> None:
    CliRunner().invoke(app, ["watch", "add", "fewshot", "few-shot learning"])
    env = {"_LITSCOUT_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "litscout watch run fe"}
    result = CliRunner().invoke(app, [], env=env, prog_name="litscout")
    assert "fewshot" in result.output
    env["_TYPER_COMPLETE_ARGS"] = "litscout search x -c cs.L"
    result = CliRunner().invoke(app, [], env=env, prog_name="litscout")
    assert "cs.LG" in result.output
