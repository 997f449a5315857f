"""API keys never appear in output, errors, tracebacks, digests or the database.

One recognisable key per service is set; a battery of commands (succeeding and failing,
in-process and as real processes, LITSCOUT_DEBUG=1 throughout) runs against the fake
services; every captured stdout/stderr and every file under LITSCOUT_HOME is searched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi import MATCHING_NETWORKS, FakeAPI, Fault
from reliability import run, spawn, write_config

S2_KEY = "s2k-LITSCOUT-SECRET-7f3a9c1e"
OPENALEX_KEY = "oak-LITSCOUT-SECRET-0b52d4aa"
FRAGMENTS = [S2_KEY, OPENALEX_KEY, "SECRET-7f3a9c1e", "SECRET-0b52d4aa"]


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0, s2_key=S2_KEY) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        monkeypatch.setenv("S2_API_KEY", S2_KEY)
        monkeypatch.setenv("OPENALEX_API_KEY", OPENALEX_KEY)
        monkeypatch.setenv("LITSCOUT_DEBUG", "1")
        write_config(isolated_home)
        with (isolated_home / "config.toml").open("a") as config:
            config.write("[sources]\nopenalex = true\n")
        yield fake


def assert_no_secret(text: str | bytes, where: str) -> None:
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    for fragment in FRAGMENTS:
        assert fragment.encode() not in data, f"API key found in {where}"


def test_keys_never_leak(
    api: FakeAPI, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    captured: list[tuple[str, str]] = []

    def cli(*args: str) -> int:
        result = run(*args)
        captured.append((f"stdout of {args}", result.stdout))
        captured.append((f"stderr of {args}", result.stderr))
        return result.code

    digest = isolated_home / "digest.md"
    feed = isolated_home / "feed.xml"
    # Things that work.
    assert cli("search", "few-shot learning", "--json") == 0
    assert cli("search", "few-shot learning", "--format", "csv", "--explain") == 0
    assert cli("search", "meta-learning", "--refresh", "-f", "jsonl") == 0
    assert cli("paper", MATCHING_NETWORKS, "--json") == 0
    assert cli("cites", MATCHING_NETWORKS, "--json", "-n", "5") == 0
    assert cli("related", MATCHING_NETWORKS, "--json", "-n", "5") == 0
    assert cli("terms", "learning from very few labelled examples", "--json") == 0
    assert cli("export", MATCHING_NETWORKS) == 0
    assert cli("watch", "add", "fewshot", "few-shot learning", "-c", "cs.LG") == 0
    assert cli("watch", "run", "--json", "--markdown", str(digest), "--atom", str(feed)) == 0
    assert cli("watch", "list", "--json") == 0
    assert cli("watch", "export") == 0
    config_code = cli("config", "--json")
    assert config_code == 0
    assert '"S2_API_KEY": "set (' in captured[-2][1]  # present, and masked
    assert cli("config") == 0
    assert "set (" in captured[-2][1]
    # The key was really used: the fake saw it on every S2 request.
    s2 = [r for r in api.requests if r.service == "s2"]
    assert s2 and all(r.headers.get("x-api-key") == S2_KEY for r in s2)
    # Things that fail, with LITSCOUT_DEBUG=1 tracebacks.
    api.s2_key = "a-different-key"  # the key is refused: 403 names the variable, not the value
    assert cli("search", "graph neural networks", "--json") == 0
    assert "S2_API_KEY" in captured[-1][1]
    assert cli("paper", "1703.05175") in (0, 1, 3)
    api.s2_key = S2_KEY
    api.inject("s2", Fault(status=429, times=50))
    api.inject("openalex", Fault(kind="reset", times=50))
    assert cli("paper", "1703.03400", "--refresh") in (0, 1, 3)
    api.inject("arxiv", Fault(kind="html", times=50))
    assert cli("search", "class imbalance", "--refresh") in (0, 3)
    assert (
        "Traceback" in captured[-1][1]
        or "Error:" in captured[-1][1]
        or "Warning" in (captured[-1][1])
    )
    api.clear_faults()
    assert cli("search", "   ") == 2
    assert cli("paper", "not-an-id") == 2
    assert cli("watch", "run", "no-such-watch") != 0
    # A bug (an unexpected exception) with the traceback shown.
    import litscout.find.engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(litscout.find.engine, "merge_papers", boom)
    assert cli("search", "zero-shot learning", "--refresh") == 1
    assert "Traceback" in captured[-1][1] and "simulated bug" in captured[-1][1]
    monkeypatch.undo()
    # Real processes, where nothing captures anything for us.
    env = {
        **api.env(),
        "LITSCOUT_HOME": str(isolated_home),
        "LITSCOUT_S2_INTERVAL": "0",
        "S2_API_KEY": S2_KEY,
        "OPENALEX_API_KEY": OPENALEX_KEY,
        "LITSCOUT_DEBUG": "1",
    }
    broken = tmp_path / "broken-home"
    broken.mkdir()
    (broken / "litscout.db").write_bytes(b"not a database" * 100)
    for args, extra in [
        (["search", "transfer learning", "--json"], {}),
        (["config", "--json"], {}),
        (["search", "transfer learning"], {"LITSCOUT_HOME": str(broken)}),
        (["search", "x", "--since", "soon"], {}),
    ]:
        proc = spawn(args, {**env, **extra})
        out, err = proc.communicate(timeout=60)
        captured += [(f"stdout of {args}", out), (f"stderr of {args}", err)]
    assert any("Traceback" in text for _, text in captured), "debug tracebacks were exercised"

    for where, text in captured:
        assert_no_secret(text, where)
    files = [p for p in isolated_home.rglob("*") if p.is_file()]
    assert any(p.name == "litscout.db" for p in files) and digest in files and feed in files
    for path in files:
        assert_no_secret(path.read_bytes(), str(path))
