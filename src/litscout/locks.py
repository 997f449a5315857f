"""Cross-process file locks that never wait in silence and never wait forever.

A lock is a file held with `flock(LOCK_EX | LOCK_NB)`, polled; the holder writes its pid
(and when it took the lock) into the file, so a waiter can say who it is waiting for. The
OS releases the lock when the holder exits, even on kill -9; a *stopped* holder (Ctrl-Z)
keeps it, which is why every wait here has a bound.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """The lock was not free within the bound; `holder` is " (pid N)" or ""."""

    def __init__(self, path: Path, holder: str, waited: float) -> None:
        super().__init__(f"{path} is held{holder}")
        self.path = path
        self.holder = holder
        self.waited = waited


@contextmanager
def hold(
    path: Path,
    timeout: float,
    *,
    hold_limit: float | None = None,
    poll: float = 0.05,
    on_wait: Callable[[str, float], None] | None = None,
    tell_after: float = 0.0,
    note: bool = True,
) -> Iterator[int]:
    """Hold an exclusive lock on `path`; LockBusy after `timeout` seconds of waiting.

    With `hold_limit`, a waiter also gives up once one holder has kept the lock that long
    (each new acquisition restarts that clock, so processes taking turns never trip it).
    `on_wait(holder, bound)` is called once, after `tell_after` seconds of waiting.
    Yields the locked file descriptor; with `note=False` the holder's pid is not written
    (the file holds data of its own). OSError when the lock file cannot be opened (the
    caller decides what that means).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        started = time.monotonic()
        seen, since = _content(path), started
        told = False
        while not try_lock(fd):
            now = time.monotonic()
            content = _content(path)
            if content != seen:  # somebody else took it meanwhile: a new holder's clock
                seen, since = content, now
            bound = timeout - (now - started)
            if hold_limit is not None:
                bound = min(bound, hold_limit - (now - since))
            if bound <= 0:
                raise LockBusy(path, holder(path), now - started)
            if not told and on_wait is not None and now - started >= tell_after:
                on_wait(holder(path), bound)
                told = True
            time.sleep(min(poll, bound))
        if note:
            _note_holder(fd)
        try:
            yield fd
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def _note_holder(fd: int) -> None:
    """Best effort: a full disk must not stop the run (the pid is only for messages)."""
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()} {time.time():.6f}\n".encode())
    except OSError:
        pass


def _content(path: Path) -> str:
    """The first line of the lock file (bounded: it could be anything, even /dev/zero)."""
    try:
        with path.open("rb") as handle:
            return handle.read(64).decode("utf-8", "replace")
    except OSError:
        return ""


def holder(path: Path) -> str:
    """ " (pid N)" from the lock file, or "" when it does not say."""
    words = _content(path).split()
    return f" (pid {words[0]})" if words and words[0].isdigit() else ""


def try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
