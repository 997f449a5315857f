"""`litscout config` prints valid TOML; `config init` and `config set` write the user file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litscout import config, config_file
from litscout.cli import app


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_config_prints_toml_that_round_trips(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2_API_KEY", "very-secret-key-123")
    monkeypatch.setenv("LITSCOUT_ARXIV_DELAY", "4.5")
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("[search]\nlimit = 7\n[sources]\nopenalex = false\n")
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "very-secret-key-123" not in result.output and "False" not in text
    parsed = tomllib.loads(text)
    settings = config.load()
    public = settings.public()
    public.pop("keys")
    assert parsed == public
    assert "# from $LITSCOUT_ARXIV_DELAY" in text and f"# from {isolated_home}" in text
    assert f"# database:  {isolated_home / 'litscout.db'}" in text
    # Saved as a config file, it gives the same settings.
    saved = isolated_home / "saved.toml"
    saved.write_text(text)
    assert config.load([saved], {"S2_API_KEY": "very-secret-key-123"}) == settings


def test_config_formats(isolated_home: Path) -> None:
    assert CliRunner().invoke(app, ["config", "--json"]).exit_code == 0
    assert CliRunner().invoke(app, ["config", "--format", "csv"]).exit_code == 2
    assert CliRunner().invoke(app, ["paths"]).stdout.startswith("# litscout ")


def test_init_writes_a_commented_config_and_refuses_to_overwrite(isolated_home: Path) -> None:
    result = CliRunner().invoke(app, ["config", "init"])
    assert result.exit_code == 0, result.output
    path = isolated_home / "config.toml"
    text = path.read_text()
    assert tomllib.loads(text) == {s: {} for s in config.SECTIONS}  # all commented out
    assert "# limit = 20" in text
    assert config.load([path], {}) == config.load([], {})
    path.write_text(text + "# mine\n")
    result = CliRunner().invoke(app, ["config", "init"])
    assert (
        result.exit_code == 2 and "already exists" in result.stderr and "--force" in result.stderr
    )
    assert path.read_text().endswith("# mine\n")
    assert CliRunner().invoke(app, ["config", "init", "--force"]).exit_code == 0
    assert not path.read_text().endswith("# mine\n")


def test_set_validates_writes_and_keeps_the_rest(isolated_home: Path) -> None:
    assert CliRunner().invoke(app, ["config", "init"]).exit_code == 0
    path = isolated_home / "config.toml"
    path.write_text(path.read_text().replace("[search]", "[search]\n# my own note"))
    for key, value in (
        ("search.limit", "50"),
        ("sources.openalex", "no"),
        ("network.arxiv_delay", "5"),
        ("sources.s2_api_url", "http://127.0.0.1:9/"),
    ):
        result = CliRunner().invoke(app, ["config", "set", key, value])
        assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "# my own note" in text and "# s2_results = 50" in text
    settings = config.load([path], {})
    assert settings.search.limit == 50 and settings.sources.openalex is False
    assert settings.network.arxiv_delay == 5.0
    assert settings.sources.s2_api_url == "http://127.0.0.1:9/"
    assert CliRunner().invoke(app, ["config", "set", "search.limit", "60"]).exit_code == 0
    assert config.load([path], {}).search.limit == 60
    assert path.read_text().count("limit = ") == 1
    before = path.read_text()
    for args, fragment in (
        (["network.arxiv_delay", "500"], "out of range"),
        (["search.limit", "many"], "not a valid int"),
        (["nope.limit", "1"], "unknown setting"),
        (["search.nope", "1"], "unknown setting"),
        (["sources.s2_api_url", "ftp://x"], "not an http(s) URL"),
    ):
        result = CliRunner().invoke(app, ["config", "set", *args])
        assert result.exit_code == 2 and fragment in result.stderr, result.output
    assert path.read_text() == before


def test_set_without_a_file_creates_one(isolated_home: Path) -> None:
    result = CliRunner().invoke(app, ["config", "set", "watch.stale_days", "2"])
    assert result.exit_code == 0, result.output
    assert tomllib.loads((isolated_home / "config.toml").read_text()) == {
        "watch": {"stale_days": 2.0}
    }


def test_set_value_keeps_comments_after_values() -> None:
    text = "[search]\nlimit = 20  # my usual\n\n[watch]\nstale_days = 3.0\n"
    out = config_file.set_value(text, "search", "limit", 40)
    assert out == "[search]\nlimit = 40  # my usual\n\n[watch]\nstale_days = 3.0\n"
    out = config_file.set_value(out, "search", "s2_results", 10)
    assert tomllib.loads(out)["search"] == {"limit": 40, "s2_results": 10}
    out = config_file.set_value(out, "ranking", "prior_rate", 1.5)
    assert tomllib.loads(out)["ranking"] == {"prior_rate": 1.5}


@pytest.mark.parametrize("item", [0.1, 3.0, 1e-7, 12, True, 'a "quoted" \\ path\n\t\x7f'])
def test_values_are_toml(item: object) -> None:
    assert tomllib.loads(f"x = {config_file.value(item)}")["x"] == item
