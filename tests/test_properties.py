"""Property tests: parsers and translators only return results or raise litscout's errors.

Thousands of random inputs, and mutations of real recorded responses (../shared/fixtures,
skipped when absent), go through the same code paths a run uses: the query translator,
id and date parsing, Semantic Scholar JSON (through Http with an in-memory transport) and
arXiv Atom (through the polite `requests` session with an in-memory adapter, the `arxiv`
package's parser and our `from_result`). No sockets, so thousands of cases stay fast.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from litscout import ids
from litscout.config import Network, Settings, Sources
from litscout.errors import LitscoutError
from litscout.models import Paper
from litscout.query import Query, parse_date
from litscout.sources.arxiv_api import ArxivAPI
from litscout.sources.bodies import decode, error_message
from litscout.sources.http import Http
from litscout.sources.limiter import services
from litscout.sources.s2 import SemanticScholar, from_s2

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
QUICK = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
THOROUGH = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
TODAY = date(2026, 11, 25)

# -- strategies -------------------------------------------------------------------------------

ARXIV_BITS = st.sampled_from(
    ['ti:', 'au:', 'abs:', 'cat:', 'all:', 'id:', ' AND ', ' OR ', ' ANDNOT ', '(', ')', '"',
     'submittedDate:[202001010000 TO 202101010000]', '-', "'", ':', '[', ']', '*', '\\',
     'few-shot', 'learning', 'cs.LG', 'NEAR', '^', '{', '}', '\x00', '\n', '\t', ' ']
)  # fmt: skip
QUERY_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(ARXIV_BITS, st.text(max_size=8)), max_size=12).map("".join),
)
KNOWN_CATEGORIES = st.sampled_from(["cs.LG", "stat.ML", "quant-ph", "cs", "astro-ph.CO"])
CATEGORIES = st.lists(st.one_of(KNOWN_CATEGORIES, st.text(max_size=8)), max_size=3)
DATE_SPEC = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.from_regex(r"\A-?\d{1,6}(-\d{1,3}(-\d{1,3})?)?\Z"),
    st.from_regex(r"\A\s*\d{1,6}\s*[dwmyDWMY]\s*\Z"),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
S2_KEYS = [
    "paperId", "externalIds", "url", "title", "abstract", "venue", "year", "publicationDate",
    "publicationTypes", "referenceCount", "citationCount", "influentialCitationCount",
    "openAccessPdf", "authors", "tldr", "citationStyles", "ArXiv", "DOI", "name", "text",
    "bibtex",
]  # fmt: skip
S2_VALUES = st.one_of(
    JSON,
    st.sampled_from(["1606.04080", "10.48550/arXiv.1606.04080", "2016-06-13", "2016-13-45",
                     "arXiv:hep-th/9901001", "", " ", "10.", "0000-00-00", "ARXIV:x"]),
)  # fmt: skip
S2_PAPER = st.fixed_dictionaries(
    {"paperId": st.one_of(st.text(min_size=1, max_size=40), JSON)},
    optional={key: S2_VALUES for key in S2_KEYS if key != "paperId"}
    | {"externalIds": st.dictionaries(st.sampled_from(["ArXiv", "DOI", "CorpusId"]), S2_VALUES)},
)


def fixture_files(folder: str, *patterns: str) -> list[Path]:
    base = FIXTURES / folder
    if not base.is_dir():
        return []
    return sorted({p for pattern in patterns for p in base.glob(pattern)})


ATOM_FILES = fixture_files("arxiv-api", "*.xml", "*.atom")
S2_FILES = fixture_files("s2", "*.json")


@functools.cache
def fixture_bytes(kind: str) -> list[bytes]:
    return [p.read_bytes() for p in (S2_FILES if kind == "s2" else ATOM_FILES)]


needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is absent")


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """A real body with a few byte- or text-level edits (truncation, splices, new text)."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["truncate", "delete", "insert", "replace", "element"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if kind == "truncate":
            del data[at:]
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=20))
        elif kind == "replace":
            data[at : at + 8] = draw(st.sampled_from([b"<", b">", b"&", b'"', b"\xff", b"]]>"]))
        else:  # new text for one element: dates, ids, numbers that make no sense
            spans = [m.span(1) for m in re.finditer(rb">([^<>]{1,80})</", bytes(data))]
            if spans:
                start, end = draw(st.sampled_from(spans))
                text = draw(st.text(max_size=30)).encode("utf-8", "replace")
                data[start:end] = text.replace(b"<", b"").replace(b"&", b"&amp;")
    return bytes(data)


