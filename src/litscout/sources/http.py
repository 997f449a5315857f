"""HTTP for every source: politeness, retries, timeouts and honest errors.

* One rate limiter per service, shared by all litscout processes through the database
  (`PaperStore.reserve_slot`), so cron and a manual search never double up on arXiv.
* Retries with exponential backoff and jitter on 429, 5xx, timeouts and connection errors;
  Retry-After is honoured but capped; the whole wait is bounded.
* Bodies are checked before parsing: an HTML page where XML/JSON was expected becomes a
  SourceError that says what came back, never a parser traceback.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import RateLimitedError, SourceError
from ..render.reporter import PlainReporter, Reporter

if TYPE_CHECKING:
    import httpx

    from ..store.papers import PaperStore

RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "litscout/0.1 (+https://github.com/litscout/litscout)"
# Requests arrive a little after they are sent; keep a margin so the service never sees two
# requests closer than its interval.
SPACING_MARGIN = 0.05
# A wait for a slot this long is explained on stderr (normal spacing is silent).
LONG_WAIT = 5.0


@dataclass(frozen=True)
class Service:
    name: str  # shown to the user: "arXiv", "Semantic Scholar", "OpenAlex"
    host: str  # rate-limit bucket shared across processes
    interval: float
    # One connection at a time across processes, and the interval counts from the end of
    # the previous request (arXiv's terms: "one request every three seconds, one connection
    # at a time"), so a slow answer or a late packet can never bring two requests closer.
    exclusive: bool = False


def services(settings: Settings) -> dict[str, Service]:
    net = settings.network
    return {
        "arxiv": Service("arXiv", "arxiv", net.arxiv_delay, exclusive=True),
        "s2": Service("Semantic Scholar", "s2", net.s2_interval),
        "openalex": Service("OpenAlex", "openalex", net.openalex_interval),
    }


class RateLimiter:
    """Spaces requests per host across processes; falls back to memory without a store."""

    def __init__(
        self,
        store: PaperStore | None,
        reporter: Reporter | None = None,
        horizon: float | None = None,
    ) -> None:
        self.store = store
        self.reporter = reporter
        self.horizon = horizon  # a slot further away than this is stale (see reserve_slot)
        self._memory: dict[str, float] = {}
        self._lock = threading.Lock()
        self._exclusive_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def turn(self, service: Service) -> Iterator[None]:
        """Wait for our slot and hold it for one request (exclusive services: until it ends)."""
        if not service.exclusive:
            self.wait(service)
            yield
            return
        with self._exclusive(service.host):
            self.wait(service)
            try:
                yield
            finally:
                self._finished(service)

    def _finished(self, service: Service) -> None:
        """The next request to an exclusive service waits `interval` from now."""
        now = time.time()
        if self.store is not None:
            self.store.push_back(service.host, now)
        else:
            with self._lock:
                self._memory[service.host] = max(self._memory.get(service.host, 0.0), now)

    @contextmanager
    def _exclusive(self, host: str) -> Iterator[None]:
        """A lock on `host` held across processes (a lock file next to the database)."""
        path = getattr(self.store, "path", None)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the spacing alone must do
            fcntl = None  # type: ignore[assignment]
        fd = -1
        if path is not None and fcntl is not None:
            try:
                fd = os.open(path.with_name(f"{path.name}.{host}.lock"), os.O_RDWR | os.O_CREAT)
            except OSError:  # a read-only data directory: the spacing alone must do
                fd = -1
        if fd < 0:
            with self._lock:
                lock = self._exclusive_locks.setdefault(host, threading.Lock())
            with lock:
                yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed, even on kill -9
            yield
        finally:
            os.close(fd)

    def wait(self, service: Service) -> None:
        interval = service.interval + (SPACING_MARGIN if service.interval > 0 else 0.0)
        if self.store is not None:
            start = self.store.reserve_slot(service.host, interval, horizon=self.horizon)
        else:
            with self._lock:
                start = max(time.time(), self._memory.get(service.host, 0.0) + interval)
                self._memory[service.host] = start
        delay = start - time.time()
        if delay >= LONG_WAIT and self.reporter is not None:
            self.reporter.warn(
                f"{service.name}: waiting {delay:.0f}s for its rate limit, which all litscout "
                "processes share (another one is using it, or the service asked us to slow down)"
            )
        if delay > 0:
            time.sleep(delay)

    def back_off(self, service: Service, seconds: float) -> None:
        """After a 429: no process asks `service` again for `seconds` (not `seconds` + interval:
        the pause already covers the interval, and stderr says how long the wait is)."""
        interval = service.interval + (SPACING_MARGIN if service.interval > 0 else 0.0)
        until = time.time() + seconds - interval
        if self.store is not None:
            self.store.push_back(service.host, until)
        else:
            with self._lock:
                self._memory[service.host] = max(self._memory.get(service.host, 0.0), until)


class Retrying:
    """The retry policy, shared by the httpx sources and the arxiv package's session."""

    def __init__(self, settings: Settings, reporter: Reporter | None = None) -> None:
        self.net = settings.network
        self.reporter = reporter or PlainReporter()

    def run(
        self,
        service: Service,
        attempt: Callable[[], Any],
        limiter: RateLimiter,
        retries: int | None = None,
    ) -> Any:
        """Call `attempt` until it returns; it raises _Retry to ask for another go."""
        started = time.monotonic()
        tries = 0
        most = self.net.retries if retries is None else min(retries, self.net.retries)
        while True:
            try:
                with limiter.turn(service):
                    return attempt()
            except _Retry as retry:
                tries += 1
                allowed = min(most, 1) if retry.unreachable else most
                if tries > allowed:
                    raise retry.final(service, tries) from None
                pause = self._pause(tries, retry.retry_after, service)
                spent = time.monotonic() - started
                if spent + pause > self.net.max_total_wait:
                    raise retry.final(service, tries, spent) from None
                why = ""
                if retry.retry_after is not None:
                    asked = max(retry.retry_after, 0.0)
                    why = f" (Retry-After {asked:.0f}s" + (
                        f", capped at {self.net.max_retry_wait:.0f}s)"
                        if asked > self.net.max_retry_wait
                        else ")"
                    )
                self.reporter.warn(
                    f"{service.name}: {retry.reason}; waiting {pause:.1f}s{why} before retry "
                    f"{tries}/{allowed}"
                )
                if retry.status == 429:
                    limiter.back_off(service, pause)
                time.sleep(pause)

    def _pause(self, tries: int, retry_after: float | None, service: Service) -> float:
        cap = self.net.max_retry_wait
        if retry_after is not None:
            pause = min(max(retry_after, 0.0), cap)
        else:
            base = max(self.net.backoff_base, service.interval)
            pause = min(cap, base * 2 ** (tries - 1) * random.uniform(0.75, 1.25))
        # The limiter never lets a request out sooner than the service's interval anyway:
        # wait that long here, so that what stderr announces is what happens.
        return max(pause, service.interval)


