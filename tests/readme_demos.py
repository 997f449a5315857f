"""Produce the README's demo outputs from real runs: `python tests/readme_demos.py --write`.

Every command runs as a real `litscout` process against the project's fake services
(tests/fakeapi) over loopback HTTP, in a throw-away LITSCOUT_HOME, at 100 columns without
colour. The demo corpus is invented from end to end — titles, authors, abstracts, numbers —
and no id in it can be mistaken for a real paper's: arXiv-shaped ids lie in the 9912.* range,
which arXiv never issued (its new-style ids began with 0704), DOIs carry the invented prefix
10.99999, and Semantic Scholar ids are hashes of the papers' invented keys.

Without `--write` the demos are printed (`python tests/readme_demos.py map` for one); with it,
README.md is rewritten in place between its markers (`<!-- demo:NAME -->` … `<!-- /demo -->`),
each block with a note saying how it was made, and so is the CLI reference
(tests/readme_reference.py), so one command brings the whole README up to date. Ages and
dates depend on the day the script runs, so the demos are not checked for drift;
tests/test_readme.py checks that every console block showing `$ litscout` is one of them and
that their ids are invented ones.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeapi import FakeAPI, Fault  # noqa: E402
from fakeapi.corpus import Citation, Corpus, FakePaper, generate_citations  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARXIV_PREFIX = "9912."  # arXiv never issued an id in this range
DOI_PREFIX = "10.99999/"  # an invented DOI prefix

TOPIC = "sediment mapping"
NEIGHBOUR = "change detection"

GEO = ["cs.CV", "physics.geo-ph"]
AO = ["physics.ao-ph", "physics.geo-ph"]
QUILL = ["Ada Quill", "Ben Orr", "Cleo Marsh"]
FENN = ["Dara Fenn", "Emil Sand"]
WREN = ["Farah Wren", "Gus Tamsin", "Hedda Loam"]
REEVE = ["Ivo Reeve", "Juno Pebble"]


@dataclass
class Spec:
    """One invented paper: key, title, days ago, citations (of them in the last year)."""

    key: str
    title: str
    numbers: tuple[float, int, int]  # days ago, citations, of them in the last year
    abstract: str
    authors: list[str] = field(default_factory=lambda: list(QUILL))
    categories: list[str] = field(default_factory=lambda: list(GEO))
    arxiv: bool = True  # an arXiv-shaped id in 9912.*; False: a journal paper with a DOI only
    survey: bool = False
    code: bool = False
    refs: tuple[str, ...] = ()
    venue: str | None = None

    @property
    def days(self) -> float:
        return self.numbers[0]

    @property
    def total(self) -> int:
        return self.numbers[1]

    @property
    def recent(self) -> int:
        return self.numbers[2]


SPECS = [
    # -- the topic --------------------------------------------------------------------------
    Spec(
        "tfm-classic",
        "Sediment Mapping of Tidal Flats from Aerial Surveys",
        (3400, 2400, 40),
        "We map mud and sand on tidal flats from aerial surveys flown at low tide. A per-pixel "
        "classifier trained on field samples of grain size separates muddy, mixed and sandy "
        "sediment across the intertidal zone, and the maps agree with field samples at 87% of "
        "sites.",
        code=True,
    ),
    Spec(
        "tfm-classic-2",
        "Deep Networks for Sediment Mapping on Tidal Flats",
        (2900, 1800, 60),
        "Deep networks map tidal flat sediments from aerial imagery better than per-pixel "
        "classifiers: semantic segmentation of the intertidal zone learns the texture of mud "
        "and sand from a few hundred labelled tiles.",
        refs=("tfm-classic",),
        code=True,
    ),
    Spec(
        "tfm-adapters",
        "Sediment Mapping with Foundation Adapters",
        (106, 96, 96),
        "We study sediment mapping with foundation adapters: a frozen foundation model for "
        "aerial imagery with small adapters trained on labelled tiles of mud and sand from "
        "tidal flats.",
        refs=("tfm-classic", "tfm-classic-2", "tfm-selfsup"),
        code=True,
    ),
    Spec(
        "tfm-transformers",
        "Fast Sediment Mapping Transformers for Tidal Flats",
        (200, 70, 70),
        "Vision transformers for sediment mapping on tidal flats that run on a laptop in the "
        "field: semantic segmentation of aerial imagery into mud, mixed sediment and sand.",
        refs=("tfm-classic-2",),
        code=True,
    ),
    Spec(
        "tfm-survey",
        "Sediment Mapping on Tidal Flats: A Survey",
        (900, 150, 60),
        "In this survey we review sediment mapping on tidal flats: aerial surveys and satellite "
        "imagery of the intertidal zone, grain size from field samples, semantic segmentation "
        "of mud and sand, change detection over seasons and sediment transport.",
        survey=True,
        code=True,
        refs=(
            "tfm-classic",
            "tfm-classic-2",
            "tfm-grain-size",
            "cd-siamese",
            "st-accretion",
            "crs-benchmarks",
        ),
    ),
    Spec(
        "tfm-two-days",
        "Sediment Mapping of a Whole Estuary in Two Days",
        (2, 1, 1),
        "Sediment mapping of a whole estuary and its tidal flats in two days of drone "
        "flights, with semantic segmentation of mud and sand checked against field samples.",
        code=True,
    ),
    Spec(
        "tfm-drone",
        "Mud and Sand: Sediment Mapping from Drone Imagery",
        (520, 80, 40),
        "Drone imagery at centimetre resolution shows the ripples that tell mud from sand. We "
        "map tidal flat sediments from drone flights at low tide and compare the maps with "
        "grain size from field samples across the intertidal zone.",
        authors=list(FENN),
        refs=("tfm-classic", "tfm-classic-2"),
    ),
    Spec(
        "tfm-grain-size",
        "Grain Size Estimation on Intertidal Flats from Aerial Imagery",
        (1200, 210, 30),
        "Grain size decides whether a tidal flat is mud or sand. We estimate grain size from "
        "aerial imagery of the intertidal zone, trained on field samples, and use it for "
        "sediment mapping.",
        authors=list(FENN),
        refs=("tfm-classic",),
    ),
    Spec(
        "tfm-selfsup",
        "Self-Supervised Pretraining for Sediment Mapping",
        (300, 45, 45),
        "Labelled tiles of mud and sand are scarce. Self-supervised pretraining on unlabelled "
        "aerial imagery of the intertidal zone halves the labels that sediment "
        "mapping needs on tidal flats.",
        refs=("tfm-classic-2",),
        code=True,
    ),
    Spec(
        "tfm-cloud",
        "Sediment Mapping under Cloud Cover",
        (720, 60, 20),
        "Satellite imagery of tidal flats is often cloudy at low tide. We fuse radar and "
        "optical satellite imagery so that sediment mapping of the intertidal zone goes on "
        "under cloud cover.",
        authors=list(WREN),
        refs=("tfm-classic",),
    ),
    Spec(
        "tfm-low-tide",
        "Sediment Mapping from a Single Low Tide",
        (0.4, 0, 0),
        "One low tide is enough: we map mud and sand across a tidal flat from the aerial "
        "imagery of a single low tide, without field samples.",
        authors=list(WREN),
    ),
    # -- a neighbour: change detection --------------------------------------------------------
    Spec(
        "cd-survey",
        "Change Detection in Coastal Imagery: A Survey",
        (1000, 420, 130),
        "In this survey we review change detection in coastal imagery: image differencing, "
        "siamese networks, satellite time series for sediment mapping of the intertidal zone and "
        "for shorelines, and the benchmarks used to compare them.",
        authors=list(REEVE),
        categories=["cs.CV", "eess.IV"],
        survey=True,
        refs=("cd-siamese", "crs-benchmarks", "tfm-classic"),
    ),
    Spec(
        "cd-siamese",
        "Siamese Networks for Change Detection in Multispectral Imagery",
        (2200, 900, 80),
        "Siamese networks compare two dates of multispectral satellite imagery pixel by "
        "pixel. Change detection with shared weights finds new buildings, floods and eroded "
        "coasts with few labelled changes.",
        authors=list(REEVE),
        categories=["cs.CV", "eess.IV"],
        code=True,
    ),
    Spec(
        "cd-tidal",
        "Change Detection of Tidal Flat Sediments from Satellite Time Series",
        (250, 40, 40),
        "Sediment mapping once a year misses the seasons. Change detection on "
        "satellite time series of the intertidal zone shows where mud turns to sand after "
        "storms.",
        refs=("tfm-classic-2", "cd-siamese"),
    ),
    Spec(
        "cd-foundation",
        "Sediment Change Detection on Tidal Flats with Foundation Models",
        (60, 24, 24),
        "Foundation models for change detection, adapted to sediment mapping on tidal flats: a "
        "frozen encoder compares aerial imagery of two low tides and maps where mud and sand "
        "moved.",
        refs=("tfm-adapters", "cd-siamese", "cd-tidal"),
        code=True,
    ),
    Spec(
        "cd-shoreline",
        "Unsupervised Change Detection for Shoreline Monitoring",
        (400, 55, 38),
        "Unsupervised change detection on satellite time series tracks eroding shorelines "
        "without labelled changes.",
        authors=list(REEVE),
        categories=["cs.CV", "eess.IV"],
        refs=("cd-siamese",),
    ),
    Spec(
        "cd-sparse",
        "Change Detection with Sparse Labels",
        (150, 33, 33),
        "Change detection needs pairs of images with labelled changes; we learn it from a "
        "sparse set of labelled points instead of dense masks.",
        authors=list(REEVE),
        categories=["cs.CV", "eess.IV"],
        refs=("cd-siamese",),
    ),
    # -- a neighbour: sediment transport (journal papers with invented DOIs) -------------------
    Spec(
        "st-review",
        "Sediment Transport on Tidal Flats: A Review",
        (1500, 310, 50),
        "We review sediment transport on tidal flats: tidal currents, waves and storm surges, "
        "the settling of mud and the accretion of the intertidal zone, and how field samples "
        "and tide gauge records constrain sediment transport models.",
        authors=list(WREN),
        categories=AO,
        arxiv=False,
        survey=True,
        venue="Journal of Invented Coastal Studies",
        refs=("st-accretion",),
    ),
    Spec(
        "st-storm",
        "Sediment Transport under Storm Surges",
        (800, 120, 30),
        "Storm surges move more sediment in a day than tides move in a month. We measure "
        "sediment transport across a tidal flat during three storm surges.",
        authors=list(WREN),
        categories=AO,
        arxiv=False,
        venue="Journal of Invented Coastal Studies",
        refs=("st-accretion",),
    ),
    Spec(
        "st-gauges",
        "Learning Sediment Transport from Tide Gauge Records",
        (180, 26, 26),
        "A neural network learns sediment transport on tidal flats from tide gauge records "
        "and repeated sediment mapping.",
        authors=list(WREN),
        categories=AO,
        refs=("st-storm", "tfm-classic"),
    ),
    Spec(
        "st-accretion",
        "Sediment Transport and Tidal Flat Accretion",
        (2600, 520, 30),
        "How tidal flats grow: sediment transport by tidal currents, the settling of mud at "
        "slack water and the accretion of the intertidal zone over decades.",
        authors=list(WREN),
        categories=AO,
        arxiv=False,
        venue="Journal of Invented Coastal Studies",
    ),
    # -- a neighbour: shoreline monitoring --------------------------------------------------
    Spec(
        "crs-survey",
        "Shoreline Monitoring with Deep Learning: A Survey",
        (600, 260, 130),
        "This survey reviews shoreline monitoring with deep learning: satellite imagery and "
        "aerial imagery of beaches, tidal flats and salt marshes, semantic segmentation, "
        "sediment mapping, change detection and the benchmarks of the field.",
        authors=list(FENN),
        categories=["cs.CV", "eess.IV"],
        survey=True,
        refs=("crs-benchmarks", "cd-siamese", "tfm-classic-2"),
    ),
    Spec(
        "crs-intertidal",
        "Shoreline Monitoring of Intertidal Zones at Scale",
        (100, 36, 36),
        "Shoreline monitoring of every intertidal zone of a continent from satellite "
        "imagery, with semantic segmentation of tidal flats, beaches and salt marshes for habitat "
        "mapping.",
        authors=list(FENN),
        categories=["cs.CV", "eess.IV"],
        refs=("crs-benchmarks", "tfm-classic-2"),
    ),
    Spec(
        "crs-benchmarks",
        "Benchmarks for Shoreline Monitoring",
        (1800, 410, 50),
        "Five benchmarks for shoreline monitoring: labelled satellite imagery and aerial "
        "imagery of beaches, tidal flats and salt marshes for semantic segmentation and "
        "sediment mapping.",
        authors=list(FENN),
        categories=["cs.CV", "eess.IV"],
        code=True,
    ),
    Spec(
        "crs-drones",
        "Shoreline Monitoring from Small Drones",
        (350, 31, 31),
        "Small drones fill the gaps of satellite imagery for shoreline monitoring: flights "
        "at low tide over tidal flats and beaches, and the mapping that follows.",
        authors=list(FENN),
        categories=["cs.CV", "eess.IV"],
    ),
]


def demo_corpus() -> Corpus:
    """The invented papers, their citations between each other and synthetic citers."""
    corpus = Corpus()
    number = 0
    for spec in SPECS:
        number += 1
        corpus.add(
            FakePaper(
                key=spec.key,
                title=spec.title,
                abstract=spec.abstract,
                authors=list(spec.authors),
                days_ago=spec.days,
                categories=list(spec.categories),
                arxiv_id=f"{ARXIV_PREFIX}{number:05d}" if spec.arxiv else None,
                doi=None if spec.arxiv else f"{DOI_PREFIX}tidal.{number:05d}",
                venue=spec.venue,
                comment=f"Code: https://github.com/demo-lab/{spec.key}" if spec.code else None,
                publication_types=["Review"] if spec.survey else None,
                reference_count=160 if spec.survey else 40,
            )
        )
    by_key = {p.key: p for p in corpus}
    for spec in SPECS:
        citing = by_key[spec.key]
        for ref in spec.refs:
            cited = by_key[ref]
            if cited.days_ago < citing.days_ago:
                raise ValueError(f"{citing.key} cannot cite the younger {cited.key}")
            citing.references.append(cited.paper_id)
            cited.citations.append(Citation(citing.paper_id, citing.days_ago, False))
    for spec in SPECS:
        paper = by_key[spec.key]
        own = len(paper.citations)
        own_recent = sum(1 for c in paper.citations if c.days_ago < 365)
        extra = generate_citations(
            spec.key, spec.total - own, spec.days, recent=max(0, spec.recent - own_recent)
        )
        paper.citations.extend(extra)
    return corpus


# -- the demos ------------------------------------------------------------------------------


COMMAND = "`python tests/readme_demos.py --write`"
FAKE = "A real run against the test fake with the invented demo corpus"
STRICT = (
    "A real run against the test fake with the invented demo corpus, its Semantic Scholar "
    "search set to require every word, as the real one often does for long questions"
)


@dataclass
class Step:
    """One litscout command of a demo; it must exit 0 (and print `expect`, when given)."""

    argv: list[str]
    stderr: bool = False  # show stderr too, in the order it was written
    alongside: list[str] | None = None  # another litscout command, holding arXiv first
    expect: str | None = None


@dataclass
class Demo:
    """One console block of the README. Demos of one world share the fake and LITSCOUT_HOME,
    and run in the order listed (a `paper` compares with the searches run before it)."""

    name: str
    steps: list[Step]
    world: str = "main"  # "outsider": Semantic Scholar's search requires every word
    note: str = ""
    faults: list[tuple[str, Fault]] = field(default_factory=list)  # injected before it runs
    config: str = ""  # the world's config.toml

    def intro(self) -> str:
        base = STRICT if self.world == "outsider" else FAKE
        return f"{base}{self.note} ({COMMAND}):"


def step(
    *argv: str,
    stderr: bool = False,
    alongside: list[str] | None = None,
    expect: str | None = None,
) -> Step:
    return Step(list(argv), stderr=stderr, alongside=alongside, expect=expect)


QUESTION = "tell mud from sand on a coast in aerial photos"
OUTSIDER = "map where the mud is on a beach from drone pictures"

DEMOS = [
    Demo("search", [step("search", TOPIC, "-n", "4")]),
    Demo("paper-young", [step("paper", "9912.00003")]),
    Demo("paper-classic", [step("paper", "9912.00001")]),
    Demo("cites", [step("cites", "9912.00001", "-n", "5")]),
    Demo("references", [step("references", "9912.00005", "--sort", "citations", "-n", "5")]),
    Demo(
        "related", [step("related", "9912.00003", "9912.00004", "--not", "9912.00001", "-n", "5")]
    ),
    Demo("terms", [step("terms", QUESTION, "-n", "5")]),
    Demo(
        "map",
        [step("map", TOPIC, stderr=True), step("map", TOPIC, NEIGHBOUR, stderr=True)],
        world="map",
        note=", nothing cached before; the last line of each is the summary on stderr",
    ),
    Demo(
        "retries",
        [step("search", TOPIC, "-n", "2", stderr=True, expect="HTTP 429")],
        world="retries",
        note=(
            " that answers arXiv's first request with 429 and Semantic Scholar's with 503 and "
            "Retry-After: 3600; its config caps one wait at 5 s instead of the default 60 s"
        ),
        faults=[
            ("arxiv", Fault(429, "Rate exceeded.")),
            ("s2", Fault(503, headers={"Retry-After": "3600"})),
        ],
        config="[network]\nmax_retry_wait = 5.0\n",
    ),
    Demo(
        "waiting",
        [
            step(
                "search",
                TOPIC,
                "-n",
                "2",
                stderr=True,
                alongside=["search", NEIGHBOUR],
                expect="another litscout process",
            )
        ],
        world="waiting",
        note=(
            ", while another litscout process searches and the fake takes 12 s to answer its "
            "arXiv request"
        ),
        faults=[("arxiv", Fault(kind="delay", seconds=12.0))],
    ),
    Demo("export", [step("export", "9912.00001", "10.99999/tidal.00021")]),
    Demo(
        "watch",
        [
            step("watch", "add", "tidal", TOPIC, "--category", "physics.geo-ph", stderr=True),
            step("watch", "run", stderr=True),
        ],
    ),
    Demo(
        "outsider",
        [step("search", OUTSIDER, stderr=True), step("terms", OUTSIDER, "-n", "4", stderr=True)],
        world="outsider",
    ),
]


def shown(argv: list[str]) -> str:
    return " ".join(f'"{a}"' if (" " in a or not a) else a for a in argv)


PRIVATE_ENV = ("LITSCOUT_", "S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY", "OPENALEX_API_KEY")


@contextmanager
def world(name: str, config: str = "") -> Iterator[tuple[FakeAPI, dict[str, str]]]:
    """The fake services with the demo corpus, and a fresh LITSCOUT_HOME."""
    api = FakeAPI(corpus=demo_corpus(), s2_match="all" if name == "outsider" else "any")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_ENV)}
    with api, tempfile.TemporaryDirectory() as home:
        if config:
            (Path(home) / "config.toml").write_text(config, encoding="utf-8")
        yield (
            api,
            {
                **keep,
                **api.env(),
                "LITSCOUT_HOME": home,
                "LITSCOUT_STATE_DIR": str(Path(home) / "state"),  # not the user's rate limits
                "LITSCOUT_S2_INTERVAL": "0",
                "LITSCOUT_FORCE_TTY": "1",
                "NO_COLOR": "1",
                "COLUMNS": "100",
                "PYTHONUNBUFFERED": "1",
            },
        )


def run_step(exe: str, api: FakeAPI, env: dict[str, str], s: Step) -> str:
    other = None
    if s.alongside:
        asked = api.count("arxiv")
        other = subprocess.Popen(
            [exe, *s.alongside], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while api.count("arxiv") == asked and time.monotonic() < deadline:
            time.sleep(0.05)  # until it holds arXiv's one connection
    done = subprocess.run(
        [exe, *s.argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if s.stderr else subprocess.PIPE,
        text=True,
    )
    if other is not None:
        other.wait()
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", done.stdout)  # no colour anyway
    if done.returncode != 0 or (s.expect is not None and s.expect not in text):
        raise SystemExit(
            f"litscout {shown(s.argv)}: exit code {done.returncode}"
            + (f", no {s.expect!r} in its output" if s.expect else "")
            + f":\n{text}{done.stderr or ''}"
        )
    lines = [line.rstrip() for line in text.rstrip().splitlines()]
    return "\n".join([f"$ litscout {shown(s.argv)}", *lines])


def render(demos: list[Demo] = DEMOS) -> dict[str, str]:
    """Run every demo; name -> its note and console block."""
    exe = shutil.which("litscout") or str(Path(sys.executable).with_name("litscout"))
    out: dict[str, str] = {}
    for name in dict.fromkeys(d.world for d in demos):
        mine = [d for d in demos if d.world == name]
        with world(name, "".join(d.config for d in mine)) as (api, env):
            for demo in mine:
                for service, fault in demo.faults:
                    api.inject(service, fault)
                body = "\n\n".join(run_step(exe, api, env, s) for s in demo.steps)
                out[demo.name] = f"{demo.intro()}\n\n```console\n{body}\n```"
    return out


MARKER = re.compile(r"(<!-- demo:([a-z0-9-]+) -->\n)(.*?)(<!-- /demo -->)", re.S)


def rewrite(readme: str, blocks: dict[str, str]) -> str:
    found = {m.group(2) for m in MARKER.finditer(readme)}
    missing = sorted(set(blocks) - found)
    if missing:
        raise SystemExit(f"README.md has no marker for: {', '.join(missing)}")
    unknown = sorted(found - set(blocks))
    if unknown:
        raise SystemExit(f"README.md has markers no demo fills: {', '.join(unknown)}")
    return MARKER.sub(lambda m: f"{m.group(1)}{blocks[m.group(2)]}\n{m.group(4)}", readme)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md in place")
    parser.add_argument("names", nargs="*", help="only these demos (printing only)")
    args = parser.parse_args(argv)
    demos = [d for d in DEMOS if not args.names or d.name in args.names]
    if args.write and args.names:
        parser.error("--write regenerates every demo; give no names")
    blocks = render(demos)
    if args.write:
        from readme_reference import rewrite as rewrite_reference
        from readme_reference import section

        text = rewrite(README.read_text(encoding="utf-8"), blocks)
        README.write_text(rewrite_reference(text, section()), encoding="utf-8")
        print(f"README.md: {len(blocks)} demos and the CLI reference rewritten")
    else:
        for name, block in blocks.items():
            print(f"<!-- demo:{name} -->\n{block}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
