"""Key phrases in a set of papers: candidates from titles and abstracts, weighted by how
high each paper ranked, judged against the cache (IDF) so generic phrases lose; no I/O.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..query import STOPWORDS as QUERY_STOPWORDS

if TYPE_CHECKING:
    pass


TERM_KEYS = ("term", "documents", "score", "example_id", "example_title", "command")

STOPWORDS = QUERY_STOPWORDS | frozenset(
    """also among across via within without upon whether either neither yet thus hence
    therefore however although though since unlike onto per etc e g i e vs versus
    may might must shall can cannot often usually typically mostly largely well""".split()
)
# Paper-speak: fine inside a phrase, never at its edge.
GENERIC = frozenset(
    """paper papers propose proposes proposed present presents presented introduce introduces
    introduced show shows shown showing demonstrate demonstrates demonstrated study studies
    studied investigate investigates analyse analyze analyses analysis approach approaches
    method methods technique techniques result results experiment experiments experimental
    novel new existing various different several many much significant significantly
    effective efficient simple strong better best good high higher low lower first second two
    three four five number numbers state art work works based achieve achieves achieved
    improve improves improved improvement outperform outperforms performance problem problems
    task tasks setting settings framework frameworks extensive wide widely recent recently
    previous prior available general key important able allow allows enable enables given
    further including include includes find finds found provide provides across remains
    remain benchmark benchmarks baseline baselines evaluate evaluation
    """.split()
)
# Phrases common in every field's abstracts; they sink even when the local cache is small.
GENERIC_PHRASES = frozenset(
    """neural network|deep neural network|deep learning|machine learning|state of the art|
    this paper|large scale|real world|training data|data set|experimental result|
    convolutional neural network|wide range|open source|code available|proof of concept|
    learning method|learning model|learning approach|deep network|deep model""".replace(
        "\n", ""
    ).split("|")
)

_PIECES = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/|<>=+*]+|\s[-–—]\s|\s'|'\s")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’][a-z]+)?(?:-[A-Za-z0-9]+)*")
MAX_WORDS = 3
LENGTH_WEIGHT = {1: 0.55, 2: 1.0, 3: 1.1}


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    text: str  # abstract (and TL;DR), may be empty
    rank: int  # 0 = the search's best hit


@dataclass
class Term:
    term: str
    key: str
    documents: int
    score: float
    example_id: str | None = None
    example_title: str | None = None
    doc_ids: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "documents": self.documents,
            "score": round(self.score, 4),
            "example_id": self.example_id,
            "example_title": self.example_title,
            "command": search_command(self.term),
        }


def search_command(term: str) -> str:
    return 'litscout search "' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def terms_command(question: str) -> str:
    return 'litscout terms "' + question.replace("\\", "\\\\").replace('"', '\\"') + '"'


UNCHANGED_PLURALS = frozenset(
    "bias alias atlas canvas lens news series species means chaos corpus".split()
)


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word in UNCHANGED_PLURALS:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


class _Candidate:
    """A phrase seen in the documents (a plain class: tens of thousands are made per run)."""

    __slots__ = (
        "key", "words", "surfaces", "docs", "in_title", "occurrences", "inherited",
        "inherited_titles",
    )  # fmt: skip

    def __init__(self, key: str, words: int) -> None:
        self.key = key
        self.words = words
        self.surfaces: dict[str, int] = {}  # spelling -> uses
        self.docs: dict[str, int] = {}  # doc id -> rank
        self.in_title: set[str] = set()
        # single words only: (doc id, multi-word phrases covering this occurrence)
        self.occurrences: list[tuple[str, frozenset[str]]] = []
        self.inherited: dict[str, int] = {}  # docs of a phrase it replaced
        self.inherited_titles: set[str] = set()


def piece_words(piece: str) -> list[tuple[str, bool, bool]]:
    """(word, starts a token, ends a token): hyphenated tokens are split into their parts."""
    out: list[tuple[str, bool, bool]] = []
    for token in _TOKEN.findall(piece):
        parts = [p for p in token.split("-") if p]
        for i, part in enumerate(parts):
            out.append((part, i == 0, i == len(parts) - 1))
    return out


@lru_cache(maxsize=65536)
def _display(word: str) -> str:
    """Keep acronyms (GNN, MAML, BERT) in capitals, everything else lower case."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2:
        return word
    return word.lower()


INNER_WORDS = frozenset("of to for from and".split())  # may join the words of a phrase
_INNER_STOPWORDS = STOPWORDS - INNER_WORDS  # words that may not sit inside a 3-word phrase
HYPHEN_FUNCTION_WORDS = frozenset("a an the of and or to in on at by for with".split())


@lru_cache(maxsize=65536)
def _edge_ok(word: str, hyphenated: bool = False) -> bool:
    """May `word` start or end a phrase? Inside a hyphenated token ("few-shot", "one-shot",
    "self-supervised") only function words are refused."""
    low = word.lower()
    if hyphenated:
        return low not in HYPHEN_FUNCTION_WORDS and not low.isdigit()
    return (
        len(low) >= 2
        and not low.isdigit()
        and low not in STOPWORDS
        and low not in GENERIC
        and singular(low) not in GENERIC
        and not re.fullmatch(r"[a-z]?\d+[a-z0-9]*", low)
    )


