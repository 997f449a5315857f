"""Watch run: 20 watches over 6 categories, first run, same-day rerun, after a 4-day gap."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import by_service, check, clean_env, litscout_argv, run

if TYPE_CHECKING:
    from .report import Report

CATEGORIES = ("cs.LG", "stat.ML", "cs.CV", "cs.CL", "quant-ph", "astro-ph.CO")
WATCHES = (
    ("fewshot", "few-shot learning", ("cs.LG",)),
    ("meta", "meta-learning", ("cs.LG", "stat.ML")),
    ("imbalance", "class imbalance", ("cs.LG",)),
    ("gnn", "graph neural networks", ("cs.LG",)),
    ("transfer", "transfer learning", ("cs.LG", "cs.CV")),
    ("contrastive", "contrastive learning", ("cs.CV",)),
    ("detection", "object detection", ("cs.CV",)),
    ("segmentation", "segmentation", ("cs.CV",)),
    ("diffusion", "diffusion models", ("cs.CV", "cs.LG")),
    ("llm", "language models", ("cs.CL",)),
    ("translation", "machine translation", ("cs.CL",)),
    ("prompting", "prompting", ("cs.CL", "cs.LG")),
    ("bayes", "bayesian inference", ("stat.ML",)),
    ("kernels", "kernel methods", ("stat.ML",)),
    ("surveys", "survey", ("cs.LG", "stat.ML")),
    ("qec", "quantum error correction", ("quant-ph",)),
    ("qubits", "qubit", ("quant-ph",)),
    ("qml", "quantum machine learning", ("quant-ph", "cs.LG")),
    ("darkenergy", "dark energy", ("astro-ph.CO",)),
    ("lensing", "weak lensing", ("astro-ph.CO",)),
)
GAP_DAYS = 4  # a long weekend away: the daily listing alone no longer covers it


@dataclass
class WatchStep:
    name: str
    seconds: float
    requests: dict[str, int]
    papers: int
    pages: int = 0  # arXiv API requests of a paged backfill (same as requests["arxiv"])


@dataclass
class WatchResult:
    watches: int = len(WATCHES)
    categories: int = len(CATEGORIES)
    steps: list[WatchStep] = field(default_factory=list)
    error: str = ""
    page_size: int | None = None  # [watch] backfill_results, when set smaller than 2,000
    gap_total: int | None = None  # arXiv's totalResults for the gap query


def _step(api: Any, env: dict[str, str], name: str) -> WatchStep:
    import json

    time.sleep(max(api.arxiv_delay, api.s2_interval) + 0.1)
    api.clear_log()
    ran = check(run(litscout_argv("watch", "run", "--format", "json"), env), f"watch run ({name})")
    papers = len(json.loads(ran.stdout or b"[]"))
    requests = by_service(api)
    return WatchStep(name, ran.seconds, requests, papers, requests.get("arxiv", 0))


def _age(home: Path, days: float) -> None:
    """Pretend the last run happened `days` ago: watch state and the cached listing."""
    shift = days * 86_400
    conn = sqlite3.connect(str(home / "litscout.db"), isolation_level=None)
    try:
        conn.execute(
            "UPDATE watches SET last_run = last_run - ?, last_fetch = last_fetch - ?, "
            "last_success = last_success - ?",
            (shift, shift, shift),
        )
        conn.execute("UPDATE watch_feeds SET fetched_at = fetched_at - ?", (shift,))
        columns = {row[1] for row in conn.execute("PRAGMA table_info(watches)")}
        if "last_announced" in columns:  # the listing day a watch last read
            conn.execute(
                "UPDATE watches SET last_announced = date(last_announced, ?) "
                "WHERE last_announced IS NOT NULL",
                (f"-{int(days)} days",),
            )
    finally:
        conn.close()


def definitions(count: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """`count` watches over the 6 categories: the 20 above, then variants of them."""
    out = []
    for n in range(count):
        name, query, categories = WATCHES[n % len(WATCHES)]
        round_ = n // len(WATCHES)
        if round_:
            # Same topics, other category mixes: 100 people's watches overlap like this.
            extra = CATEGORIES[(n + round_) % len(CATEGORIES)]
            categories = tuple(dict.fromkeys((*categories, extra)))
            name = f"{name}-{round_}"
        out.append((name, query, categories))
    return out


def _add(env: dict[str, str], home: Path, count: int) -> None:
    """Add the watches in one `watch import` (a TOML file like `watch export` writes)."""
    lines = []
    for name, query, categories in definitions(count):
        cats = ", ".join(f'"{c}"' for c in categories)
        lines += [
            "[[watch]]",
            f'name = "{name}"',
            f'query = "{query}"',
            f"categories = [{cats}]",
            "",
        ]
    path = home.parent / f"watches-{count}.toml"
    home.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))
    check(run(litscout_argv("watch", "import", str(path)), env), f"watch import ({count})")


def watch_run(
    api: Any, workdir: Path, count: int = len(WATCHES), page_size: int | None = None
) -> WatchResult:
    """First run, same-day rerun, a gap, an hour later, the next announcement day.

    With `page_size`, `[watch] backfill_results` is set that low so the gap's answer takes
    several pages (the gap over the backfill page size).
    """
    home = workdir / (f"watch-{count}" + (f"-page{page_size}" if page_size else ""))
    env = clean_env(home, api.env())
    result = WatchResult(watches=count, page_size=page_size)
    _add(env, home, count)
    if page_size:
        (home / "config.toml").write_text(f"[watch]\nbackfill_results = {page_size}\n")
    result.steps.append(_step(api, env, "first run"))
    result.steps.append(_step(api, env, "again the same day"))
    _age(home, GAP_DAYS)
    gap = _step(api, env, f"after a {GAP_DAYS}-day gap")
    result.steps.append(gap)
    result.gap_total = _gap_total(api)
    if page_size:
        return result
    result.steps.append(_step(api, env, "an hour after the gap run"))
    _age(home, 1)
    result.steps.append(_step(api, env, "the next announcement day"))
    return result


def _gap_total(api: Any) -> int | None:
    """arXiv's totalResults for the gap's backfill query (asked of the fake, not counted)."""
    import re
    import urllib.parse
    import urllib.request

    queries = [r.query for r in api.requests if r.service == "arxiv"]
    if not queries:
        return None
    time.sleep(api.arxiv_delay + 0.1)
    url = f"{api.url}/api/query?" + urllib.parse.urlencode(
        {"search_query": queries[0]["search_query"][0], "max_results": "0"}
    )
    body = urllib.request.urlopen(url, timeout=30).read().decode()
    api.clear_log()
    found = re.search(r"<opensearch:totalResults[^>]*>(\d+)<", body)
    return int(found.group(1)) if found else None


def watch_runs(api: Any, workdir: Path) -> list[WatchResult]:
    """20 and 100 watches; and 20 watches whose gap is larger than the backfill page."""
    results = [watch_run(api, workdir, len(WATCHES)), watch_run(api, workdir, 100)]
    total = results[0].gap_total or 0
    # A page size that makes the gap take three pages (at least two).
    size = max(1, -(-total // 3)) if total > 1 else 1
    results.append(watch_run(api, workdir, len(WATCHES), page_size=size))
    return results


NOW = {  # issue 14, measured before the combined backfill (20 / 100 watches)
    (20, "after"): "22 requests (arxiv 20), 66 s",
    (100, "after"): "102 requests (arxiv 100), 327 s",
    (20, "an hour"): "16–20 arXiv API requests, 49–59 s",
    (20, "the next"): "16–20 arXiv API requests, 49–59 s",
}


def report_watch(out: Report, results: list[WatchResult]) -> None:
    from .report import requests_text

    for result in results:
        for step in result.steps:
            feed = step.requests.get("rss", 0)
            backfill = step.requests.get("arxiv", 0)
            label = f"Watch run, {result.watches} watches over {result.categories} categories"
            if result.page_size:
                label += f", backfill page of {result.page_size}"
                if result.gap_total is not None:
                    label += f" (the gap: {result.gap_total} papers)"
            if step.name.startswith("again") or step.name.startswith("an hour"):
                goal = "0 requests (listing cached for the day, gap filled)"
                met = sum(step.requests.values()) == 0
            elif step.name.startswith("the next"):
                goal = "1 listing request, 0 API requests"
                met = feed <= 1 and backfill == 0
            elif step.name.startswith("after") and result.page_size:
                pages = -(-(result.gap_total or 0) // result.page_size)
                goal = f"every page until totalResults ({pages} pages), nothing dropped"
                reference = next(
                    (s.papers for r in results if not r.page_size and r.watches == result.watches
                     for s in r.steps if s.name.startswith("after")),
                    None,
                )  # fmt: skip
                met = backfill == pages and (reference is None or step.papers == reference)
            elif step.name.startswith("after"):
                goal = "1 listing request + ≤ 1 backfill request for the gap"
                met = feed <= 1 and backfill <= 1
            else:
                goal = "1 listing request for the 6 categories, no backfill"
                met = feed <= 1 and backfill == 0
            before = next(
                (v for (n, prefix), v in NOW.items()
                 if n == result.watches and step.name.startswith(prefix)),
                "",
            )  # fmt: skip
            if result.page_size:
                before = ""
            out.add(
                "5",
                f"{label}: {step.name}",
                f"{requests_text([step.requests])}; {step.seconds:.2f} s; {step.papers} papers",
                before,
                "",
                goal,
                met,
            )
    out.notes.append(
        "Watch run (benchmarks/watch.py): `litscout watch run --format json` for all watches "
        "in one process; `rss` is the arXiv listing feed, `arxiv` the API (backfill), `s2` "
        "Semantic Scholar (one batch for citation counts). The gap is simulated by moving the "
        f"watches' last fetch and the cached listing {GAP_DAYS} days back, the next "
        "announcement day by moving them one more day back. The 100 watches are the 20 plus "
        "variants with other category mixes over the same 6 categories. The Baseline column "
        "holds the figures issue 14 measured before the combined backfill."
    )
    out.notes.append(
        "Watch gap: one arXiv query for the union of the categories of the watches that "
        "missed listings, `(cat:A OR cat:B …) AND submittedDate:[…]`, over the missed "
        "announcement days plus about a day, paged (`[watch] backfill_results`, 2,000) while "
        "`totalResults` says there is more; each watch picks its papers with the listing's "
        "matcher. The paged row sets the page size to a third of the gap's answer and must "
        "deliver the same papers as the one-page run."
    )
