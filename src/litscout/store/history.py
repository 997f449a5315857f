"""Dated citation data litscout has read, per paper and basis, and sources on pause.

`citation_history` keeps, for each paper, the last OpenAlex `counts_by_year` answer
("openalex_years") and the dates of the citing papers S2 listed ("citing_dates"), with the
time they were read; `data` NULL records that the source did not know the paper (so it is
not asked again soon). `source_pauses` holds "do not ask before" times shared by every
process (OpenAlex's daily budget spent, or the service down).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .papers import PaperStore


@dataclass(frozen=True)
class HistoryRow:
    basis: str
    fetched_at: float
    data: dict[str, Any] | None


class HistoryStore:
    """SQL for dated citation data, on the connection of a PaperStore."""

    def __init__(self, store: PaperStore) -> None:
        self.store = store
        self.conn = store.conn

    def save(self, rows: Iterable[tuple[str, str, float, dict[str, Any] | None]]) -> None:
        """(paper_id, basis, fetched_at, data) rows, replacing earlier ones."""
        values = [
            (pid, basis, at, None if data is None else json.dumps(data, separators=(",", ":")))
            for pid, basis, at, data in rows
        ]
        if not values:
            return
        try:
            with self.store.transaction(immediate=True):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO citation_history (paper_id, basis, fetched_at, data) "
                    "VALUES (?, ?, ?, ?)",
                    values,
                )
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    def load(self, paper_ids: Iterable[str]) -> dict[str, list[HistoryRow]]:
        ids = list(dict.fromkeys(paper_ids))
        out: dict[str, list[HistoryRow]] = {}
        try:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for pid, basis, at, data in self.conn.execute(
                    "SELECT paper_id, basis, fetched_at, data FROM citation_history "
                    f"WHERE paper_id IN ({marks})",
                    chunk,
                ):
                    parsed = json.loads(data) if data else None
                    out.setdefault(pid, []).append(HistoryRow(basis, at, parsed))
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None
        return out

    def pause(self, source: str, until: float, reason: str) -> None:
        try:
            with self.store.transaction(immediate=True):
                self.conn.execute(
                    "INSERT OR REPLACE INTO source_pauses (source, until, reason) VALUES (?, ?, ?)",
                    (source, until, reason),
                )
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    def paused(self, source: str, now: float) -> tuple[float, str] | None:
        """(until, reason) while `source` is on pause, else None."""
        try:
            row = self.conn.execute(
                "SELECT until, reason FROM source_pauses WHERE source = ?", (source,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None
        if row and row[0] > now:
            return float(row[0]), str(row[1])
        return None
