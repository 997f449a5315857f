"""`litscout mcp` end to end: an MCP client starts the server as a subprocess over stdio, against
the project's fake APIs, lists the tools, calls each one and a few bad arguments."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import litscout
from conftest import fake_services
from fakeapi import FakeAPI
from fakeapi.corpus import MATCHING_NETWORKS
from litscout.cli import app
from litscout.models import RECORD_KEYS
from litscout.render.reporter import SilentReporter

mcp = pytest.importorskip(
    "mcp", reason="the mcp package is not installed (pip install -e '.[test]')"
)
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

TOOLS = {
    "search", "paper", "cites", "references", "related", "terms", "map", "watch_list", "watch_run",
}  # fmt: skip
QUIET = SilentReporter()


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 1\nread_timeout = 5.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


def session(tmp_path: Path, body: Callable[[ClientSession], Awaitable[None]]) -> None:
    """Start `litscout mcp` with the test's environment (fake services, tmp LITSCOUT_HOME)."""
    import anyio

    env = {k: v for k, v in os.environ.items() if k.startswith("LITSCOUT_")}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "litscout", "mcp"], env=env, cwd=str(tmp_path)
    )

    async def main() -> None:
        with (tmp_path / "server.log").open("w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as client:
                    await client.initialize()
                    with anyio.fail_after(120):
                        await body(client)

    anyio.run(main)


def payload(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = result.structured_content
    assert json.loads(result.content[0].text) == data, "the text is the same JSON"
    return data


def cli_error(*args: str) -> str:
    run = CliRunner().invoke(app, list(args))
    assert run.exit_code == 2
    return str(run.stderr).strip()


def test_tools_are_listed_with_typed_parameters_and_descriptions(
    api: FakeAPI, tmp_path: Path
) -> None:
    async def body(client: ClientSession) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        for tool in tools.values():
            assert tool.description and tool.output_schema, tool.name
            for name, prop in tool.input_schema["properties"].items():
                assert prop.get("description"), f"{tool.name}.{name}"
        search = tools["search"].input_schema
        assert search["required"] == ["query"]
        assert search["properties"]["sort"]["enum"] == [
            "score", "recent", "velocity", "citations", "relevance",
        ]  # fmt: skip
        assert search["properties"]["limit"]["maximum"] == 2000
        assert "citations per year" in tools["search"].description
        papers = tools["search"].output_schema["properties"]["papers"]["description"]
        assert "velocity_basis" in papers and "citing_dates" in papers
        assert "still recent" in tools["paper"].description
        assert tools["watch_run"].input_schema["properties"]["dry_run"]["default"] is True
        assert tools["search"].annotations.read_only_hint is True
        assert tools["watch_run"].annotations.read_only_hint is False

    session(tmp_path, body)
    assert api.count() == 0, "listing tools makes no request"


def test_every_tool_returns_the_library_records(api: FakeAPI, tmp_path: Path) -> None:
    code = CliRunner().invoke(app, ["watch", "add", "fewshot", "few-shot learning"])
    assert code.exit_code == 0, code.stderr
    expected = litscout.search("few-shot learning", reporter=QUIET)
    got: dict[str, Any] = {}

    async def body(client: ClientSession) -> None:
        got["search"] = payload(await client.call_tool("search", {"query": "few-shot learning"}))
        got["paper"] = payload(await client.call_tool("paper", {"paper_id": MATCHING_NETWORKS}))
        got["cites"] = payload(
            await client.call_tool(
                "cites", {"paper_id": MATCHING_NETWORKS, "limit": 3, "sort": "recent"}
            )
        )
        got["references"] = payload(
            await client.call_tool(
                "references",
                {"paper_id": "Matching Networks for One Shot Learning", "sort": "citations"},
            )
        )
        got["related"] = payload(
            await client.call_tool("related", {"paper_ids": [MATCHING_NETWORKS], "limit": 3})
        )
        got["terms"] = payload(
            await client.call_tool("terms", {"question": "learn a classifier from few examples"})
        )
        got["map"] = payload(await client.call_tool("map", {"topic": "few-shot learning"}))
        got["watch_list"] = payload(await client.call_tool("watch_list", {}))
        got["dry"] = payload(await client.call_tool("watch_run", {}))
        got["dry_again"] = payload(await client.call_tool("watch_run", {"names": ["fewshot"]}))
        got["delivered"] = payload(await client.call_tool("watch_run", {"dry_run": False}))
        got["after"] = payload(await client.call_tool("watch_run", {}))

    session(tmp_path, body)

    found = got["search"]["papers"]
    assert found and all(tuple(r) == RECORD_KEYS for r in found)
    assert found == expected, "the library's records (the CLI's JSON), from the shared cache"
    assert all(isinstance(r["velocity"], float) and r["velocity_basis"] for r in found)

    one = got["paper"]["paper"]
    assert one["id"] == f"arXiv:{MATCHING_NETWORKS}"
    assert one["still_recent"].startswith("Not recent, but still cited: 8 years old")
    assert one["velocity_basis"] == "citing_dates" and one["citations_per_year"]

    assert len(got["cites"]["papers"]) == 3 and all(
        "influential" in r for r in got["cites"]["papers"]
    )
    cited = got["references"]["papers"]  # a title as the id; the canon, most cited first
    assert cited and [r["citations"] for r in cited] == sorted(
        (r["citations"] for r in cited), reverse=True
    )
    assert len(got["related"]["papers"]) == 3
    assert {"term", "documents", "command"} <= set(got["terms"]["terms"][0])
    kinds = [r["kind"] for r in got["map"]["map"]]
    assert kinds and kinds[0] == "topic" and set(kinds) <= {"topic", "neighbour"}

    (watch,) = got["watch_list"]["watches"]
    assert watch["name"] == "fewshot" and watch["query"] == "few-shot learning"

    dry = got["dry"]["papers"]
    assert dry and all(r["watch"] == "fewshot" for r in dry)
    assert [r["id"] for r in got["dry_again"]["papers"]] == [r["id"] for r in dry], (
        "a dry run marks nothing as seen"
    )
    assert [r["id"] for r in got["delivered"]["papers"]] == [r["id"] for r in dry]
    assert got["after"]["papers"] == [], "delivered once, when asked"
    assert all(isinstance(v["warnings"], list) for v in got.values())


def test_bad_arguments_give_the_cli_message_as_an_error_result(
    api: FakeAPI, tmp_path: Path
) -> None:
    results: dict[str, Any] = {}
    calls = {
        "sort": ("search", {"query": "few-shot learning", "sort": "bogus"}),
        "limit": ("cites", {"paper_id": MATCHING_NETWORKS, "limit": 10**6}),
        "id": ("paper", {"paper_id": "garbage"}),
        "date": ("cites", {"paper_id": MATCHING_NETWORKS, "since": "next tuesday"}),
        "empty": ("related", {"paper_ids": []}),
        "type": ("search", {"query": "few-shot learning", "limit": "many"}),
        "missing": ("paper", {}),
        "unknown tool": ("summarise", {"paper_id": MATCHING_NETWORKS}),
    }

    async def body(client: ClientSession) -> None:
        for key, (name, arguments) in calls.items():
            results[key] = await client.call_tool(name, arguments)
        results["still serving"] = await client.call_tool("watch_list", {})

    session(tmp_path, body)
    assert api.count() == 0, "bad arguments are refused before any request"
    text = {k: r.content[0].text for k, r in results.items()}
    assert all(results[k].is_error for k in calls), text
    assert text["sort"] == cli_error("search", "few-shot learning", "--sort", "bogus")
    assert text["sort"].startswith("Error: unknown sort 'bogus'\nHint: use one of: score")
    assert text["limit"] == cli_error("cites", MATCHING_NETWORKS, "--limit", str(10**6))
    assert text["id"] == cli_error("paper", "garbage")
    assert text["date"] == cli_error("cites", MATCHING_NETWORKS, "--since", "next tuesday")
    assert "at least one paper id" in text["empty"]
    assert "limit" in text["type"] and "paper_id" in text["missing"]
    assert "summarise" in text["unknown tool"]
    assert payload(results["still serving"]) == {"watches": [], "warnings": []}
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_without_the_mcp_package_one_error_line_names_the_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "mcp", None)  # `import mcp` raises ImportError
    run = CliRunner().invoke(app, ["mcp"])
    assert run.exit_code == 1
    lines = str(run.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), lines
    assert "pip install 'litscout[mcp]'" in lines[0]
