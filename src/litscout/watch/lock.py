"""One `watch run` at a time: a bounded, spoken lock on watch.lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import locks
from ..errors import LitscoutError

# -- the run lock -------------------------------------------------------------------------


class LockTimeout(LitscoutError):
    """Another `watch run` held the lock for longer than [watch] lock_timeout."""


@contextmanager
def exclusive(
    path: Path,
    timeout: float,
    poll: float = 0.1,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold an exclusive OS lock on `path` (released by the OS if the process dies)."""

    def tell(holder: str, bound: float) -> None:
        if on_wait is not None:
            on_wait(
                f"another `litscout watch run` is running{holder}; "
                f"waiting for it (up to {bound:.0f}s)"
            )

    try:
        with locks.hold(path, timeout, poll=poll, on_wait=tell):
            yield
    except locks.LockBusy as exc:
        raise LockTimeout(
            f"another `litscout watch run` is still running{exc.holder} "
            f"after waiting {timeout:.0f}s",
            hint=f"let it finish (a stopped one: fg, or end it), or raise [watch] "
            f"lock_timeout; the lock is {path}",
        ) from None
