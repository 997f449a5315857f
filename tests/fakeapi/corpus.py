"""The fake services' corpus: hand-written papers dated relative to "now".

Every paper carries ``days_ago`` instead of a date, so that ages (and therefore citation velocity,
recency, "announced today" and so on) stay valid whenever the tests run. ``published`` is
``corpus.now - days_ago days`` minus a small deterministic jitter (under half an hour).

Identifiers are deterministic: ``paper_id`` is the sha1 of the paper's ``key``, ``corpus_id`` is
derived from the same hash, classic papers carry fixed arXiv ids (``1606.04080`` ...), and papers
younger than about a year get an arXiv id whose ``YYMM`` matches their publication month
(``arxiv_id=AUTO``), like a real new submission. Look papers up by key
(``corpus.by_key("fsl-2day")``) rather than hard-coding those auto ids.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

AUTO = "auto"
"""Sentinel for ``FakePaper.arxiv_id``: assign a new-style id from the publication month."""

ARXIV_DOI_PREFIX = "10.48550/arXiv."

# Well-known ids other tests can rely on.
MATCHING_NETWORKS = "1606.04080"
PROTOTYPICAL_NETWORKS = "1703.05175"
MAML = "1703.03400"


class Citation(NamedTuple):
    """One citing paper: its S2 paperId, how many days ago it was published, influential flag."""

    paper_id: str
    days_ago: float
    is_influential: bool = False


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _hash_int(text: str) -> int:
    return int(sha1_hex(text)[:12], 16)


LICENSES = (
    "http://creativecommons.org/licenses/by/4.0/",
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
    "http://creativecommons.org/licenses/by-sa/4.0/",
    "http://creativecommons.org/licenses/by-nc-nd/4.0/",
)


@dataclass
class FakePaper:
    """One paper as the fake services know it.

    ``abstract`` is always text for arXiv papers; ``s2_abstract=False`` makes Semantic Scholar
    answer ``"abstract": null`` for it (as it does for about a third of real papers), and
    ``s2_date=False`` makes ``publicationDate`` null. ``citations`` drives citationCount,
    influentialCitationCount, the ``/citations`` endpoint and OpenAlex ``counts_by_year``.
    ``references`` lists paperIds of corpus papers this one cites (used by ``/references``).
    ``venue`` None means "arXiv.org" for an arXiv paper; ``""`` means no venue at all (S2 then
    answers ``"venue": ""`` and ``"publicationVenue": null``).
    """

    key: str
    title: str
    abstract: str | None
    authors: list[str]
    days_ago: float
    categories: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    version: int = 1
    updated_days_ago: float | None = None
    doi: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    venue: str | None = None
    publication_types: list[str] | None = None
    reference_count: int = 35
    influential_citation_count: int | None = None
    tldr: str | None = None
    citations: list[Citation] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    s2_abstract: bool = True
    s2_date: bool = True
    is_open_access: bool = True
    license: str = ""
    fields_of_study: list[str] | None = None
    paper_id: str = ""
    corpus_id: int = 0

    # -- derived values -------------------------------------------------------------------
    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def citation_count(self) -> int:
        return len(self.citations)

    @property
    def influential_count(self) -> int:
        if self.influential_citation_count is not None:
            return self.influential_citation_count
        return sum(1 for c in self.citations if c.is_influential)

    @property
    def jitter(self) -> timedelta:
        return timedelta(seconds=_hash_int("jitter:" + self.key) % 1800)

    def published(self, now: datetime) -> datetime:
        return (now - timedelta(days=self.days_ago) - self.jitter).replace(microsecond=0)

    def updated(self, now: datetime) -> datetime:
        if self.version <= 1:
            return self.published(now)
        days = self.updated_days_ago
        if days is None:
            days = self.days_ago / 2
        upd = (now - timedelta(days=days) - self.jitter / 2).replace(microsecond=0)
        return max(upd, self.published(now))

    @property
    def s2_venue(self) -> str:
        """S2's ``venue``: the given one, else "arXiv.org" for arXiv papers (``""``: none)."""
        if self.venue is not None:
            return self.venue
        return "arXiv.org" if self.arxiv_id else ""

    @property
    def arxiv_doi(self) -> str | None:
        return f"{ARXIV_DOI_PREFIX}{self.arxiv_id}" if self.arxiv_id else None

    @property
    def s2_doi(self) -> str | None:
        """The DOI Semantic Scholar lists: the journal DOI, else arXiv's DataCite DOI."""
        return self.doi or self.arxiv_doi

    @property
    def fos(self) -> list[str]:
        if self.fields_of_study is not None:
            return self.fields_of_study
        out: list[str] = []
        for cat in self.categories:
            arch = cat.split(".")[0]
            name = {
                "cs": "Computer Science",
                "stat": "Mathematics",
                "math": "Mathematics",
                "quant-ph": "Physics",
                "astro-ph": "Physics",
                "physics": "Physics",
                "cond-mat": "Physics",
                "q-bio": "Biology",
                "eess": "Engineering",
            }.get(arch)
            if name and name not in out:
                out.append(name)
        return out or ["Computer Science"]


class Corpus(list[FakePaper]):
    """A mutable list of ``FakePaper`` with look-up helpers. ``now`` anchors all dates."""

    def __init__(self, papers: Iterable[FakePaper] = (), now: datetime | None = None) -> None:
        super().__init__()
        self.now: datetime = (now or datetime.now(UTC)).replace(microsecond=0)
        for p in papers:
            self.add(p)

    # -- building ----------------------------------------------------------------------------
    def add(self, paper: FakePaper) -> FakePaper:
        """Append a paper, filling in paper_id, corpus_id, license and an AUTO arXiv id."""
        if not paper.key:
            paper.key = re.sub(r"[^a-z0-9]+", "-", paper.title.lower()).strip("-")[:60]
        if not paper.paper_id:
            paper.paper_id = sha1_hex("litscout-fakeapi:" + paper.key)
        if not paper.corpus_id:
            paper.corpus_id = 200_000_000 + _hash_int("corpus:" + paper.key) % 90_000_000
        if not paper.license:
            paper.license = LICENSES[_hash_int("lic:" + paper.key) % len(LICENSES)]
        if paper.arxiv_id == AUTO:
            paper.arxiv_id = self._auto_arxiv_id(paper)
        self.append(paper)
        return paper

    def _auto_arxiv_id(self, paper: FakePaper) -> str:
        yymm = paper.published(self.now).strftime("%y%m")
        taken = {p.arxiv_id for p in self}
        n = 1000 + _hash_int("arxiv:" + paper.key) % 24000
        while f"{yymm}.{n:05d}" in taken:
            n += 1
        return f"{yymm}.{n:05d}"

    def copy(self) -> Corpus:
        out = Corpus(now=self.now)
        for p in self:
            out.append(replace(p, citations=list(p.citations), references=list(p.references)))
        return out

    # -- look-ups ------------------------------------------------------------------------------
    def by_key(self, key: str) -> FakePaper:
        for p in self:
            if p.key == key:
                return p
        raise KeyError(key)

    def by_arxiv(self, arxiv_id: str) -> FakePaper | None:
        bare = strip_version(arxiv_id)
        for p in self:
            if p.arxiv_id and p.arxiv_id.lower() == bare.lower():
                return p
        return None

    def by_paper_id(self, paper_id: str) -> FakePaper | None:
        pid = paper_id.lower()
        for p in self:
            if p.paper_id == pid:
                return p
        return None

    def by_corpus_id(self, corpus_id: int) -> FakePaper | None:
        for p in self:
            if p.corpus_id == corpus_id:
                return p
        return None

    def by_doi(self, doi: str) -> FakePaper | None:
        d = doi.lower().removeprefix("https://doi.org/").removeprefix("http://doi.org/")
        if d.startswith(ARXIV_DOI_PREFIX.lower()):
            return self.by_arxiv(d[len(ARXIV_DOI_PREFIX) :])
        for p in self:
            if p.doi and p.doi.lower() == d:
                return p
        return None

    def by_title(self, title: str) -> FakePaper | None:
        t = title.lower().strip()
        for p in self:
            if p.title.lower() == t:
                return p
        return None

    def arxiv_papers(self) -> list[FakePaper]:
        return [p for p in self if p.arxiv_id]

    def citer_index(self) -> dict[str, float]:
        """paperId -> days_ago of every citing paper that is not itself in the corpus."""
        own = {p.paper_id for p in self}
        out: dict[str, float] = {}
        for p in self:
            for c in p.citations:
                if c.paper_id not in own:
                    out.setdefault(c.paper_id, c.days_ago)
        return out

    def published(self, paper: FakePaper) -> datetime:
        return paper.published(self.now)


