"""How many cached papers use a phrase: exact where that is cheap, estimated where it is not.

`terms` weighs each candidate phrase by its inverse document frequency in the local cache
(a phrase common everywhere sinks). On a million papers an exact FTS5 phrase count costs as
much as reading the doclists of its words — 30 ms on average and 0.2 s for a phrase of very
common words — and `terms` counts sixty phrases. An idf needs an order of
magnitude, not a census, so each phrase is first counted in a sample of the index: evenly
spread rowid slices (FTS5 seeks rowid ranges in its doclists, so a slice costs what it
holds). When the sample finds enough uses, spread over its slices, the count is scaled up;
when it finds few, or finds them bunched in one slice (a cache holds a search's papers side
by side in rowid order), the sample grows, up to the whole index, so rare phrases — whose
idf is most sensitive — and clustered ones are counted exactly. Small caches are always
counted exactly.

The papers a question's own answer holds are not counted (its vocabulary must not make
itself look common): what they contribute is counted in a throw-away FTS index of just
them and subtracted, inside the same slices.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

FIRST_SAMPLE = 20_000  # papers in the first sample
ENOUGH_USES = 40  # uses in a sample that make its estimate good (±16%, one standard error)
GROWTH = 8  # each further sample is this many times the last
SLICES = 4  # rowid slices a sample is spread over
EXCLUDED = "temp.litscout_excluded_fts"


@dataclass(frozen=True)
class Sample:
    """Rowid slices [(first, last), ...] holding `size` of the `span` rowids."""

    slices: tuple[tuple[int, int], ...]
    size: int
    span: int

    @property
    def share(self) -> float:
        return self.size / self.span

    @property
    def whole(self) -> bool:
        return self.size >= self.span

    def holding(self, rowids: list[int]) -> int:
        """How many of `rowids` lie in the sample."""
        return sum(1 for r in rowids if any(a <= r <= b for a, b in self.slices))

    def sql(self) -> tuple[str, list[int]]:
        """` AND (rowid BETWEEN ? AND ? OR ...)` and its parameters ('' for the whole): for
        the small index of excluded papers, where no seek is needed."""
        if self.whole:
            return "", []
        terms = " OR ".join("rowid BETWEEN ? AND ?" for _ in self.slices)
        return f" AND ({terms})", [n for pair in self.slices for n in pair]


def samples(first: int, last: int, start: int = FIRST_SAMPLE) -> list[Sample]:
    """Ever larger samples of the rowid span [first, last], the last of them the whole."""
    span = last - first + 1
    found: list[Sample] = []
    size = max(1, start)
    while size < span:
        step = span / SLICES
        width = max(1, int(size / SLICES))
        slices = tuple(
            (first + int(i * step), first + int(i * step) + width - 1) for i in range(SLICES)
        )
        found.append(Sample(slices, width * SLICES, span))
        size *= GROWTH
    found.append(Sample(((first, last),), span, span))
    return found


def document_frequency(
    conn: sqlite3.Connection,
    phrases: Iterable[str],
    exclude_rowids: list[int],
    variants: Callable[[str], Iterable[str]],
    first_sample: int = FIRST_SAMPLE,
) -> dict[str, int]:
    """Phrase → papers using it (title or abstract; any of its variants), estimated as above."""
    # two statements: SQLite answers a lone min() or max() from the b-tree's edge, both
    # together with a scan of the table (90 ms on a million papers)
    first = conn.execute("SELECT min(rowid) FROM papers").fetchone()[0]
    last = conn.execute("SELECT max(rowid) FROM papers").fetchone()[0]
    plan = samples(first, last, first_sample) if first is not None else []
    # the papers of each sample that count: all but the excluded ones inside it
    others = [sample.size - sample.holding(exclude_rowids) for sample in plan]
    counts: dict[str, int] = {}
    with _excluded(conn, exclude_rowids) as subtract:
        for phrase in dict.fromkeys(phrases):
            forms = [" ".join(f.replace('"', " ").split()) for f in variants(phrase)]
            match = " OR ".join(f'"{form}"' for form in dict.fromkeys(forms) if form)
            counts[phrase] = (
                _estimate(conn, match, plan, others, subtract, len(exclude_rowids))
                if match and plan
                else 0
            )
    return counts


def _estimate(
    conn: sqlite3.Connection,
    match: str,
    plan: list[Sample],
    others: list[int],
    subtract: Callable[[str, Sample], int],
    excluded: int,
) -> int:
    for sample, counted in zip(plan, others, strict=True):
        try:  # one statement per slice: FTS5 seeks a single rowid range, not an OR of them
            per_slice = [
                int(
                    conn.execute(
                        "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?"
                        " AND rowid >= ? AND rowid <= ?",
                        (match, first, last),
                    ).fetchone()[0]
                )
                for first, last in sample.slices
            ]
        except sqlite3.OperationalError:  # a phrase FTS5 cannot parse is used by nobody
            return 0
        uses = sum(per_slice)
        if uses:
            uses -= subtract(match, sample)
        if sample.whole:
            return max(0, uses)
        # Scaled only when the uses are spread over the slices: papers are stored a search
        # or a watch at a time, so a topic's papers sit together in rowid order, and a
        # slice that falls on such a run would multiply it by span/sample. Concentrated
        # uses make the sample grow instead (and a topic's run is counted exactly).
        if uses >= ENOUGH_USES and max(per_slice) * 2 <= sum(per_slice):
            return round(uses * (sample.span - excluded) / max(counted, 1))
    return 0


@contextmanager
def _excluded(
    conn: sqlite3.Connection, rowids: list[int]
) -> Iterator[Callable[[str, Sample], int]]:
    """A counter of MATCH hits among `rowids` inside a sample: a temporary FTS index of
    those papers, or (when one cannot be made) the big index restricted to `rowids`."""
    if not rowids:
        yield lambda match, sample: 0
        return
    marks = ", ".join("?" for _ in rowids)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {EXCLUDED}")
        conn.execute(f"CREATE VIRTUAL TABLE {EXCLUDED} USING fts5(title, abstract)")
        conn.execute(
            f"INSERT INTO {EXCLUDED} (rowid, title, abstract) "
            f"SELECT rowid, title, abstract FROM papers WHERE rowid IN ({marks})",
            rowids,
        )
    except sqlite3.Error:

        def restricted(match: str, sample: Sample) -> int:
            where, params = sample.sql()
            sql = f"SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?{where} AND rowid IN"
            return int(conn.execute(f"{sql} ({marks})", (match, *params, *rowids)).fetchone()[0])

        yield restricted
        return

    def small(match: str, sample: Sample) -> int:
        where, params = sample.sql()
        sql = f"SELECT count(*) FROM {EXCLUDED} WHERE litscout_excluded_fts MATCH ?{where}"
        return int(conn.execute(sql, (match, *params)).fetchone()[0])

    try:
        yield small
    finally:
        with suppress(sqlite3.Error):
            conn.execute(f"DROP TABLE IF EXISTS {EXCLUDED}")
