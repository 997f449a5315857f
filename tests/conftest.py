"""Shared fixtures: every test gets its own LITSCOUT_HOME and a clean environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
ENV_PREFIXES = ("LITSCOUT_", "S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY", "OPENALEX_API_KEY")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user's data, config or network settings."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES) or name in ("NO_COLOR", "COLUMNS"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("LITSCOUT_HOME", str(home))
    # The rate limit is per user account: give each test its own, so parallel test runs
    # (and the user's own litscout) never wait for each other.
    monkeypatch.setenv("LITSCOUT_STATE_DIR", str(tmp_path / "state"))
    # Point every service at a closed port so a test that forgets the fake server fails
    # fast instead of reaching for the internet.
    for name in ("ARXIV_API_URL", "ARXIV_FEED_URL", "S2_API_URL", "OPENALEX_API_URL"):
        monkeypatch.setenv(f"LITSCOUT_{name}", "http://127.0.0.1:9/unreachable")
    return home


@pytest.fixture
def shared_fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return FIXTURES


@contextmanager
def fake_services(
    monkeypatch: pytest.MonkeyPatch, home: Path, network: str, **options: Any
) -> Iterator[Any]:
    """Start the fake APIs, point litscout at them, write a `[network]` config (fast retries)."""
    from fakeapi import FakeAPI

    with FakeAPI(**{"arxiv_delay": 0.0, "s2_interval": 0.0, **options}) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(f"[network]\n{network}\n")
        yield fake
