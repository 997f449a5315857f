"""What `litscout watch` remembers, and all of its SQL.

* `watches` — one row per saved search: its definition (query, categories, cited paper,
  minimum score) and its state (last run, last successful fetch, last delivery, last error,
  and a pending backfill start set by `watch reset`).
* `watch_items` — every paper a watch has found, with its delivery status: `pending` (found,
  not yet in a digest), `delivered` (shown in a digest that was written), `filtered` (below
  the watch's minimum score when its digest was written). A paper is delivered at most once
  per watch because (watch, paper_id) is the primary key and only `pending` rows change.
* `watch_feeds` — the last answer of each listing feed (`cs.LG+stat.ML`): when, the
  announcement day, and the RSS itself (one row per feed, replaced daily), so a second run
  on the same day asks nothing and a watch added later still sees the whole day.

`paper_id` follows paper renames (migrations.PAPER_REFERENCES).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import UsageError
from .feeds import WatchSql

PENDING, DELIVERED, FILTERED = "pending", "delivered", "filtered"
STATE_COLUMNS = (
    "last_run", "last_fetch", "last_success", "last_error", "backfill_from", "last_announced",
    "backfill_tries", "backfill_retry",
)  # fmt: skip


@dataclass(frozen=True)
class WatchDef:
    """A saved search and its state (times are epoch seconds, None = never)."""

    name: str
    query: str | None = None
    categories: tuple[str, ...] = ()
    cites: str | None = None  # canonical paper id (arXiv:..., doi:..., s2:...)
    min_score: float | None = None
    created_at: float = 0.0
    last_run: float | None = None
    last_fetch: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    backfill_from: float | None = None
    last_announced: date | None = None  # the listing day the watch last read
    backfill_tries: int = 0  # empty (inconclusive) answers in a row to the owed backfill
    backfill_retry: float | None = None  # the owed backfill is not asked again before this

    def definition(self) -> dict[str, Any]:
        """What export writes and import reads (no state)."""
        data: dict[str, Any] = {"name": self.name}
        if self.query:
            data["query"] = self.query
        if self.categories:
            data["categories"] = list(self.categories)
        if self.cites:
            data["cites"] = self.cites
        if self.min_score is not None:
            data["min_score"] = self.min_score
        return data


class WatchStore(WatchSql):
    """SQL for the watch commands, on the connection of a PaperStore."""

    # -- definitions ----------------------------------------------------------------------

    def all(self) -> list[WatchDef]:
        return [_row(r) for r in self._read(f"SELECT {_COLUMNS} FROM watches ORDER BY name")]

    def get(self, name: str) -> WatchDef | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM watches WHERE name = ?", (name,))
        return _row(rows[0]) if rows else None

    def require(self, names: Iterable[str]) -> list[WatchDef]:
        """The named watches (all of them when `names` is empty); unknown names → UsageError."""
        wanted = list(dict.fromkeys(names))
        everything = self.all()
        if not wanted:
            return everything
        known = {w.name: w for w in everything}
        missing = [n for n in wanted if n not in known]
        if missing:
            raise UsageError(
                f"no watch named {', '.join(repr(m) for m in missing)}",
                hint=_known_hint(known),
            )
        return [known[n] for n in wanted]

    def add(self, watch: WatchDef) -> None:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM watches WHERE name = ?", (watch.name,)).fetchone():
                raise UsageError(
                    f"a watch named {watch.name!r} already exists",
                    hint=f"pick another name, or `litscout watch remove {watch.name}` first",
                )
            self._insert(conn, watch)

    def import_many(self, watches: list[WatchDef], replace: bool) -> tuple[int, int, int]:
        """Add (or with `replace`, update) watches all at once; returns (added, updated, same).

        A definition identical to the stored one is left alone; a different one is a
        UsageError without `replace`, and nothing at all is written.
        """
        added = updated = same = 0
        with self._write() as conn:
            for watch in watches:
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM watches WHERE name = ?", (watch.name,)
                ).fetchall()
                if not rows:
                    self._insert(conn, watch)
                    added += 1
                    continue
                current = _row(rows[0])
                if current.definition() == watch.definition():
                    same += 1
                    continue
                if not replace:
                    raise UsageError(
                        f"a different watch named {watch.name!r} already exists",
                        hint="use --replace to overwrite definitions with the imported ones",
                    )
                conn.execute(
                    "UPDATE watches SET query = ?, categories = ?, cites = ?, min_score = ? "
                    "WHERE name = ?",
                    (
                        watch.query,
                        json.dumps(list(watch.categories)),
                        watch.cites,
                        watch.min_score,
                        watch.name,
                    ),
                )
                updated += 1
        return added, updated, same

    def _insert(self, conn: sqlite3.Connection, watch: WatchDef) -> None:
        conn.execute(
            "INSERT INTO watches (name, query, categories, cites, min_score, created_at, "
            "backfill_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                watch.name,
                watch.query,
                json.dumps(list(watch.categories)),
                watch.cites,
                watch.min_score,
                watch.created_at,
                watch.backfill_from,  # `watch add --since`: the first run backfills from there
            ),
        )

    def remove(self, name: str) -> int:
        """Delete a watch and its delivery history; returns how many papers it had seen."""
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM watches WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"no watch named {name!r}", hint=_known_hint(self._names(conn)))
            seen = conn.execute(
                "SELECT count(*) FROM watch_items WHERE watch = ?", (name,)
            ).fetchone()[0]
            conn.execute("DELETE FROM watch_items WHERE watch = ?", (name,))
            conn.execute("DELETE FROM watches WHERE name = ?", (name,))
        return int(seen)

    def _names(self, conn: sqlite3.Connection) -> list[str]:
        return [r[0] for r in conn.execute("SELECT name FROM watches ORDER BY name")]

    # -- state ----------------------------------------------------------------------------

    def set_state(self, name: str, **values: Any) -> None:
        """Set state columns directly (last_run, last_fetch, last_success, ...)."""
        unknown = set(values) - set(STATE_COLUMNS)
        if unknown:
            raise ValueError(f"not a state column: {', '.join(sorted(unknown))}")
        if not values:
            return
        if isinstance(values.get("last_announced"), date):
            values["last_announced"] = values["last_announced"].isoformat()
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._write() as conn:
            conn.execute(
                f"UPDATE watches SET {assignments} WHERE name = ?", (*values.values(), name)
            )

    def record_fetch(
        self,
        name: str,
        paper_ids: Iterable[str],
        now: float,
        announced: date | None = None,
        backfill_from: float | None = None,
        tries: int = 0,
        retry: float | None = None,
    ) -> int:
        """A successful fetch: remember what it found as pending; returns how many were new.

        `backfill_from` asks a later run to fetch from there again (None: nothing owed), not
        before `retry` (None: the next run); `tries` counts empty answers in a row.
        """
        ids = list(dict.fromkeys(paper_ids))
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM watches WHERE name = ?", (name,)).fetchone():
                return 0  # removed while this run was fetching: leave no orphans
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO watch_items (watch, paper_id, found_at, status) "
                "VALUES (?, ?, ?, 'pending')",
                [(name, paper_id, now) for paper_id in ids],
            )
            fresh = conn.total_changes - before
            conn.execute(
                "UPDATE watches SET last_run = ?, last_fetch = ?, last_error = NULL, "
                "backfill_from = ?, last_announced = coalesce(?, last_announced), "
                "backfill_tries = ?, backfill_retry = ? WHERE name = ?",
                (
                    now,
                    now,
                    backfill_from,
                    announced.isoformat() if announced else None,
                    tries if backfill_from is not None else 0,
                    retry if backfill_from is not None else None,
                    name,
                ),
            )
        return int(fresh)

    def record_failure(self, name: str, error: str, now: float) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE watches SET last_run = ?, last_error = ? WHERE name = ?",
                (now, error, name),
            )

    def pending(self, name: str) -> list[str]:
        rows = self._read(
            "SELECT paper_id FROM watch_items WHERE watch = ? AND status = 'pending' "
            "ORDER BY found_at, paper_id",
            (name,),
        )
        return [r[0] for r in rows]

    def settled(self, name: str, paper_ids: Iterable[str]) -> set[str]:
        """Which of `paper_ids` this watch has already delivered (or filtered out)."""
        ids = list(dict.fromkeys(paper_ids))
        done: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._read(
                "SELECT paper_id FROM watch_items WHERE watch = ? AND status != 'pending' "
                f"AND paper_id IN ({marks})",
                (name, *chunk),
            )
            done.update(r[0] for r in rows)
        return done

    def deliver(
        self,
        outcomes: Mapping[str, tuple[Iterable[str], Iterable[str]]],
        now: float,
        succeeded: Iterable[str],
    ) -> dict[str, int]:
        """After the digest was written: mark (delivered ids, filtered ids) per watch, at once.

        Only pending rows change, so a paper can never be delivered twice; rows missing
        (a run that only looked) are inserted as settled. Watches in `succeeded` get
        last_success = now. Returns how many papers each watch delivered now.
        """
        counts: dict[str, int] = {}
        ok = set(succeeded)
        with self._write() as conn:
            for name, (delivered, filtered) in outcomes.items():
                counts[name] = 0
                if not conn.execute("SELECT 1 FROM watches WHERE name = ?", (name,)).fetchone():
                    continue  # removed while this run was delivering: leave no orphans
                for status, paper_ids in ((DELIVERED, delivered), (FILTERED, filtered)):
                    for paper_id in dict.fromkeys(paper_ids):
                        conn.execute(
                            "INSERT OR IGNORE INTO watch_items (watch, paper_id, found_at, "
                            "status) VALUES (?, ?, ?, 'pending')",
                            (name, paper_id, now),
                        )
                        changed = conn.execute(
                            "UPDATE watch_items SET status = ?, delivered_at = ? "
                            "WHERE watch = ? AND paper_id = ? AND status = 'pending'",
                            (status, now, name, paper_id),
                        ).rowcount
                        if status == DELIVERED:
                            counts[name] += changed
                if name in ok:
                    conn.execute("UPDATE watches SET last_success = ? WHERE name = ?", (now, name))
        return counts

    def reset(self, name: str, since: float) -> int:
        """Re-open what the watch delivered since `since` and backfill from there next run."""
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM watches WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"no watch named {name!r}", hint=_known_hint(self._names(conn)))
            reopened = conn.execute(
                "UPDATE watch_items SET status = 'pending', delivered_at = NULL "
                "WHERE watch = ? AND status != 'pending' AND delivered_at >= ?",
                (name, since),
            ).rowcount
            conn.execute(
                "UPDATE watches SET backfill_from = ?, backfill_tries = 0, backfill_retry = NULL "
                "WHERE name = ?",
                (since, name),
            )
        return int(reopened)

    def unseen_counts(self) -> dict[str, int]:
        rows = self._read(
            "SELECT watch, count(*) FROM watch_items WHERE status = 'pending' GROUP BY watch"
        )
        return {r[0]: int(r[1]) for r in rows}

    def delivered_counts(self) -> dict[str, int]:
        rows = self._read(
            "SELECT watch, count(*) FROM watch_items WHERE status = 'delivered' GROUP BY watch"
        )
        return {r[0]: int(r[1]) for r in rows}

    def status_of(self, name: str) -> dict[str, str]:
        """paper id → status, for every paper the watch has found (tests and debugging)."""
        rows = self._read("SELECT paper_id, status FROM watch_items WHERE watch = ?", (name,))
        return {r[0]: r[1] for r in rows}


_COLUMNS = (
    "name, query, categories, cites, min_score, created_at, last_run, last_fetch, "
    "last_success, last_error, backfill_from, last_announced, backfill_tries, backfill_retry"
)


def _row(row: tuple[Any, ...]) -> WatchDef:
    return WatchDef(
        name=row[0],
        query=row[1],
        categories=tuple(json.loads(row[2] or "[]")),
        cites=row[3],
        min_score=row[4],
        created_at=row[5],
        last_run=row[6],
        last_fetch=row[7],
        last_success=row[8],
        last_error=row[9],
        backfill_from=row[10],
        last_announced=date.fromisoformat(row[11]) if row[11] else None,
        backfill_tries=int(row[12] or 0),
        backfill_retry=row[13],
    )


def _known_hint(names: Iterable[str]) -> str:
    known = list(names)
    if not known:
        return 'no watches yet: litscout watch add NAME "your topic"'
    return "known watches: " + ", ".join(known)
