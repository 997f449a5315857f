"""What the follow commands remember: fetches (with their time) and who cites whom.

`fetches` records each answer litscout got for `paper`, `cites`, `related`, `terms` and the
OpenAlex timeline (key → time, metadata, ordered paper ids), so a repeated call within the
TTL makes no request. `citation_links` holds citing → cited pairs with S2's influential flag;
both columns follow paper renames (migrations.PAPER_REFERENCES). The tables are created by
migrations.py (step 2).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import phrase_counts
from .papers import PaperStore


@dataclass(frozen=True)
class Fetch:
    key: str
    fetched_at: float
    meta: dict[str, Any] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)


class FollowStore:
    """SQL for the follow commands, on the connection of a PaperStore."""

    def __init__(self, store: PaperStore) -> None:
        self.store = store
        self.conn = store.conn

    def fetch(self, key: str) -> Fetch | None:
        try:
            row = self.conn.execute(
                "SELECT key, fetched_at, meta, ids FROM fetches WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None
        if not row:
            return None
        return Fetch(row[0], row[1], json.loads(row[2] or "{}"), json.loads(row[3] or "[]"))

    def fetches(self, prefix: str) -> list[Fetch]:
        """Every fetch whose key starts with `prefix`, newest first."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute(
            "SELECT key, fetched_at, meta, ids FROM fetches WHERE key LIKE ? ESCAPE '\\' "
            "ORDER BY fetched_at DESC",
            (pattern,),
        ).fetchall()
        return [Fetch(r[0], r[1], json.loads(r[2] or "{}"), json.loads(r[3] or "[]")) for r in rows]

    def save(
        self, key: str, now: float, meta: dict[str, Any] | None = None, ids: Iterable[str] = ()
    ) -> None:
        try:
            with self.store.transaction(immediate=True):
                self.conn.execute(
                    "INSERT OR REPLACE INTO fetches (key, fetched_at, meta, ids) "
                    "VALUES (?, ?, ?, ?)",
                    (key, now, json.dumps(meta or {}), json.dumps(list(ids))),
                )
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    def link_citations(self, cited_id: str, citing: Iterable[tuple[str, bool]]) -> None:
        try:
            with self.store.transaction(immediate=True):
                self.conn.executemany(
                    "INSERT INTO citation_links (cited_id, citing_id, influential) "
                    "VALUES (?, ?, ?) "
                    "ON CONFLICT(cited_id, citing_id) DO UPDATE SET "
                    "influential = max(influential, excluded.influential)",
                    [(cited_id, pid, int(flag)) for pid, flag in citing],
                )
        except sqlite3.Error as exc:
            raise self.store.error(exc) from None

    def citing(self, cited_id: str) -> dict[str, bool]:
        """Citing paper id → influential, for everything litscout has seen cite `cited_id`."""
        rows = self.conn.execute(
            "SELECT citing_id, influential FROM citation_links WHERE cited_id = ?", (cited_id,)
        ).fetchall()
        return {r[0]: bool(r[1]) for r in rows}

    def links(self) -> set[tuple[str, str]]:
        """Every (citing, cited) pair in `citation_links`."""
        rows = self.conn.execute("SELECT citing_id, cited_id FROM citation_links").fetchall()
        return {(r[0], r[1]) for r in rows}

    def document_frequency(
        self,
        phrases: Iterable[str],
        exclude: Iterable[str] = (),
        variants: Callable[[str], Iterable[str]] | None = None,
    ) -> dict[str, int]:
        """In how many cached papers (title or abstract) each phrase occurs, leaving out the
        papers in `exclude`: exact on small caches, estimated from a sample on big ones
        (store/phrase_counts.py says how and why)."""
        rowids = self._rowids(list(dict.fromkeys(exclude)))
        return phrase_counts.document_frequency(self.conn, phrases, rowids, variants or _same)

    def _rowids(self, paper_ids: list[str]) -> list[int]:
        """The `papers` rowids (= FTS rowids) of the papers with these ids."""
        found: list[int] = []
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            rows = self.conn.execute(
                f"SELECT rowid FROM papers WHERE id IN ({', '.join('?' for _ in chunk)})", chunk
            ).fetchall()
            found.extend(int(r[0]) for r in rows)
        return found


def _same(phrase: str) -> list[str]:
    return [phrase]
