"""Timing, process and machine helpers shared by every benchmark."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
PYTHON = sys.executable


@dataclass
class Stats:
    """Wall times of repeated runs, in seconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def ms(self) -> str:
        """`min / median / max` in milliseconds."""
        return f"{self.min * 1000:.0f} / {self.median * 1000:.0f} / {self.max * 1000:.0f} ms"

    def seconds(self) -> str:
        return f"{self.min:.2f} / {self.median:.2f} / {self.max:.2f} s"


def repeat(func: Callable[[], object], runs: int) -> Stats:
    stats = Stats()
    for _ in range(runs):
        start = time.perf_counter()
        func()
        stats.samples.append(time.perf_counter() - start)
    return stats


@dataclass
class Ran:
    seconds: float
    returncode: int
    stdout: bytes
    stderr: bytes


def run(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    cwd: Path | None = None,
) -> Ran:
    """Run a process to completion (its last byte of output); time it with perf_counter."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - start
    return Ran(elapsed, done.returncode, done.stdout, done.stderr)


def check(ran: Ran, what: str) -> Ran:
    if ran.returncode != 0:
        raise RuntimeError(
            f"{what} exited {ran.returncode}: {ran.stderr.decode(errors='replace')[-2000:]}"
        )
    return ran


def litscout_argv(*args: str) -> list[str]:
    """The installed console script when present (what users run), else `python -m`."""
    script = Path(PYTHON).with_name("litscout")
    if script.exists():
        return [str(script), *args]
    return [PYTHON, "-m", "litscout", *args]


def clean_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment minus anything litscout reads, plus a private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITSCOUT_")}
    for key in ("S2_API_KEY", "OPENALEX_API_KEY", "SEMANTIC_SCHOLAR_API_KEY"):
        env.pop(key, None)
    env["LITSCOUT_HOME"] = str(home)
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or "?"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def by_service(api: object) -> dict[str, int]:
    """Requests the fake received per service; refused ones (429) also counted under "429"."""
    counts: dict[str, int] = {}
    for record in api.requests:  # type: ignore[attr-defined]
        counts[record.service] = counts.get(record.service, 0) + 1
        if record.status == 429:
            counts["429"] = counts.get("429", 0) + 1
    return counts