def strip_version(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id.strip())


# -- citation generator ---------------------------------------------------------------------------


def generate_citations(
    seed: str,
    total: int,
    paper_days_ago: float,
    *,
    recent: int | None = None,
    window: float = 365.0,
    influential_rate: float = 0.06,
) -> list[Citation]:
    """Deterministic synthetic citers.

    ``recent`` of them fall in the last ``window`` days (default: spread evenly over the paper's
    life); the rest are older, half peaking a few years after publication like a real classic
    and half spread evenly (so there is no gap just before the recent window). Citers are never
    older than the cited paper. The returned order is shuffled (S2 promises no order).
    """
    if total <= 0:
        return []
    rng = random.Random(sha1_hex("citations:" + seed))
    age = max(float(paper_days_ago), 0.0)
    ages: list[float] = []
    if recent is None:
        ages = [rng.uniform(0.0, age) for _ in range(total)]
    else:
        recent = min(recent, total)
        span = min(window, age)
        ages = [rng.uniform(0.0, span) for _ in range(recent)]
        old = total - recent
        if old and age <= window:
            raise ValueError(f"{seed}: all citers must be recent for a paper {age} days old")
        if old:
            mode = min(age, max(window, age - 1100.0))
            ages += [
                rng.triangular(window, age, mode)
                if rng.random() < 0.5
                else rng.uniform(window, age)
                for _ in range(old)
            ]
    rng.shuffle(ages)
    out = []
    for i, a in enumerate(ages):
        pid = sha1_hex(f"citer:{seed}:{i}")
        out.append(Citation(pid, round(a, 2), rng.random() < influential_rate))
    return out


# -- the hand-written papers --------------------------------------------------------------------


@dataclass
class _Spec:
    paper: FakePaper
    cites: int = 0
    recent: int | None = None
    refs: Sequence[str] = ()


def _p(
    key: str,
    title: str,
    authors: Sequence[str],
    days: float,
    cats: Sequence[str],
    abstract: str | None,
    *,
    arxiv: str | None = AUTO,
    cites: int = 0,
    recent: int | None = None,
    refs: Sequence[str] = (),
    **kw: object,
) -> _Spec:
    paper = FakePaper(
        key=key,
        title=title,
        abstract=abstract,
        authors=list(authors),
        days_ago=days,
        categories=list(cats),
        arxiv_id=arxiv,
        **kw,  # type: ignore[arg-type]
    )
    return _Spec(paper, cites, recent, refs)


NEURIPS = "Neural Information Processing Systems"
ICML = "International Conference on Machine Learning"
ICLR = "International Conference on Learning Representations"
CVPR = "Computer Vision and Pattern Recognition"
CONF = ["JournalArticle", "Conference"]
REVIEW = ["Review"]

