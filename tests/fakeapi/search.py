"""Search logic of the fake services.

* arXiv: a small parser for the ``search_query`` syntax (``ti: au: abs: co: jr: cat: rn: all:``
  prefixes, ``AND OR ANDNOT``, parentheses, quoted phrases, ``submittedDate:[A TO B]``).
  Adjacent terms without an operator are ANDed, so arXiv is strict like the real service.
  A term matches case-insensitively as a word prefix of the field; a phrase (or a term with
  inner punctuation such as ``few-shot``) matches as a run of words. Relevance is a plain
  term-frequency score.
* Semantic Scholar: plain-text relevance over title and abstract with light stemming, stop
  words removed and any-word (OR) matching weighted by idf, so plain questions find papers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from .corpus import FakePaper, strip_version

_WORD = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset(
    """a about above after all also an and any are as at be been being between both but by can
    could did do does doing for from further had has have having how i if in into is it its
    itself just me more most my no nor not of on once only or other our out over own same should
    so some such than that the their them then there these they this those through to too under
    until up use used using very was we were what when where which while who whom why will with
    would you your""".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A deliberately small suffix stripper (learning/learned/learns -> learn)."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, min_len in (("ation", 8), ("ing", 6), ("ed", 5), ("ly", 6)):
        if len(w) >= min_len and w.endswith(suffix):
            w = w[: -len(suffix)]
            if suffix in ("ing", "ed") and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


# ================================ Semantic Scholar relevance ==================================


def s2_rank(papers: list[FakePaper], query: str) -> list[tuple[FakePaper, float]]:
    """Papers matching any content word of ``query``, best first."""
    q = list(dict.fromkeys(content_stems(query)))
    if not q:
        return []
    docs = [(p, content_stems(p.title), content_stems(p.abstract or "")) for p in papers]
    n = len(docs)
    df = {t: sum(1 for _, ti, ab in docs if t in ti or t in ab) for t in q}
    phrase = " ".join(words(query))
    out: list[tuple[FakePaper, float]] = []
    for p, ti, ab in docs:
        score = 0.0
        matched = 0
        for t in q:
            tf = 3 * ti.count(t) + ab.count(t)
            if tf:
                matched += 1
                idf = math.log(1 + n / (1 + df[t]))
                score += idf * (1 + math.log(tf))
        if not matched:
            continue
        score *= matched / len(q)
        if phrase and phrase in " ".join(words(p.title)):
            score *= 2
        score *= 1 + 0.03 * math.log1p(p.citation_count)
        out.append((p, score))
    out.sort(key=lambda ps: (-ps[1], ps[0].days_ago, ps[0].paper_id))
    return out


# ==================================== arXiv query syntax ======================================

FIELDS = ("ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all")
DATE_FIELDS = {"submitteddate": "submitted", "lastupdateddate": "updated"}


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class DateRange:
    which: str  # "submitted" | "updated"
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Op:
    op: str  # "AND" | "OR" | "ANDNOT"
    left: Node
    right: Node


Node = Term | DateRange | Op | None

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lpar>\() | (?P<rpar>\)) |
        (?P<date>(?P<dfield>[A-Za-z]+):\[\s*(?P<dfrom>\S+)\s+TO\s+(?P<dto>[^\]\s]+)\s*\]) |
        (?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s()"]+))
    )""",
    re.VERBOSE,
)


