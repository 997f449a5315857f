"""Every real recorded response in ../shared/fixtures goes through our code (skipped if absent).

arXiv: every Atom body (and every arxiv.py cassette, with its recorded status) is served by
a loopback HTTP server to our ArxivAPI, so the polite session, the checks, the `arxiv`
package's parser and `from_result` all see real bytes. Semantic Scholar: every paper object
goes through `from_s2`; every body through the client (an in-memory httpx transport); every
error body through `net.error_message`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from litscout import ids
from litscout.config import Network, Settings, Sources
from litscout.errors import LitscoutError, RateLimitedError, SourceError, UsageError
from litscout.sources.arxiv_api import ArxivAPI
from litscout.sources.bodies import error_message
from litscout.sources.http import Http
from litscout.sources.s2 import SemanticScholar, from_s2

ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})$")


class Loopback:
    """A one-route HTTP server on 127.0.0.1 answering every GET with a set body and status."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.paths: list[str] = []
        loop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                loop.paths.append(self.path)
                self.send_response(loop.status)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(loop.body)))
                self.end_headers()
                self.wfile.write(loop.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/query"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    yield server
    server.close()


def arxiv_api(url: str) -> ArxivAPI:
    settings = Settings(
        network=Network(retries=0, arxiv_delay=0.0, read_timeout=5.0),
        sources=Sources(arxiv_api_url=url),
    )
    return ArxivAPI(Http(settings))


def atom_files(root: Path) -> list[Path]:
    folder = root / "arxiv-api"
    files = sorted({*folder.glob("*.xml"), *folder.glob("*.atom")})
    assert files, "no Atom fixtures found"
    return files


def entries_with_dates(body: bytes) -> int:
    """Entries the parser must keep: those with an id, <published> and <updated>."""
    return sum(
        1
        for entry in re.findall(rb"<entry>(.*?)</entry>", body, re.S)
        if b"<published>" in entry and b"<updated>" in entry
    )


def check_arxiv_paper(paper: Any) -> None:
    assert ARXIV_ID.match(paper.arxiv_id), paper.arxiv_id
    assert paper.id == f"arXiv:{paper.arxiv_id}"
    assert paper.title and "\n" not in paper.title and "  " not in paper.title
    assert paper.abstract is None or ("\n" not in paper.abstract and "  " not in paper.abstract)
    assert paper.authors and all(a.strip() for a in paper.authors)
    assert paper.published and paper.year == paper.published.year
    assert paper.categories
    assert paper.primary_category is None or paper.primary_category in paper.categories
    assert paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
    assert paper.doi is None or paper.doi == paper.doi.lower()
    assert paper.sources == ["arxiv"]


def test_every_atom_body_parses_through_our_session(
    shared_fixtures: Path, loopback: Loopback
) -> None:
    parsed = 0
    for path in atom_files(shared_fixtures):
        body = path.read_bytes()
        loopback.body, loopback.status = body, 200
        api = arxiv_api(loopback.url)
        papers = api.search("all:testing", 100, retry_empty=False)
        assert len(papers) == entries_with_dates(body), path.name
        for paper in papers:
            check_arxiv_paper(paper)
        parsed += len(papers)
    assert parsed > 100


def test_every_arxivpy_cassette_with_its_recorded_status(
    shared_fixtures: Path, loopback: Loopback
) -> None:
    cassettes = sorted((shared_fixtures / "arxiv-api").glob("arxivpy__*.json"))
    assert cassettes
    for path in cassettes:
        recorded = json.loads(path.read_text())
        body = recorded["body"].encode()
        loopback.body, loopback.status = body, recorded["status_code"]
        api = arxiv_api(loopback.url)
        id_list = re.search(r"id_list=([^&]*)", recorded["url"]).group(1)  # type: ignore[union-attr]
        wanted = [i for i in id_list.replace("%2F", "/").split("%2C") if i]
        try:
            papers = api.lookup(wanted) if wanted else api.search("all:testing", 100)
        except UsageError as exc:
            assert recorded["status_code"] == 400, path.name
            summary = re.search(r"<summary>(.*?)</summary>", recorded["body"]).group(1)  # type: ignore[union-attr]
            assert summary in exc.message  # arXiv's own words reach the user
            continue
        assert recorded["status_code"] == 200, path.name
        assert len(papers) == entries_with_dates(body), path.name
        for paper in papers:
            check_arxiv_paper(paper)
        if wanted:  # what came back is what was asked for (versions stripped)
            asked = {ids.arxiv_id(i) for i in wanted}
            assert {p.arxiv_id for p in papers} <= asked, path.name


def test_old_style_and_versioned_ids(shared_fixtures: Path, loopback: Loopback) -> None:
    folder = shared_fixtures / "arxiv-api"
    expected = {
        "api-2026-id_list-old-style-astro-ph-0601001.body.xml": "astro-ph/0601001",
        "api-2026-id_list-old-style-quant-ph-0201082v1.body.xml": "quant-ph/0201082",
        "api-2026-id_list-versioned-2104.12255v1.body.xml": "2104.12255",
    }
    for name, arxiv_id in expected.items():
        loopback.body, loopback.status = (folder / name).read_bytes(), 200
        [paper] = arxiv_api(loopback.url).lookup([arxiv_id])
        assert paper.arxiv_id == arxiv_id


def test_empty_feed_is_asked_twice_then_believed(shared_fixtures: Path, loopback: Loopback) -> None:
    loopback.body = (
        shared_fixtures / "arxiv-api/api-2026-empty-id_list-0000.0000.body.xml"
    ).read_bytes()
    loopback.status = 200
    loopback.paths.clear()
    assert arxiv_api(loopback.url).search("all:nothing", 10) == []
    assert len(loopback.paths) == 2


# -- Semantic Scholar ------------------------------------------------------------------------


def s2_files(root: Path) -> list[Path]:
    files = sorted((root / "s2").glob("*.json"))
    assert files, "no S2 fixtures found"
    return files


def paper_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "paperId" in node:
            yield node
        for value in node.values():
            yield from paper_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from paper_objects(value)


def test_every_s2_paper_object(shared_fixtures: Path) -> None:
    count = 0
    for path in s2_files(shared_fixtures):
        for item in paper_objects(json.loads(path.read_bytes())):
            paper = from_s2(item)
            if not item.get("paperId"):
                assert paper is None
                continue
            count += 1
            assert paper is not None and paper.s2_id == item["paperId"], path.name
            assert isinstance(paper.title, str)
            external = item.get("externalIds") or {}
            if external.get("ArXiv"):
                assert paper.arxiv_id == ids.arxiv_id(external["ArXiv"])
                assert paper.id == f"arXiv:{paper.arxiv_id}"
            if external.get("DOI") and not paper.arxiv_id:
                assert paper.doi == external["DOI"].lower()
            if isinstance(item.get("citationCount"), int):
                assert paper.citations == item["citationCount"]
            if item.get("publicationDate"):
                assert paper.published and paper.published.isoformat() == item["publicationDate"]
            assert all(isinstance(a, str) and a for a in paper.authors)
    assert count > 300


def mock_http(body: bytes, status: int) -> Http:
    import httpx

    settings = Settings(network=Network(retries=0, s2_interval=0.0))
    http = Http(settings)
    headers = {"content-type": "application/json"}
    http._client = httpx.Client(
        transport=httpx.MockTransport(
            lambda _: httpx.Response(status, content=body, headers=headers)
        )
    )
    return http


def test_every_s2_body_through_the_client(shared_fixtures: Path) -> None:
    for path in s2_files(shared_fixtures):
        if path.name.startswith("s2-error-"):
            continue
        body = path.read_bytes()
        data = json.loads(body)
        s2 = SemanticScholar(mock_http(body, 200))
        results = s2.search("x")
        wanted = len(data.get("data") or []) if isinstance(data, dict) else 0
        if path.name.startswith(("s2-paper-search", "s2-author-papers")):
            assert len(results) == wanted, path.name
        found = s2.batch(["ARXIV:1606.04080"] * (len(data) if isinstance(data, list) else 1))
        if isinstance(data, list):
            assert [p is None for p in found] == [
                not isinstance(i, dict) or not i.get("paperId") for i in data
            ], path.name
        if "citations" in path.name:
            citing, _ = s2.citations("ARXIV:1606.04080", limit=len(data["data"]))
            known = [i for i in data["data"] if (i.get("citingPaper") or {}).get("paperId")]
            assert len(citing) == len(known)
        if "recommendations" in path.name:
            assert len(s2.recommend(["x"])) == len(data["recommendedPapers"])


def test_every_s2_error_body(shared_fixtures: Path) -> None:
    errors = sorted((shared_fixtures / "s2").glob("s2-error-*.json"))
    assert errors
    for path in errors:
        body = path.read_bytes()
        data = json.loads(body)
        text = data.get("error") or data.get("message")
        assert error_message(body) == text  # S2's own words, not a repr of the JSON
        status = int(path.name.split("-")[2])
        http = mock_http(body, status)
        with pytest.raises(SourceError) as caught:
            SemanticScholar(http).search("x")
        assert caught.value.message.startswith("Semantic Scholar: ")
        if status == 429:
            assert isinstance(caught.value, RateLimitedError)
        elif status < 500:
            assert text in caught.value.message
        else:
            assert str(status) in caught.value.message


def test_openalex_404_html_is_described_not_dumped(shared_fixtures: Path) -> None:
    page = shared_fixtures / "openalex" / "openalex-error-404-work-not-found.html"
    if not page.is_file():
        pytest.skip("no OpenAlex error page")
    message = error_message(page.read_bytes())
    assert message.startswith("an HTML page") and len(message) < 120
    assert "<" not in message


def test_errors_from_fixtures_are_litscout_errors(shared_fixtures: Path) -> None:
    """An S2 body where arXiv's Atom was expected (and the reverse) is a clear SourceError."""
    s2_body = (shared_fixtures / "s2" / "s2-paper-search-match-title.json").read_bytes()
    atom = (
        shared_fixtures / "arxiv-api" / "api-2026-search-testing-10-entries.body.xml"
    ).read_bytes()
    server = Loopback()
    try:
        server.body = s2_body
        with pytest.raises(LitscoutError) as caught:
            arxiv_api(server.url).search("all:x", 10)
        assert caught.value.message.startswith("arXiv: ")
    finally:
        server.close()
    with pytest.raises(SourceError) as caught_s2:
        SemanticScholar(mock_http(atom, 200)).search("x")
    assert "invalid JSON" in caught_s2.value.message
