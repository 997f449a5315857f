"""HTTP for every source: one keep-alive client a run, the limiter, retries and counting.

Keys travel only to their own origin (a redirect elsewhere drops them). The rate limits are in
limiter.py, the retry policy in retry.py, the reading of bodies in bodies.py.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import SourceError
from ..render.reporter import Reporter
from .bodies import BrokenBody, _hint_for, decode, error_message, status_reason
from .limiter import RateLimiter, _SendGate, services
from .ratestate import FileRateState, RateState
from .retry import RETRY_STATUSES, Retrying, _Retry, parse_retry_after

if TYPE_CHECKING:
    import httpx

USER_AGENT = "litscout/0.1 (+https://github.com/litscout/litscout)"


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
                raise _Retry("cannot connect", unreachable=True, quiet=True) from None
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