def _parse_date(text: str, end: bool) -> datetime:
    digits = re.sub(r"\D", "", text)
    if text.strip() == "*" or not digits:
        return datetime.max.replace(tzinfo=UTC) if end else datetime.min.replace(tzinfo=UTC)
    fmt = {4: "%Y", 6: "%Y%m", 8: "%Y%m%d", 10: "%Y%m%d%H", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    digits = digits[:14] if len(digits) >= 14 else digits[: max(k for k in fmt if k <= len(digits))]
    dt = datetime.strptime(digits, fmt[len(digits)]).replace(tzinfo=UTC)
    if end and len(digits) == 12:
        dt = dt.replace(second=59)
    return dt


def tokenize(query: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            if query[pos:].strip() == "":
                break
            pos += 1  # skip a stray character such as an unmatched quote
            continue
        pos = m.end()
        if m.group("lpar"):
            tokens.append(("(", None))
        elif m.group("rpar"):
            tokens.append((")", None))
        elif m.group("date"):
            which = DATE_FIELDS.get(m.group("dfield").lower(), "submitted")
            rng = DateRange(
                which, _parse_date(m.group("dfrom"), False), _parse_date(m.group("dto"), True)
            )
            tokens.append(("leaf", rng))
        else:
            fld = (m.group("field") or "all").lower()
            if fld not in FIELDS:  # unknown prefix: search the whole thing as text
                word = m.group("word") or m.group("phrase") or ""
                tokens.append(("leaf", Term("all", f"{m.group('field')} {word}", True)))
                continue
            if m.group("phrase") is not None:
                tokens.append(("leaf", Term(fld, m.group("phrase"), True)))
                continue
            word = m.group("word")
            if not m.group("field") and word in ("AND", "OR", "ANDNOT"):
                tokens.append(("op", word))
            else:
                tokens.append(("leaf", Term(fld, word, False)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, object] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse_or(self) -> Node:
        left = self.parse_and()
        while (tok := self.peek()) and tok == ("op", "OR"):
            self.i += 1
            left = _combine("OR", left, self.parse_and())
        return left

    def parse_and(self) -> Node:
        left = self.parse_unary()
        while (tok := self.peek()) and tok[0] != ")" and tok != ("op", "OR"):
            op = "AND"
            if tok[0] == "op":
                op = str(tok[1])
                self.i += 1
            left = _combine(op, left, self.parse_unary())
        return left

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            return None
        self.i += 1
        if tok[0] == "(":
            node = self.parse_or()
            if (nxt := self.peek()) and nxt[0] == ")":
                self.i += 1
            return node
        if tok[0] == "leaf":
            return tok[1]  # type: ignore[return-value]
        if tok[0] == ")":
            return None
        return self.parse_unary()  # a dangling operator: ignore it


def _combine(op: str, left: Node, right: Node) -> Node:
    if left is None:
        return None if op == "ANDNOT" else right
    if right is None:
        return left
    return Op(op, left, right)


def parse_query(query: str) -> Node:
    parser = _Parser(tokenize(query))
    node = parser.parse_or()
    while parser.peek() is not None:  # stray ")" -- keep going, AND the rest
        parser.i += 1
        node = _combine("AND", node, parser.parse_or())
    return node


def normalise_query(query: str) -> str:
    """The query as arXiv echoes it in the feed title (bare terms get ``all:``)."""
    out: list[str] = []
    for kind, val in tokenize(query):
        if kind in ("(", ")"):
            out.append(kind)
        elif kind == "op":
            out.append(str(val))
        elif isinstance(val, Term):
            text = f'"{val.text}"' if val.phrase else val.text
            out.append(f"{val.field}:{text}")
        elif isinstance(val, DateRange):
            out.append(
                f"{'submittedDate' if val.which == 'submitted' else 'lastUpdatedDate'}:"
                f"[{val.start:%Y%m%d%H%M} TO {val.end:%Y%m%d%H%M}]"
            )
    return " ".join(out).replace("( ", "(").replace(" )", ")")


class ArxivMatcher:
    """Evaluates a parsed query against papers; ``score`` is 0 for a non-match."""

    def __init__(self, query: str, now: datetime) -> None:
        self.node = parse_query(query)
        self.now = now

    def score(self, paper: FakePaper) -> float:
        if self.node is None:
            return 0.0
        return self._eval(self.node, paper)

    def _eval(self, node: Node, p: FakePaper) -> float:
        if node is None:
            return 0.0
        if isinstance(node, Term):
            return float(_term_count(node, p))
        if isinstance(node, DateRange):
            when = p.published(self.now) if node.which == "submitted" else p.updated(self.now)
            return 0.001 if node.start <= when <= node.end else 0.0
        left = self._eval(node.left, p)
        if node.op == "OR":
            return left + self._eval(node.right, p)
        if not left:
            return 0.0
        right = self._eval(node.right, p)
        if node.op == "ANDNOT":
            return 0.0 if right else left
        return left + right if right else 0.0


def _field_texts(field: str, p: FakePaper) -> list[tuple[str, int]]:
    """(text, weight) pairs searched for a field prefix."""
    title = (p.title, 2)
    table: dict[str, Callable[[], list[tuple[str, int]]]] = {
        "ti": lambda: [title],
        "au": lambda: [(", ".join(p.authors), 1)],
        "abs": lambda: [(p.abstract or "", 1)],
        "co": lambda: [(p.comment or "", 1)],
        "jr": lambda: [(p.journal_ref or "", 1)],
        "rn": lambda: [],
        "all": lambda: [
            title,
            (p.abstract or "", 1),
            (", ".join(p.authors), 1),
            (p.comment or "", 1),
            (p.journal_ref or "", 1),
        ],
    }
    return table[field]()


def _term_count(term: Term, p: FakePaper) -> int:
    if term.field == "cat":
        return _cat_match(term.text, p.categories)
    if term.field == "id":
        return int(bool(p.arxiv_id) and strip_version(term.text).lower() == p.arxiv_id)
    needle = words(term.text)
    if not needle:
        return 0
    total = 0
    for text, weight in _field_texts(term.field, p):
        hay = words(text)
        if term.phrase or len(needle) > 1:
            n = len(needle)
            hits = sum(1 for i in range(len(hay) - n + 1) if hay[i : i + n] == needle)
        else:
            hits = sum(1 for w in hay if w.startswith(needle[0]))
        total += weight * hits
    return total


def _cat_match(text: str, categories: list[str]) -> int:
    t = text.lower().rstrip("*").rstrip(".")
    for c in categories:
        c = c.lower()
        if c == t or c.startswith(t + ".") or (text.endswith("*") and c.startswith(t)):
            return 1
    return 0


# ================================ Semantic Scholar bulk syntax ================================
# ``+`` AND (also the default between terms), ``|`` OR, ``-`` NOT, ``"phrase"``, ``word*``
# prefix, parentheses. A term matches the title or abstract after light stemming.

_BULK_TOKEN = re.compile(r'\s*(?:(?P<op>[()|+-])|"(?P<phrase>[^"]*)"|(?P<word>[^\s()|+"]+))')


@dataclass(frozen=True)
class BulkTerm:
    stems: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class BulkOp:
    op: str  # "and" | "or" | "not"
    args: tuple[BulkNode, ...]


BulkNode = BulkTerm | BulkOp


def parse_bulk(text: str) -> BulkNode:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _BULK_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if not text[pos:].strip():
                break
            raise ValueError(f"unexpected {text[pos]!r}")
        pos = m.end()
        if m.group("op"):
            tokens.append(("op", m.group("op")))
        elif m.group("phrase") is not None:
            tokens.append(("phrase", m.group("phrase")))
        elif m.group("word"):
            tokens.append(("word", m.group("word")))
    i = 0

    def peek() -> tuple[str, str] | None:
        return tokens[i] if i < len(tokens) else None

    def parse_or() -> BulkNode:
        nonlocal i
        args = [parse_and()]
        while peek() == ("op", "|"):
            i += 1
            args.append(parse_and())
        return args[0] if len(args) == 1 else BulkOp("or", tuple(args))

    def parse_and() -> BulkNode:
        nonlocal i
        args = [parse_unary()]
        while (tok := peek()) is not None and tok not in (("op", "|"), ("op", ")")):
            if tok == ("op", "+"):
                i += 1
            args.append(parse_unary())
        return args[0] if len(args) == 1 else BulkOp("and", tuple(args))

    def parse_unary() -> BulkNode:
        nonlocal i
        tok = peek()
        if tok is None:
            raise ValueError("expression ends early")
        i += 1
        if tok == ("op", "-"):
            return BulkOp("not", (parse_unary(),))
        if tok == ("op", "("):
            node = parse_or()
            if peek() != ("op", ")"):
                raise ValueError("unbalanced parentheses")
            i += 1
            return node
        if tok[0] == "op":
            raise ValueError(f"unexpected {tok[1]!r}")
        raw = tok[1]
        prefix = tok[0] == "word" and raw.endswith("*")
        stems = tuple(stem(w) for w in words(raw.rstrip("*")))
        if not stems:
            raise ValueError(f"empty term {raw!r}")
        return BulkTerm(stems, prefix)

    node = parse_or()
    if i != len(tokens):
        raise ValueError("unbalanced parentheses")
    return node


def bulk_match(node: BulkNode, paper: FakePaper) -> bool:
    hay = [stem(w) for w in words(paper.title + " " + (paper.abstract or ""))]
    return _bulk_eval(node, hay)


def _bulk_eval(node: BulkNode, hay: list[str]) -> bool:
    if isinstance(node, BulkTerm):
        n = len(node.stems)
        for i in range(len(hay) - n + 1):
            window = hay[i : i + n]
            if window[:-1] == list(node.stems[:-1]) and (
                window[-1] == node.stems[-1]
                or (node.prefix and window[-1].startswith(node.stems[-1]))
            ):
                return True
        return False
    if node.op == "not":
        return not _bulk_eval(node.args[0], hay)
    if node.op == "and":
        return all(_bulk_eval(a, hay) for a in node.args)
    return any(_bulk_eval(a, hay) for a in node.args)