# URLs, e-mail addresses and inline LaTeX are not vocabulary
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\S+\.(?:com|org|io|net)\S*|\$[^$]*\$")


def candidates(docs: Sequence[Doc]) -> dict[str, _Candidate]:
    found: dict[str, _Candidate] = {}
    for doc in docs:
        for where, text in (("title", doc.title), ("text", doc.text)):
            for piece in _PIECES.split(_NOISE.sub(" . ", text or "")):
                _scan(doc, where == "title", piece_words(piece), found)
    return _merge_spellings(found)


@lru_cache(maxsize=65536)
def _word(word: str, starts: bool, ends: bool) -> tuple[bool, bool, str, str, bool]:
    """What a phrase needs to know of a word where it stands: may a phrase start here, may
    one end here, its key form, its display form, and whether it may not sit inside a
    three-word phrase. (Zipf's law: most words repeat, so this is mostly a cache hit.)"""
    low = word.lower()
    return (
        starts and _edge_ok(word, not ends),
        ends and _edge_ok(word, not starts),
        singular(low),
        _display(word),
        low in _INNER_STOPWORDS,
    )


def _scan(
    doc: Doc, in_title: bool, words: list[tuple[str, bool, bool]], found: dict[str, _Candidate]
) -> None:
    # Per position once (a hundred abstracts hold ~15,000 words, each in up to 3 phrases);
    # a phrase's key and spelling grow from the one a word shorter.
    info = [_word(w, starts, ends) for w, starts, ends in words]
    covering: list[set[str]] = [set() for _ in words]  # multi-word keys over each position
    singles: list[tuple[int, str]] = []
    size = len(words)
    doc_id, rank = doc.id, doc.rank
    for i in range(size):
        opens, _, key, surface, _ = info[i]
        if not opens:
            continue
        for j in range(i, min(i + MAX_WORDS, size)):
            if j > i:
                word, starts, _ = words[j]
                key = key + " " + info[j][2]
                surface = surface + (" " if starts else "-") + info[j][3]
            n = j - i + 1
            if not info[j][1] or (n == 1 and not words[i][2]):
                continue
            if n == 3 and info[i + 1][4]:
                continue  # "classification with graph" is not a term; "bag of words" is
            cand = found.get(key)
            if cand is None:
                cand = found[key] = _Candidate(key, n)
            cand.surfaces[surface] = cand.surfaces.get(surface, 0) + 1
            if doc_id not in cand.docs:
                cand.docs[doc_id] = rank
            if in_title:
                cand.in_title.add(doc_id)
            if n == 1:
                singles.append((i, key))
            else:
                for k in range(i, j + 1):
                    covering[k].add(key)
    for i, key in singles:
        found[key].occurrences.append((doc_id, frozenset(covering[i])))


def _merge_spellings(found: dict[str, _Candidate]) -> dict[str, _Candidate]:
    """ "metalearning" = "meta learning": merge keys equal without spaces."""
    by_joined: dict[str, list[_Candidate]] = defaultdict(list)
    for cand in found.values():
        by_joined[cand.key.replace(" ", "")].append(cand)
    merged: dict[str, _Candidate] = {}
    for group in by_joined.values():
        group.sort(key=lambda c: (-len(c.docs), -c.words, c.key))
        head = group[0]
        for other in group[1:]:
            for surface, uses in other.surfaces.items():
                head.surfaces[surface] = head.surfaces.get(surface, 0) + uses
            for doc_id, rank in other.docs.items():
                head.docs.setdefault(doc_id, rank)
            head.in_title |= other.in_title
            head.occurrences.extend(other.occurrences)
        merged[head.key] = head
    return merged


def _stems(text: str) -> set[str]:
    return {singular(w.lower()) for w, _, _ in piece_words(text) if w.lower() not in STOPWORDS}


def _weight(rank: int) -> float:
    return 1.0 / (1.0 + rank / 6.0)


