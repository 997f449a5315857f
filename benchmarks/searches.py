"""Cold search (litscout vs the naive baseline), warm search and start-up, side by side."""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import PYTHON, ROOT, Stats, by_service, check, clean_env, litscout_argv, run

if TYPE_CHECKING:
    from .report import Report

QUERY = "few-shot learning"

# Words for the generated papers that make the fake corpus answer ≥100 arXiv hits.
SETTINGS = (
    "medical imaging|remote sensing|speech|robotics|text classification|drug discovery".split("|")
)
METHODS = (
    "prototypes|metric learning|meta-learning|data augmentation|transformers|graph networks".split(
        "|"
    )
)


def fake_api_class() -> Any:
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from fakeapi import FakeAPI

    return FakeAPI


def extend_corpus(api: Any, count: int = 110, seed: int = 6) -> int:
    """Add `count` generated few-shot papers (arXiv + S2, with citers) to the fake's corpus."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from fakeapi import AUTO, FakePaper, generate_citations

    rng = random.Random(seed)
    for n in range(count):
        setting, method = rng.choice(SETTINGS), rng.choice(METHODS)
        days = rng.uniform(20, 2500)
        api.corpus.add(
            FakePaper(
                key=f"bench-fsl-{n}",
                title=f"Few-shot learning for {setting} with {method} ({n})",
                abstract=(
                    f"We study few-shot learning for {setting}, where only a handful of labelled "
                    f"examples per class are available. Our approach combines {method} with a "
                    "pretrained backbone and is evaluated on standard episodic benchmarks, "
                    "improving accuracy over strong baselines in the 1-shot and 5-shot settings."
                ),
                authors=[f"Author {n} A", f"Author {n} B"],
                days_ago=days,
                categories=rng.choice([["cs.LG"], ["cs.CV", "cs.LG"], ["cs.CL"]]),
                arxiv_id=AUTO,
                citations=generate_citations(f"bench-{n}", rng.randint(0, 60), days),
            )
        )
    return count


@dataclass
class ColdResult:
    litscout: Stats = field(default_factory=Stats)
    naive: Stats = field(default_factory=Stats)
    litscout_requests: list[dict[str, int]] = field(default_factory=list)
    naive_requests: list[dict[str, int]] = field(default_factory=list)
    litscout_papers: int = 0
    naive_papers: int = 0


@dataclass
class WarmResult:
    litscout: Stats = field(default_factory=Stats)
    python: Stats = field(default_factory=Stats)
    requests: int = 0
    papers: int = 0


@dataclass
class StartupResult:
    help: Stats = field(default_factory=Stats)
    version: Stats = field(default_factory=Stats)
    python: Stats = field(default_factory=Stats)
    import_top: list[tuple[str, int]] = field(default_factory=list)
    typer_version: Stats = field(default_factory=Stats)  # `--version` through the typer app
    import_search: list[tuple[str, int]] = field(default_factory=list)  # the hot path


def _quiet(api: Any) -> None:
    """Let the fake's rate-limit windows pass so the next run starts like a fresh day."""
    time.sleep(max(api.arxiv_delay, api.s2_interval) + 0.1)
    api.clear_log()


@contextmanager
def fake_services(latency: float, arxiv_delay: float, s2_interval: float) -> Iterator[Any]:
    fake = fake_api_class()
    with fake(arxiv_delay=arxiv_delay, s2_interval=s2_interval, latency=latency) as api:
        extend_corpus(api)
        yield api


def search_argv(query: str = QUERY, *extra: str) -> list[str]:
    return litscout_argv("search", query, "-n", "100", "--format", "json", *extra)


