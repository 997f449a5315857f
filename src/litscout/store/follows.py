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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

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
        """In how many cached papers (title or abstract) each phrase occurs, via FTS5.

        Papers whose ids are in `exclude` are not counted (a question's own results must not
        make its own vocabulary look common). Each phrase is counted in the FTS index alone,
        and what the excluded papers (a hundred at most) contribute is subtracted: counted in
        a throw-away FTS index of just those papers, built once per call with the same
        tokenizer from the same text. No statement joins the index with `papers` (on a
        million papers that join cost ~20x the FTS count) and none evaluates the phrase
        against the big index twice.
        """
        rowids = self._rowids(list(dict.fromkeys(exclude)))
        counts: dict[str, int] = {}
        with self._excluded(rowids) as subtract:
            for phrase in dict.fromkeys(phrases):
                forms = [" ".join(f.replace('"', " ").split()) for f in (variants or _same)(phrase)]
                forms = [f for f in dict.fromkeys(forms) if f]
                if not forms:
                    counts[phrase] = 0
                    continue
                match = " OR ".join(f'"{form}"' for form in forms)
                try:
                    total = int(
                        self.conn.execute(
                            "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", (match,)
                        ).fetchone()[0]
                    )
                    if total:
                        total -= subtract(match)
                except sqlite3.OperationalError:
                    total = 0
                counts[phrase] = max(0, total)
        return counts

    @contextmanager
    def _excluded(self, rowids: list[int]) -> Iterator[Callable[[str], int]]:
        """A counter of MATCH hits among `rowids`: a temporary FTS index of those papers,
        or (when one cannot be made) the big index restricted with `rowid IN (...)`."""
        if not rowids:
            yield lambda match: 0
            return
        marks = ", ".join("?" for _ in rowids)
        table = "temp.litscout_excluded_fts"
        try:
            self.conn.execute(f"DROP TABLE IF EXISTS {table}")
            self.conn.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(title, abstract)")
            self.conn.execute(
                f"INSERT INTO {table} (rowid, title, abstract) "
                f"SELECT rowid, title, abstract FROM papers WHERE rowid IN ({marks})",
                rowids,
            )
        except sqlite3.Error:

            def restricted(match: str) -> int:
                sql = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ? AND rowid IN "
                return int(self.conn.execute(f"{sql}({marks})", (match, *rowids)).fetchone()[0])

            yield restricted
            return

        def small(match: str) -> int:
            sql = f"SELECT count(*) FROM {table} WHERE litscout_excluded_fts MATCH ?"
            return int(self.conn.execute(sql, (match,)).fetchone()[0])

        try:
            yield small
        finally:
            with suppress(sqlite3.Error):
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")

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