def extract(
    docs: Sequence[Doc],
    *,
    question: str = "",
    background: Callable[[list[str]], dict[str, int]] | None = None,
    background_size: int = 0,
    limit: int = 10,
    min_documents: int = 2,
    min_share: float = 0.04,
) -> list[Term]:
    """The top key phrases of `docs`. `background(phrases)` counts papers elsewhere using each."""
    if not docs:
        return []
    found = candidates(docs)
    floor = max(min_documents, math.ceil(min_share * len(docs)))
    pool = {k: c for k, c in found.items() if len(c.docs) >= floor}
    pool = _drop_subsumed(pool)
    total_weight = sum(_weight(d.rank) for d in docs)
    asked = _stems(question)
    display = {k: _best_surface(c) for k, c in pool.items()}
    terms: list[Term] = []
    phrases = {k for k, c in pool.items() if c.words > 1}
    for key, cand in pool.items():
        ranks = cand.docs
        if cand.words == 1:  # count only where the word stands alone, not inside a phrase
            free = {doc for doc, over in cand.occurrences if not over & phrases}
            ranks = {doc: rank for doc, rank in cand.docs.items() if doc in free}
        ranks = {**cand.inherited, **ranks}
        titled = cand.in_title | cand.inherited_titles
        # a field names its topics in titles: a title use counts double
        share = sum(_weight(r) * (2.0 if d in titled else 1.0) for d, r in ranks.items())
        share /= 2.0 * total_weight
        score = share * LENGTH_WEIGHT[cand.words]
        if key in GENERIC_PHRASES:
            score *= 0.3
        if asked and {w for w in key.split() if w not in STOPWORDS} <= asked:
            score *= 0.25
        terms.append(Term(display[key], key, len(cand.docs), score, doc_ids=_by_rank(cand)))
    if background is not None and background_size > 0 and terms:
        terms = _weigh_by_rarity(terms, background, background_size, limit)
    terms.sort(key=lambda t: (-t.score, -t.documents, t.term))
    titles = {d.id: d.title for d in docs}
    top = terms[:limit]
    for term in top:
        cand = pool[term.key]
        example = next((i for i in term.doc_ids if i in cand.in_title), term.doc_ids[0])
        term.example_id, term.example_title = example, titles.get(example)
    return top


def _weigh_by_rarity(
    terms: list[Term],
    background: Callable[[list[str]], dict[str, int]],
    background_size: int,
    limit: int,
) -> list[Term]:
    """Scores times the inverse document frequency in the rest of the cache. The factor is
    at most 1 (a phrase seen nowhere else), so only the leading candidates are counted
    (counting a phrase is the expensive part on a big cache)."""
    terms = sorted(terms, key=lambda t: -t.score)[: max(60, 6 * limit)]
    common = background([t.term for t in terms])
    scale = math.log(background_size + 1) + 1.0
    for term in terms:
        seen = min(common.get(term.term, 0), background_size)  # an estimate can overshoot
        term.score *= (math.log((background_size + 1) / (seen + 1)) + 1.0) / scale
    return terms


def _by_rank(cand: _Candidate) -> list[str]:
    return [i for i, _ in sorted(cand.docs.items(), key=lambda item: (item[1], item[0]))]


def _best_surface(cand: _Candidate) -> str:
    """The most used spelling; ties go to the hyphenated one ("few-shot" over "few shot")."""
    return max(cand.surfaces.items(), key=lambda item: (item[1], "-" in item[0], item[0]))[0]


def _drop_subsumed(pool: dict[str, _Candidate]) -> dict[str, _Candidate]:
    """Drop a phrase that mostly appears inside a longer kept phrase ("shot" in "few shot")."""
    keys = sorted(pool, key=lambda k: -pool[k].words)
    # each phrase's runs of words → the longer phrases holding it, in the order of `keys`
    holders: dict[str, list[str]] = defaultdict(list)
    for long in keys:
        lw = long.split()
        runs = {" ".join(lw[i : i + n]) for n in range(1, len(lw)) for i in range(len(lw) - n + 1)}
        for run in runs:
            holders[run].append(long)
    dropped: set[str] = set()
    for short in keys:
        words = short.split()
        for long in holders.get(short, ()):
            if long in dropped:
                continue
            # Nearly every use of the short one is inside the long one; or the long one is
            # a name titles use ("few-shot" → "few-shot learning"). Not a sentence that many
            # abstracts repeat ("knowledge distillation makes"): no title says that.
            uses = sum(pool[long].surfaces.values()) / sum(pool[short].surfaces.values())
            docs = len(pool[long].docs) / len(pool[short].docs)
            if uses >= 0.8 or (docs >= 0.5 and pool[long].in_title):
                dropped.add(short)
                # the longer phrase is how the field says it: it carries the shorter one's
                # weight ("few-shot" → "few-shot learning"), but shows its own count
                if len(words) > 1:
                    heir = pool[long]
                    heir.inherited = {**pool[short].docs, **heir.inherited}
                    heir.inherited_titles |= pool[short].in_title
                break
    kept = {k: c for k, c in pool.items() if k not in dropped}
    # A longer phrase no title uses, found only where a kept part of it is, is a sentence
    # fragment ("teacher model trains"), not a name of its own.
    fragments = set()
    for long, cand in kept.items():
        if cand.words == 1 or cand.in_title:
            continue
        lw = long.split()
        for short, part in kept.items():
            sw = short.split()
            if part.words >= cand.words or short in GENERIC_PHRASES:
                continue
            inside = any(lw[i : i + len(sw)] == sw for i in range(len(lw) - len(sw) + 1))
            if inside and part.words > 1 and set(cand.docs) <= set(part.docs):
                fragments.add(long)
                break
    return {k: c for k, c in kept.items() if k not in fragments}
