"""HTTP for every source: politeness, retries, timeouts and honest errors.

* One rate limiter per service, shared by all of the user's litscout processes through the
  state directory (`ratestate`), so cron and a manual search never double up on arXiv, even
  with different homes. Every wait for another process is bounded and said on stderr.
* Retries with exponential backoff and jitter on 429, 5xx, timeouts and connection errors;
  Retry-After is honoured but capped; the whole wait is bounded.
* Bodies are checked before parsing: an HTML page where XML/JSON was expected becomes a
  SourceError that says what came back, never a parser traceback.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import locks
from ..config import Settings
from ..errors import RateLimitedError, SourceError
from ..locks import LockBusy
from ..render.reporter import PlainReporter, Reporter
from .ratestate import FileRateState, RateState, Slots

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "litscout/0.1 (+https://github.com/litscout/litscout)"
# Requests arrive a little after they are sent, and not all equally late: each interval gets
# a margin of this share of itself, so the service never sees two requests closer.
SPACING_SHARE = 0.1
# A wait for a slot this long is explained on stderr (normal spacing is silent).
LONG_WAIT = 5.0
# While another request on a new connection is in flight, look this often for its answer.
HOLD_POLL = 0.05


@dataclass(frozen=True)
class Service:
    name: str  # shown to the user: "arXiv", "Semantic Scholar", "OpenAlex"
    host: str  # rate-limit bucket shared across processes
    interval: float
    # One connection at a time across processes, and the interval counts from the end of
    # the previous request (arXiv's terms: "one request every three seconds, one connection
    # at a time"), so a slow answer or a late packet can never bring two requests closer.
    exclusive: bool = False

    @property
    def gap(self) -> float:
        """The spacing kept between two requests: the interval and its margin."""
        return self.interval * (1 + SPACING_SHARE)


def services(settings: Settings) -> dict[str, Service]:
    net = settings.network
    return {
        "arxiv": Service("arXiv", "arxiv", _interval(net.arxiv_delay, 3.0), exclusive=True),
        "s2": Service("Semantic Scholar", "s2", _interval(net.s2_interval, 1.0)),
        "openalex": Service("OpenAlex", "openalex", _interval(net.openalex_interval, 0.1)),
    }


def _interval(value: float, default: float) -> float:
    """config.load() validates; Settings built in code get the same guarantee here."""
    return value if math.isfinite(value) and 0 <= value <= 120 else default


class RateLimiter:
    """Spaces requests per service across all of this user's litscout processes.

    A request first reserves a slot (`wait`), which queues processes fairly; then, as it is
    actually sent, the send gate (`sending`, an httpcore trace hook) checks the shared state
    once more, so time spent building the client or connecting never brings two requests
    closer. A request on a new connection counts from its answer, not its send: its bytes
    may reach the service late (a slow proxy, a handshake), and nobody can tell when.
    """

    def __init__(
        self,
        state: RateState | None = None,
        reporter: Reporter | None = None,
        horizon: float | None = None,
        *,
        hold_limit: float = 120.0,
        max_wait: float = 180.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.state = state if state is not None else RateState()
        self.reporter = reporter
        self.horizon = horizon  # a time further ahead than this is stale (a clock set back)
        self.hold_limit = hold_limit  # the longest one request may hold a connection lock
        self.max_wait = max_wait  # the longest we wait for a connection lock at all
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._exclusive_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def turn(self, service: Service) -> Iterator[None]:
        """Wait for our slot and hold it for one request (exclusive services: until it ends)."""
        if not service.exclusive:
            self.wait(service)
            yield
            return
        with self._exclusive(service):
            self.wait(service)
            try:
                yield
            finally:
                self._finished(service)

    def _real(self, at: float, now: float) -> float:
        """`at`, or 0 when it lies further ahead than any real wait (stale state)."""
        return 0.0 if self.horizon is not None and at - now > self.horizon else at

    def _update(self, service: Service, change: Callable[[Slots], T]) -> T:
        try:
            return self.state.update(service.host, change)
        except LockBusy as exc:
            raise SourceError(
                service.name,
                f"the shared rate-limit state {exc.path} stayed locked{exc.holder} "
                f"for {exc.waited:.0f}s",
                hint="another litscout process may be stopped (Ctrl-Z): resume it or end it",
            ) from None
        except OSError as exc:
            folder = getattr(self.state, "folder", "")
            self.state = RateState()
            self._warn(
                f"cannot keep the shared rate limit in {folder} ({exc.strerror or exc}): "
                "spacing this process's requests only; set LITSCOUT_STATE_DIR to a writable "
                "directory"
            )
            return self.state.update(service.host, change)

    def _warn(self, message: str) -> None:
        if self.reporter is not None:
            self.reporter.warn(message)

    def _finished(self, service: Service) -> None:
        """The next request to an exclusive service waits `interval` from now."""

        def done(slots: Slots) -> None:
            now = self.clock()
            slots.sent = max(self._real(slots.sent, now), now)

        self._update(service, done)

    @contextmanager
    def _exclusive(self, service: Service) -> Iterator[None]:
        """One connection at a time across processes: a lock file in the state directory.

        Bounded: a holder that keeps it longer than one request can take (a process
        stopped with Ctrl-Z) makes us give up on the service with a SourceError.
        """
        folder = getattr(self.state, "folder", None)

        def tell(holder: str, bound: float) -> None:
            self._warn(
                f"{service.name}: another litscout process{holder} is using it (one connection "
                f"at a time); waiting up to {bound:.0f}s more for it"
            )

        with ExitStack() as stack:
            try:
                if folder is None:
                    raise OSError("no shared state")
                stack.enter_context(
                    locks.hold(
                        folder / f"{service.host}.lock",
                        self.max_wait,
                        hold_limit=self.hold_limit,
                        on_wait=tell,
                        tell_after=min(LONG_WAIT, self.hold_limit / 2),
                    )
                )
            except OSError:  # no usable state directory: the spacing alone must do
                with self._lock:
                    lock = self._exclusive_locks.setdefault(service.host, threading.Lock())
                stack.enter_context(lock)
            except LockBusy as exc:
                raise SourceError(
                    service.name,
                    f"another litscout process{exc.holder} kept its connection for "
                    f"{exc.waited:.0f}s; gave up waiting",
                    hint="that process may be stopped (Ctrl-Z): resume it (fg) or end it; "
                    f"the lock is {exc.path}",
                ) from None
            yield

    def wait(self, service: Service) -> None:
        gap = service.gap

        def reserve(slots: Slots) -> float:
            now = self.clock()
            last = max(self._real(slots.next, now), self._real(slots.sent, now))
            slots.next = max(now, last + gap)
            return slots.next

        start = self._update(service, reserve)
        delay = start - self.clock()
        if delay >= LONG_WAIT:
            self._tell_wait(service, delay)
        if delay > 0:
            self.sleep(delay)

    def _tell_wait(self, service: Service, delay: float) -> None:
        self._warn(
            f"{service.name}: waiting {delay:.0f}s for its rate limit, which all litscout "
            "processes share (another one is using it, or the service asked us to slow down)"
        )

    def sending(self, service: Service, fresh: bool, longest: float) -> float | None:
        """The send gate: return once the request may go out; the hold to settle, if any.

        `fresh`: the request opened a new connection, so it holds everyone back until its
        answer (at most `longest` seconds: a process that dies mid-request cannot block).
        """
        gap = service.gap
        started = self.clock()
        told = False
        while True:

            def check(slots: Slots) -> tuple[float, bool, float | None]:
                now = self.clock()
                held = self._real(slots.held, now)
                ready = max(self._real(slots.sent, now), held) + gap
                if now >= ready:
                    if fresh:
                        slots.held = now + longest
                        return 0.0, False, slots.held
                    slots.sent = now
                    return 0.0, False, None
                return ready - now, held > now, None

            wait, in_flight, hold = self._update(service, check)
            if wait <= 0:
                return hold
            if not told and self.clock() - started + wait >= LONG_WAIT:
                self._tell_wait(service, wait)
                told = True
            self.sleep(min(wait, HOLD_POLL) if in_flight else wait)

    def settle(self, service: Service, hold: float) -> None:
        """The request that holds `hold` was answered (or failed): it counts from now."""

        def release(slots: Slots) -> None:
            now = self.clock()
            if slots.held == hold:
                slots.held = 0.0
            slots.sent = max(self._real(slots.sent, now), now)

        self._update(service, release)

    def back_off(self, service: Service, seconds: float) -> None:
        """After a 429: no process asks `service` again for `seconds` (not `seconds` + interval:
        the pause already covers the interval, and stderr says how long the wait is)."""
        until = self.clock() + seconds - service.gap

        def push(slots: Slots) -> None:
            slots.next = max(slots.next, until)
            slots.sent = max(slots.sent, until)

        self._update(service, push)


class _SendGate:
    """An httpcore trace hook: the limiter has the last word as each request goes out."""

    def __init__(self, limiter: RateLimiter, service: Service, longest: float) -> None:
        self.limiter = limiter
        self.service = service
        self.longest = longest
        self.fresh = False
        self.holds: list[float] = []

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.started":
            self.fresh = True
        elif event.endswith(".send_request_headers.started"):
            self.settle()  # a redirect: the previous hop has been answered
            hold = self.limiter.sending(self.service, self.fresh, self.longest)
            self.fresh = False
            if hold is not None:
                self.holds.append(hold)

    def settle(self) -> None:
        holds, self.holds = self.holds, []
        for hold in holds:
            self.limiter.settle(self.service, hold)


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
        error: SourceError | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        # could not connect at all, or an answer cut off: one retry is enough
        self.unreachable = unreachable
        self.status = status
        self.retry_after = retry_after
        self.error = error  # what to raise when the retries run out (None: built here)

    @classmethod
    def broken(cls, exc: SourceError) -> _Retry:
        """A body that does not parse: asked for once more, like a transfer cut short."""
        reason = exc.message.removeprefix(f"{exc.service}: ")
        return cls(reason, unreachable=True, error=exc)

    def final(self, service: Service, tries: int, spent: float | None = None) -> SourceError:
        budget = f" and {spent:.0f}s (the limit is network.max_total_wait)" if spent else ""
        if self.error is not None:  # the service's own error, and how often we asked
            return SourceError(
                self.error.service,
                f"{self.reason} (gave up after {tries} tries{budget})",
                hint=self.error.hint,
                status=self.error.status,
            )
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
        reporter: Reporter | None = None,
        *,
        state_dir: Path | None = None,
    ) -> None:
        """`state_dir`: where the rate state shared with other processes lives
        (`paths.state_dir()`); None keeps it in memory, for this process only."""
        self.settings = settings
        self.services = services(settings)
        self.retrying = Retrying(settings, reporter)
        net = settings.network
        # The longest one request can take once sent; a new connection holds others back
        # that long at most (a process that dies mid-request cannot block the rest).
        self.longest = net.connect_timeout + net.read_timeout
        gap = max(service.gap for service in self.services.values())
        # No legitimate time in the state is further ahead than a 429's pause or a request
        # in flight; anything beyond is a clock set back (it is forgotten, not waited for).
        horizon = net.max_total_wait + net.max_retry_wait + self.longest + gap
        hold_limit = gap + net.max_retry_wait + self.longest + 1.0
        state = FileRateState(state_dir) if state_dir is not None else RateState()
        self.limiter = RateLimiter(
            state,
            self.retrying.reporter,
            horizon,
            hold_limit=hold_limit,
            max_wait=max(net.max_total_wait, hold_limit),
        )
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
                event_hooks={"request": [self.keys_to_their_origin]},
            )
        return self._client

    def keys_to_their_origin(self, request: httpx.Request) -> None:
        """A key goes only to the origin it was configured for: httpx keeps custom headers
        and query parameters on a redirect to another host, so they are dropped here."""
        sources = self.settings.sources
        target = origin(str(request.url))
        if "x-api-key" in request.headers and target != origin(sources.s2_api_url):
            del request.headers["x-api-key"]
        if "api_key" in request.url.params and target != origin(sources.openalex_api_url):
            request.url = request.url.copy_remove_param("api_key")

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
        4xx raise SourceError at once (they will not get better); 429/5xx/network retry
        (at most `retries` times; default: the configured number), and a body that does not
        parse is asked for once more (it was most likely cut off).
        """
        import httpx

        service = self.services[service_key]

        def attempt() -> tuple[int, Any]:
            self.counts[service_key] += 1
            gate = _SendGate(self.limiter, service, self.longest)
            try:
                response = self.client.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    extensions={"trace": gate},
                )
                body = response.content
            except httpx.TimeoutException:
                raise _Retry("timed out") from None
            except httpx.ConnectError:
                raise _Retry("cannot connect", unreachable=True) from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise _Retry(f"connection failed ({type(exc).__name__})") from None
            finally:
                gate.settle()
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
            try:
                return status, decode(service, body, expect, response.headers.get("content-type"))
            except BrokenBody as exc:
                raise _Retry.broken(exc) from None

        result: tuple[int, Any] = self.retrying.run(service, attempt, self.limiter, retries)
        return result


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


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


class BrokenBody(SourceError):
    """An answer that does not parse (cut off, most likely): worth asking once more."""


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
            raise BrokenBody(
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
        raise BrokenBody(service.name, "empty answer where XML was expected")
    try:
        return str(ET.fromstring(body).tag)
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding
        raise BrokenBody(
            service.name,
            f"the XML answer is broken ({exc}; {len(body)} bytes, starts "
            f"{describe_body(body, 40)})",
            hint="the answer may have been cut off; try again",
        ) from None
