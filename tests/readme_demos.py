"""Produce the README's demo outputs from a real run: `python tests/readme_demos.py`.

Every command runs as a real `litscout` process against the project's fake services
(tests/fakeapi) over loopback HTTP, in a throw-away LITSCOUT_HOME, at 100 columns without
colour. The demo topic is invented from end to end — titles, authors, numbers — and its
papers carry arXiv-shaped ids in the 9912.* range, which arXiv never issued (its new-style
ids began with 0704), so no output can be mistaken for a real paper's metadata.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeapi import FakeAPI  # noqa: E402
from fakeapi.corpus import Corpus, FakePaper, generate_citations  # noqa: E402

TOPIC = "tidal flat sediment mapping"

# key, title, days ago, citations, of them in the last year
PAPERS = [
    ("tfm-classic", "Tidal Flat Sediment Mapping from Aerial Surveys", 3400, 2400, 40),
    ("tfm-classic-2", "Deep Networks for Tidal Flat Sediment Mapping", 2900, 1800, 60),
    ("tfm-adapters", "Tidal Flat Sediment Mapping with Foundation Adapters", 106, 96, 96),
    ("tfm-transformers", "Fast Sediment Mapping Transformers for Tidal Flats", 200, 70, 70),
    ("tfm-survey", "Tidal Flat Sediment Mapping: A Survey", 900, 150, 60),
    ("tfm-two-days", "Sediment Mapping of Tidal Flats in Two Days", 2, 1, 1),
]


def demo_corpus() -> Corpus:
    corpus = Corpus()
    for number, (key, title, days, total, recent) in enumerate(PAPERS, start=1):
        paper = corpus.add(
            FakePaper(
                key=key,
                title=title,
                abstract=(
                    f"We study {TOPIC}: {title.lower()}. Code: https://github.com/demo-lab/{key}"
                ),
                authors=["Ada Quill", "Ben Orr", "Cleo Marsh"],
                days_ago=days,
                categories=["cs.CV", "physics.geo-ph"],
                arxiv_id=f"9912.{number:05d}",
                publication_types=["Review"] if key == "tfm-survey" else None,
            )
        )
        paper.citations = generate_citations(key, total, days, recent=recent)
    return corpus


COMMANDS = [
    ["search", TOPIC, "-n", "4"],
    ["search", TOPIC, "--sort", "velocity"],
    ["search", TOPIC, "--explain", "-n", "3"],
    ["paper", "9912.00003"],
    ["paper", "9912.00001"],
    ["cites", "9912.00001", "-n", "5"],
]


def main() -> int:
    exe = shutil.which("litscout") or str(Path(sys.executable).with_name("litscout"))
    with FakeAPI(corpus=demo_corpus()) as api, tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            **api.env(),
            "LITSCOUT_HOME": home,
            "LITSCOUT_FORCE_TTY": "1",
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }
        for argv in COMMANDS:
            shown = " ".join(f'"{a}"' if " " in a else a for a in argv)
            done = subprocess.run([exe, *argv], env=env, capture_output=True, text=True)
            print(f"$ litscout {shown}")
            text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)  # bold and dim: no colour anyway
            print("\n".join(line.rstrip() for line in text.rstrip().splitlines()))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