# -- queries, ids, dates ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, abstract)")
    conn.execute("INSERT INTO t VALUES ('few-shot learning', 'matching networks')")
    return conn


@THOROUGH
@given(text=QUERY_TEXT, since=DATE_SPEC, until=DATE_SPEC, categories=CATEGORIES)
@example(text='ti:"a b" AND (abs:c OR au:d)', since="2y", until=None, categories=["cs.LG"])
@example(text="all:x ANDNOT", since=None, until=None, categories=[])
@example(text='""', since=None, until=None, categories=[])
def test_query_translation(
    fts: sqlite3.Connection, text: str, since: str | None, until: str | None,
    categories: list[str],
) -> None:  # fmt: skip
    try:
        query = Query.build(text, since=since, until=until, categories=categories, today=TODAY)
    except LitscoutError:
        return
    arxiv = query.arxiv_query()
    assert arxiv and isinstance(arxiv, str)
    assert arxiv.count('"') % 2 == 0
    assert arxiv.count("(") == arxiv.count(")")
    assert isinstance(query.s2_text(), str)  # "" when only fields S2 cannot use
    assert isinstance(query.key, str)
    assert all(isinstance(t, str) and t for t in query.terms())
    match = query.fts_match()
    if match:  # whatever the user typed, FTS5 accepts what we hand it
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()


@THOROUGH
@given(st.one_of(st.text(max_size=80), st.from_regex(r"\A(arXiv:)?\d{4}\.\d{4,5}(v\d{1,3})?\Z"),
                 st.from_regex(r"\A(doi:|https://doi\.org/)?10\.\d{4,9}/\S{1,20}\Z"),
                 st.from_regex(r"\A[a-z\-]{2,12}(\.[A-Z]{2})?/\d{7}(v\d)?\Z")))  # fmt: skip
def test_ids_parse(text: str) -> None:
    try:
        parsed = ids.parse(text)
    except LitscoutError:
        return
    assert parsed.kind in ("arxiv", "doi", "s2")
    assert ids.parse(parsed.canonical) == parsed  # the canonical form parses back to itself
    assert parsed.s2


@THOROUGH
@given(spec=DATE_SPEC.filter(lambda s: s is not None), end=st.booleans())
def test_parse_date(spec: str, end: bool) -> None:
    try:
        value = parse_date(spec, today=TODAY, end=end)
    except LitscoutError:
        return
    assert isinstance(value, date)


# -- Semantic Scholar JSON ----------------------------------------------------------------------


def store_roundtrip(paper: Paper) -> None:
    """What from_s2 returns must be storable (types the store can write and read back)."""
    from litscout.store.papers import PaperStore

    with PaperStore(":memory:") as store:
        [stored] = store.upsert_papers([paper])
        assert store.get([stored.id])[stored.id].title == stored.title


@THOROUGH
@given(item=st.one_of(JSON, S2_PAPER))
def test_from_s2_random_objects(item: Any) -> None:
    paper = from_s2(item)
    if paper is not None:
        assert isinstance(paper, Paper) and isinstance(paper.title, str)
        assert paper.id
        store_roundtrip(paper)


@functools.cache
def s2_paper_objects() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "paperId" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in S2_FILES:
        walk(json.loads(path.read_bytes()))
    return found


