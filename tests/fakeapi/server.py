"""A fake arXiv (API + RSS), Semantic Scholar and OpenAlex HTTP server for tests and benchmarks.

    from fakeapi import FakeAPI, Fault
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0, latency=0.0) as api:
        os.environ.update(api.env())
        ...

It is a real HTTP/1.1 server (``ThreadingHTTPServer`` on 127.0.0.1, port 0 by default) in a
daemon thread. Several processes pointed at the same server share its rate-limit state.
Run it standalone with ``python tests/fakeapi/server.py --port 8765`` (or ``python -m fakeapi``
with ``tests`` on ``sys.path``); it prints the environment exports for litscout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

if __package__ in (None, ""):  # run as a script: make the ``fakeapi`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakeapi.corpus import Citation, Corpus, FakePaper, default_corpus, sha1_hex  # noqa: E402
from fakeapi.formats import (  # noqa: E402
    AUTHOR_SUBFIELDS,
    CITATION_FIELDS,
    OPENALEX_404,
    S2_PAPER_FIELDS,
    VALID_ARCHIVES,
    S2Renderer,
    atom_entry,
    atom_error,
    atom_feed,
    openalex_work,
    rss_bad_archive,
    rss_feed,
    stub_corpus_id,
)
from fakeapi.search import (  # noqa: E402
    ArxivMatcher,
    bulk_match,
    content_stems,
    normalise_query,
    parse_bulk,
    s2_rank,
)

SERVICES = ("arxiv", "rss", "s2", "openalex")
FAULT_KINDS = ("status", "html", "truncated", "reset", "delay", "malformed_json", "empty_feed")

OPENALEX_INTERVAL = 0.01  # OpenAlex: at most 100 requests/s
# The shape of OpenAlex's JSON errors (see the 400s it answers); the 429 wording is ours.
OPENALEX_429 = {
    "error": "Rate limit exceeded",
    "message": "You have exceeded your daily budget or 100 requests per second.",
}
S2_429_BODY = (
    '{"message": "Too Many Requests. Please wait and try again or apply for a key for higher '
    'rate limits. https://www.semanticscholar.org/product/api#api-key-form", "code": "429"}'
)
S2_NOT_AVAILABLE = "Requested data for this limit and/or offset is not available"
ARXIV_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
ARXIV_OLD_ID = re.compile(r"^[a-z]+(-[a-z]+)?(\.[A-Z]{2})?/\d{7}(v\d+)?$")

ACCESS_DENIED = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "{path}" on this server.<P>
Reference&#32;&#35;18&#46;{ref}
</BODY>
</HTML>
"""


# ========================================= public types =========================================


