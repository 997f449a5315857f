"""The daily listing feeds a watch run read, kept for the day (table `watch_feeds`), and the
SQL plumbing the watch tables share (`WatchSql`, the base of `WatchStore`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from .papers import PaperStore


@dataclass(frozen=True)
class CachedFeed:
    spec: str
    fetched_at: float
    announced: date | None
    body: str


class WatchSql:
    """The connection, reads and writes the watch tables share; and the cached listing feeds."""

    def __init__(self, store: PaperStore) -> None:
        self.store = store
        self.conn = store.conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with self.store.transaction(immediate=True) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self.conn.execute(sql, tuple(params)).fetchall())
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    # -- listing feeds --------------------------------------------------------------------

    def cached_feed(self, spec: str) -> CachedFeed | None:
        rows = self._read(
            "SELECT spec, fetched_at, announced, body FROM watch_feeds WHERE spec = ?", (spec,)
        )
        if not rows:
            return None
        spec_, fetched_at, announced, body = rows[0]
        return CachedFeed(
            spec_, float(fetched_at), date.fromisoformat(announced) if announced else None, body
        )

    def feeds_since(self, fetched_after: float) -> list[tuple[str, float]]:
        """(spec, fetched_at) of the listings fetched after a moment, newest first."""
        rows = self._read(
            "SELECT spec, fetched_at FROM watch_feeds WHERE fetched_at >= ? "
            "ORDER BY fetched_at DESC",
            (fetched_after,),
        )
        return [(r[0], float(r[1])) for r in rows]

    def save_feed(self, spec: str, fetched_at: float, announced: date | None, body: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO watch_feeds (spec, fetched_at, announced, body) "
                "VALUES (?, ?, ?, ?)",
                (spec, fetched_at, announced.isoformat() if announced else None, body),
            )
            # Feeds no watch needs any more (their category set changed) are dropped.
            conn.execute("DELETE FROM watch_feeds WHERE fetched_at < ?", (fetched_at - 7 * 86400,))