class _Retry(Exception):
    def __init__(
        self,
        reason: str,
        status: int | None = None,
        retry_after: float | None = None,
        unreachable: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable  # could not connect at all: one retry is enough
        self.status = status
        self.retry_after = retry_after

    def final(self, service: Service, tries: int, spent: float | None = None) -> SourceError:
        budget = f" and {spent:.0f}s (the limit is network.max_total_wait)" if spent else ""
        if self.status == 429:
            return RateLimitedError(
                service.name,
                f"still rate-limited (HTTP 429) after {tries} tries{budget}",
                hint="try again later"
                + (
                    "; a free API key raises the limit (S2_API_KEY)" if service.host == "s2" else ""
                ),
                status=429,
            )
        return SourceError(
            service.name,
            f"{self.reason} (gave up after {tries} tries{budget})",
            hint="check your connection or try again later; cached results still work (--offline)",
            status=self.status,
        )


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None


def describe_body(body: bytes | str, limit: int = 80) -> str:
    """A short, safe description of an unexpected body for error messages."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    lowered = text.lower()
    if "<html" in lowered or "<!doctype html" in lowered:
        import re

        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
        found = title or heading
        name = found.group(1).strip() if found else "no title"
        return f"an HTML page ({' '.join(name.split())[:limit]!r})"
    snippet = " ".join(text.split())[:limit]
    return f"{snippet!r}" if snippet else "an empty body"


class Http:
    """One keep-alive httpx client for a run, with limiter, retries and counting."""

    def __init__(
        self,
        settings: Settings,
        store: PaperStore | None = None,
        reporter: Reporter | None = None,
    ) -> None:
        self.settings = settings
        self.services = services(settings)
        self.retrying = Retrying(settings, reporter)
        # No legitimate slot is further away than a full retry budget (a 429 pushes the
        # next slot back at most max_retry_wait); anything beyond is a clock set back.
        horizon = settings.network.max_total_wait + settings.network.max_retry_wait
        self.limiter = RateLimiter(store, self.retrying.reporter, horizon)
        self.counts: Counter[str] = Counter()
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            import httpx

            net = self.settings.network
            self._client = httpx.Client(
                timeout=httpx.Timeout(net.read_timeout, connect=net.connect_timeout),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(
        self,
        service_key: str,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        expect: str = "json",
        ok_statuses: tuple[int, ...] = (200,),
        retries: int | None = None,
    ) -> tuple[int, Any]:
        """Send one logical request; return (status, parsed body).

        `expect` is "json", "xml" or "text". Statuses in `ok_statuses` are returned; other
        4xx raise SourceError at once (they will not get better); 429/5xx/network retry,
        at most `retries` times (default: the configured number).
        """
        import httpx

        service = self.services[service_key]

        def attempt() -> tuple[int, Any]:
            self.counts[service_key] += 1
            try:
                response = self.client.request(
                    method, url, params=params, json=json_body, headers=headers
                )
                body = response.content
            except httpx.TimeoutException:
                raise _Retry("timed out") from None
            except httpx.ConnectError:
                raise _Retry("cannot connect", unreachable=True) from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise _Retry(f"connection failed ({type(exc).__name__})") from None
            status = response.status_code
            if status in RETRY_STATUSES:
                raise _Retry(
                    status_reason(status, body),
                    status=status,
                    retry_after=parse_retry_after(response.headers.get("retry-after")),
                )
            if status not in ok_statuses:
                keyed = service.host == "s2" and bool(headers and "x-api-key" in headers)
                refused = (
                    " (the API key in S2_API_KEY was refused)" if keyed and status == 403 else ""
                )
                raise SourceError(
                    service.name,
                    f"HTTP {status}: {error_message(body)}{refused}",
                    hint=_hint_for(status, service, keyed=keyed),
                    status=status,
                )
            return status, decode(service, body, expect, response.headers.get("content-type"))

        result: tuple[int, Any] = self.retrying.run(service, attempt, self.limiter, retries)
        return result


def _hint_for(status: int, service: Service, keyed: bool = False) -> str | None:
    if status == 403 and service.host == "s2":
        if keyed:
            return "the Semantic Scholar API key was refused: check S2_API_KEY"
        return "Semantic Scholar refused anonymous access; a free API key helps (S2_API_KEY)"
    if status == 404:
        return "the paper is not known to this service"
    return None


def status_reason(status: int, body: bytes, limit: int = 60) -> str:
    """`HTTP 429 'Too Many Requests. Please wait…'`: the status and the service's own words."""
    message = error_message(body)
    if message.startswith(("'", '"', "an HTML page", "an empty body")):
        return f"HTTP {status} {message}"  # already a quoted snippet or a description
    short = message if len(message) <= limit else message[: limit - 1].rstrip() + "…"
    return f"HTTP {status} {short!r}"


def error_message(body: bytes) -> str:
    """The message from a JSON error body ({"error": ...} or {"message": ...}), else a summary."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return describe_body(body)
    if isinstance(data, dict):
        for key in ("error", "message"):
            if isinstance(data.get(key), str):
                return str(data[key])
    return describe_body(body)


def decode(service: Service, body: bytes, expect: str, content_type: str | None) -> Any:
    """Parse a body we expect to be JSON/XML, or explain what came instead."""
    head = body[:512].lstrip().lower()
    if expect != "text" and (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
        raise SourceError(
            service.name,
            f"expected {expect.upper()} but got {describe_body(body)}",
            hint="the service may be blocking or down; try again later",
        )
    if expect == "json":
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise SourceError(
                service.name,
                f"invalid JSON in the answer ({len(body)} bytes, starts {describe_body(body, 40)})",
                hint="the answer may have been cut off; try again",
            ) from None
    if expect == "xml":
        check_xml(service, body)
        return body
    return body.decode("utf-8", "replace")


def check_xml(service: Service, body: bytes) -> str:
    """Reject truncated or non-XML bodies with a clear error; return the root element's tag."""
    import xml.etree.ElementTree as ET

    if not body.strip():
        raise SourceError(service.name, "empty answer where XML was expected")
    try:
        return str(ET.fromstring(body).tag)
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding
        raise SourceError(
            service.name,
            f"the XML answer is broken ({exc}; {len(body)} bytes, starts "
            f"{describe_body(body, 40)})",
            hint="the answer may have been cut off; try again",
        ) from None
