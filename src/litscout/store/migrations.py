"""Versioned schema migrations, tracked in `PRAGMA user_version`.

Each step runs once, in its own transaction, in order. Add a new function to MIGRATIONS
for every schema change; never edit a step that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

V1_CORE = """
        CREATE TABLE papers (
            id TEXT PRIMARY KEY,
            arxiv_id TEXT, doi TEXT, s2_id TEXT,
            title TEXT NOT NULL, title_norm TEXT,
            authors TEXT, abstract TEXT, published TEXT, year INTEGER,
            primary_category TEXT, categories TEXT, venue TEXT, comment TEXT, journal_ref TEXT,
            citations INTEGER, influential_citations INTEGER, reference_count INTEGER,
            publication_types TEXT, tldr TEXT, bibtex TEXT, url TEXT, pdf_url TEXT,
            sources TEXT, updated_at REAL
        );
        CREATE INDEX idx_papers_arxiv ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
        CREATE INDEX idx_papers_doi ON papers(doi) WHERE doi IS NOT NULL;
        CREATE INDEX idx_papers_s2 ON papers(s2_id) WHERE s2_id IS NOT NULL;
        CREATE INDEX idx_papers_title ON papers(title_norm);
        CREATE INDEX idx_papers_published ON papers(published);

        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, abstract, content='papers', content_rowid='rowid'
        );
        CREATE TRIGGER papers_ai AFTER INSERT ON papers BEGIN
            INSERT INTO papers_fts(rowid, title, abstract)
            VALUES (new.rowid, new.title, new.abstract);
        END;
        CREATE TRIGGER papers_ad AFTER DELETE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract)
            VALUES ('delete', old.rowid, old.title, old.abstract);
        END;
        CREATE TRIGGER papers_au AFTER UPDATE OF title, abstract ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract)
            VALUES ('delete', old.rowid, old.title, old.abstract);
            INSERT INTO papers_fts(rowid, title, abstract)
            VALUES (new.rowid, new.title, new.abstract);
        END;

        CREATE TABLE citation_snapshots (
            paper_id TEXT NOT NULL, taken_at REAL NOT NULL,
            citations INTEGER NOT NULL, influential INTEGER,
            PRIMARY KEY (paper_id, taken_at)
        );
        CREATE TABLE query_cache (
            key TEXT PRIMARY KEY, fetched_at REAL NOT NULL, hits TEXT NOT NULL, sources TEXT
        );
        CREATE TABLE rate_state (host TEXT PRIMARY KEY, last_at REAL NOT NULL);
"""


# A step is an SQL script or a function of the connection (which must not COMMIT).
Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Step] = [V1_CORE]

# Tables (besides the core ones) that refer to papers by id; updated when an id changes.
PAPER_REFERENCES: list[tuple[str, str]] = []


# Step 2: fetch records and citation links for paper/cites/related/terms. Frozen text: a step
# never reads a module's live schema, so a later column added there cannot break new databases.
MIGRATIONS.append(
    """
        CREATE TABLE fetches (
            key TEXT PRIMARY KEY, fetched_at REAL NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}', ids TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE citation_links (
            cited_id TEXT NOT NULL, citing_id TEXT NOT NULL,
            influential INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (cited_id, citing_id)
        );
        CREATE INDEX idx_citation_links_citing ON citation_links(citing_id);
"""
)
PAPER_REFERENCES.extend([("citation_links", "cited_id"), ("citation_links", "citing_id")])


# Step 3: saved watches, what each has found/delivered, and listing-feed fetches (frozen).
MIGRATIONS.append(
    """
        CREATE TABLE watches (
            name TEXT PRIMARY KEY,
            query TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            cites TEXT,
            min_score REAL,
            created_at REAL NOT NULL,
            last_run REAL,
            last_fetch REAL,
            last_success REAL,
            last_error TEXT,
            backfill_from REAL
        );
        CREATE TABLE watch_items (
            watch TEXT NOT NULL,
            paper_id TEXT NOT NULL,
            found_at REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            delivered_at REAL,
            PRIMARY KEY (watch, paper_id)
        );
        CREATE INDEX idx_watch_items_status ON watch_items(watch, status);
        CREATE INDEX idx_watch_items_paper ON watch_items(paper_id);
        CREATE TABLE watch_feeds (
            spec TEXT PRIMARY KEY,
            fetched_at REAL NOT NULL,
            announced TEXT,
            body TEXT NOT NULL
        );
