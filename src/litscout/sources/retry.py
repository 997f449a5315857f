"""The retry policy, shared by the httpx sources and the arxiv package's session.

Exponential backoff with jitter on 429, 5xx, timeouts, dropped connections and bodies cut
off; Retry-After honoured but capped; the whole wait bounded (`network.max_total_wait`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import RateLimitedError, SourceError
from ..render.reporter import PlainReporter, Reporter
from .limiter import RateLimiter, Service

if TYPE_CHECKING:
    pass

RETRY_STATUSES = {429, 500, 502, 503, 504}


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
                notice = (
                    f"{service.name}: {retry.reason}; waiting {pause:.1f}s{why} before retry "
                    f"{tries}/{allowed}"
                )
                # Nothing listening: the give-up line says it all, so the retry is progress
                # only (one line per source when the network is down).
                (self.reporter.status if retry.quiet else self.reporter.warn)(notice)
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
        quiet: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.quiet = quiet  # announce the retry as progress, not as a warning
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
