"""litscout benchmarks: requests, wall time and size, measured side by side in one run.

    python -m benchmarks                      # everything, 1,000,000-paper cache, writes RESULTS.md
    python -m benchmarks --papers 100000      # a smaller synthetic cache
    python -m benchmarks --only startup,warm  # some parts; RESULTS.md is written only for all

Runs the project's fake arXiv / Semantic Scholar server (tests/fakeapi) with a round-trip
latency and the real rate limits (arXiv 3 s, S2 1 request/s). Every litscout run is a real
subprocess of the installed `litscout` console script with its own LITSCOUT_HOME.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from . import backtest, report, scale, searches, watch
from .common import ROOT, WORK, machine

PARTS = ("cold", "warm", "startup", "scale", "watch", "backtest")
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--papers", type=int, default=1_000_000, help="synthetic cache size")
    parser.add_argument("--latency", type=float, default=0.2, help="fake round trip, seconds")
    parser.add_argument("--arxiv-delay", type=float, default=3.0)
    parser.add_argument("--s2-interval", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=15, help="runs of each timed process")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--naive-runs", type=int, default=1, help="each takes about 2 minutes")
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS)
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the synthetic cache")
    parser.add_argument("--results", type=Path, default=None, help="write the Markdown here")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    results = args.results or (RESULTS if set(parts) == set(PARTS) else None)

    out = report.Report()
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        workdir = Path(tmp)
        if {"cold", "warm", "watch"} & set(parts):
            with searches.fake_services(args.latency, args.arxiv_delay, args.s2_interval) as api:
                home = None
                if "cold" in parts or "warm" in parts:
                    progress("cold search: litscout, then the naive baseline")
                    cold, home = searches.cold(
                        api,
                        workdir,
                        runs=args.cold_runs if "cold" in parts else 1,
                        naive_runs=args.naive_runs if "cold" in parts else 0,
                    )
                    if "cold" in parts:
                        searches.report_cold(out, cold)
                if "warm" in parts and home is not None:
                    progress("warm search")
                    searches.report_warm(out, searches.warm(api, home, runs=args.runs))
                if "watch" in parts:
                    progress("watch run")

                    watch.report_watch(out, watch.watch_runs(api, workdir))
        if "startup" in parts:
            progress("start-up")
            searches.report_startup(out, searches.startup(runs=args.runs))
        if "backtest" in parts:
            progress("ranking backtest")
            backtest.report_backtest(out, backtest.backtest())
        if "scale" in parts:
            progress(f"cache scale: {args.papers:,} papers (built once, kept in {WORK})")
            scale.report_scale(out, scale.scale(args.papers, rebuild=args.rebuild))

    elapsed = time.perf_counter() - started
    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render(out, args, command.strip(), elapsed)
    print(text)
    if results is not None:
        results.write_text(text)
        progress(f"wrote {results}")
    return 0


def progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def render(out: report.Report, args: argparse.Namespace, command: str, elapsed: float) -> str:
    m = machine()
    lines = [
        "# litscout benchmarks",
        "",
        f"Command: `{command}` (took {elapsed / 60:.1f} min). "
        "Times are min / median / max of wall time, measured with `time.perf_counter` "
        "around whole subprocesses unless a row says in-process.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}, "
        f"{m['os']}. Fake services: {args.latency * 1000:.0f} ms latency per request, arXiv "
        f"{args.arxiv_delay:g} s between requests, Semantic Scholar {args.s2_interval:g} s.",
        "",
        out.table(),
        "",
    ]
    if report.history():
        lines += ["## What the benchmark changed", "", report.history(), ""]
    if out.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in out.notes] + [""]
    if out.details:
        lines += ["## Details", ""] + out.details + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
