"""`litscout watch`: saved searches that deliver digests of new papers, never twice, never missed.

A run has three phases:

1. **Fetch.** The listing feed of the union of all watches' categories is read once (one
   request, reused all day: `watch_feeds`) and each watch picks its papers locally
   (`watch_match`). When the last successful fetch is older than the previous announcement
   day, the gap is filled with one arXiv API request per watch (`submittedDate:[...]`). A
   watch without categories asks the API every run; a citation watch (`--cites`) asks
   Semantic Scholar for citing papers in a `publicationDateOrYear` window. What a watch
   finds is recorded as *pending* (`watch_items`).
2. **Rank.** Pending papers of every watch get citation counts in one S2 batch request and
   are ranked like `search` results; the watch's minimum score splits them into shown and
   filtered.
3. **Deliver.** The caller writes the digest (files atomically, stdout flushed); only then
   are the papers marked delivered, in one transaction. A failure anywhere before that
   leaves them pending, and the next run shows them.

Concurrency: a real run holds an exclusive lock on `$LITSCOUT_HOME/watch.lock` from before
it reads the watches' state until their papers are marked, so two runs take turns; the
second finds the feed cached and the papers delivered. `--dry-run` takes no lock and
changes nothing about the watches.

Rooms: define (what a watch is), transfer (TOML in and out), fetch (listing, backfill,
citations), run (digests, delivery), calendar (arXiv's clock), lock (one run at a time),
backfill (one combined API query per gap), match (the local matcher).
"""

from __future__ import annotations

from .calendar import eastern_date, last_feed_update, previous_weekday
from .define import define, describe, is_stale, iso, listing, reset, stuck
from .fetch import backfill_start, missed_since
from .lock import LockTimeout, exclusive
from .run import Digest, RunResult, run
from .transfer import from_toml, to_toml, toml_string

__all__ = [
    "backfill_start",
    "Digest",
    "LockTimeout",
    "RunResult",
    "define",
    "describe",
    "eastern_date",
    "exclusive",
    "from_toml",
    "is_stale",
    "iso",
    "last_feed_update",
    "listing",
    "missed_since",
    "previous_weekday",
    "reset",
    "run",
    "stuck",
    "to_toml",
    "toml_string",
]
