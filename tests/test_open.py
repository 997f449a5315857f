"""`litscout open ID`: the abstract page or the PDF, through $BROWSER."""

from __future__ import annotations

import stat
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import MATCHING_NETWORKS, FakeAPI
from litscout.cli import app


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A BROWSER that writes the address it was given to a file."""
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read BROWSER afresh
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return opened


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with fake_services(monkeypatch, isolated_home, "retries = 0") as fake:
        yield fake


def test_an_arxiv_id_opens_its_abstract_page_without_a_request(api: FakeAPI, browser: Path) -> None:
    result = CliRunner().invoke(app, ["open", "arXiv:1606.04080v2"])
    assert result.exit_code == 0, result.output
    assert browser.read_text() == "https://arxiv.org/abs/1606.04080\n"
    assert "Opened https://arxiv.org/abs/1606.04080" in result.stderr
    result = CliRunner().invoke(app, ["open", "https://arxiv.org/abs/1606.04080", "--pdf"])
    assert result.exit_code == 0, result.output
    assert browser.read_text().splitlines()[-1] == "https://arxiv.org/pdf/1606.04080"
    assert api.count() == 0


def test_a_title_is_looked_up_first(api: FakeAPI, browser: Path) -> None:
    result = CliRunner().invoke(app, ["open", "Matching Networks for One Shot Learning"])
    assert result.exit_code == 0, result.output
    assert browser.read_text() == f"https://arxiv.org/abs/{MATCHING_NETWORKS}\n"


def test_no_browser_is_an_error_not_a_silence(
    browser: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    failing = tmp_path / "fails.sh"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(failing))
    result = CliRunner().invoke(app, ["open", "1606.04080"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no browser could be started for https://arxiv.org/")
