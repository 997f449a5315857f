"""When each service was last asked, shared by every litscout process of one user.

Three times per service (epoch seconds):

* `next` — the latest slot handed out: a reservation queues behind it.
* `sent` — the latest request known to have reached the service (its send time on a
  connection that was already open; its answer time on a new one, see `net.RateLimiter`).
* `held` — while a request on a new connection is in flight, nobody sends before it is
  answered; this is the latest time that can take (after it, the hold has expired).

`RateState` keeps them in memory (one process); `FileRateState` in one small file per
service in the user's state directory (`paths.state_dir()`), changed under a short lock.
"""

from __future__ import annotations

import math
import os
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .. import locks

T = TypeVar("T")
_RECORD = struct.Struct("<ddd")  # fixed size: one write() replaces it whole, even on kill -9


@dataclass
class Slots:
    next: float = 0.0
    sent: float = 0.0
    held: float = 0.0


class RateState:
    """The times in memory: spacing within this process only."""

    def __init__(self) -> None:
        self._slots: dict[str, Slots] = {}
        self._lock = threading.Lock()

    def update(self, host: str, change: Callable[[Slots], T]) -> T:
        """Apply `change` to the host's times atomically and return what it returns."""
        with self._lock:
            return change(self._slots.setdefault(host, Slots()))


class FileRateState(RateState):
    """The times in `folder/<host>.slots`, shared by every process of this user.

    The lock is held for a read and a write (microseconds); `lock_wait` bounds the wait
    for it. Raises locks.LockBusy past that, OSError when the folder is unusable.
    """

    def __init__(self, folder: Path, lock_wait: float = 10.0) -> None:
        super().__init__()
        self.folder = folder
        self.lock_wait = lock_wait

    def update(self, host: str, change: Callable[[Slots], T]) -> T:
        path = self.folder / f"{host}.slots"
        with self._lock, locks.hold(path, self.lock_wait, note=False) as fd:
            raw = os.pread(fd, _RECORD.size, 0) if hasattr(os, "pread") else _read(fd)
            times = _RECORD.unpack(raw) if len(raw) == _RECORD.size else ()
            # A damaged file is forgotten, like a stale slot: one request may go out early.
            slots = Slots(*times) if times and all(map(math.isfinite, times)) else Slots()
            before = Slots(slots.next, slots.sent, slots.held)
            result = change(slots)
            if slots != before:
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, _RECORD.pack(slots.next, slots.sent, slots.held))
            return result


def _read(fd: int) -> bytes:  # pragma: no cover - Windows has no pread
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, _RECORD.size)