_SPECS: list[_Spec] = [
    # ================= few-shot learning / meta-learning / transfer learning ==================
    _p(
        "matching-networks",
        "Matching Networks for One Shot Learning",
        ["Oren Valinsky", "Celia Brandt", "Timo Lindqvist", "Kiran Kavuri", "Daan Wiersma"],
        3000,
        ["cs.LG", "stat.ML"],
        "Learning from a handful of examples remains difficult for deep networks, which normally "
        "need a large dataset and many gradient updates before they generalise. We propose "
        "matching networks, a model that maps a small labelled support set and an unlabelled "
        "query example to a label without any fine-tuning, by attending over embeddings of the "
        "support set. Training is episodic: every episode samples a few classes and a few "
        "examples per class from a large dataset, so that training conditions match those of "
        "one-shot testing. Transferring knowledge from many classes to new ones in this way "
        "lifts one-shot accuracy on image and language benchmarks well above fine-tuning "
        "baselines, and we introduce a new one-shot benchmark built from a subset of ImageNet.",
        arxiv=MATCHING_NETWORKS,
        version=2,
        updated_days_ago=2950,
        venue=NEURIPS,
        publication_types=CONF,
        reference_count=29,
        cites=2500,
        recent=300,
        comment="NIPS 2016 camera-ready",
    ),
    _p(
        "prototypical-networks",
        "Prototypical Networks for Few-shot Learning",
        ["Jonas Ekberg", "Kavya Swaminathan", "Richard Zoller"],
        2850,
        ["cs.LG", "stat.ML"],
        "We study few-shot classification, where a classifier must accommodate classes not seen "
        "during training given only a few labelled examples of each. Prototypical networks learn "
        "a metric space in which every class is represented by the mean embedding of its support "
        "set, and a query is classified by its distance to these prototypes. The approach uses "
        "the same episodic training as earlier meta-learning work but has a simpler inductive "
        "bias, which helps in the limited-data regime. We analyse the choice of distance and "
        "show that squared Euclidean distance works markedly better than cosine similarity; the "
        "model also extends to zero-shot learning.",
        arxiv=PROTOTYPICAL_NETWORKS,
        version=2,
        updated_days_ago=2700,
        venue=NEURIPS,
        publication_types=CONF,
        reference_count=32,
        cites=1900,
        recent=220,
        refs=["matching-networks"],
        comment="Code: https://github.com/protonets-lab/prototypical-networks",
    ),
    _p(
        "maml",
        "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks",
        ["Clara Fenwick", "Pieter Abeling", "Samuel Lavigne"],
        2860,
        ["cs.LG", "cs.AI", "cs.NE"],
        "We describe a meta-learning algorithm that is compatible with any model trained by "
        "gradient descent and applicable to classification, regression and reinforcement "
        "learning. The goal of meta-learning is to train a model on a variety of tasks so that "
        "it can solve new tasks from only a small number of training samples. Our method "
        "explicitly trains the initial parameters so that a few gradient steps on a small "
        "dataset from a new task give good generalisation on that task, transferring knowledge "
        "across tasks without adding parameters. It reaches state-of-the-art results on "
        "few-shot image classification and speeds up fine-tuning of policy-gradient agents.",
        arxiv=MAML,
        version=3,
        updated_days_ago=2780,
        venue=ICML,
        publication_types=CONF,
        reference_count=48,
        cites=2300,
        recent=280,
        refs=["matching-networks"],
        comment="ICML 2017. Code: https://github.com/cfenwick/maml",
    ),
    _p(
        "relation-networks",
        "Learning to Compare: Relation Networks for Few-Shot Learning",
        ["Yuxin Shao", "Feng Liang", "Tomasz Wrona", "Ingrid Halvorsen", "Mei Ling Ong"],
        2700,
        ["cs.CV"],
        "We present a conceptually simple framework for few-shot learning in which a network "
        "learns to compare query images against the few labelled images of each new class. "
        "During episodic meta-learning a deep distance metric is learned end to end instead of "
        "being fixed in advance as in earlier metric-based approaches. Once trained, the "
        "relation network classifies images of unseen classes by computing relation scores "
        "between query and support set embeddings, with no further updates. The same "
        "architecture extends to zero-shot learning and performs well on five benchmarks.",
        arxiv="1711.06025",
        venue=CVPR,
        publication_types=CONF,
        reference_count=51,
        cites=1300,
        recent=120,
        refs=["matching-networks", "prototypical-networks", "maml"],
        s2_abstract=False,
    ),
    _p(
        "feature-transferability",
        "On the Transferability of Features in Deep Convolutional Networks",
        ["Jakob Ystad", "Jenna Clune", "Yoshua Benard", "Hollis Lipkin"],
        4380,
        ["cs.LG", "cs.NE"],
        "Deep networks trained on natural images learn first-layer features that resemble Gabor "
        "filters whatever the dataset or objective, while their last layers are specific to the "
        "task. We quantify how transferable the features of each layer are by training on one "
        "half of a large dataset and transferring to the other half. Transferability suffers "
        "from the specialisation of higher layers and from optimisation difficulties when "
        "co-adapted layers are split. Initialising with transferred features, even from a "
        "distant task, improves generalisation after fine-tuning, which explains why transfer "
        "learning helps when the target dataset is small.",
        arxiv="1411.2038",
        venue=NEURIPS,
        publication_types=CONF,
        reference_count=27,
        cites=1600,
        recent=90,
        s2_abstract=False,
    ),
    _p(
        "adversarial-domain-adaptation",
        "Adversarial Feature Alignment for Unsupervised Domain Adaptation",
        ["Yaroslav Galkin", "Evgenia Ustinova", "Hana Ajakan", "Pascal Germaine"],
        4440,
        ["stat.ML", "cs.LG"],
        "Top-performing models are usually trained on a large labelled source dataset, yet they "
        "are deployed on target data whose distribution differs. We propose an approach to "
        "domain adaptation that learns features which are discriminative for the main task on "
        "the source domain and indistinguishable between source and target domains. This is "
        "achieved with a gradient reversal layer between the feature extractor and a domain "
        "classifier, so that ordinary backpropagation trains both adversarially. The method "
        "needs no target labels, adds negligible cost and improves transfer on digit, office "
        "and sentiment benchmarks.",
        arxiv="1409.6211",
        version=2,
        updated_days_ago=3900,
        doi="10.5555/jmlr.2016.17.59",
        journal_ref="Journal of Machine Learning Research 17(59):1-35, 2016",
        venue="Journal of machine learning research",
        reference_count=64,
        cites=1400,
        recent=100,
    ),
    _p(
        "survey-few-shot",
        "A Survey on Few-Shot Learning: Methods, Benchmarks and Open Problems",
        ["Wen Qiao", "Anjali Raman", "Marco Bellini", "Sun-Hee Park"],
        1500,
        ["cs.LG", "cs.AI"],
        "Few-shot learning aims to recognise new concepts from a handful of labelled examples by "
        "transferring knowledge acquired on large related datasets. This survey organises more "
        "than two hundred methods into data augmentation, metric-based, optimisation-based "
        "meta-learning and transfer learning with pretrained backbones, and explains the "
        "assumptions behind each family. We review the standard benchmarks, the role of "
        "episodic training and support set construction, and common evaluation pitfalls. We "
        "close with open problems including cross-domain few-shot learning, few-shot learning "
        "with foundation models and reliable uncertainty estimates.",
        arxiv="2210.04431",
        doi="10.5555/acmcsur.2023.3582688",
        journal_ref="ACM Computing Surveys 55(13), 2023",
        venue="ACM Computing Surveys",
        publication_types=REVIEW,
        reference_count=212,
        cites=650,
        recent=160,
        refs=["matching-networks", "prototypical-networks", "maml", "relation-networks"],
    ),
    _p(
        "survey-meta-learning",
        "Meta-Learning in Neural Networks: A Survey",
        ["Theo Hazelwood", "Antonia Mikulova", "Pavel Micaelli", "Amos Storkey-Hart"],
        2430,
        ["cs.LG", "stat.ML"],
        "Meta-learning, or learning to learn, has seen a dramatic rise in interest. Unlike "
        "conventional approaches that solve each task from scratch with a fixed learning "
        "algorithm, meta-learning improves the learning algorithm itself given the experience "
        "of many learning episodes. We propose a taxonomy of methods by meta-representation, "
        "meta-optimiser and meta-objective, and contrast the field with transfer learning, "
        "domain adaptation, multi-task learning and hyperparameter optimisation. We survey "
        "applications including few-shot learning, reinforcement learning and architecture "
        "search, and discuss open challenges.",
        arxiv="2004.06311",
        version=2,
        updated_days_ago=2200,
        doi="10.5555/tpami.2021.3079209",
        journal_ref="IEEE Transactions on Pattern Analysis and Machine Intelligence, 2021",
        venue="IEEE Transactions on Pattern Analysis and Machine Intelligence",
        publication_types=REVIEW,
        reference_count=241,
        cites=1000,
        recent=140,
        refs=["matching-networks", "prototypical-networks", "maml", "relation-networks"],
    ),
    _p(
        "survey-low-resource-transfer",
        "Transfer Learning for Low-Resource Domains: A Survey",
        ["Nadia Oyelaran", "Henrik Sjöberg", "Lucía Fernández"],
        400,
        ["cs.LG", "cs.CL"],
        "When only a small dataset is available for the target task, the dominant strategy is "
        "to reuse knowledge from a large source dataset or a pretrained model. This survey "
        "covers fine-tuning strategies, parameter-efficient adaptation, domain adaptation under "
        "distribution shift, and meta-learning for low-resource settings across vision, "
        "language and scientific data. We compile practical guidance on choosing a source "
        "model, detecting negative transfer and budgeting annotation effort, and catalogue "
        "more than forty low-resource benchmarks.",
        arxiv="2510.18842",
        publication_types=REVIEW,
        reference_count=188,
        cites=35,
        refs=["feature-transferability", "adversarial-domain-adaptation", "survey-few-shot"],
    ),
    _p(
        "revisiting-baselines",
        "Revisiting Baselines for Few-Shot Image Classification",
        ["Wei-Chen Hsu", "Yi-Ting Liao", "Zsolt Kira-Nagy", "Yu Chiang Wang"],
        2590,
        ["cs.CV", "cs.LG"],
        "Recent few-shot learning methods report steady gains, but their comparisons often use "
        "different backbones and training schedules. We re-implement representative "
        "metric-based and meta-learning methods under one protocol and find that a simple "
        "baseline, pretraining on the base classes and fitting a linear classifier on the "
        "support set, is competitive. The gap between methods shrinks further with deeper "
        "backbones, and all methods degrade under domain shift between base and novel classes.",
        arxiv="1904.05118",
        venue=ICLR,
        publication_types=CONF,
        reference_count=44,
        cites=750,
        recent=70,
        refs=["matching-networks", "prototypical-networks", "maml", "relation-networks"],
        comment="ICLR 2019. Code: https://github.com/fewshot-bench/revisit-baselines",
    ),
    _p(
        "vit-few-labels",
        "Fine-Tuning Pretrained Vision Transformers with Few Labelled Examples",
        ["Aisha Bello", "Mathis Laurent", "Keiko Tanabe"],
        600,
        ["cs.CV", "cs.LG"],
        "Vision transformers pretrained on a large dataset transfer well when the downstream "
        "dataset is also large, but their behaviour in the few-shot regime is less understood. "
        "We study full fine-tuning, linear probing and parameter-efficient variants when only "
        "one to twenty labelled examples per class are available. Careful regularisation of "
        "the attention layers and a short warm-up let full fine-tuning match episodic "
        "meta-learning methods on five few-shot benchmarks. Transfer learning from large-scale "
        "pretraining is therefore a strong default for small datasets.",
        arxiv="2404.11873",
        reference_count=58,
        cites=90,
        recent=50,
        refs=["revisiting-baselines", "prototypical-networks"],
        comment="Code: https://github.com/vitfew/vit-few-labels",
    ),
    _p(
        "episodic-rethink",
        "Is Episodic Training Necessary? Rethinking Meta-Learning for Few-Shot Classification",
        ["Ruben Castillo", "Emma Lindgren", "Tariq Haddad"],
        900,
        ["cs.LG", "stat.ML"],
        "Episodic training, in which every mini-batch mimics a few-shot task with a support set "
        "and a query set, is the standard recipe for meta-learning. We show that its benefits "
        "largely vanish when a strong feature extractor is first trained with ordinary "
        "supervised learning on all base classes. Controlled experiments separate the effect "
        "of episodic sampling from that of the nearest-prototype classifier, and the latter "
        "accounts for most of the gains. A simpler non-episodic objective matches episodic "
        "methods on standard benchmarks while training faster.",
        arxiv="2406.02217",
        venue=ICLR,
        publication_types=CONF,
        reference_count=41,
        cites=120,
        recent=40,
        refs=["prototypical-networks", "maml", "revisiting-baselines"],
    ),
    _p(
        "task-adaptive-support",
        "Task-Adaptive Support Set Selection for Few-Shot Learning",
        ["Priya Natarajan", "Felix Obermayer", "Chiara Rossetti"],
        180,
        ["cs.LG", "cs.CV"],
        "The quality of the support set strongly affects few-shot learning, yet most methods "
        "treat the handful of labelled examples as fixed. We propose a task-adaptive procedure "
        "that, given a pool of candidate examples, chooses the support set maximising the "
        "expected accuracy of a prototype classifier on the query distribution. The selector is "
        "trained by meta-learning over episodes drawn from a large dataset and transfers to new "
        "domains without retraining. Across four benchmarks the selected support sets improve "
        "one-shot accuracy by up to seven points over random selection.",
        reference_count=46,
        cites=40,
        refs=["prototypical-networks", "matching-networks", "episodic-rethink"],
        comment="Code: https://github.com/tass-fsl/support-selection",
    ),
    _p(
        "cross-domain-style",
        "Cross-Domain Few-Shot Learning with Style-Augmented Prototypes",
        ["Hyun-woo Kang", "Sofia Marchetti", "Arjun Mehta"],
        60,
        ["cs.CV"],
        "Few-shot learners trained on natural images often fail when the novel classes come "
        "from a different domain such as medical or satellite imagery. We augment prototypes "
        "with feature-level style statistics sampled from the base domain, so that the "
        "classifier becomes robust to shifts in texture and colour while keeping class content. "
        "The method needs no target-domain data during meta-training and adds no parameters, "
        "and it improves five-shot accuracy on every target domain of the cross-domain few-shot "
        "learning benchmark.",
        reference_count=52,
        cites=5,
        refs=["prototypical-networks", "adversarial-domain-adaptation"],
    ),
    _p(
        "icl-implicit-meta",
        "In-Context Learning as Implicit Meta-Learning in Large Language Models",
        ["Maya Goldfarb", "Lars Eriksen", "Oluwaseun Adeyemi", "Xinyi Zhou"],
        120,
        ["cs.CL", "cs.LG"],
        "Large language models can perform new tasks from a few demonstrations in the prompt, a "
        "behaviour known as in-context learning. We argue that pretraining on a large and "
        "diverse corpus acts as implicit meta-learning and test this view with controlled "
        "pretraining runs on synthetic task distributions. Models exposed to more diverse tasks "
        "adapt faster from fewer examples, mirroring classic few-shot learning results with "
        "episodic training, and in-context learning degrades under domain shift in the same way "
        "as metric-based few-shot learners.",
        reference_count=67,
        cites=25,
        refs=["maml", "survey-meta-learning"],
        comment="Models: https://huggingface.co/icl-meta/synthetic-task-lms",
    ),
    _p(
        "peft-medical",
        "Parameter-Efficient Transfer Learning for Small Medical Imaging Datasets",
        ["Hannah Kowalczyk", "Rafael Duarte", "Ngozi Eze", "Björn Åkesson"],
        30,
        ["cs.CV", "eess.IV", "cs.LG"],
        "Medical imaging tasks often come with only a few hundred labelled scans, far too few to "
        "train a deep network from scratch. We compare parameter-efficient transfer learning "
        "methods, including adapters, low-rank updates and prompt tuning, for transferring "
        "knowledge from large natural-image and radiology datasets to small clinical datasets. "
        "Low-rank updates to a pretrained backbone consistently beat full fine-tuning when fewer "
        "than five hundred labelled images are available and reduce overfitting.",
        reference_count=61,
        cites=3,
        refs=["feature-transferability", "vit-few-labels"],
        comment="Code: https://github.com/medpeft/small-medical-transfer; "
        "weights: https://huggingface.co/medpeft",
    ),
    _p(
        "meta-molecules",
        "Meta-Learning Initialisations for Low-Data Molecular Property Prediction",
        ["Ishaan Kapoor", "Greta Vogel", "Daniel Okafor"],
        90,
        ["cs.LG", "q-bio.BM"],
        "Drug discovery projects often have only tens of measured compounds for a new assay. We "
        "treat each assay as a task and meta-learn an initialisation of a graph neural network "
        "over thousands of assays from a large public database, so that a few gradient steps on "
        "a small dataset suffice for a new assay. The meta-learned initialisation outperforms "
        "pretraining followed by fine-tuning and multi-task baselines when fewer than fifty "
        "molecules are labelled, and transfer is strongest between related target families.",
        reference_count=55,
        cites=6,
        refs=["maml", "gcn"],
    ),
    _p(
        "fsl-2day",
        "Few-Shot Learning via Knowledge Transfer from Large Pretrained Datasets",
        ["Elif Demir", "Jonas Weber", "Akira Matsumoto"],
        2,
        ["cs.LG", "cs.CV"],
        "How can we use knowledge learned from a large dataset when the target problem has only "
        "a small dataset of labelled examples? We revisit this question for few-shot learning "
        "and compare episodic meta-learning with plain transfer learning from backbones "
        "pretrained on large image collections. A frozen pretrained backbone with a prototype "
        "classifier on the support set beats meta-learning methods in most settings, and light "
        "fine-tuning helps under domain shift. We give a recipe that chooses between the two "
        "from the size of the small dataset and a cheap estimate of domain distance.",
        reference_count=49,
        refs=["matching-networks", "prototypical-networks", "maml", "revisiting-baselines"],
        comment="12 pages. Code: https://github.com/edemir/fsl-transfer-recipe",
    ),
    _p(
        "prompt-episodic-text",
        "Prompt-Based Few-Shot Text Classification with Episodic Fine-Tuning",
        ["Laura Nieminen", "Kwame Asante", "Diego Herrera"],
        10,
        ["cs.CL"],
        "Prompt-based fine-tuning of pretrained language models works well with few labelled "
        "examples, but results vary strongly with the prompt and with the handful of training "
        "examples. We combine prompt-based classification with episodic training over many "
        "source tasks, so that the model learns to adapt from a support set of a few sentences. "
        "On sixteen text classification datasets with eight examples per class the method "
        "halves the variance across random support sets and improves mean accuracy.",
        reference_count=38,
        refs=["icl-implicit-meta"],
    ),
    _p(
        "negative-transfer",
        "Negative Transfer in Domain Adaptation: Diagnosis and Remedies",
        ["Mateo Ruiz", "Ana Kovač", "Siddharth Rao"],
        250,
        ["cs.LG", "stat.ML"],
        "Transfer learning assumes that knowledge from a source domain helps on the target "
        "domain, but when the domains differ too much the transferred model can do worse than "
        "one trained on the target data alone. We formalise this negative transfer for domain "
        "adaptation and derive a computable estimate of when it occurs from source and target "
        "samples. Guided by the estimate, a reweighting scheme down-weights harmful source "
        "examples, avoiding negative transfer while keeping the gains of domain adaptation when "
        "the domains are close.",
        reference_count=53,
        cites=15,
        refs=["adversarial-domain-adaptation", "feature-transferability"],
        s2_abstract=False,
    ),
    _p(
        "bayes-meta",
        "Bayesian Meta-Learning with Amortised Task Posteriors",
        ["Charlotte Brennan", "Yusuf Aydın", "Mikkel Holm"],
        1,
        ["stat.ML", "cs.LG"],
        "Meta-learning methods that adapt from a small support set often make over-confident "
        "predictions. We present a Bayesian meta-learning approach in which an amortised "
        "inference network maps each support set to an approximate posterior over "
        "task-specific parameters. Training maximises a variational bound over episodes, and "
        "the predictive distributions stay well calibrated even with one example per class. On "
        "few-shot classification and regression the method matches gradient-based "
        "meta-learning in accuracy while halving the expected calibration error.",
        reference_count=44,
        refs=["maml", "survey-meta-learning"],
    ),
    _p(
        "ssl-fewshot-shift",
        "Self-Supervised Pretraining Improves Few-Shot Transfer Under Distribution Shift",
        ["Noah Fischer", "Amara Nwosu", "Zhen Li"],
        0,
        ["cs.CV", "cs.LG"],
        "We ask whether the pretraining objective matters for few-shot transfer when the novel "
        "classes come from a different distribution than the pretraining data. Comparing "
        "supervised, contrastive and masked-image pretraining on the same large dataset, we "
        "find that self-supervised features transfer better to distant domains with few "
        "labelled examples. A self-supervised backbone with a prototype classifier on the "
        "support set gives strong results on cross-domain few-shot learning benchmarks without "
        "any episodic training.",
        reference_count=57,
        refs=["fsl-2day", "matching-networks", "prototypical-networks", "cross-domain-style"],
        comment="Code: https://github.com/ssl-transfer/fewshot-shift",
    ),
    _p(
        "continual-meta",
        "Continual Meta-Learning without Task Boundaries",
        ["Ilse de Vries", "Marcus Chen", "Fatima Zahra Benali"],
        4,
        ["cs.LG"],
        "Meta-learning usually assumes that tasks arrive as clearly separated episodes, but in "
        "many applications the data distribution drifts gradually. We propose a continual "
        "meta-learning method that detects changes in the stream from the loss of a "
        "fast-adapting learner and updates its meta-parameters online without explicit task "
        "boundaries. A small replay memory of past support sets prevents forgetting of earlier "
        "knowledge, and the method improves online accuracy on three non-stationary benchmarks.",
        venue="",
        reference_count=40,
        refs=["maml"],
    ),
    _p(
        "synthetic-support",
        "Data-Efficient Transfer Learning with Synthetic Support Sets",
        ["Gabriel Moreau", "Shreya Iyer", "Tobias Brandl"],
        5,
        ["cs.LG", "cs.CV"],
        "Text-to-image diffusion models can generate labelled images for any class name, which "
        "suggests a way to enlarge the small support set in few-shot learning. We study when "
        "synthetic examples help transfer learning and find that naive augmentation hurts under "
        "domain shift because generated images differ in style from the target data. Filtering "
        "synthetic images by their agreement with the real support set and mixing them with real "
        "examples gives consistent gains on ten small datasets, largest in the one-shot setting.",
        reference_count=50,
        refs=["prototypical-networks"],
    ),
    _p(
        "fewshot-detection",
        "Few-Shot Object Detection with Transferable Region Prototypes",
        ["Kenji Watanabe", "Olga Petrenko", "Samir Haddadi"],
        3,
        ["cs.CV"],
        "Object detectors need many annotated boxes per class, whereas new categories in "
        "practice come with only a few. We transfer knowledge from base classes with abundant "
        "annotations to novel classes by learning region prototypes that are shared across "
        "classes and recombined for each new category. Fine-tuning only the combination weights "
        "on the few novel examples avoids forgetting of base classes and improves novel-class "
        "average precision on two benchmarks in the one-, five- and ten-shot settings.",
        reference_count=62,
        refs=["prototypical-networks", "relation-networks"],
    ),
    _p(
        "s2-clinical-transfer",
        "Transfer learning with limited labelled data in clinical text mining",
        ["Rachel Abernathy", "Tomás Oliveira", "Min-jun Seo"],
        1100,
        [],
        "Clinical natural language processing tasks rarely come with large annotated datasets, "
        "because annotation requires medical expertise. We evaluate transfer learning from "
        "language models pretrained on large biomedical corpora to eight small clinical text "
        "mining datasets. Domain-adaptive pretraining on unlabelled notes followed by "
        "fine-tuning on a few hundred labelled examples closes most of the gap to models trained "
        "on ten times more data.",
        arxiv=None,
        doi="10.5555/jbi.2023.104512",
        venue="Journal of Biomedical Informatics",
        publication_types=["JournalArticle"],
        reference_count=47,
        cites=80,
        recent=20,
        is_open_access=False,
        fields_of_study=["Computer Science", "Medicine"],
    ),
    _p(
        "s2-plant-disease",
        "Domain adaptation for plant disease recognition from few annotated images",
        ["Hamza Qureshi", "Beatriz Lopes", "Jan Novák"],
        500,
        [],
        None,
        arxiv=None,
        doi="10.5555/compag.2025.110233",
        venue="Computers and Electronics in Agriculture",
        publication_types=["JournalArticle"],
        reference_count=39,
        cites=22,
        recent=18,
        is_open_access=False,
        fields_of_study=["Computer Science", "Agricultural and Food Sciences"],
    ),
    # ================================ class imbalance =========================================
    _p(
        "s2-smote",
        "Synthetic Minority Over-sampling for Learning from Imbalanced Data",
        ["Nikhil Chaudhry", "Kevin Bowden", "Lara Hallworth", "Wesley Kegelmeyer"],
        8700,
        [],
        "A dataset is imbalanced when its classes are far from equally represented, and "
        "classifiers trained on it tend to ignore the minority class. We propose over-sampling "
        "the minority class by creating synthetic examples along the line segments that join "
        "each minority example to its nearest minority neighbours, combined with "
        "under-sampling of the majority class. Evaluated by the area under the ROC curve on "
        "nine datasets, the combination performs better than under-sampling alone or than "
        "varying loss ratios.",
        arxiv=None,
        doi="10.5555/jair.2002.0953",
        venue="Journal of Artificial Intelligence Research",
        publication_types=["JournalArticle"],
        reference_count=44,
        cites=3000,
        recent=250,
        is_open_access=True,
        fields_of_study=["Computer Science", "Mathematics"],
    ),
    _p(
        "focal-reweighting",
        "Focal Loss Reweighting for Dense Detection Under Extreme Class Imbalance",
        ["Tsung-Hao Lin", "Priyanka Goyal", "Ross Girardeau", "Kai Ming Heng"],
        2900,
        ["cs.CV"],
        "Dense one-stage detectors face an extreme imbalance between a few foreground objects "
        "and tens of thousands of easy background locations. We reshape the cross-entropy loss "
        "so that it down-weights well-classified examples and focuses training on a sparse set "
        "of hard examples. With this focal reweighting a simple dense detector matches the "
        "speed of one-stage detectors and surpasses the accuracy of two-stage detectors.",
        arxiv="1811.03317",
        venue=CVPR,
        publication_types=CONF,
        reference_count=39,
        cites=1200,
        recent=130,
        s2_abstract=False,
    ),
    _p(
        "effective-number",
        "Class-Balanced Loss Based on the Effective Number of Samples",
        ["Yin Cui-Lam", "Menglin Jia-Hu", "Serge Belongie-Park"],
        2600,
        ["cs.CV", "cs.LG"],
        "Large real-world datasets are long-tailed: a few classes contain most of the samples "
        "and many classes very few. We argue that the marginal benefit of a new sample "
        "diminishes because of overlap with existing samples, and define the effective number "
        "of samples of a class. Reweighting the loss by the inverse effective number gives a "
        "class-balanced loss that improves long-tailed recognition on artificially imbalanced "
        "CIFAR and on large naturally imbalanced datasets.",
        arxiv="1901.06127",
        venue=CVPR,
        publication_types=CONF,
        reference_count=45,
        cites=900,
        recent=110,
        refs=["s2-smote", "focal-reweighting"],
    ),
    _p(
        "ldam-margins",
        "Label-Distribution-Aware Margins for Learning from Imbalanced Datasets",
        ["Kaidi Caoyang", "Colin Wei-Ma", "Adrien Gaidonne", "Tengyu Maar"],
        2500,
        ["cs.LG", "stat.ML"],
        "Deep models trained on imbalanced datasets generalise poorly on the minority classes. "
        "We derive a margin-based generalisation bound and propose a loss that enforces larger "
        "margins for minority classes, together with a deferred re-weighting schedule that "
        "first learns representations and then re-balances. The approach improves accuracy on "
        "imbalanced image and text classification benchmarks over re-sampling and "
        "re-weighting baselines.",
        arxiv="1906.08025",
        venue=NEURIPS,
        publication_types=CONF,
        reference_count=51,
        cites=800,
        recent=95,
        refs=["s2-smote", "effective-number"],
    ),
    _p(
        "decoupling-long-tail",
        "Decoupling Representation Learning and Classifier Training for Long-Tailed Recognition",
        ["Bingyi Kangas", "Saining Xu", "Marcel Rohrbach-Lee", "Zhicheng Yan"],
        2400,
        ["cs.CV"],
        "Long-tailed class distributions make it hard to recognise rare classes. We decouple "
        "learning into representation learning with instance-balanced sampling and classifier "
        "re-training with class-balanced sampling. Surprisingly, instance-balanced "
        "representations followed by a simple classifier adjustment outperform carefully "
        "designed losses and sampling strategies on long-tailed benchmarks.",
        arxiv="1910.10054",
        venue=ICLR,
        publication_types=CONF,
        reference_count=43,
        cites=700,
        recent=90,
        refs=["effective-number", "ldam-margins"],
        s2_abstract=False,
    ),
    _p(
        "survey-long-tail",
        "Deep Long-Tailed Learning: A Survey",
        ["Yifan Zhang-Wu", "Bingyi Kangas", "Bryan Hooi-Tan", "Jiashi Feng-Lu"],
        1850,
        ["cs.CV", "cs.LG"],
        "Deep long-tailed learning aims to train well-performing models from a large number of "
        "images that follow a long-tailed class distribution, where a few classes have many "
        "samples and most classes have few. We survey class re-balancing, information "
        "augmentation and module improvement methods for class imbalance, and evaluate "
        "representative methods empirically. We also discuss applications and future "
        "directions.",
        arxiv="2110.06672",
        publication_types=REVIEW,
        reference_count=205,
        cites=500,
        recent=120,
        refs=["focal-reweighting", "effective-number", "ldam-margins", "decoupling-long-tail"],
    ),
    _p(
        "resampling-benchmark",
        "A Benchmark of Resampling Methods for Imbalanced Tabular Classification",
        ["Joanna Wiśniewska", "Peter Hallström", "Adebayo Ogunleye"],
        300,
        ["cs.LG", "stat.ML"],
        "Resampling is the most common remedy for class imbalance in tabular data, yet its value "
        "for modern gradient-boosted trees is disputed. We benchmark twelve over- and "
        "under-sampling methods on seventy imbalanced datasets with tuned classifiers and "
        "proper threshold selection. With a tuned decision threshold, resampling rarely helps "
        "strong classifiers, while it still helps weak learners on small datasets.",
        reference_count=66,
        cites=12,
        refs=["s2-smote", "s2-imbalance-review"],
        comment="Code and datasets: https://github.com/imb-bench/tabular-resampling",
    ),
    _p(
        "graph-oversampling",
        "Imbalanced Node Classification with Graph Oversampling",
        ["Minh Tran", "Louise Girard", "Rahul Bhatt"],
        20,
        ["cs.LG", "cs.SI"],
        "Node classification on graphs inherits the class imbalance of real networks, where a "
        "few classes cover most nodes. We extend synthetic minority over-sampling to graphs by "
        "generating minority nodes in embedding space and predicting their edges with a "
        "learned link model. The oversampled graph improves minority-class recall of graph "
        "neural networks on citation and social networks without hurting majority classes.",
        reference_count=42,
        cites=2,
        refs=["s2-smote", "gcn"],
    ),
    _p(
        "logit-adjust-ssl",
        "Calibrated Logit Adjustment for Long-Tailed Semi-Supervised Learning",
        ["Sara Lindqvist", "Hao-Ran Zhu", "Kofi Mensah"],
        1,
        ["cs.LG", "stat.ML"],
        "Semi-supervised learning under class imbalance suffers because pseudo-labels inherit "
        "the bias of the classifier towards head classes. We adjust logits by an estimate of the "
        "unlabelled class distribution that is updated during training and calibrated on the "
        "labelled set. The adjustment is a one-line change to common pseudo-labelling methods "
        "and improves tail-class accuracy on long-tailed benchmarks.",
        reference_count=37,
        refs=["ldam-margins", "survey-long-tail"],
    ),
    _p(
        "fairness-imbalance",
        "When Minority Groups Meet Minority Classes: Fairness Under Class Imbalance",
        ["Zainab Hussain", "Erik Johansson", "Camila Rojas"],
        6,
        ["cs.LG", "cs.CY"],
        "Class imbalance and group imbalance interact: examples that belong both to a minority "
        "class and to a minority group are the rarest and the most often misclassified. We "
        "show that standard re-weighting for class imbalance can widen fairness gaps, and "
        "propose a joint re-weighting over class and group that reduces the worst-group error "
        "on four tabular and vision datasets.",
        reference_count=45,
        refs=["effective-number"],
    ),
    _p(
        "s2-imbalance-review",
        "Learning from imbalanced data: open challenges and future directions",
        ["Bartosz Krawiec"],
        3650,
        [],
        "Learning from imbalanced data remains a focus of machine learning research after two "
        "decades. This review discusses open challenges, including imbalance in multi-class, "
        "multi-label and streaming data, the role of difficult minority examples, and "
        "evaluation of imbalanced classifiers.",
        arxiv=None,
        doi="10.5555/pai.2016.0094",
        venue="Progress in Artificial Intelligence",
        publication_types=["JournalArticle", "Review"],
        reference_count=120,
        cites=1100,
        recent=140,
        s2_date=False,
        fields_of_study=["Computer Science"],
    ),
    # ============================== graph neural networks =====================================
    _p(
        "gcn",
        "Semi-Supervised Node Classification with Graph Convolutional Networks",
        ["Tobias Kipperling", "Maximilian Welte"],
        3700,
        ["cs.LG", "stat.ML"],
        "We present a scalable approach to semi-supervised learning on graph-structured data "
        "based on an efficient variant of convolutional neural networks operating directly on "
        "graphs. The convolutional architecture follows from a localised first-order "
        "approximation of spectral graph convolutions, scales linearly in the number of edges "
        "and learns hidden representations that encode both local graph structure and node "
        "features. On citation networks and a knowledge graph it outperforms related methods by "
        "a wide margin.",
        arxiv="1609.03126",
        version=4,
        updated_days_ago=3400,
        venue=ICLR,
        publication_types=CONF,
        reference_count=38,
        cites=1800,
        recent=150,
        comment="Published as a conference paper at ICLR 2017. "
        "Code: https://github.com/tkipperling/gcn",
    ),
    _p(
        "graph-attention",
        "Graph Attention Networks for Inductive Node Classification",
        ["Petra Velikova", "Guillem Cucurella", "Arantxa Casanova-Ruiz", "Pietro Lionetti"],
        3300,
        ["stat.ML", "cs.AI", "cs.LG", "cs.SI"],
        "We present graph attention networks, neural architectures for graph-structured data "
        "that use masked self-attention to weigh the features of neighbouring nodes. Stacking "
        "such layers lets nodes attend over their neighbourhoods without costly matrix "
        "operations or knowing the graph structure upfront, which makes the model applicable "
        "to inductive as well as transductive problems. The models reach or match the state of "
        "the art on citation networks and a protein-protein interaction dataset.",
        arxiv="1710.11342",
        version=3,
        updated_days_ago=3000,
        venue=ICLR,
        publication_types=CONF,
        reference_count=47,
        cites=1500,
        recent=140,
        refs=["gcn"],
        s2_abstract=False,
    ),
    _p(
        "gnn-expressive",
        "On the Expressive Power of Message-Passing Graph Neural Networks",
        ["Keyang Xu-Lin", "Weihua Hu-Tan", "Jure Leskovar", "Stefanie Jegelka-Roth"],
        2900,
        ["cs.LG", "stat.ML"],
        "Graph neural networks follow a neighbourhood aggregation scheme, yet their "
        "representational limits are poorly understood. We show that message-passing networks "
        "are at most as powerful as the Weisfeiler-Lehman graph isomorphism test in "
        "distinguishing graph structures, and characterise the architectures that reach this "
        "bound. We develop a simple architecture that is provably as expressive as the test "
        "and achieves strong results on graph classification benchmarks.",
        arxiv="1810.01294",
        venue=ICLR,
        publication_types=CONF,
        reference_count=52,
        cites=1100,
        recent=120,
        refs=["gcn", "graph-attention", "graphsage"],
    ),
    _p(
        "graphsage",
        "Inductive Representation Learning on Large Graphs via Neighbourhood Aggregation",
        ["William Hamm", "Rex Yingling", "Jure Leskovar"],
        3450,
        ["cs.SI", "cs.LG", "stat.ML"],
        "Low-dimensional node embeddings are useful across many prediction tasks on large "
        "graphs, but most methods are transductive and cannot embed unseen nodes. We present an "
        "inductive framework that learns a function generating embeddings by sampling and "
        "aggregating features from a node's local neighbourhood. The method generalises to "
        "unseen nodes and entirely new graphs and outperforms strong baselines on citation, "
        "Reddit and protein-protein interaction graphs.",
        arxiv="1706.03019",
        venue=NEURIPS,
        publication_types=CONF,
        reference_count=40,
        cites=1300,
        recent=110,
        refs=["gcn"],
        s2_abstract=False,
    ),
    _p(
        "survey-oversmoothing",
        "Over-Smoothing in Deep Graph Neural Networks: A Survey",
        ["Tomoko Arai", "Lukas Baumgartner", "Ifeoma Chukwu"],
        700,
        ["cs.LG"],
        "Stacking many message-passing layers makes node representations of graph neural "
        "networks converge to indistinguishable vectors, a phenomenon called over-smoothing. We "
        "review measures of over-smoothing, its theoretical analyses, and remedies including "
        "residual connections, normalisation and graph rewiring. We also compare remedies "
        "empirically on node classification with deep networks.",
        arxiv="2412.14023",
        publication_types=REVIEW,
        reference_count=160,
        cites=60,
        recent=45,
        refs=["gcn", "graph-attention", "gnn-expressive"],
    ),
    _p(
        "graph-transformer-molecules",
        "Graph Transformers for Molecular Property Prediction at Scale",
        ["Victor Almeida", "Hui Zhang", "Ruth Abramson"],
        15,
        ["cs.LG", "physics.chem-ph"],
        "Graph transformers replace local message passing with global attention over all atoms "
        "of a molecule, but their cost has limited them to small molecules. We introduce a "
        "sparse attention scheme guided by molecular geometry that scales to proteins with "
        "thousands of atoms. Pretrained on a large collection of molecules, the model sets new "
        "results on property prediction benchmarks.",
        reference_count=71,
        cites=1,
        refs=["gcn", "gnn-expressive"],
    ),
    _p(
        "fewshot-node",
        "Few-Shot Node Classification via Graph Meta-Learning",
        ["Ana Sofia Pereira", "Hiroshi Nakamura", "David Kline"],
        70,
        ["cs.LG", "cs.SI"],
        "Many node classes in real graphs have only a few labelled nodes, which makes standard "
        "graph neural networks overfit. We cast the problem as few-shot learning and meta-learn "
        "a graph neural network over episodes sampled from classes with many labels, so that it "
        "adapts to new classes from a small support set of nodes. The method improves few-shot "
        "node classification on citation and product graphs.",
        reference_count=48,
        cites=4,
        refs=["gcn", "maml", "prototypical-networks"],
    ),
    _p(
        "temporal-gnn",
        "Temporal Graph Networks with Memory Replay for Dynamic Link Prediction",
        ["Giulia Ferraro", "Jae-won Lim", "Patrick O'Connell"],
        0,
        ["cs.LG", "cs.SI"],
        "Many graphs evolve over time as edges appear and disappear, and predicting future "
        "links requires memory of past interactions. We propose a temporal graph network that "
        "keeps a compressed memory per node and replays informative past events when updating "
        "it. The model improves dynamic link prediction on social and transaction graphs while "
        "using less memory than existing temporal graph networks.",
        reference_count=44,
        refs=["graphsage", "graph-attention"],
    ),
    _p(
        "gnn-sampling-bounds",
        "Scalable Graph Neural Networks via Neighbourhood Sampling with Error Bounds",
        ["Sebastian Kraus", "Anika Dutta", "Jordan Ellis"],
        2,
        ["stat.ML", "cs.LG"],
        "Training graph neural networks on large graphs requires sampling neighbourhoods, which "
        "introduces variance and bias into the gradients. We derive error bounds for layer-wise "
        "neighbourhood sampling and use them to choose per-layer sample sizes adaptively. The "
        "resulting sampler trains faster than existing samplers at equal accuracy on graphs "
        "with up to a billion edges.",
        reference_count=39,
        refs=["graphsage", "gcn"],
    ),
    _p(
        "spectral-gnn-revisited",
        "Spectral Graph Neural Networks Revisited: Filters, Bases and Expressivity",
        ["Helena Wójcik", "Chen Yu", "Ahmed Nasser"],
        400,
        ["cs.LG"],
        "Spectral graph neural networks learn polynomial filters of the graph Laplacian. We "
        "compare polynomial bases and show that the choice of basis mainly affects optimisation "
        "rather than expressivity. An orthogonal basis adapted to the spectrum of the graph "
        "trains faster and generalises better on heterophilous node classification.",
        arxiv="2510.20117",
        reference_count=50,
        cites=30,
        refs=["gcn", "gnn-expressive"],
    ),
    _p(
        "s2-gnn-bioinformatics",
        "Graph neural networks in bioinformatics: a practical guide",
        ["Marta Zielińska", "Owen Gallagher", "Yuki Sato"],
        800,
        [],
        None,
        arxiv=None,
        doi="10.5555/bib.2024.0318",
        venue="Briefings in Bioinformatics",
        publication_types=["JournalArticle", "Review"],
        reference_count=134,
        cites=95,
        recent=60,
        fields_of_study=["Computer Science", "Biology"],
    ),
    # ================================= quantum computing ======================================
    _p(
        "quantum-thresholds",
        "Fault-Tolerant Thresholds for Concatenated Quantum Codes",
        ["Dorit Aharon-Levi", "Emanuel Knill-Stein"],
        9070,
        ["quant-ph"],
        "Quantum computation is fragile, and reliable computers must correct errors faster than "
        "they accumulate. We analyse concatenated stabiliser codes under a local stochastic "
        "noise model and derive a threshold error rate below which arbitrarily long quantum "
        "computations are possible with polylogarithmic overhead. The analysis covers faulty "
        "preparation, measurement and classical processing.",
        arxiv="quant-ph/0201082",
        doi="10.5555/physreva.66.012305",
        journal_ref="Phys. Rev. A 66, 012305 (2002)",
        venue="Physical Review A",
        publication_types=["JournalArticle"],
        reference_count=33,
        cites=450,
        recent=15,
        comment="24 pages, 3 figures",
        s2_abstract=False,
    ),
    _p(
        "quantum-structured-search",
        "Quantum Search on Structured Databases",
        ["Nicolas Cerf-Martin", "Lov Grover-Hale", "Colin Williams-Ray"],
        10230,
        ["quant-ph"],
        "Quantum search finds a marked item in an unstructured database quadratically faster "
        "than classical search. We show how to nest quantum search to exploit the structure of "
        "constraint satisfaction problems, obtaining a speed-up over classical tree search that "
        "grows with problem size. The nested algorithm is analysed for random constraint "
        "satisfaction problems near the phase transition.",
        arxiv="quant-ph/9811052",
        journal_ref="Phys. Rev. A 61, 032303 (2000)",
        venue="Physical Review A",
        publication_types=["JournalArticle"],
        reference_count=21,
        cites=300,
        recent=8,
        s2_date=False,
        s2_abstract=False,
    ),
    _p(
        "vqa-review",
        "Variational Quantum Algorithms on Noisy Hardware: A Review",
        ["Marco Cerezo-Vidal", "Andrew Arrasmith-Lowe", "Kunal Sharma-Iyer", "Lukasz Cincio"],
        1830,
        ["quant-ph", "cs.ET"],
        "Variational quantum algorithms use a classical optimiser to train a parameterised "
        "quantum circuit and are the leading strategy for near-term quantum hardware. We review "
        "variational eigensolvers, quantum approximate optimisation and quantum machine "
        "learning, together with the obstacles they face, including barren plateaus, noise and "
        "measurement cost. We outline what must change for a practical quantum advantage.",
        arxiv="2111.07749",
        publication_types=REVIEW,
        reference_count=262,
        cites=700,
        recent=160,
        refs=["quantum-thresholds"],
    ),
    _p(
        "pqc-supervised",
        "Supervised Learning with Parameterised Quantum Circuits",
        ["Maria Schuldt", "Alex Bocharov-Kim", "Nathan Killoran-Ross"],
        3170,
        ["quant-ph", "cs.LG", "stat.ML"],
        "We propose a quantum classifier in which data are encoded into the amplitudes of a "
        "quantum state and processed by a parameterised circuit of few gates. The circuit is "
        "trained with a hybrid quantum-classical gradient descent scheme on small datasets. "
        "Simulations show the classifier performs well on standard benchmarks with "
        "exponentially fewer parameters than comparable neural networks.",
        arxiv="1803.00745",
        reference_count=36,
        cites=900,
        recent=100,
    ),
    _p(
        "quantum-kernel-small-data",
        "Error-Mitigated Quantum Kernel Methods for Small Datasets",
        ["Ines Carvalho", "Rohan Menon", "Katarzyna Lis"],
        1,
        ["quant-ph", "cs.LG"],
        "Quantum kernel methods embed data into quantum states and compare them through their "
        "overlaps, which are estimated with shot noise on real devices. On small datasets the "
        "noise in the kernel matrix dominates generalisation error. We combine zero-noise "
        "extrapolation with a spectral regulariser for the kernel matrix and show improved test "
        "accuracy on superconducting hardware for classification tasks with fewer than a "
        "hundred examples.",
        reference_count=41,
        refs=["pqc-supervised", "vqa-review"],
    ),
    _p(
        "quantum-transfer-plateaus",
        "Barren Plateaus in Quantum Transfer Learning",
        ["Jonah Abrams", "Leila Haddad", "Viktor Petrov"],
        40,
        ["quant-ph"],
        "Quantum transfer learning reuses a pretrained classical or quantum feature map and "
        "trains only a small variational circuit on top. We prove that the trainable circuit "
        "still suffers from barren plateaus when it acts globally, and identify local cost "
        "functions that avoid them. Numerical experiments confirm the scaling of gradient "
        "variance with the number of qubits.",
        reference_count=38,
        cites=2,
        refs=["vqa-review", "pqc-supervised"],
    ),
    _p(
        "logical-qubit-memory",
        "Logical Qubit Memory Beyond Break-Even with Surface Codes",
        ["Rebecca Acharya", "Julian Kelley", "Anna Grajales"],
        100,
        ["quant-ph"],
        "We demonstrate a logical qubit memory encoded in a distance-seven surface code whose "
        "lifetime exceeds that of the best physical qubit on the same device. Real-time decoding "
        "keeps pace with the error-correction cycle. Increasing the code distance from five to "
        "seven suppresses the logical error rate by more than a factor of two.",
        reference_count=59,
        cites=18,
        refs=["quantum-thresholds"],
    ),
    _p(
        "annealer-benchmark",
        "Benchmarking Quantum Annealers on Combinatorial Optimisation Problems",
        ["Francesca Riva", "Thomas Lindner", "Aditya Bose"],
        800,
        ["quant-ph", "math.OC"],
        "Quantum annealers are marketed for combinatorial optimisation, but fair comparisons "
        "with classical heuristics are rare. We benchmark two annealers against tuned simulated "
        "annealing and integer programming on maximum cut, scheduling and portfolio problems. "
        "The annealers find good solutions quickly on small instances but lose to classical "
        "solvers as instances grow.",
        arxiv="2409.08812",
        reference_count=73,
        cites=45,
        recent=25,
    ),
    # ===================================== astrophysics =======================================
    _p(
        "dwarf-spheroidal-halos",
        "Dark Matter Density Profiles of Dwarf Spheroidal Galaxies",
        ["Gerard Gilmore-Hay", "Mark Wilkinson-Moss", "Rosemary Wyse-Kelly"],
        7560,
        ["astro-ph"],
        "Dwarf spheroidal galaxies are the most dark-matter dominated systems known. We model "
        "the kinematics of stars in eight Milky Way satellites and find that their mass "
        "profiles favour cored rather than cusped dark matter haloes. The inferred central "
        "densities set constraints on the nature of dark matter.",
        arxiv="astro-ph/0603449",
        doi="10.5555/apj.650.102",
        journal_ref="Astrophys. J. 650 (2006) 102-117",
        venue="Astrophysical Journal",
        publication_types=["JournalArticle"],
        reference_count=52,
        cites=600,
        recent=20,
        s2_abstract=False,
    ),
    _p(
        "galaxy-morphology-fewshot",
        "Few-Shot Classification of Galaxy Morphologies with Transfer Learning",
        ["Amelia Hartley", "Tunde Bakare", "Sven Olsen"],
        25,
        ["astro-ph.GA", "cs.LG", "cs.CV"],
        "Upcoming sky surveys will image billions of galaxies, but rare morphologies have only "
        "a handful of labelled examples. We transfer knowledge from a network pretrained on a "
        "large dataset of citizen-science labels to rare classes with few-shot learning on a "
        "small support set. Prototype classifiers on pretrained features identify rare "
        "mergers and ring galaxies from five examples each.",
        reference_count=47,
        cites=1,
        refs=["prototypical-networks", "feature-transferability"],
    ),
    _p(
        "stellar-streams",
        "Stellar Streams as Probes of the Milky Way's Dark Matter Halo",
        ["Leandro Acosta", "Hanna Lindholm", "Kwabena Owusu"],
        1,
        ["astro-ph.GA"],
        "Tidal streams of stars stripped from globular clusters trace the gravitational "
        "potential of the Galaxy. We fit the tracks of twelve streams with a flexible halo "
        "model and find that the dark matter halo is mildly oblate within twenty kiloparsecs. "
        "Perturbations along two streams suggest encounters with dark subhaloes.",
        venue="",
        reference_count=64,
        refs=["dwarf-spheroidal-halos"],
    ),
    _p(
        "photoz-domain-adaptation",
        "Photometric Redshift Estimation with Domain Adaptation Across Surveys",
        ["Clément Rousseau", "Yara Haddad", "Oskar Nilsson"],
        300,
        ["astro-ph.IM", "astro-ph.CO", "cs.LG"],
        "Machine-learned photometric redshifts degrade when a model trained on one survey is "
        "applied to another with different filters and depths. We apply domain adaptation to "
        "align the representations of the source survey with spectroscopic labels and the "
        "unlabelled target survey. The adapted model halves the outlier fraction on the target "
        "survey.",
        reference_count=55,
        cites=9,
        refs=["adversarial-domain-adaptation"],
    ),
    _p(
        "radio-star-formation",
        "The Cosmic Star Formation History from Deep Radio Continuum Surveys",
        ["Imogen Whitaker", "Rajesh Pillai", "Hélène Dubois"],
        1500,
        ["astro-ph.CO", "astro-ph.GA"],
        "Radio continuum emission traces star formation without dust obscuration. Using deep "
        "radio surveys we measure the star formation rate density out to redshift five and find "
        "that it peaks near redshift two, later than some ultraviolet estimates suggest.",
        arxiv="2210.09917",
        doi="10.5555/mnras.2022.3361",
        journal_ref="Mon. Not. R. Astron. Soc. 518, 2023",
        venue="Monthly notices of the Royal Astronomical Society",
        publication_types=["JournalArticle"],
        reference_count=98,
        cites=70,
        recent=25,
        s2_abstract=False,
    ),
    # ============================ other papers announced today ================================
    _p(
        "open-vocab-seg",
        "Open-Vocabulary Segmentation with Frozen Diffusion Features",
        ["Mila Novak", "Jun Park", "Ethan Brooks"],
        0,
        ["cs.CV"],
        "Text-to-image diffusion models learn features that localise objects named in a prompt. "
        "We use frozen diffusion features with a light mask decoder for open-vocabulary "
        "semantic segmentation. Without training on segmentation labels of the test classes, "
        "the model segments thousands of categories and improves over vision-language "
        "baselines on five benchmarks.",
        reference_count=63,
        comment="Project page: https://huggingface.co/spaces/ovseg/frozen-diffusion",
    ),
    _p(
        "conformal-label-shift",
        "Conformal Prediction Under Label Shift with Unlabelled Target Data",
        ["Ruth Adler", "Samuel Okoye", "Ingrid Berg"],
        0,
        ["stat.ML", "stat.ME"],
        "Conformal prediction sets lose their coverage guarantee when class proportions differ "
        "between calibration and test data. We estimate the target class proportions from "
        "unlabelled test data and reweight the calibration scores accordingly. The resulting "
        "sets recover approximately valid coverage under label shift with a finite-sample "
        "correction.",
        venue="",
        reference_count=34,
    ),
    _p(
        "rag-literature",
        "Retrieval-Augmented Generation for Scientific Literature Review",
        ["Paula Schmidt", "Kenta Ono", "Grace Mwangi"],
        0,
        ["cs.CL", "cs.IR"],
        "Writing literature reviews requires finding, reading and synthesising many papers. We "
        "build a retrieval-augmented generation system that searches a large index of papers, "
        "cites its sources and flags uncertain claims. Expert evaluation shows fewer "
        "unsupported statements than a strong language model without retrieval.",
        reference_count=52,
    ),
    _p(
        "diffusion-replace",
        "Consistency Distillation for Fast Diffusion Sampling",
        ["Lena Hoffmann", "Arturo Vega", "Jiwoo Han"],
        120,
        ["cs.LG", "cs.CV"],
        "Diffusion models generate high-quality samples but need many network evaluations. We "
        "distil a pretrained diffusion model into a consistency model that maps any noisy "
        "input directly to a clean sample, enabling generation in one to four steps. The "
        "second version adds guidance distillation and results on text-to-image generation.",
        version=2,
        updated_days_ago=1,
        reference_count=58,
        cites=14,
    ),
]