@st.composite
def mutated_s2_object(draw: st.DrawFn) -> dict[str, Any]:
    item = json.loads(json.dumps(draw(st.sampled_from(s2_paper_objects()))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        target = item
        nested = [k for k, v in item.items() if isinstance(v, dict)]
        if nested and draw(st.booleans()):
            target = item[draw(st.sampled_from(nested))]
        keys = list(target) or ["paperId"]
        key = draw(st.one_of(st.sampled_from(keys), st.sampled_from(S2_KEYS)))
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(S2_VALUES)
    return item


@needs_fixtures
@THOROUGH
@given(item=st.deferred(lambda: mutated_s2_object()))
def test_from_s2_mutated_real_objects(item: dict[str, Any]) -> None:
    paper = from_s2(item)
    if paper is not None:
        assert isinstance(paper, Paper)
        store_roundtrip(paper)


def loopback_http(body: bytes, status: int = 200, content_type: str = "application/json") -> Http:
    """An Http whose every request is answered in memory with `body`."""
    import httpx

    settings = Settings(network=Network(retries=0, arxiv_delay=0.0, s2_interval=0.0))
    http = Http(settings)
    handler = lambda request: httpx.Response(  # noqa: E731
        status, content=body, headers={"content-type": content_type}
    )
    http._client = httpx.Client(transport=httpx.MockTransport(handler))
    return http


def s2_calls(s2: SemanticScholar) -> list[Any]:
    return [
        lambda: s2.search("few-shot learning"),
        lambda: s2.batch(["ARXIV:1606.04080", "ARXIV:1703.05175"]),
        lambda: s2.paper("ARXIV:1606.04080"),
        lambda: s2.citations("ARXIV:1606.04080", limit=50),
        lambda: s2.recommend(["ARXIV:1606.04080"]),
    ]


def check_s2_body(body: bytes, status: int = 200) -> None:
    http = loopback_http(body, status)
    try:
        for call in s2_calls(SemanticScholar(http)):
            try:
                result = call()
            except LitscoutError:
                continue
            assert result is None or isinstance(result, list | tuple | Paper)
    finally:
        http.close()


@QUICK
@given(body=st.one_of(st.binary(max_size=200), JSON.map(lambda v: json.dumps(v).encode())),
       status=st.sampled_from([200, 200, 200, 400, 403, 404, 429, 500, 504]))  # fmt: skip
def test_s2_random_bodies_through_the_client(body: bytes, status: int) -> None:
    check_s2_body(body, status)


@needs_fixtures
@QUICK
@given(body=st.deferred(lambda: mutated(fixture_bytes("s2"))))
def test_s2_mutated_real_bodies_through_the_client(body: bytes) -> None:
    check_s2_body(body)


@THOROUGH
@given(body=st.binary(max_size=300), expect=st.sampled_from(["json", "xml", "text"]))
@example(body=b"<!DOCTYPE html><title>Gateway</title>", expect="json")
@example(body=b'{"message": 12}', expect="json")
@example(body=b"\xef\xbb\xbf{}", expect="json")
@example(body=b"<?xml version='1.0' encoding='TF-8'?><feed/>", expect="xml")
def test_decode_and_error_message_random(body: bytes, expect: str) -> None:
    service = services(Settings())["s2"]
    try:
        decode(service, body, expect, None)
    except LitscoutError:
        pass
    assert isinstance(error_message(body), str)


@needs_fixtures
@THOROUGH
@given(body=st.deferred(lambda: mutated(fixture_bytes("s2") + fixture_bytes("atom"))))
def test_decode_and_error_message_mutated(body: bytes) -> None:
    service = services(Settings())["s2"]
    for expect in ("json", "xml"):
        try:
            decode(service, body, expect, None)
        except LitscoutError:
            pass
    message = error_message(body)
    assert isinstance(message, str) and len(message) < 2000


# -- arXiv Atom through the polite session ------------------------------------------------


def arxiv_with_body(body: bytes, status: int = 200) -> ArxivAPI:
    """Our ArxivAPI whose session is answered in memory (a requests transport adapter)."""
    import requests
    from requests.adapters import BaseAdapter

    class Canned(BaseAdapter):
        def send(self, request: Any, **kwargs: Any) -> requests.Response:
            assert kwargs.get("timeout"), "every arXiv request carries a timeout"
            response = requests.Response()
            response.status_code = status
            response._content = body
            response.headers["Content-Type"] = "application/atom+xml"
            response.url = request.url
            response.request = request
            return response

        def close(self) -> None:
            pass

    settings = Settings(
        network=Network(retries=0, arxiv_delay=0.0),
        sources=Sources(arxiv_api_url="http://arxiv.invalid/api/query"),
    )
    api = ArxivAPI(Http(settings))
    api.client._session.mount("http://", Canned())
    return api


def check_atom_body(body: bytes) -> None:
    api = arxiv_with_body(body)
    for call in (
        lambda: api.search("all:learning", 10, retry_empty=False),
        lambda: api.lookup(["1606.04080", "hep-th/9901001"]),
    ):
        try:
            papers = call()
        except LitscoutError:
            continue
        for paper in papers:
            assert isinstance(paper, Paper) and paper.arxiv_id
            store_roundtrip(paper)


ATOM_SKELETON = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n"
    b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
    b'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
    b"<opensearch:totalResults>1</opensearch:totalResults><entry>"
    b"<id>http://arxiv.org/abs/1606.04080v2</id><updated>2017-12-29T18:55:12Z</updated>"
    b"<published>2016-06-13T19:34:22Z</published><title>Matching Networks</title>"
    b"<summary>Learning from a few examples.</summary><author><name>O. Vinyals</name></author>"
    b'<arxiv:doi>10.48550/arXiv.1606.04080</arxiv:doi><category term="cs.LG"/>'
    b'<arxiv:primary_category term="cs.LG"/><link title="pdf" href="https://arxiv.org/pdf/x"/>'
    b"</entry></feed>"
)


@QUICK
@given(body=st.one_of(st.binary(max_size=300), mutated([ATOM_SKELETON])))
@example(body=ATOM_SKELETON.replace(b"2016-06-13T19:34:22Z", b"yesterday"))
@example(body=ATOM_SKELETON.replace(b"http://arxiv.org/abs/1606.04080v2", b"nonsense"))
@example(body=b"<html><title>Access Denied</title></html>")
@example(body=b'<?xml version="1.0"?><rss><channel/></rss>')
@example(body=ATOM_SKELETON.replace(b"UTF-8", b"TF-8"))
def test_atom_random_bodies_through_the_session(body: bytes) -> None:
    check_atom_body(body)


@needs_fixtures
@QUICK
@given(body=st.deferred(lambda: mutated(fixture_bytes("atom"))))
def test_atom_mutated_real_bodies_through_the_session(body: bytes) -> None:
    check_atom_body(body)


@needs_fixtures
def test_the_mutations_reach_the_parsers() -> None:
    """Guard against a vacuous property: unmutated fixtures do parse into papers."""
    papers = [p for path in ATOM_FILES for p in arxiv_with_body(path.read_bytes()).search("x", 10)]
    assert len(papers) > 20
    assert sum(1 for item in s2_paper_objects() if from_s2(item)) > 100


# -- arXiv listing feeds (RSS, read by `watch`) -----------------------------------------------

RSS_FILES = fixture_files("arxiv-rss", "*.xml")


@needs_fixtures
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.deferred(lambda: mutated([p.read_bytes() for p in RSS_FILES])))
def test_rss_mutated_real_listings(body: bytes) -> None:
    """feedparser is slow on big listings: fewer examples, still every fixture mutated."""
    from litscout.sources.arxiv_feed import parse

    try:
        feed = parse(body.decode("utf-8", "replace"), "cs.LG")
    except LitscoutError:
        return
    for item in feed.items:
        assert isinstance(item.paper, Paper)