def cold(api: Any, workdir: Path, runs: int = 3, naive_runs: int = 1) -> tuple[ColdResult, Path]:
    """Each run gets a fresh LITSCOUT_HOME; returns the home of the last run (for warm)."""
    from litscout.query import Query

    result = ColdResult()
    home = workdir
    for n in range(runs):
        home = workdir / f"cold-{n}"
        _quiet(api)
        ran = check(run(search_argv(), clean_env(home, api.env())), "litscout cold search")
        result.litscout.samples.append(ran.seconds)
        result.litscout_requests.append(by_service(api))
        result.litscout_papers = len(json.loads(ran.stdout))
    arxiv_query = Query.build(QUERY).arxiv_query()
    for _ in range(naive_runs):
        _quiet(api)
        argv = [PYTHON, "-m", "benchmarks.naive", "--arxiv-url", f"{api.url}/api/query"]
        argv += ["--s2-url", api.url, "--query", arxiv_query, "-n", "100"]
        # The fake counts from when a request arrives: 5% margin keeps a 1/s client polite.
        argv += ["--interval", str(api.s2_interval * 1.05)]
        ran = check(run(argv, clean_env(workdir / "naive"), cwd=ROOT), "naive baseline")
        result.naive.samples.append(ran.seconds)
        result.naive_requests.append(by_service(api))
        result.naive_papers = len(json.loads(ran.stdout))
    return result, home


def warm(api: Any, home: Path, runs: int = 15) -> WarmResult:
    """The same query again from the home a cold run filled: cache hit, whole process."""
    result = WarmResult()
    env = clean_env(home, api.env())
    _quiet(api)
    for _ in range(runs):
        ran = check(run(search_argv(), env), "litscout warm search")
        result.litscout.samples.append(ran.seconds)
        result.papers = len(json.loads(ran.stdout))
    result.requests = api.count()
    for _ in range(runs):
        result.python.samples.append(run([PYTHON, "-c", "pass"]).seconds)
    return result


def startup(runs: int = 15) -> StartupResult:
    result = StartupResult()
    with tempfile.TemporaryDirectory() as tmp:
        env = clean_env(Path(tmp))
        run(litscout_argv("--version"), env)  # byte-compile / warm the OS cache once
        for _ in range(runs):
            result.help.samples.append(check(run(litscout_argv("--help"), env), "--help").seconds)
            result.version.samples.append(
                check(run(litscout_argv("--version"), env), "--version").seconds
            )
            result.python.samples.append(run([PYTHON, "-c", "pass"]).seconds)
            result.typer_version.samples.append(
                check(run([PYTHON, "-c", THROUGH_TYPER], env), "--version via typer").seconds
            )
        result.import_top = import_profile(["--help"], env)
        result.import_search = import_profile(["search", "few-shot", "--offline", "--json"], env)
    return result


# `litscout --version` the way every command started before cli/fast.py: through typer.
THROUGH_TYPER = (
    "import sys; sys.argv = ['litscout', '--version']; "
    "from litscout.cli.typer_app import _app; _app(prog_name='litscout')"
)


def import_profile(args: list[str], env: dict[str, str], top: int = 8) -> list[tuple[str, int]]:
    """Import time (µs, self) by top-level package for `litscout <args>`, from -X importtime."""
    code = f"import sys; sys.argv = ['litscout', *{args!r}]; from litscout.cli import main; main()"
    ran = run([PYTHON, "-X", "importtime", "-c", code], env)
    packages: dict[str, int] = {}
    for line in ran.stderr.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        if own.strip().isdigit():
            package = name.strip().split(".")[0].lstrip("_") or name.strip()
            packages[package] = packages.get(package, 0) + int(own)
    return sorted(packages.items(), key=lambda item: -item[1])[:top]


