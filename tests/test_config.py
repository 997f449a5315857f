"""Configuration: defaults, the documented file, user overrides, env overrides."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litscout import config
from litscout.cli import app
from litscout.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_documented_defaults_equal_the_code_defaults() -> None:
    documented = tomllib.loads((ROOT / "config" / "litscout.toml").read_text())
    defaults = config.Settings()
    for section in config.SECTIONS:
        assert documented[section] == asdict(getattr(defaults, section)), section


def test_user_file_then_env(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[ranking]\nhalf_life_days = 90\n[network]\narxiv_delay = 5\n")
    settings = config.load([path], {"LITSCOUT_ARXIV_DELAY": "7"})
    assert settings.ranking.half_life_days == 90.0
    assert settings.network.arxiv_delay == 7.0
    assert settings.origin["network.arxiv_delay"] == "$LITSCOUT_ARXIV_DELAY"
    assert settings.origin["ranking.half_life_days"] == str(path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[ranking\nx=1", "not valid TOML"),
        ("[ranking]\nhalf_lif = 3\n", "unknown setting [ranking] half_lif"),
        ("[rank]\nx = 1\n", "unknown section [rank]"),
        ('[search]\nlimit = "ten"\n', "not a valid int"),
        ("[search]\nlimit = -3\n", "not a valid int"),
        ("[sources]\nopenalex = 3\n", "not a valid bool"),
    ],
)
def test_broken_config_is_a_clear_error(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        config.load([path], {})
    assert fragment in err.value.message


def test_bad_env_value() -> None:
    with pytest.raises(ConfigError) as err:
        config.load([], {"LITSCOUT_ARXIV_DELAY": "soon"})
    assert "$LITSCOUT_ARXIV_DELAY" in err.value.message


def test_api_key_from_either_env_name_and_masked() -> None:
    assert config.load([], {"S2_API_KEY": "k1"}).s2_api_key == "k1"
    settings = config.load([], {"SEMANTIC_SCHOLAR_API_KEY": "secret-42"})
    assert settings.s2_api_key == "secret-42"
    assert "secret-42" not in json.dumps(settings.public())
    assert "secret-42" not in repr(settings)


def test_config_command_shows_paths_and_masks_keys(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2_API_KEY", "very-secret-key-123")
    result = CliRunner().invoke(app, ["config", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["home"] == str(isolated_home)
    assert data["database"] == str(isolated_home / "litscout.db")
    assert data["settings"]["keys"]["S2_API_KEY"].startswith("set")
    assert "very-secret-key-123" not in result.output


def test_broken_user_config_exits_2_without_traceback(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("[search]\nlimit = 'x'\n")
    result = CliRunner().invoke(app, ["search", "graphs", "--offline"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: [search] limit")
    assert "Traceback" not in result.output