@dataclass
class Fault:
    """A failure to serve for the next ``times`` requests to one service.

    kind: "status" (``status`` + ``body``; a service-typical body when ``body`` is None),
    "html" (200 text/html Access Denied page), "truncated" (the normal body cut in half, with an
    honest Content-Length and the normal content type), "reset" (the socket is closed with a
    TCP reset and no response), "delay" (sleep ``seconds`` then answer normally),
    "malformed_json" (200 application/json that does not parse), "empty_feed" (arXiv: a valid
    Atom feed with no entries and totalResults 0; RSS: a channel without items; S2 search: no
    results).
    """

    status: int = 500
    body: str | bytes | dict[str, Any] | list[Any] | None = None
    headers: dict[str, str] | None = None
    times: int = 1
    kind: str = "status"
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server received it. ``headers`` keys are lower-case; ``status`` is 0
    for a request answered by a connection reset. A request is logged as soon as its answer is
    decided, before any ``latency`` or "delay" wait. For a form POST to the arXiv API, ``query``
    also holds the form fields."""

    t: float
    service: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False
    delay: float = 0.0  # seconds to wait before answering (the "delay" fault)


def _json(obj: Any, status: int = 200) -> _Response:
    return _Response(status, json.dumps(obj, ensure_ascii=True).encode(), "application/json")


def _s2_error(message: str, status: int = 400) -> _Response:
    return _json({"error": message}, status)


class _BadRequest(Exception):
    def __init__(self, response: _Response) -> None:
        super().__init__(response.status)
        self.response = response


# ============================================ FakeAPI ===========================================


class FakeAPI:
    """The fake services on one local HTTP server. Use as a context manager or start()/stop().

    ``arxiv_delay``: a request to arXiv (API or RSS) less than this many seconds after the
    previous arXiv request was received is answered 429 ``Rate exceeded.``.
    ``s2_interval``: the same for Semantic Scholar (429 with S2's JSON body, no Retry-After).
    ``latency``: seconds added before every response. ``s2_key``: when set, a request carrying a
    different ``x-api-key`` gets 403. ``openalex_budget``: OpenAlex list calls answered before
    the day's budget is spent (429 after). ``openalex_interval``: like ``s2_interval`` for
    OpenAlex (``OPENALEX_INTERVAL`` is its real cap, 100 requests/s). All can be changed on a
    running server.
    ``s2_match``: "any" (default) — the relevance search finds papers with any word of the query,
    best first; "all" — only papers with every content word, like the real service answering a
    long plain-language question with few or no papers.
    ``unidentified_refs``: every reference list ends with this many entries S2 could not match
    to a paper (``citedPaper`` with a null ``paperId``, only a title and year), as real lists do.
    """

    def __init__(
        self,
        arxiv_delay: float = 0.0,
        s2_interval: float = 0.0,
        latency: float = 0.0,
        corpus: Corpus | None = None,
        *,
        s2_key: str | None = None,
        openalex_budget: int | None = None,
        openalex_interval: float = 0.0,
        s2_match: str = "any",
        unidentified_refs: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.arxiv_delay = arxiv_delay
        self.s2_interval = s2_interval
        self.latency = latency
        self.s2_key = s2_key
        self.openalex_budget = openalex_budget
        self.openalex_interval = openalex_interval
        self.openalex_list_calls = 0
        self.s2_match = s2_match
        self.unidentified_refs = unidentified_refs
        self.corpus: Corpus = corpus if corpus is not None else default_corpus()
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._faults: dict[str, list[Fault]] = {s: [] for s in SERVICES}
        self._last: dict[str, float] = {}
        self._feed: dict[str, list[str]] | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> FakeAPI:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self._host, self._port), _Handler)
        server.daemon_threads = True
        server.api = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- public helpers ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeAPI is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "LITSCOUT_ARXIV_API_URL": f"{self.url}/api/query",
            "LITSCOUT_ARXIV_FEED_URL": f"{self.url}/rss",
            "LITSCOUT_S2_API_URL": self.url,
            "LITSCOUT_OPENALEX_API_URL": f"{self.url}/openalex",
            "LITSCOUT_ARXIV_DELAY": str(self.arxiv_delay),
        }

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._log)

    def count(self, service: str | None = None) -> int:
        with self._lock:
            if service is None:
                return len(self._log)
            return sum(1 for r in self._log if r.service == service)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def inject(self, service: str, fault: Fault) -> None:
        """Queue ``fault`` for the next ``fault.times`` requests to ``service`` (FIFO)."""
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}; use one of {SERVICES}")
        with self._lock:
            self._faults[service].append(replace(fault))

    def clear_faults(self) -> None:
        with self._lock:
            for queue in self._faults.values():
                queue.clear()

    def set_feed(self, feed: dict[str, list[str]] | None) -> None:
        """Set what the RSS listing announces today, per category (replaces earlier calls).

        Categories not in ``feed`` keep the default (corpus papers with days_ago <= 1 listing
        that category); ``None`` restores the default everywhere. A listed paper older than a
        day is announced as a replacement (``replace`` / ``replace-cross``).
        """
        with self._lock:
            self._feed = {k: list(v) for k, v in feed.items()} if feed is not None else None

    # -- request plumbing (called from handler threads) ---------------------------------------
    def _admit(
        self, service: str, t: float, headers: dict[str, str], path: str = ""
    ) -> _Response | Fault | None:
        """Fault, key check and rate limit; None means: serve normally."""
        group = "arxiv" if service in ("arxiv", "rss") else service
        with self._lock:
            prev = self._last.get(group)
            self._last[group] = t
            queue = self._faults.get(service)
            fault = None
            if queue:
                fault = queue[0]
                fault.times -= 1
                if fault.times <= 0:
                    queue.pop(0)
        if fault is not None:
            return fault
        if service == "s2":
            key = headers.get("x-api-key")
            if self.s2_key is not None and key is not None and key != self.s2_key:
                return _json({"message": "Forbidden"}, 403)
            if self.s2_interval > 0 and prev is not None and t - prev < self.s2_interval:
                return _Response(429, S2_429_BODY.encode(), "application/json")
        elif group == "arxiv":
            if self.arxiv_delay > 0 and prev is not None and t - prev < self.arxiv_delay:
                return _Response(429, b"Rate exceeded.", "text/plain")
        elif service == "openalex":
            gap = self.openalex_interval
            if gap > 0 and prev is not None and t - prev < gap:
                return _json(OPENALEX_429, 429)
            if path.rstrip("/").endswith("/works"):  # a list call: it costs budget
                with self._lock:
                    self.openalex_list_calls += 1
                    spent = (
                        self.openalex_budget is not None
                        and self.openalex_list_calls > self.openalex_budget
                    )
                if spent:
                    return _json(OPENALEX_429, 429)
        return None

    def _record(self, rec: RequestRecord) -> None:
        with self._lock:
            self._log.append(rec)

    def _announced(self) -> dict[str, list[str]]:
        with self._lock:
            override = dict(self._feed) if self._feed is not None else {}
        cats: dict[str, list[str]] = {}
        for p in self.corpus:
            if p.arxiv_id:
                for c in p.categories:
                    cats.setdefault(c, [])
                    if p.days_ago <= 1:
                        cats[c].append(p.arxiv_id)
        cats.update(override)
        return cats


# ============================================ handler ===========================================


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeAPI/1.0"
    sys_version = ""
    timeout = 30

    @property
    def api(self) -> FakeAPI:
        return self.server.api  # type: ignore[attr-defined]

    def setup(self) -> None:
        super().setup()
        with self.api._lock:
            self.api._conns.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.api._lock:
            self.api._conns.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        t = time.time()
        api = self.api
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        path = split.path
        query = parse_qs(split.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in self.headers.items()}
        service = _service_of(path)

        outcome = api._admit(service, t, headers, path) if service in SERVICES else None
        try:
            if isinstance(outcome, _Response):
                resp = outcome
            elif isinstance(outcome, Fault):
                resp = self._fault(outcome, service, method, path, query, body)
            else:
                resp = _route(api, service, method, path, query, headers, body)
        except _BadRequest as exc:
            resp = exc.response
        except Exception:  # a bug in the fake: say so loudly instead of hanging the client
            resp = _Response(500, traceback.format_exc().encode(), "text/plain")

        # Logged before any waiting, so api.count() sees a request as soon as it is decided.
        api._record(
            RequestRecord(
                t, service, method, path, query, headers, body, 0 if resp.reset else resp.status
            )
        )
        if resp.delay > 0 or api.latency > 0:
            time.sleep(resp.delay + api.latency)
        if resp.reset:
            self._reset()
            return
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            for k, v in resp.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(resp.body)
        except OSError:
            self.close_connection = True

    def _reset(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def _fault(
        self,
        fault: Fault,
        service: str,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
    ) -> _Response:
        api = self.api
        headers = {k.lower(): v for k, v in self.headers.items()}
        if fault.kind == "status":
            resp = _fault_body(service, fault.status, fault.body)
            if fault.headers:
                resp.headers.update(fault.headers)
                for k, v in fault.headers.items():
                    if k.lower() == "content-type":
                        resp.content_type = v
                        del resp.headers[k]
            return resp
        if fault.kind == "html":
            ref = sha1_hex(f"{time.time()}")[:8]
            page = ACCESS_DENIED.format(
                path=f"http://{self.headers.get('Host', '')}{path}", ref=ref
            )
            return _Response(200, page.encode(), "text/html")
        if fault.kind == "reset":
            return _Response(0, reset=True)
        if fault.kind == "malformed_json":
            return _Response(
                200, b'{"total": 3, "offset": 0, "data": [{"paperId": "', "application/json"
            )
        if fault.kind == "empty_feed":
            return _empty(api, service, path, query)
        resp = _route(api, service, method, path, query, headers, body)
        if fault.kind == "delay":
            resp.delay = fault.seconds
        if fault.kind == "truncated":
            resp = _Response(
                resp.status, resp.body[: max(1, len(resp.body) // 2)], resp.content_type
            )
        return resp


def _service_of(path: str) -> str:
    if path.startswith("/api/query"):
        return "arxiv"
    if path.startswith("/rss/") or path == "/rss":
        return "rss"
    if path.startswith(("/graph/v1/", "/recommendations/v1/")):
        return "s2"
    if path.startswith("/openalex/") or path == "/openalex":
        return "openalex"
    return "unknown"


def _fault_body(service: str, status: int, body: Any) -> _Response:
    if body is not None:
        if isinstance(body, dict | list):
            return _Response(status, json.dumps(body).encode(), "application/json")
        raw = body.encode() if isinstance(body, str) else bytes(body)
        head = raw.lstrip()[:1]
        ctype = (
            "application/json"
            if head in (b"{", b"[")
            else "text/html"
            if head == b"<"
            else "text/plain"
        )
        return _Response(status, raw, ctype)
    if service == "s2":
        if status == 429:
            return _Response(429, S2_429_BODY.encode(), "application/json")
        message = {
            403: {"message": "Forbidden"},
            500: {"message": "Internal server error"},
            502: {"message": "Bad Gateway"},
            503: {"message": "Service Unavailable"},
            504: {"message": "Endpoint request timed out"},
        }.get(status, {"error": f"HTTP {status}"})
        return _json(message, status)
    if service in ("arxiv", "rss"):
        text = {429: "Rate exceeded.", 503: "Service Unavailable"}.get(status, f"Error {status}")
        return _Response(status, text.encode(), "text/plain")
    if status == 404 and service == "openalex":
        return _Response(404, OPENALEX_404.encode(), "text/html; charset=utf-8")
    return _json({"error": f"HTTP {status}"}, status)


def _empty(api: FakeAPI, service: str, path: str, query: dict[str, list[str]]) -> _Response:
    now = datetime.now(UTC)
    if service == "arxiv":
        max_results = _int(query, "max_results", 10, lambda m: _Response(400))
        text = atom_feed(
            search_query=normalise_query(_first(query, "search_query")),
            id_list=_first(query, "id_list"),
            start=_int(query, "start", 0, lambda m: _Response(400)),
            max_results=max_results,
            total=0,
            entries=[],
            now=now,
        )
        return _Response(200, text.encode(), "application/atom+xml; charset=utf-8")
    if service == "rss":
        cats = [c for c in unquote(path[len("/rss/") :]).split("+") if c]
        return _Response(200, rss_feed(cats, [], now).encode(), "application/rss+xml")
    return _json({"total": 0, "offset": 0})


# ============================================ routing ===========================================


def _first(query: dict[str, list[str]], name: str, default: str = "") -> str:
    vals = query.get(name)
    return vals[0] if vals else default


def _int(query: dict[str, list[str]], name: str, default: int, error: Any) -> int:
    raw = _first(query, name)
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise _BadRequest(error(f"{name} must be an integer")) from None


def _route(
    api: FakeAPI,
    service: str,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> _Response:
    if service == "arxiv":
        if method == "POST" and "form" in headers.get("content-type", "form"):
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                query.setdefault(k, v)
        return _arxiv_query(api, query)
    if service == "rss":
        return _rss(api, unquote(path[len("/rss/") :]) if path.startswith("/rss/") else "")
    if service == "s2":
        return _S2(api).route(method, path, query, body)
    if service == "openalex":
        return _openalex(api, path, query)
    return _Response(404, b"Not Found", "text/plain")


# -- arXiv API ----------------------------------------------------------------------------------


def _arxiv_query(api: FakeAPI, query: dict[str, list[str]]) -> _Response:
    now = datetime.now(UTC)
    corpus = api.corpus

    def error(message: str) -> _Response:
        return _Response(400, atom_error(message, now).encode(), "application/atom+xml")

    search_query = _first(query, "search_query").strip()
    id_list_raw = _first(query, "id_list").strip()
    start = _int(query, "start", 0, error)
    max_results = _int(query, "max_results", 10, error)
    if start < 0:
        return error("start must be non-negative")
    if max_results < 0:
        return error("max_results must be non-negative")
    if max_results > 30000:
        return error("max_results must be less than or equal to 30000")
    sort_by = _first(query, "sortBy", "relevance") or "relevance"
    sort_order = _first(query, "sortOrder", "descending") or "descending"
    if sort_by not in ("relevance", "submittedDate", "lastUpdatedDate"):
        return error(f"sortBy must be in: relevance, lastUpdatedDate, submittedDate ({sort_by})")
    if sort_order not in ("ascending", "descending"):
        return error(f"sortOrder must be in: ascending, descending ({sort_order})")

    ids = [i.strip() for i in id_list_raw.split(",") if i.strip()]
    for i in ids:
        if not (ARXIV_NEW_ID.match(i) or ARXIV_OLD_ID.match(i)):
            return error(f"incorrect id format for {i}")

    candidates: list[tuple[FakePaper, int | None]] = []
    if ids:
        seen: set[tuple[str, int | None]] = set()
        for i in ids:
            p = corpus.by_arxiv(i)
            m = re.search(r"v(\d+)$", i)
            version = int(m.group(1)) if m else None
            if p is None or (version is not None and not 1 <= version <= p.version):
                continue
            if (p.paper_id, version) in seen:
                continue
            seen.add((p.paper_id, version))
            candidates.append((p, version))
    elif search_query:
        candidates = [(p, None) for p in corpus if p.arxiv_id]

    scored: list[tuple[FakePaper, int | None, float]] = []
    if search_query:
        matcher = ArxivMatcher(search_query, corpus.now)
        for p, v in candidates:
            s = matcher.score(p)
            if s > 0:
                scored.append((p, v, s))
    else:
        scored = [(p, v, 0.0) for p, v in candidates]

    reverse = sort_order == "descending"
    if sort_by == "submittedDate":
        scored.sort(key=lambda x: (x[0].published(corpus.now), x[0].arxiv_id), reverse=reverse)
    elif sort_by == "lastUpdatedDate":
        scored.sort(key=lambda x: (x[0].updated(corpus.now), x[0].arxiv_id), reverse=reverse)
    elif search_query:
        scored.sort(
            key=lambda x: (x[2], x[0].published(corpus.now), x[0].arxiv_id), reverse=reverse
        )

    page = scored[start : start + min(max_results, 2000)]
    entries = [atom_entry(p, corpus.now, v) for p, v, _ in page]
    text = atom_feed(
        search_query=normalise_query(search_query) if search_query else "",
        id_list=id_list_raw,
        start=start,
        max_results=max_results,
        total=len(scored),
        entries=entries,
        now=now,
    )
    return _Response(200, text.encode(), "application/atom+xml; charset=utf-8")


# -- arXiv RSS ----------------------------------------------------------------------------------


def _rss(api: FakeAPI, spec: str) -> _Response:
    now = datetime.now(UTC)
    cats = [c for c in spec.split("+") if c]
    valid = {a.strip() for a in VALID_ARCHIVES.split(",")}
    for c in cats or [""]:
        archive = c.split(".")[0]
        if archive not in valid:
            return _Response(
                200, rss_bad_archive(spec, archive, now).encode(), "application/rss+xml"
            )
    announced = api._announced()
    chosen: dict[str, FakePaper] = {}
    for cat, ids in announced.items():
        if not any(cat == r or cat.startswith(r + ".") for r in cats):
            continue
        for i in ids:
            p = api.corpus.by_arxiv(i)
            if p is not None and p.arxiv_id:
                chosen.setdefault(p.arxiv_id, p)

    def kind(p: FakePaper) -> str:
        own = any(p.primary_category == r or p.primary_category.startswith(r + ".") for r in cats)
        if p.days_ago <= 1:
            return "new" if own else "cross"
        return "replace" if own else "replace-cross"

    order = {"new": 0, "cross": 1, "replace": 2, "replace-cross": 3}
    items = sorted(
        ((p, kind(p)) for p in chosen.values()), key=lambda x: (order[x[1]], x[0].arxiv_id)
    )
    return _Response(200, rss_feed(cats, items, now).encode(), "application/rss+xml")


# -- Semantic Scholar ---------------------------------------------------------------------------

_PAPER_FIELD_SET = set(S2_PAPER_FIELDS) | {f"authors.{s}" for s in AUTHOR_SUBFIELDS}


class _S2:
    def __init__(self, api: FakeAPI) -> None:
        self.api = api
        self.corpus = api.corpus
        self.render = S2Renderer(api.corpus)
        self._citers: dict[str, float] | None = None

    def route(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> _Response:
        if path.startswith("/recommendations/v1/"):
            rest = path[len("/recommendations/v1/") :]
            if rest.startswith("papers/forpaper/") and method == "GET":
                return self.forpaper(unquote(rest[len("papers/forpaper/") :]), query)
            if rest.rstrip("/") == "papers" and method == "POST":
                return self.recommend(query, body)
            return _s2_error("Not found", 404)
        rest = path[len("/graph/v1/") :]
        if rest == "paper/search" and method == "GET":
            return self.search(query)
        if rest == "paper/search/match" and method == "GET":
            return self.match(query)
        if rest == "paper/search/bulk" and method == "GET":
            return self.bulk(query)
        if rest == "paper/batch" and method == "POST":
            return self.batch(query, body)
        if rest.startswith("paper/") and method == "GET":
            pid = unquote(rest[len("paper/") :])
            for tail in ("/citations", "/references"):
                if pid.endswith(tail):
                    return self.edges(pid[: -len(tail)], tail[1:], query)
            return self.details(pid, query)
        return _s2_error("Not found", 404)

    # -- helpers ----------------------------------------------------------------------------------
    def fields(self, query: dict[str, list[str]], extra: Iterable[str] = ()) -> list[str]:
        raw = _first(query, "fields")
        fields = [f.strip() for f in raw.split(",") if f.strip()]
        allowed = _PAPER_FIELD_SET | set(extra)
        bad = [f for f in fields if f not in allowed]
        if bad:
            raise _BadRequest(_s2_error(f"Unrecognized or unsupported fields: [{', '.join(bad)}]"))
        return fields

    def resolve(self, ident: str) -> FakePaper | str | None:
        """A corpus paper, the paperId of a synthetic citer, or None."""
        s = ident.strip()
        low = s.lower()
        c = self.corpus
        if re.fullmatch(r"[0-9a-f]{40}", low):
            p = c.by_paper_id(low)
            if p is not None:
                return p
            return low if low in self.citers() else None
        prefix, _, value = s.partition(":")
        kind = prefix.lower()
        if kind == "corpusid" and value.isdigit():
            found = c.by_corpus_id(int(value))
            if found is not None:
                return found
            # a synthetic citing paper, by its CorpusId (as S2 answers for any paper it knows)
            return next((p for p in self.citers() if stub_corpus_id(p) == int(value)), None)
        if kind == "doi":
            return c.by_doi(value)
        if kind == "arxiv":
            return c.by_arxiv(value)
        if kind == "url":
            m = re.search(r"arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:\.pdf)?$", value)
            if m:
                return c.by_arxiv(m.group(1))
            m = re.search(r"semanticscholar\.org/paper/(?:.*/)?([0-9a-f]{40})", value)
            if m:
                return self.resolve(m.group(1))
            m = re.search(r"doi\.org/(10\..+)$", value)
            return c.by_doi(m.group(1)) if m else None
        if low.startswith("10."):
            return c.by_doi(s)
        return None

    def citers(self) -> dict[str, float]:
        if self._citers is None:
            self._citers = self.corpus.citer_index()
        return self._citers

    def obj(self, item: FakePaper | str, fields: list[str]) -> dict[str, Any]:
        if isinstance(item, FakePaper):
            return self.render.paper(item, fields)
        return self.render.stub(item, self.citers()[item], fields)

    def _limit(self, query: dict[str, list[str]], default: int, maximum: int) -> tuple[int, int]:
        offset = _int(query, "offset", 0, _s2_error)
        limit = _int(query, "limit", default, _s2_error)
        if offset < 0 or limit < 0:
            raise _BadRequest(_s2_error("offset and limit must be non-negative"))
        if limit > maximum:
            raise _BadRequest(_s2_error(f"Limit must be <= {maximum}"))
        return offset, limit

    # -- endpoints --------------------------------------------------------------------------------
    def details(self, ident: str, query: dict[str, list[str]]) -> _Response:
        fields = self.fields(query)
        item = self.resolve(ident)
        if item is None:
            return _s2_error(f"Paper with id {ident} not found", 404)
        return _json(self.obj(item, fields))

    def batch(self, query: dict[str, list[str]], body: bytes) -> _Response:
        fields = self.fields(query)
        try:
            payload = json.loads(body or b"{}")
            ids = payload["ids"]
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return _s2_error('Body must be JSON of the form {"ids": ["id", ...]}')
        if len(ids) > 500:
            return _s2_error("Cannot process more than 500 ids at once")
        out: list[dict[str, Any] | None] = []
        for i in ids:
            item = self.resolve(i)
            out.append(None if item is None else self.obj(item, fields))
        return _json(out)

    def search(self, query: dict[str, list[str]]) -> _Response:
        fields = self.fields(query)
        text = _first(query, "query")
        if not text.strip():
            return _s2_error("Missing required parameter: 'query'")
        offset, limit = self._limit(query, 100, 100)
        if offset + limit > 1000:
            return _s2_error(S2_NOT_AVAILABLE)
        papers = [p for p in self.corpus if self._filters_ok(p, query)]
        ranked = [p for p, _ in s2_rank(papers, text)]
        if self.api.s2_match == "all":
            wanted = set(content_stems(text))
            ranked = [
                p for p in ranked if wanted <= set(content_stems(f"{p.title} {p.abstract or ''}"))
            ]
        out: dict[str, Any] = {"total": len(ranked), "offset": offset}
        if offset + limit < min(len(ranked), 1000):
            out["next"] = offset + limit
        page = ranked[offset : offset + limit]
        if page:
            out["data"] = [self.render.paper(p, fields) for p in page]
        return _json(out)

    def bulk(self, query: dict[str, list[str]]) -> _Response:
        """``/paper/search/bulk``: boolean syntax, up to 1,000 papers, optional ``sort``."""
        fields = self.fields(query)
        text = _first(query, "query")
        if not text.strip():
            return _s2_error("Missing required parameter: 'query'")
        if "limit" in query or "offset" in query:
            return _s2_error("Unrecognized parameters: limit and offset are not supported here")
        try:
            node = parse_bulk(text)
        except ValueError as exc:
            return _s2_error(f"Invalid query: {exc}")
        papers = [p for p in self.corpus if self._filters_ok(p, query) and bulk_match(node, p)]
        sort = _first(query, "sort")
        if sort:
            name, _, order = sort.partition(":")
            keys = {
                "citationCount": lambda p: p.citation_count,
                "publicationDate": lambda p: -p.days_ago,
                "paperId": lambda p: p.paper_id,
            }
            if name not in keys or order not in ("", "asc", "desc"):
                return _s2_error(f"Invalid sort: {sort}")
            papers.sort(key=keys[name], reverse=order != "asc")
        else:
            papers.sort(key=lambda p: p.paper_id)
        out: dict[str, Any] = {"total": len(papers), "token": None}
        out["data"] = [self.render.paper(p, fields) for p in papers[:1000]]
        return _json(out)

    def match(self, query: dict[str, list[str]]) -> _Response:
        fields = self.fields(query)
        words = " ".join(content_stems(_first(query, "query")))
        for p in self.corpus:
            if words and " ".join(content_stems(p.title)) == words:
                obj = self.render.paper(p, fields)
                obj["matchScore"] = round(100.0 + len(p.title) / 3, 5)
                return _json({"data": [obj]})
        return _s2_error("Title match not found", 404)

    def _filters_ok(self, p: FakePaper, query: dict[str, list[str]]) -> bool:
        now = self.corpus.now
        published = p.published(now).date()
        year = _first(query, "year")
        if year:
            lo, hi = _year_range(year)
            if not lo <= published.year <= hi:
                return False
        span = _first(query, "publicationDateOrYear")
        if span and not _in_span(published, span):
            return False
        fos = _first(query, "fieldsOfStudy")
        if fos and not {f.strip() for f in fos.split(",")} & set(p.fos):
            return False
        min_cites = _first(query, "minCitationCount")
        if min_cites and p.citation_count < int(min_cites or 0):
            return False
        types = _first(query, "publicationTypes")
        if types:
            have = set(self.render.paper(p, ["publicationTypes"])["publicationTypes"] or [])
            if not {t.strip() for t in types.split(",")} & have:
                return False
        venue = _first(query, "venue")
        if venue:
            mine = p.s2_venue.lower()
            if mine not in {v.strip().lower() for v in venue.split(",")}:
                return False
        if "openAccessPdf" in query:
            pdf = self.render.paper(p, ["openAccessPdf"])["openAccessPdf"]
            if not pdf or not pdf.get("url"):
                return False
        return True

    def edges(self, ident: str, which: str, query: dict[str, list[str]]) -> _Response:
        fields = self.fields(query, CITATION_FIELDS)
        item = self.resolve(ident)
        if item is None:
            return _s2_error(f"Paper with id {ident} not found", 404)
        offset, limit = self._limit(query, 100, 1000)
        if offset >= 9999:
            return _s2_error(S2_NOT_AVAILABLE)
        edge_fields = [f for f in fields if f in CITATION_FIELDS]
        paper_fields = [f for f in fields if f not in CITATION_FIELDS]
        if isinstance(item, str):
            edges: list[Citation] = []
        elif which == "citations":
            edges = list(item.citations)
            span = _first(query, "publicationDateOrYear")
            if span:
                now = self.corpus.now
                edges = [
                    c for c in edges if _in_span((now - timedelta(days=c.days_ago)).date(), span)
                ]
        else:
            edges = self._references(item)
            edges += [
                Citation("", float(i), False) for i in range(self.api.unidentified_refs)
            ]  # paperId "" -> an entry S2 could not identify
        cap = min(len(edges), 9999)
        page = edges[offset : min(offset + limit, cap)]
        key = "citingPaper" if which == "citations" else "citedPaper"
        data = []
        for c in page:
            entry = self.render.edge(
                c if c.paper_id else c._replace(paper_id="0" * 40), edge_fields
            )
            target = self.corpus.by_paper_id(c.paper_id) if c.paper_id else None
            if not c.paper_id:
                entry[key] = {f: None for f in ["paperId", *paper_fields]}
                entry[key].update(title=f"Unmatched reference {int(c.days_ago) + 1}", year=2019)
            elif target is not None:
                entry[key] = self.render.paper(target, paper_fields)
            else:
                entry[key] = self.render.stub(c.paper_id, c.days_ago, paper_fields)
            data.append(entry)
        out: dict[str, Any] = {"offset": offset}
        if offset + limit < cap:
            out["next"] = offset + limit
        out["data"] = data
        return _json(out)

    def _references(self, p: FakePaper) -> list[Citation]:
        refs = [Citation(pid, 0.0, False) for pid in p.references]
        for r in refs[:]:
            target = self.corpus.by_paper_id(r.paper_id)
            if target is not None:
                refs[refs.index(r)] = Citation(r.paper_id, target.days_ago, False)
        for i in range(max(0, p.reference_count - len(refs))):
            pid = sha1_hex(f"ref:{p.key}:{i}")
            refs.append(Citation(pid, p.days_ago + 30 + (i * 97) % 2000, i % 9 == 0))
        return refs

    def forpaper(self, ident: str, query: dict[str, list[str]]) -> _Response:
        fields = self.fields(query)
        _, limit = self._limit(query, 100, 500)
        seed = self.resolve(ident)
        if not isinstance(seed, FakePaper):
            return _s2_error(f"Paper with id {ident} not found", 404)
        pool_name = _first(query, "from", "recent") or "recent"
        if pool_name not in ("recent", "all-cs"):
            return _s2_error("from must be one of: recent, all-cs")
        if pool_name == "recent":
            pool = [p for p in self.corpus if p.days_ago <= 60]
        else:
            pool = [p for p in self.corpus if "Computer Science" in p.fos]
        ranked = _recommend(self.corpus, pool, [seed], [])[:limit]
        return _json({"recommendedPapers": [self.render.paper(p, fields) for p in ranked]})

    def recommend(self, query: dict[str, list[str]], body: bytes) -> _Response:
        fields = self.fields(query)
        _, limit = self._limit(query, 100, 500)
        try:
            payload = json.loads(body or b"{}")
            pos_ids = list(payload.get("positivePaperIds") or [])
            neg_ids = list(payload.get("negativePaperIds") or [])
        except (ValueError, AttributeError, TypeError):
            return _s2_error("Body must be a JSON object")
        if not pos_ids:
            return _s2_error("No positive paper examples given")
        pos = [x for x in (self.resolve(i) for i in pos_ids) if isinstance(x, FakePaper)]
        neg = [x for x in (self.resolve(i) for i in neg_ids) if isinstance(x, FakePaper)]
        ranked = _recommend(self.corpus, list(self.corpus), pos, neg)[:limit]
        return _json({"recommendedPapers": [self.render.paper(p, fields) for p in ranked]})


def _recommend(
    corpus: Corpus, pool: list[FakePaper], pos: list[FakePaper], neg: list[FakePaper]
) -> list[FakePaper]:
    def bag(p: FakePaper) -> set[str]:
        return set(content_stems(p.title + " " + (p.abstract or "")))

    bags = {p.paper_id: bag(p) for p in corpus}
    n = len(corpus)
    df: dict[str, int] = {}
    for b in bags.values():
        for w in b:
            df[w] = df.get(w, 0) + 1

    def sim(a: set[str], b: set[str]) -> float:
        return sum(math.log(n / df[w]) for w in a & b if w in df)

    seeds = {p.paper_id for p in pos + neg}
    scored = []
    for p in pool:
        if p.paper_id in seeds:
            continue
        b = bags.get(p.paper_id) or bag(p)
        s = sum(sim(b, bags[q.paper_id]) for q in pos) - sum(sim(b, bags[q.paper_id]) for q in neg)
        if s > 0:
            scored.append((s, p))
    scored.sort(key=lambda x: (-x[0], x[1].days_ago, x[1].paper_id))
    return [p for _, p in scored]


def _year_range(text: str) -> tuple[int, int]:
    a, sep, b = text.partition("-")
    try:
        lo = int(a) if a else 0
        hi = int(b) if b else (9999 if sep else lo)
    except ValueError:
        raise _BadRequest(_s2_error(f"Invalid year filter: {text}")) from None
    return lo, hi


def _span_bound(text: str, end: bool) -> date:
    text = text.strip()
    try:
        parts = [int(x) for x in text.split("-")]
    except ValueError:
        raise _BadRequest(_s2_error(f"Invalid publicationDateOrYear: {text}")) from None
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(parts[0], parts[1], parts[2])


def _in_span(d: date, span: str) -> bool:
    if ":" in span:
        a, _, b = span.partition(":")
        lo = _span_bound(a, False) if a.strip() else date.min
        hi = _span_bound(b, True) if b.strip() else date.max
    else:
        lo, hi = _span_bound(span, False), _span_bound(span, True)
    return lo <= d <= hi


# -- OpenAlex -----------------------------------------------------------------------------------


OPENALEX_MAX_OR = 100  # values OR-ed in one filter
OPENALEX_MAX_PER_PAGE = 200


def _openalex_error(message: str, status: int = 400) -> _Response:
    return _json({"error": "Invalid query parameters error.", "message": message}, status)


def _openalex_list(api: FakeAPI, query: dict[str, list[str]]) -> _Response:
    """``/works?filter=doi:A|B|…&select=…&per_page=…&page=…``: OpenAlex's list endpoint.

    Only the ``doi`` filter is served; as on the real service the default page is 25 works
    (a client that forgets ``per_page`` loses the rest), at most 100 values may be OR-ed and
    works the filter does not find are simply absent.
    """
    raw = _first(query, "filter")
    values: list[str] = []
    for part in raw.split(","):
        name, _, value = part.partition(":")
        if name.strip() != "doi":
            return _openalex_error(f"{name.strip() or raw!r} is not a supported filter here")
        values += [v for v in value.split("|") if v.strip()]
    if len(values) > OPENALEX_MAX_OR:
        return _openalex_error(
            f"Maximum number of values exceeded for doi. Decrease values to {OPENALEX_MAX_OR} "
            "or below."
        )
    per_page = _int(query, "per_page", 25, _openalex_error)
    page = _int(query, "page", 1, _openalex_error)
    if not 1 <= per_page <= OPENALEX_MAX_PER_PAGE or page < 1:
        return _openalex_error(f"per_page must be between 1 and {OPENALEX_MAX_PER_PAGE}")
    works: list[dict[str, Any]] = []
    seen: set[str] = set()
    for value in values:
        paper = api.corpus.by_doi(value.strip())
        if paper is not None and paper.paper_id not in seen:
            seen.add(paper.paper_id)
            works.append(openalex_work(paper, api.corpus.now))
    keys = [k.strip() for k in _first(query, "select").split(",") if k.strip()]
    if keys:
        bad = [k for k in keys if works and k not in works[0]]
        if bad:
            return _openalex_error(f"{bad[0]} is not a valid select field.")
        works = [{k: w.get(k) for k in keys} for w in works]
    shown = works[(page - 1) * per_page : page * per_page]
    meta = {
        "count": len(works),
        "db_response_time_ms": 12,
        "page": page,
        "per_page": per_page,
        "groups_count": None,
    }
    return _json({"meta": meta, "results": shown, "group_by": []})


def _openalex(api: FakeAPI, path: str, query: dict[str, list[str]]) -> _Response:
    not_found = _Response(404, OPENALEX_404.encode(), "text/html; charset=utf-8")
    if path.rstrip("/") == "/openalex/works":
        return _openalex_list(api, query)
    prefix = "/openalex/works/"
    if not path.startswith(prefix):
        return not_found
    ident = unquote(path[len(prefix) :])
    low = ident.lower()
    corpus = api.corpus
    paper: FakePaper | None = None
    for head in ("https://doi.org/", "http://doi.org/", "doi:", "doi.org/"):
        if low.startswith(head):
            paper = corpus.by_doi(ident[len(head) :])
            break
    else:
        if low.startswith("10."):
            paper = corpus.by_doi(ident)
        elif re.fullmatch(r"w\d+", low) or low.startswith("https://openalex.org/w"):
            wid = "https://openalex.org/" + ident.rsplit("/", 1)[-1].upper()
            paper = next((p for p in corpus if openalex_work(p, corpus.now)["id"] == wid), None)
    if paper is None:
        return not_found
    work = openalex_work(paper, corpus.now)
    select = _first(query, "select")
    if select:
        keys = [k.strip() for k in select.split(",") if k.strip()]
        bad = [k for k in keys if k not in work]
        if bad:
            return _json(
                {
                    "error": "Invalid query parameters error.",
                    "message": f"{bad[0]} is not a valid select field.",
                },
                400,
            )
        work = {k: work[k] for k in keys}
    return _json(work)


# ============================================= CLI ==============================================


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="fakeapi", description="Fake arXiv + Semantic Scholar + OpenAlex server."
    )
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--arxiv-delay", type=float, default=3.0, help="seconds (default 3)")
    ap.add_argument("--s2-interval", type=float, default=1.0, help="seconds (default 1)")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds added to each response")
    ap.add_argument("--s2-key", default=None, help="require this x-api-key when one is sent")
    args = ap.parse_args(argv)
    api = FakeAPI(
        arxiv_delay=args.arxiv_delay,
        s2_interval=args.s2_interval,
        latency=args.latency,
        s2_key=args.s2_key,
        host=args.host,
        port=args.port,
    ).start()
    for k, v in api.env().items():
        print(f"export {k}={v}")
    print(f"# serving {len(api.corpus)} papers on {api.url} -- Ctrl-C to stop", file=sys.stderr)
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        api.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