def report_cold(out: Report, cold: ColdResult) -> None:
    from .report import ratio, requests_text, stats_s, total_requests

    lit_requests = max(total_requests(c) for c in cold.litscout_requests)
    out.add(
        "1",
        f"Cold search, {cold.litscout_papers} papers: requests",
        requests_text(cold.litscout_requests),
        requests_text(cold.naive_requests) if cold.naive_requests else "not run",
        (
            ratio(max(total_requests(c) for c in cold.naive_requests), lit_requests) + " fewer"
            if cold.naive_requests
            else ""
        ),
        "≤ 1 arXiv + 2 S2 + 1 OpenAlex per 100 papers",
        all(
            c.get("arxiv", 0) <= 1
            and c.get("s2", 0) <= 2
            and c.get("openalex", 0) <= -(-cold.litscout_papers // 100)
            for c in cold.litscout_requests
        ),
    )
    met = None
    speedup = ""
    if cold.naive.samples:
        speedup = ratio(cold.naive.median, cold.litscout.median) + " less (medians)"
        met = cold.naive.median / cold.litscout.median >= 50
    out.add(
        "1",
        f"Cold search, {cold.litscout_papers} papers: wall time "
        f"({len(cold.litscout.samples)} / {len(cold.naive.samples)} runs)",
        stats_s(cold.litscout),
        stats_s(cold.naive),
        speedup,
        "≥ 50× less than naive",
        met,
    )
    out.notes.append(
        "Naive baseline (benchmarks/naive.py): the `arxiv` package's own Client "
        "(delay_seconds=3, page_size=100) for the arXiv query, then "
        "`GET /graph/v1/paper/ARXIV:<id>?fields=citationCount` per paper, started 5% over "
        "S2's interval apart (1.05 s at 1 request/s: as fast as a polite client can go), as "
        f"a separate process. It returned {cold.naive_papers} papers. "
        "litscout asks arXiv once, S2's search once and S2's batch endpoint once for the "
        "arXiv papers the search did not cover."
    )


def report_warm(out: Report, warm: WarmResult) -> None:
    from .report import ratio

    out.add(
        "2",
        f"Warm search (cache hit, {warm.papers} papers as JSON, {len(warm.litscout.samples)} runs)",
        warm.litscout.ms() + f", {warm.requests} requests",
        "`python -c pass` " + warm.python.ms(),
        ratio(warm.litscout.median, warm.python.median) + " of bare Python",
        "≤ 150 ms median, 0 requests",
        warm.litscout.median <= 0.150 and warm.requests == 0,
    )


def report_startup(out: Report, start: StartupResult) -> None:
    from .report import ratio

    for name, stats in (("`litscout --help`", start.help), ("`litscout --version`", start.version)):
        out.add(
            "3",
            f"{name} ({len(stats.samples)} runs)",
            stats.ms(),
            "`python -c pass` " + start.python.ms(),
            ratio(stats.median, start.python.median) + " of bare Python",
            "≤ 120 ms",
            stats.median <= 0.120,
        )
    if start.typer_version.samples:
        share = start.typer_version.median - start.version.median
        out.add(
            "3",
            f"`litscout --version` through the typer app ({len(start.typer_version.samples)} "
            "runs; how every command started before the typer-free path)",
            start.typer_version.ms(),
            "",
            "",
            "",
            None,
        )
        out.details.append(
            f"- Typer's share of start-up: {share * 1000:.0f} ms of the "
            f"{start.typer_version.median * 1000:.0f} ms `--version` takes through the typer "
            "app (medians). `litscout search …` and `--version` now start without importing "
            "typer (cli/fast.py); help, every other command and anything unusual go through "
            "typer, with the follow/watch groups built only when needed."
        )
    if start.import_top:
        top = ", ".join(f"{name} {us / 1000:.1f} ms" for name, us in start.import_top[:8])
        out.details.append(
            f"- `python -X importtime` for `litscout --help`, import time by package "
            f"(self time; the measurement inflates it): {top}."
        )
    if start.import_search:
        top = ", ".join(f"{name} {us / 1000:.1f} ms" for name, us in start.import_search[:8])
        out.details.append(
            f"- `python -X importtime` for `litscout search few-shot --offline --json` (the "
            f"typer-free path), by package: {top}."
        )
