"""The SQLite store: papers, citation snapshots, cached query results.

All SQL lives here (and in `migrations.py`). The database is opened in WAL mode with a
busy timeout so several litscout processes (cron watch + a search by hand) can share it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..models import Paper, normalise_title
from . import migrations
from .health import BUSY_TIMEOUT_MS, check_identity, database_error, when_free

PAGE_SIZE = 16_384
# Full-text matches scored per search at most (newest first): 1M cached papers stay < 100 ms.
FTS_CANDIDATES = 10_000

PAPER_COLUMNS = (
    "id", "arxiv_id", "doi", "s2_id", "title", "title_norm", "authors", "abstract", "published",
    "year", "primary_category", "categories", "venue", "comment", "journal_ref", "citations",
    "influential_citations", "reference_count", "publication_types", "tldr", "bibtex", "url",
    "pdf_url", "sources", "updated_at", "corpus_id",
)  # fmt: skip
JSON_COLUMNS = ("authors", "categories", "publication_types", "sources")


@dataclass(frozen=True)
class CachedQuery:
    key: str
    fetched_at: float
    hits: list[dict[str, Any]]  # [{"id": ..., "arxiv_rank": int|None, "s2_rank": int|None}]
    sources: list[str]


class PaperStore:
    """One open database. Use as a context manager or call close()."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        conn: sqlite3.Connection | None = None
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
                )
            else:
                conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA schema_version").fetchone()  # fails fast on a non-database
            if self.path is not None:
                check_identity(conn, self.path)  # before anything could change the file
            # A new database gets 16 KB pages: rows are ~1.5 KB (abstracts), and 4 KB pages
            # left a quarter of the papers table empty (benchmarks: 2.9 -> 2.4 KB per paper).
            # An existing database keeps its page size (this is a no-op there).
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if self.path is not None:
                # Switching to WAL needs the file to itself, and SQLite answers "locked" at
                # once instead of calling the busy handler: retry like any busy database.
                when_free(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
                conn.execute("PRAGMA synchronous = NORMAL")
            self.conn = conn
            migrations.migrate(conn)
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise self.error(exc) from None
        except OSError as exc:
            folder = Path(path).parent
            reason = exc.strerror or str(exc)
            if folder.exists() and not folder.is_dir():
                reason = "it is a file, not a directory"
            raise StoreError(
                f"cannot use the data directory {folder}: {reason}",
                hint="set LITSCOUT_HOME to a writable directory",
            ) from None

    def error(self, exc: sqlite3.Error) -> StoreError:
        """The one message for an SQLite error on this database (health.database_error)."""
        return database_error(self.path, exc)

    @property
    def db(self) -> Any:
        """A sqlite-utils view of the same connection, for bulk loads and introspection.

        Loaded on demand: importing sqlite-utils costs ~60 ms (it pulls in click), and the
        hot paths (cached search, ranking) use plain sqlite3 with hand-written indexed SQL.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PaperStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction; IMMEDIATE takes the write lock up front (no upgrade deadlock)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self.error(exc) from None

    def _rollback(self) -> None:
        """Roll back, unless SQLite already has (disk full, I/O error): then there is nothing
        to undo, and "cannot rollback" must not hide the real error."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    # -- papers ---------------------------------------------------------------------------

    def upsert_papers(self, papers: Iterable[Paper], now: float | None = None) -> list[Paper]:
        """Store papers, merging with what is known under any of their ids.

        Returns the merged papers (in input order); their canonical id may have changed, e.g.
        a DOI-only paper that turns out to be on arXiv becomes `arXiv:...`.
        """
        now = time.time() if now is None else now
        merged: list[Paper] = []
        try:
            with self.transaction(immediate=True):
                for paper in papers:
                    merged.append(self._upsert_one(paper, now))
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        return merged

    def _upsert_one(self, paper: Paper, now: float) -> Paper:
        existing = self._find_rows(paper)
        for row in existing:
            paper.merge(row_to_paper(row))
        for row in existing:
            if row["id"] != paper.id:
                self.conn.execute("DELETE FROM papers WHERE id = ?", (row["id"],))
                self.conn.execute(
                    "UPDATE OR IGNORE citation_snapshots SET paper_id = ? WHERE paper_id = ?",
                    (paper.id, row["id"]),
                )
                migrations.on_paper_renamed(self.conn, row["id"], paper.id)
        row = paper_to_row(paper, now)
        placeholders = ", ".join("?" for _ in PAPER_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in PAPER_COLUMNS if c != "id")
        self.conn.execute(
            f"INSERT INTO papers ({', '.join(PAPER_COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT(id) DO UPDATE SET {updates}",
            [row[c] for c in PAPER_COLUMNS],
        )
        if paper.citations is not None:
            self._snapshot(paper.id, paper.citations, paper.influential_citations, now)
        return paper

    def _find_rows(self, paper: Paper) -> list[dict[str, Any]]:
        clauses: list[str] = ["id = ?"]
        params: list[Any] = [paper.id]
        for column, value in (
            ("arxiv_id", paper.arxiv_id),
            ("doi", paper.doi),
            ("s2_id", paper.s2_id),
            # a look-up by CorpusId; never merges two Semantic Scholar records (paperIds)
            ("corpus_id", None if paper.s2_id else paper.corpus_id),
        ):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if not paper.arxiv_id and not paper.doi and paper.title:
            # same title, but never two different Semantic Scholar records (distinct papers)
            clauses.append(
                "(title_norm = ? AND arxiv_id IS NULL AND (? = '' OR s2_id IS NULL OR s2_id = ?))"
            )
            params.extend([normalise_title(paper.title), paper.s2_id or "", paper.s2_id or ""])
        cursor = self.conn.execute(f"SELECT * FROM papers WHERE {' OR '.join(clauses)}", params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def _snapshot(self, paper_id: str, citations: int, influential: int | None, now: float) -> None:
        """Keep a time series of citation counts: one row per day at most, per change."""
        last = self.conn.execute(
            "SELECT taken_at, citations FROM citation_snapshots WHERE paper_id = ? "
            "ORDER BY taken_at DESC LIMIT 1",
            (paper_id,),
        ).fetchone()
        if (
            last
            and (now - last[0] < 86_400 or last[1] == citations)
            and now - last[0] < 30 * 86_400
        ):
            if last[1] != citations:
                self.conn.execute(
                    "UPDATE citation_snapshots SET citations = ?, influential = ?, taken_at = ? "
                    "WHERE paper_id = ? AND taken_at = ?",
                    (citations, influential, now, paper_id, last[0]),
                )
            return
        self.conn.execute(
            "INSERT OR REPLACE INTO citation_snapshots "
            "(paper_id, taken_at, citations, influential) VALUES (?, ?, ?, ?)",
            (paper_id, now, citations, influential),
        )

    def get(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        ids = list(dict.fromkeys(paper_ids))
        found: dict[str, Paper] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            cursor = self.conn.execute(f"SELECT * FROM papers WHERE id IN ({marks})", chunk)
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                paper = row_to_paper(dict(zip(names, values, strict=True)))
                found[paper.id] = paper
        return found

    def find(self, *, arxiv_id: str | None = None, doi: str | None = None,
             s2_id: str | None = None, corpus_id: int | None = None) -> Paper | None:  # fmt: skip
        probe = Paper(title="", arxiv_id=arxiv_id, doi=doi, s2_id=s2_id, corpus_id=corpus_id)
        rows = self._find_rows(probe)
        return row_to_paper(rows[0]) if rows else None

    def search_text(
        self,
        match: str,
        *,
        since: date | None = None,
        until: date | None = None,
        categories: Iterable[str] = (),
        limit: int = 100,
        candidates: int = FTS_CANDIDATES,
    ) -> list[tuple[Paper, float]]:
        """Full-text search of the cache (FTS5, bm25). Returns papers with a 0..1 relevance.

        bm25 is computed for at most `candidates` matches, the most recently stored first
        (FTS5 walks its doclists backwards and stops), so a broad query over a large cache
        costs milliseconds, not a scan of every match; only the best `limit` rows are read
        from `papers`. Below `candidates` matches the ranking is exact.
        """
        where: list[str] = ["papers_fts MATCH ?"]
        params: list[Any] = [match]
        if since:
            where.append("f.published >= ?")
            params.append(since.isoformat())
        if until:
            where.append("f.published <= ?")
            params.append(until.isoformat())
        cats = list(categories)
        if cats:
            likes = " OR ".join("f.categories LIKE ?" for _ in cats)
            where.append(f"({likes})")
            params.extend(f'%"{c}%' for c in cats)
        # Filters read the narrow paper_filters table, not each match's whole papers row.
        join = (
            "JOIN paper_filters AS f ON f.paper_rowid = papers_fts.rowid " if len(where) > 1 else ""
        )
        sql = (
            "SELECT papers.*, c.rank FROM ("
            "SELECT rowid, rank FROM ("
            "SELECT papers_fts.rowid AS rowid, bm25(papers_fts, 3.0, 1.0) AS rank "
            f"FROM papers_fts {join}WHERE {' AND '.join(where)} "
            "ORDER BY papers_fts.rowid DESC LIMIT ?"
            ") ORDER BY rank LIMIT ?"
            ") AS c JOIN papers ON papers.rowid = c.rowid ORDER BY c.rank"
        )
        params += [max(candidates, limit), limit]
        try:
            cursor = self.conn.execute(sql, params)
        except sqlite3.OperationalError:
            return []  # an FTS syntax the user typed that FTS5 rejects: no match
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        if not rows:
            return []
        best = min(r["rank"] for r in rows) or -1.0
        return [(row_to_paper(r), (r["rank"] / best) if best else 0.0) for r in rows]

    def count_papers(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    def snapshots(self, paper_ids: Iterable[str]) -> dict[str, list[tuple[float, int]]]:
        ids = list(dict.fromkeys(paper_ids))
        series: dict[str, list[tuple[float, int]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for paper_id, taken_at, citations in self.conn.execute(
                "SELECT paper_id, taken_at, citations FROM citation_snapshots "
                f"WHERE paper_id IN ({marks}) ORDER BY taken_at",
                chunk,
            ):
                series.setdefault(paper_id, []).append((taken_at, citations))
        return series

    # -- query cache ----------------------------------------------------------------------

    def cached_query(self, key: str) -> CachedQuery | None:
        row = self.conn.execute(
            "SELECT key, fetched_at, hits, sources FROM query_cache WHERE key = ?", (key,)
        ).fetchone()
        if not row:
            return None
        return CachedQuery(row[0], row[1], json.loads(row[2]), json.loads(row[3]))

    def save_query(
        self, key: str, hits: list[dict[str, Any]], sources: list[str], now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with self.transaction(immediate=True):
            self.conn.execute(
                "INSERT OR REPLACE INTO query_cache (key, fetched_at, hits, sources) "
                "VALUES (?, ?, ?, ?)",
                (key, now, json.dumps(hits), json.dumps(sources)),
            )


def paper_to_row(paper: Paper, now: float) -> dict[str, Any]:
    row: dict[str, Any] = {c: getattr(paper, c, None) for c in PAPER_COLUMNS if c != "id"}
    row["id"] = paper.id
    # Only papers without an arXiv id are ever matched by title (`_find_rows`).
    row["title_norm"] = None if paper.arxiv_id else normalise_title(paper.title)
    row["published"] = paper.published.isoformat() if paper.published else None
    for column in JSON_COLUMNS:
        row[column] = json.dumps(getattr(paper, column))
    row["updated_at"] = now
    return row


def row_to_paper(row: dict[str, Any]) -> Paper:
    published = row.get("published")
    return Paper(
        title=row["title"] or "",
        arxiv_id=row["arxiv_id"],
        doi=row["doi"],
        s2_id=row["s2_id"],
        corpus_id=row.get("corpus_id"),
        authors=json.loads(row["authors"] or "[]"),
        abstract=row["abstract"],
        published=date.fromisoformat(published) if published else None,
        year=row["year"],
        primary_category=row["primary_category"],
        categories=json.loads(row["categories"] or "[]"),
        venue=row["venue"],
        comment=row["comment"],
        journal_ref=row["journal_ref"],
        citations=row["citations"],
        influential_citations=row["influential_citations"],
        reference_count=row["reference_count"],
        publication_types=json.loads(row["publication_types"] or "[]"),
        tldr=row["tldr"],
        bibtex=row["bibtex"],
        url=row["url"],
        pdf_url=row["pdf_url"],
        sources=json.loads(row["sources"] or "[]"),
    )
