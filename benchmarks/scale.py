"""A synthetic cache of N papers: generation, offline search timing, size per paper.

The papers are made to look like what litscout stores after many searches: arXiv-style ids,
an S2 id, a DOI for most, 1-12 authors, 800-1200 character abstracts written from a Zipf
vocabulary with topic words (so some queries are rare and some match a third of the cache),
categories, venues, citation counts with one snapshot each. The rows go in through the
store's own schema (migrations) in one transaction; the FTS index is filled by the
schema's triggers exactly as in normal use.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from litscout.models import Paper

from .common import WORK

if TYPE_CHECKING:
    from .report import Report

GENERATOR_VERSION = 1  # bump when the generated papers change, to rebuild cached databases

FUNCTION_WORDS = (
    "the of and a to in we is for that on with this by are our an as which be from it can "
    "these both such than its their has have not or into at also between while only more "
    "each when two over under how"
).split()

ACADEMIC = (
    "model models method methods approach approaches results show propose proposed present "
    "performance data dataset datasets training learning network networks neural deep task "
    "tasks problem problems framework based new novel state art experiments experimental "
    "demonstrate analysis algorithm algorithms function functions using used use paper work "
    "existing improve improves improved significant significantly accuracy evaluation "
    "benchmark benchmarks large small scale number theory theoretical structure structures "
    "system systems study studies information features feature representation representations "
    "prediction predictions optimization loss error bound bounds efficient efficiency robust "
    "robustness generalization sample samples distribution distributions linear nonlinear "
    "parameters parameter estimation estimate estimates time space high low order effect "
    "effects field fields energy quantum state states phase observed observations measurement "
    "measurements signal signals image images text language graph graphs node nodes edge "
    "edges classification regression inference probabilistic stochastic gradient descent "
    "convergence rate rates complexity computational simulation simulations physical dynamics "
    "control policy reinforcement agent agents reward environment transfer domain adaptation "
    "supervised unsupervised self-supervised contrastive pretraining fine-tuning attention "
    "transformer transformers convolutional recurrent generative adversarial diffusion "
    "variational latent embedding embeddings retrieval detection segmentation tracking "
    "matrix tensor sparse dense kernel random spectral galaxy galaxies stellar cosmological "
    "dark matter black hole gravitational wave waves spin lattice topological superconducting "
    "electron photon qubit qubits entanglement circuit circuits noise error-correction"
).split()

# Topic clusters: a paper draws extra words from one or two of them.
TOPICS = [
    "few-shot one-shot meta-learning prototypical matching episodes support query novel classes",
    "class imbalance long-tailed minority resampling reweighting rare oversampling skewed",
    "graph neural message passing node classification link prediction over-smoothing",
    "language model large pretrained prompting instruction tuning tokens reasoning",
    "diffusion denoising score-based sampling image generation guidance noise schedule",
    "reinforcement policy reward exploration offline q-learning actor critic",
    "quantum error correction surface code logical qubit fault-tolerant decoder threshold",
    "galaxy cluster redshift survey weak lensing dark energy cosmic shear photometric",
    "exoplanet transit radial velocity stellar host atmosphere habitable",
    "federated privacy differential clients communication heterogeneous aggregation",
    "speech recognition acoustic audio speaker end-to-end streaming",
    "protein structure folding molecular drug binding ligand docking",
    "causal inference treatment effect confounding counterfactual instrumental",
    "adversarial robustness attacks perturbation certified defense",
    "time series forecasting temporal anomaly seasonal horizon",
    "point cloud 3d lidar reconstruction depth mesh",
    "optimization convex nonconvex stochastic gradient convergence momentum adaptive",
    "bayesian posterior variational uncertainty calibration gaussian process",
    "superconductivity cuprate pairing magnetic phase transition lattice",
    "topological insulator edge states berry curvature hall",
]


def _pseudo_words(count: int, rng: random.Random) -> list[str]:
    """A long tail of word-like tokens (rare technical terms, names, acronyms)."""
    onsets = "b c d f g h k l m n p r s t v z br cr dr fl gr kl pl pr sk sp st tr".split()
    vowels = "a e i o u ai ea io ou y".split()
    codas = ["", "n", "r", "s", "l", "x", "m", "nd", "st", "rt", "ck", "ng"]
    words: set[str] = set()
    while len(words) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.choice((1, 2, 2, 2, 3)))
        )
        if len(word) > 3:
            words.add(word)
    return sorted(words)


@dataclass
class Vocabulary:
    common: list[str]
    weights: list[float]
    topics: list[list[str]]

    @classmethod
    def build(cls, seed: int = 7, tail: int = 30_000) -> Vocabulary:
        rng = random.Random(seed)
        words = list(dict.fromkeys(ACADEMIC + _pseudo_words(tail, rng)))
        # Zipf: the k-th word is drawn with weight 1/k (academic words first).
        cumulative: list[float] = []
        total = 0.0
        for rank in range(1, len(words) + 1):
            total += 1.0 / rank
            cumulative.append(total)
        return cls(words, cumulative, [t.split() for t in TOPICS])


class Generator:
    """Deterministic synthetic papers; `rows(n)` yields (paper row, snapshot row) pairs."""

    def __init__(self, seed: int = 1, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.vocab = Vocabulary.build()
        self.today = today or date.today()
        self.first_names = _pseudo_words(400, random.Random(seed + 1))
        self.last_names = _pseudo_words(3000, random.Random(seed + 2))

    def words(self, count: int, topics: list[list[str]]) -> list[str]:
        rng = self.rng
        common = rng.choices(self.vocab.common, cum_weights=self.vocab.weights, k=count)
        glue = rng.choices(FUNCTION_WORDS, k=count)
        out: list[str] = []
        for i in range(count):
            roll = rng.random()
            if roll < 0.38:
                out.append(glue[i])
            elif roll < 0.55 and topics:
                topic = topics[0] if len(topics) == 1 or roll < 0.49 else topics[1]
                out.append(rng.choice(topic))
            else:
                out.append(common[i])
        return out

    def abstract(self, topics: list[list[str]]) -> str:
        target = self.rng.randint(800, 1200)
        sentences: list[str] = []
        length = 0
        while length < target:
            words = self.words(self.rng.randint(12, 28), topics)
            sentence = " ".join(words).capitalize() + "."
            sentences.append(sentence)
            length += len(sentence) + 1
        text = " ".join(sentences)
        return text[:target].rsplit(" ", 1)[0] + "."

    def title(self, topics: list[list[str]]) -> str:
        rng = self.rng
        count = rng.randint(5, 12)
        picks = rng.choices(ACADEMIC, k=count)
        words = [rng.choice(rng.choice(topics)) if rng.random() < 0.4 else w for w in picks]
        for i in range(1, len(words) - 1):
            if rng.random() < 0.2:
                words[i] = rng.choice(("for", "of", "with", "via", "in", "and", "on"))
        return " ".join(w if w in FUNCTION_WORDS else w.capitalize() for w in words)

    def papers(self, count: int, block: int = 0) -> Iterator[Paper]:
        """`count` papers, newest-biased over ten years; arXiv ids unique within `block`."""
        rng = self.rng
        per_month: dict[str, int] = {}
        for _ in range(count):
            topic_ids = rng.sample(range(len(self.vocab.topics)), rng.choice((1, 1, 2)))
            topics = [self.vocab.topics[i] for i in topic_ids]
            age = int(rng.random() ** 1.5 * 3650)
            published = self.today - timedelta(days=age)
            month = f"{published:%y%m}"
            per_month[month] = per_month.get(month, 0) + 1
            if per_month[month] >= BLOCK_IDS:
                raise ValueError(f"more than {BLOCK_IDS} papers in {month} in one block")
            arxiv_id = f"{month}.{block * BLOCK_IDS + per_month[month]:05d}"
            authors = [
                f"{rng.choice(self.first_names).capitalize()} "
                f"{rng.choice(self.last_names).capitalize()}"
                for _ in range(min(12, 1 + int(rng.expovariate(0.3))))
            ]
            citations = int(rng.paretovariate(1.2)) - 1 + age // 400
            categories = list(rng.choice(CATEGORIES))
            yield Paper(
                title=self.title(topics),
                arxiv_id=arxiv_id,
                doi=f"10.48550/arXiv.{arxiv_id}" if rng.random() < 0.8 else None,
                s2_id=f"{rng.getrandbits(160):040x}",
                authors=authors,
                abstract=self.abstract(topics),
                published=published,
                year=published.year,
                primary_category=categories[0],
                categories=categories,
                venue=rng.choice(VENUES) or None,
                comment=rng.choice(COMMENTS),
                citations=citations,
                influential_citations=citations // 10,
                reference_count=rng.randint(10, 80),
                publication_types=["JournalArticle"] if rng.random() < 0.5 else [],
                url=f"https://arxiv.org/abs/{arxiv_id}",
                pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
                sources=["arxiv", "s2"],
            )


BLOCK_IDS = 2000  # arXiv numbers per month reserved for one block of generated papers
BLOCK_SIZE = 10_000  # papers per block (generated in worker processes)

CATEGORIES = [
    ["cs.LG", "stat.ML"], ["cs.CV"], ["cs.CL"], ["cs.LG"], ["quant-ph"], ["astro-ph.CO"],
    ["astro-ph.EP"], ["cond-mat.supr-con"], ["cs.AI", "cs.LG"], ["q-bio.BM", "cs.LG"],
]  # fmt: skip
VENUES = ["", "", "arXiv.org", "NeurIPS", "ICML", "ICLR", "CVPR", "Physical Review B",
          "The Astrophysical Journal", "Nature"]  # fmt: skip
COMMENTS = [None, None, "12 pages, 5 figures", "Accepted at a conference",
            "Code: https://github.com/example/project"]  # fmt: skip


def _block(args: tuple[int, int, int, float]) -> list[list[object]]:
    """Rows (in PAPER_COLUMNS order) for one block, made through the store's paper_to_row."""
    from litscout.store.papers import PAPER_COLUMNS, paper_to_row

    block, count, seed, now = args
    generator = Generator(seed * 1_000_003 + block)
    rows = [paper_to_row(p, now) for p in generator.papers(count, block)]
    return [[row[c] for c in PAPER_COLUMNS] for row in rows]


