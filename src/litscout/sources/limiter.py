"""Rate limits shared by every litscout process of the user.

One slot schedule per service in the state directory (`ratestate`), so cron and a manual
search never double up on arXiv, even with different homes; arXiv's one-connection-at-a-time
rule is a bounded lock; spacing counts from the moment a request is sent (`_SendGate`), with
a margin that is a share of the interval. Every wait for another process is said on stderr.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .. import locks
from ..config import Settings
from ..errors import SourceError
from ..locks import LockBusy
from ..render.reporter import Reporter
from .ratestate import RateState, Slots

if TYPE_CHECKING:
    pass

T = TypeVar("T")

# Requests arrive a little after they are sent, and not all equally late: each interval gets
# a margin of this share of itself, and at least MIN_MARGIN (a loaded machine's scheduling
# jitter is tens of milliseconds, more than 10% of OpenAlex's 0.1 s), so the service never
# sees two requests closer.
SPACING_SHARE = 0.1
MIN_MARGIN = 0.03
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
        if self.interval <= 0:
            return 0.0
        return self.interval + max(self.interval * SPACING_SHARE, MIN_MARGIN)


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
        elif delay >= 1.0 and self.reporter is not None:  # the spinner says what it waits for
            self.reporter.status(f"Waiting {delay:.0f} s for {service.name}'s rate limit…")
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