def default_corpus(now: datetime | None = None) -> Corpus:
    """A fresh, mutable copy of the default corpus (about 66 papers)."""
    corpus = Corpus(now=now)
    specs = [
        _Spec(
            replace(
                s.paper,
                authors=list(s.paper.authors),
                categories=list(s.paper.categories),
                citations=[],
                references=[],
            ),
            s.cites,
            s.recent,
            s.refs,
        )
        for s in _SPECS
    ]
    for s in specs:
        corpus.add(s.paper)
    by_key = {p.key: p for p in corpus}
    # Citations between corpus papers first, then synthetic citers up to the target count.
    for s in specs:
        citing = s.paper
        for ref in s.refs:
            cited = by_key[ref]
            if cited.days_ago < citing.days_ago:
                raise ValueError(f"{citing.key} cannot cite the younger {cited.key}")
            citing.references.append(cited.paper_id)
            cited.citations.append(Citation(citing.paper_id, citing.days_ago, False))
    for s in specs:
        p = s.paper
        own = len(p.citations)
        target = max(s.cites, own)
        if p.key == "fsl-2day":
            target = 1  # exactly one citer: today's "ssl-fewshot-shift"
        recent = s.recent
        if recent is not None:
            recent = max(0, recent - sum(1 for c in p.citations if c.days_ago < 365))
        p.citations.extend(generate_citations(p.key, target - own, p.days_ago, recent=recent))
        if p.tldr is None and p.abstract and _hash_int("tldr:" + p.key) % 4 != 0:
            p.tldr = _make_tldr(p)
    return corpus


def _make_tldr(p: FakePaper) -> str:
    assert p.abstract
    sentences = re.split(r"(?<=[.?!])\s+", p.abstract)
    pick = next((s for s in sentences if s.startswith("We ")), sentences[0])
    if not pick.startswith("We "):
        return pick
    verb, _, rest = pick[3:].partition(" ")
    if verb.endswith("y") and verb[-2:] not in ("ay", "ey", "oy"):
        verb = verb[:-1] + "ies"
    elif verb.endswith(("s", "sh", "ch", "x")):
        verb += "es"
    else:
        verb += "s"
    return f"This paper {verb} {rest}"
