"""Dated citation data for every record: read it in batches, keep it, turn it into evidence.

* `ensure_openalex` asks OpenAlex for `counts_by_year` of the papers that need it — older
  than the velocity window, cited, with a DOI or an arXiv id, and no reading younger than
  `[sources] openalex_max_age_days` — 100 DOIs a request. An arXiv paper is asked under its
  DataCite DOI (10.48550/arXiv.<id>) and, when S2 knows one, its journal DOI too; the work
  with more citations wins. When OpenAlex refuses (429/403: the day's budget), is down or
  answers HTML, one warning is printed, velocity falls back to the other bases, and no
  litscout process asks again until the next UTC day (429/403) or for an hour (the rest).
* `save_citing_dates` keeps the dates of citing papers S2 listed (`paper`, `cites`) when the
  list covers the whole window.
* `evidence` turns what is kept into `velocity.Evidence`, as of the day it was read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..context import Context
from ..errors import SourceError
from ..models import Paper
from ..rank.velocity import Evidence, exposure, window_from_dates, window_from_years, years_detail
from ..store.history import HistoryRow, HistoryStore

OPENALEX_YEARS = "openalex_years"
CITING_DATES = "citing_dates"
SHORT_PAUSE = 3600.0  # seconds OpenAlex rests after an outage (a refusal: until the next day)


def born(paper: Paper) -> date | None:
    if paper.published:
        return paper.published
    return date(paper.year, 7, 1) if paper.year else None


def _day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


# -- reading what is kept ------------------------------------------------------------------------


def evidence(ctx: Context, papers: Iterable[Paper]) -> dict[str, list[Evidence]]:
    """Dated evidence per paper id from the store (no requests)."""
    papers = list(papers)
    rows = HistoryStore(ctx.store).load(p.id for p in papers)
    window = ctx.settings.ranking.window_days
    out: dict[str, list[Evidence]] = {}
    for paper in papers:
        for row in rows.get(paper.id, ()):
            found = to_evidence(paper, row, window)
            if found is not None:
                out.setdefault(paper.id, []).append(found)
    return out


def to_evidence(paper: Paper, row: HistoryRow, window_days: float) -> Evidence | None:
    if row.data is None:
        return None
    as_of = _day(row.fetched_at)
    start = born(paper)
    age = (as_of - start).days if start else None
    days = exposure(age, window_days)
    if row.basis == OPENALEX_YEARS:
        counts = {int(y): int(n) for y, n in (row.data.get("counts") or {}).items()}
        count = window_from_years(counts, born=start, as_of=as_of, window_days=window_days)
        return Evidence(OPENALEX_YEARS, count, days, as_of, years_detail(counts, as_of))
    if row.basis == CITING_DATES:
        if not covers_window(row.data.get("from"), as_of, window_days):
            return None
        dates = {str(k): int(v) for k, v in (row.data.get("dates") or {}).items()}
        count = window_from_dates(dates, born=start, as_of=as_of, window_days=window_days)
        listed = sum(dates.values())
        of_all = f" of all {listed:,}" if row.data.get("from") is None else ""
        return Evidence(
            CITING_DATES,
            count,
            days,
            as_of,
            f"{count:,.0f}{of_all} citing papers (Semantic Scholar) dated in the "
            f"{days:.0f} days to {as_of.isoformat()}",
        )
    return None


def covers_window(since: str | None, as_of: date, window_days: float) -> bool:
    return since is None or date.fromisoformat(since) <= as_of - timedelta(days=window_days)


# -- citing papers' dates ------------------------------------------------------------------------


def save_citing_dates(
    ctx: Context, cited_id: str, dates: list[str], since: date | None, fetched_at: float
) -> None:
    """Keep the dates of a complete citing list that covers the window (else keep nothing)."""
    since_text = since.isoformat() if since else None
    if not covers_window(since_text, _day(fetched_at), ctx.settings.ranking.window_days):
        return
    counted = Counter(d[:10] if len(d) >= 10 else d[:4] for d in dates)
    data = {"from": since_text, "dates": dict(counted)}
    HistoryStore(ctx.store).save([(cited_id, CITING_DATES, fetched_at, data)])


def save_openalex_counts(
    ctx: Context, paper_id: str, counts: dict[int, int] | None, total: int | None = None
) -> None:
    """Keep a single-work answer (`paper`) like a batch one."""
    data: dict[str, Any] | None = None
    if counts is not None:
        data = {"counts": {str(y): n for y, n in counts.items()}}
    if data is not None and total is not None:
        data["total"] = total
    HistoryStore(ctx.store).save([(paper_id, OPENALEX_YEARS, ctx.now, data)])


# -- OpenAlex in batches -------------------------------------------------------------------------


def dois_of(paper: Paper) -> list[str]:
    from ..sources.openalex import normalise_doi

    found = []
    if paper.doi:
        found.append(normalise_doi(paper.doi))
    if paper.arxiv_id:
        found.append(normalise_doi(f"10.48550/arXiv.{paper.arxiv_id}"))
    return list(dict.fromkeys(d for d in found if d.startswith("10.")))


def needs_openalex(ctx: Context, papers: list[Paper]) -> list[Paper]:
    """Papers whose velocity would improve with OpenAlex counts, and are not fresh."""
    settings = ctx.settings
    window = settings.ranking.window_days
    rows = HistoryStore(ctx.store).load(p.id for p in papers)
    fresh_after = ctx.now - settings.sources.openalex_max_age_days * 86_400
    wanted = []
    for paper in papers:
        start = born(paper)
        if start is not None and (ctx.today - start).days <= window:
            continue  # younger than the window: every citation it has is recent (exact)
        if paper.citations == 0 or not dois_of(paper):
            continue
        kept = rows.get(paper.id, ())
        if any(r.fetched_at >= fresh_after and r.basis == OPENALEX_YEARS for r in kept):
            continue
        if any(r.fetched_at >= fresh_after and to_evidence(paper, r, window) for r in kept):
            continue  # fresh citing-paper dates are exact already
        wanted.append(paper)
    return wanted


def ensure_openalex(ctx: Context, papers: list[Paper]) -> int:
    """Ask OpenAlex for the papers that need it; return how many requests were made."""
    settings = ctx.settings
    if ctx.offline or not settings.sources.openalex or not papers:
        return 0
    wanted = needs_openalex(ctx, papers)
    if not wanted:
        return 0
    history = HistoryStore(ctx.store)
    paused = history.paused("openalex", ctx.now)
    if paused is not None:
        until, reason = paused
        ctx.reporter.warn(
            f"OpenAlex is resting until {_clock(until)} ({reason}): velocities of "
            f"{len(wanted)} older papers come from other data"
        )
        return 0
    from ..sources.openalex import BATCH, OpenAlex

    source = OpenAlex(ctx.http)
    chunks = _chunks(wanted, BATCH)
    requests = 0
    for index, chunk in enumerate(chunks):
        requests += 1
        ctx.reporter.status(
            f"Asking OpenAlex for citations by year of {len(wanted)} older papers"
            + (f" (batch {index + 1} of {len(chunks)})…" if len(chunks) > 1 else "…")
        )
        try:
            found = source.batch([d for p in chunk for d in dois_of(p)])
        except SourceError as exc:
            until = _pause_until(exc, ctx.now)
            history.pause("openalex", until, exc.message)
            left = sum(len(c) for c in chunks[index:])
            ctx.reporter.warn(
                f"{exc.message} — velocities of {left} older papers come from other data; "
                f"OpenAlex is not asked again before {_clock(until)}"
            )
            break
        history.save(_rows(chunk, found, ctx.now))
    return requests


def _chunks(papers: list[Paper], size: int) -> list[list[Paper]]:
    """Papers grouped so that no group has more than `size` DOIs."""
    chunks: list[list[Paper]] = [[]]
    used = 0
    for paper in papers:
        n = len(dois_of(paper))
        if used + n > size and chunks[-1]:
            chunks.append([])
            used = 0
        chunks[-1].append(paper)
        used += n
    return [c for c in chunks if c]


def _rows(
    papers: list[Paper], found: dict[str, dict[str, Any]], now: float
) -> list[tuple[str, str, float, dict[str, Any] | None]]:
    from ..sources.openalex import parse_counts

    rows: list[tuple[str, str, float, dict[str, Any] | None]] = []
    for paper in papers:
        works = [found[d] for d in dois_of(paper) if d in found]
        if not works:
            rows.append((paper.id, OPENALEX_YEARS, now, None))
            continue
        work = max(works, key=lambda w: w.get("cited_by_count") or 0)
        counts = parse_counts(work.get("counts_by_year"))
        data: dict[str, Any] = {"counts": {str(y): n for y, n in counts.items()}}
        if isinstance(work.get("cited_by_count"), int):
            data["total"] = work["cited_by_count"]
        rows.append((paper.id, OPENALEX_YEARS, now, data))
    return rows


def _pause_until(exc: SourceError, now: float) -> float:
    if exc.status in (403, 429):  # the day's budget: it renews with the UTC day
        tomorrow = _day(now) + timedelta(days=1)
        return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC).timestamp()
    return now + SHORT_PAUSE


def _clock(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