def build_cache(path: Path, count: int, seed: int = 1, workers: int | None = None) -> float:
    """Write `count` synthetic papers (and one citation snapshot each) into a new store.

    Rows are generated in worker processes and go through the store's own `paper_to_row`
    and schema (FTS triggers included) in one transaction. Returns the seconds it took.
    """
    import multiprocessing
    import os

    from litscout.store import papers as store_module

    start = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    now = time.time()
    columns = store_module.PAPER_COLUMNS
    at = {name: i for i, name in enumerate(columns)}
    insert_paper = (
        f"INSERT INTO papers ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    )
    insert_snapshot = (
        "INSERT INTO citation_snapshots (paper_id, taken_at, citations, influential) "
        "VALUES (?, ?, ?, ?)"
    )
    jobs = [
        (block, min(BLOCK_SIZE, count - block * BLOCK_SIZE), seed, now)
        for block in range((count + BLOCK_SIZE - 1) // BLOCK_SIZE)
    ]
    workers = workers or max(1, (os.cpu_count() or 2) - 1)
    with store_module.PaperStore(path) as store, multiprocessing.Pool(workers) as pool:
        conn = store.conn
        conn.execute("PRAGMA cache_size = -262144")  # 256 MB while loading
        with store.transaction(immediate=True):
            for rows in pool.imap(_block, jobs):
                conn.executemany(insert_paper, rows)
                conn.executemany(
                    insert_snapshot,
                    [
                        (
                            r[at["id"]],
                            now - 86_400 * (i % 30),
                            r[at["citations"]],
                            r[at["influential_citations"]],
                        )
                        for i, r in enumerate(rows)
                    ],
                )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _compact(path)
    return time.perf_counter() - start


def _compact(path: Path) -> None:
    """VACUUM so the size measured is the data, not free pages left by the load."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@dataclass(frozen=True)
class OfflineQuery:
    text: str
    since: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        extra = "".join(f" -c {c}" for c in self.categories)
        extra += f" --since {self.since}" if self.since else ""
        return f"“{self.text}”{extra}"

    def argv(self) -> list[str]:
        args = [self.text]
        for category in self.categories:
            args += ["-c", category]
        if self.since:
            args += ["--since", self.since]
        return args


# Offline questions against the synthetic cache, from rare to very common words; then a
# plain question (more than three words: any-word matching), and filters (which make
# SQLite read each candidate's row).
QUERIES = (
    OfflineQuery("prototypical episodes"),
    OfflineQuery("few-shot learning"),
    OfflineQuery("graph neural networks"),
    OfflineQuery("deep learning model"),
    OfflineQuery("how can I use transfer learning on a small dataset"),
    OfflineQuery("few-shot learning", since="2y", categories=("cs.CV",)),
    OfflineQuery("quantum error correction", since="6m", categories=("quant-ph",)),
)


@dataclass
class QueryTiming:
    query: OfflineQuery
    matches: int  # rows the FTS expression matches in the whole cache (before filters)
    rank: list[float]  # engine.rank_papers on a full candidate pool, seconds
    total: list[float]  # engine.run_search, offline, in-process: FTS, rows, ranking
    process: list[float]  # `litscout search --offline` as a subprocess


TERMS_QUESTION = "use knowledge from a large dataset for a small dataset"


@dataclass
class TermsTiming:
    question: str
    results: int  # papers in the question's cached answer
    total: list[float]  # find.terms.discover in-process, seconds
    process: list[float]  # `litscout terms QUESTION --offline` as a subprocess


@dataclass
class ScaleResult:
    papers: int
    build_seconds: float | None
    bytes_total: int
    tables: dict[str, int]
    queries: list[QueryTiming]
    terms: TermsTiming | None = None

    @property
    def bytes_per_paper(self) -> float:
        return self.bytes_total / self.papers


def cache_path(papers: int) -> Path:
    from litscout.store import migrations

    return (
        WORK / f"scale-{papers}-v{len(migrations.MIGRATIONS)}-g{GENERATOR_VERSION}" / "litscout.db"
    )


def ensure_cache(papers: int, rebuild: bool = False) -> tuple[Path, float | None]:
    """The synthetic cache for `papers`, built once and kept under benchmarks/.work/."""
    path = cache_path(papers)
    done = path.with_name("complete")
    if rebuild or not done.exists():
        seconds = build_cache(path, papers)
        done.write_text(f"{seconds:.1f}\n")
        return path, seconds
    return path, float(done.read_text().strip() or 0) or None


def table_sizes(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        rows = []
    finally:
        conn.close()
    return {name: int(size) for name, size in sorted(rows, key=lambda r: -r[1])}


def measure(path: Path, papers: int, runs: int = 7, process_runs: int = 5) -> list[QueryTiming]:
    from litscout.context import Context
    from litscout.find.engine import rank_papers, run_search
    from litscout.query import Query
    from litscout.store.papers import PaperStore

    from .common import check, clean_env, litscout_argv, run

    timings: list[QueryTiming] = []
    with PaperStore(path) as store:
        ctx = Context(store=store, offline=True)
        pool = max(20, ctx.settings.search.arxiv_results)
        for offline in QUERIES:
            query = Query.build(offline.text, since=offline.since, categories=offline.categories)
            matches = store.conn.execute(
                "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", (query.fts_match(),)
            ).fetchone()[0]
            timing = QueryTiming(offline, int(matches), [], [], [])
            candidates = [p for p, _ in store.search_text(query.fts_match(), limit=pool)]
            for _ in range(runs):
                start = time.perf_counter()
                run_search(ctx, query, limit=20)
                timing.total.append(time.perf_counter() - start)
                start = time.perf_counter()
                rank_papers(ctx, candidates, query.terms())
                timing.rank.append(time.perf_counter() - start)
            timings.append(timing)
    env = clean_env(path.parent)
    for timing in timings:
        argv = litscout_argv("search", *timing.query.argv(), "--offline", "-n", "20")
        for _ in range(process_runs):
            done = check(run([*argv, "--format", "json"], env), "offline search")
            timing.process.append(done.seconds)
    return timings


def measure_terms(path: Path, runs: int = 5, process_runs: int = 5) -> TermsTiming:
    """`terms` with the question cached: its answer (100 papers of the cache, the question's
    best FTS matches standing in for Semantic Scholar's) saved as `terms` saves it."""
    from litscout.context import Context
    from litscout.find.terms import discover
    from litscout.query import Query
    from litscout.store.follows import FollowStore
    from litscout.store.papers import PaperStore

    from .common import check, clean_env, litscout_argv, run

    question = TERMS_QUESTION
    with PaperStore(path) as store:
        follow = FollowStore(store)
        key = "terms|" + question.lower()
        cached = follow.fetch(key)
        if cached is None:
            match = Query.build(question).fts_match()
            ids = [p.id for p, _ in store.search_text(match, limit=100)]
            follow.save(key, time.time(), {"question": question}, ids)
            cached = follow.fetch(key)
        assert cached is not None
        timing = TermsTiming(question, len(cached.ids), [], [])
        ctx = Context(store=store, offline=True)
        for _ in range(runs):
            start = time.perf_counter()
            discover(ctx, question)
            timing.total.append(time.perf_counter() - start)
    env = clean_env(path.parent)
    argv = litscout_argv("terms", question, "--offline", "--format", "json")
    for _ in range(process_runs):
        timing.process.append(check(run(argv, env), "terms --offline").seconds)
    return timing


def scale(
    papers: int,
    rebuild: bool = False,
    runs: int = 7,
    process_runs: int = 5,
    path: Path | None = None,
) -> ScaleResult:
    """Build (or reuse) the cache at `path` (default: under benchmarks/.work/) and measure."""
    if path is None:
        path, built = ensure_cache(papers, rebuild)
    else:
        built = build_cache(path, papers)
    size = sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )
    queries = measure(path, papers, runs=runs, process_runs=process_runs)
    terms = measure_terms(path, process_runs=process_runs)
    return ScaleResult(papers, built, size, table_sizes(path), queries, terms)


def report_scale(out: Report, result: ScaleResult) -> None:
    from statistics import median

    for q in result.queries:
        total = median(q.total)
        whole = (
            f"; whole process {min(q.process) * 1000:.0f} / {median(q.process) * 1000:.0f} / "
            f"{max(q.process) * 1000:.0f} ms"
            if q.process
            else ""
        )
        rank = median(q.rank)
        out.add(
            "4",
            f"Offline search, {result.papers:,} papers: {q.query.label} "
            f"({q.matches:,} FTS matches)",
            f"{total * 1000:.0f} ms in-process (ranking {rank * 1000:.0f} ms of it){whole}",
            "",
            "",
            "≤ 100 ms per search, whole process (median)",
            median(q.process) <= 0.100 if q.process else total <= 0.100,
        )
    if result.terms is not None:
        t = result.terms
        whole = (
            f"; whole process {min(t.process):.2f} / {median(t.process):.2f} / "
            f"{max(t.process):.2f} s"
            if t.process
            else ""
        )
        out.add(
            "4",
            f"`terms` with the question cached, {result.papers:,} papers: “{t.question}” "
            f"({t.results} papers in its answer)",
            f"{median(t.total):.2f} s in-process{whole}",
            "2.2 s at 1M, 0.86 s at 100k (issue 14, before)",
            "",
            "≤ 0.3 s, whole process (median)",
            median(t.process) <= 0.3 if t.process else median(t.total) <= 0.3,
        )
    per_paper = result.bytes_per_paper
    out.add(
        "4",
        f"Database size, {result.papers:,} papers",
        f"{result.bytes_total / 1e6:,.0f} MB = {per_paper:,.0f} B per paper",
        "",
        "",
        "≤ 2.5 KB per paper",
        per_paper <= 2500,
    )
    if result.tables:
        parts = ", ".join(
            f"{name} {size / result.papers:.0f}"
            for name, size in result.tables.items()
            if size / result.papers >= 1
        )
        out.details.append(f"- Bytes per paper by table/index (dbstat): {parts}.")
    if result.build_seconds:
        out.details.append(
            f"- Generating and loading the {result.papers:,}-paper cache took "
            f"{result.build_seconds:.0f} s (kept in benchmarks/.work/ for later runs)."
        )
    out.notes.append(
        "Synthetic cache (benchmarks/scale.py): papers written through the store's own "
        "`paper_to_row` and schema (FTS triggers included) with 800–1200 character abstracts "
        "from a Zipf vocabulary plus topic words, 1–12 authors, ids, categories, venues, and one "
        "citation snapshot each; VACUUMed before measuring. In-process times are medians of "
        "`engine.run_search(..., offline)` with the database already open; whole-process "
        "times are `litscout search QUERY --offline -n 20 --format json`."
    )
    out.notes.append(
        "Offline search goal (issue 14): judged on the whole `litscout search --offline` "
        "process, which also pays start-up (interpreter, typer, imports; see the start-up "
        "rows) and SQLite's empty page cache; the in-process figure is the search itself "
        "(FTS, rows, ranking)."
    )
    out.notes.append(
        "`terms` at scale: the question's answer (the cache's 100 best FTS matches standing in "
        "for Semantic Scholar's) is stored as `terms` stores it, then `find.terms.discover` "
        "in-process and `litscout terms QUESTION --offline --format json` as a process. Each "
        "candidate phrase is counted in FTS5 over 4 evenly spread rowid slices holding 20,000 "
        "papers and scaled up when they hold 40 uses or more, else over ever larger samples up to "
        "the whole index (rare phrases exactly); the question's own papers are subtracted "
        "through a throw-away FTS index of just them (store/phrase_counts.py). Start-up, "
        "interpreter and imports, is about 60 ms of the whole process (see the start-up rows)."
    )