"""
)
PAPER_REFERENCES.append(("watch_items", "paper_id"))

# Step 4: the announcement day of the listing a watch last read, so a gap is measured in
# announcement days (a run at 21:00 US Eastern already sees the next day's listing).
MIGRATIONS.append("ALTER TABLE watches ADD COLUMN last_announced TEXT;")


# Step 5: a smaller cache (benchmarks: 1,000,000 papers). Only papers without an arXiv id
# are matched by title, so only they need the title index (new rows of arXiv papers store
# no title_norm; old rows are left alone rather than rewritten). Citation snapshots are
# keyed by (paper_id, taken_at) alone: WITHOUT ROWID keeps no second copy in an index.
MIGRATIONS.append(
    """
    DROP INDEX IF EXISTS idx_papers_title;
    CREATE INDEX idx_papers_title ON papers(title_norm) WHERE arxiv_id IS NULL;
    CREATE TABLE citation_snapshots_v5 (
        paper_id TEXT NOT NULL, taken_at REAL NOT NULL,
        citations INTEGER NOT NULL, influential INTEGER,
        PRIMARY KEY (paper_id, taken_at)
    ) WITHOUT ROWID;
    INSERT INTO citation_snapshots_v5 (paper_id, taken_at, citations, influential)
        SELECT paper_id, taken_at, citations, influential FROM citation_snapshots;
    DROP TABLE citation_snapshots;
    ALTER TABLE citation_snapshots_v5 RENAME TO citation_snapshots;
    """
)


# Step 6: what offline filters (--since/--until/--category) read, in a narrow table beside
# papers, kept by triggers. Checking a full-text match against its 1.5 KB papers row cost
# ~2 us a match (benchmarks: 1M papers, a filtered search 118 ms); this table is ~35 B a row.
MIGRATIONS.append(
    """
    CREATE TABLE paper_filters (
        paper_rowid INTEGER PRIMARY KEY, published TEXT, categories TEXT
    );
    INSERT INTO paper_filters (paper_rowid, published, categories)
        SELECT rowid, published, categories FROM papers;
    CREATE TRIGGER paper_filters_ai AFTER INSERT ON papers BEGIN
        INSERT OR REPLACE INTO paper_filters (paper_rowid, published, categories)
        VALUES (new.rowid, new.published, new.categories);
    END;
    CREATE TRIGGER paper_filters_ad AFTER DELETE ON papers BEGIN
        DELETE FROM paper_filters WHERE paper_rowid = old.rowid;
    END;
    CREATE TRIGGER paper_filters_au AFTER UPDATE OF published, categories ON papers BEGIN
        UPDATE paper_filters SET published = new.published, categories = new.categories
        WHERE paper_rowid = new.rowid;
    END;
    """
)


# Step 7: dated citation data behind "velocity now" (history.py): per paper and basis
# ("openalex_years", "citing_dates"), what was read and when; and sources paused after a
# refusal (OpenAlex's daily budget), so no process asks again before it can have renewed.
MIGRATIONS.append(
    """
    CREATE TABLE citation_history (
        paper_id TEXT NOT NULL, basis TEXT NOT NULL, fetched_at REAL NOT NULL,
        data TEXT,
        PRIMARY KEY (paper_id, basis)
    ) WITHOUT ROWID;
    CREATE TABLE source_pauses (
        source TEXT PRIMARY KEY, until REAL NOT NULL, reason TEXT NOT NULL
    );
    """
)
PAPER_REFERENCES.append(("citation_history", "paper_id"))


# Step 8: the full-text index declared as sqlite-utils and Datasette recognise it
# (`content=[papers]`), so `sqlite-utils search litscout.db papers "few-shot"` and Datasette's
# search box work on litscout's cache. Same columns and triggers; the index is rebuilt once.
MIGRATIONS.append(
    """
    DROP TABLE papers_fts;
    CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, content=[papers], content_rowid=rowid
    );
    INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
    """
)


# Step 9: an owed gap backfill that arXiv answered with an empty page (inconclusive for busy
# categories) is asked again with backoff: how many empty answers in a row, and not before when.
MIGRATIONS.append(
    """
    ALTER TABLE watches ADD COLUMN backfill_tries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE watches ADD COLUMN backfill_retry REAL;
    """
)


# Step 10: Semantic Scholar's CorpusId, a short id (`CorpusId:123`) every command accepts and
# tables show for papers not on arXiv; looked up by it, so indexed.
MIGRATIONS.append(
    """
    ALTER TABLE papers ADD COLUMN corpus_id INTEGER;
    CREATE INDEX idx_papers_corpus ON papers(corpus_id) WHERE corpus_id IS NOT NULL;
    """
)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date; safe to call from several processes at once."""
    if version(conn) >= len(MIGRATIONS):
        return version(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = version(conn)  # re-read under the write lock: another process may have won
        for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
            _run_step(conn, step)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (disk full)
            conn.execute("ROLLBACK")
        raise
    return version(conn)


def _run_step(conn: sqlite3.Connection, step: Step) -> None:
    if isinstance(step, str):
        # executescript() would COMMIT first; run the statements one by one instead.
        for statement in _split(step):
            conn.execute(statement)
    else:
        step(conn)


def _split(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def on_paper_renamed(conn: sqlite3.Connection, old: str, new: str) -> None:
    for table, column in PAPER_REFERENCES:
        conn.execute(f"UPDATE OR IGNORE {table} SET {column} = ? WHERE {column} = ?", (new, old))
