"""Does a paper match a watch's query? Evaluated locally, for feed items.

The listing feed gives a whole day of a category; each watch picks its papers here, so the
daily run needs no per-watch request.

* Plain words (`few-shot learning`): every content word must appear in the title or the
  abstract, after light normalisation (learning/learned/learns, class/classes,
  imbalance/imbalanced match). A hyphenated word must appear as a run: `few-shot` matches
  "few-shot" and "few shot", not "few ... shot".
* arXiv syntax (`ti:"graph neural" AND cat:cs.LG ANDNOT au:smith`): the fields `ti abs au
  co jr cat id all` (`rn` never matches: the feeds carry no report numbers), quoted
  phrases, a trailing `*` as a prefix wildcard, `AND OR ANDNOT`, parentheses, and
  `submittedDate:[YYYYMMDD TO YYYYMMDD]`. Adjacent terms without an operator are ANDed;
  AND/ANDNOT bind tighter than OR. `lastUpdatedDate:[...]` is not known locally and matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..errors import UsageError
from ..models import Paper
from ..query import content_words, is_arxiv_syntax
from ..words import contains, term, tokens

FIELDS = ("ti", "abs", "au", "co", "jr", "cat", "rn", "id", "all")
_LEXER = re.compile(
    r"""
    (?P<lparen>\() | (?P<rparen>\)) |
    (?P<field>[A-Za-z]+):(?=\S) |
    (?P<range>\[[^\]]*\]) |
    (?P<phrase>"[^"]*") |
    (?P<word>[^\s()"]+)
    """,
    re.X,
)

Predicate = Callable[[Paper], bool]


def compile_query(text: str) -> Predicate:
    """A predicate for `text`; raises UsageError when arXiv syntax cannot be parsed."""
    text = " ".join((text or "").split())
    if not text:
        raise UsageError("empty query")
    if is_arxiv_syntax(text):
        return _Parser(text).parse()
    groups = [term(word)[0] for word in content_words(text)]
    groups = [g for g in groups if g]
    if not groups:
        raise UsageError(f"query has no searchable words: {text!r}")

    def plain(paper: Paper) -> bool:
        words = tokens(paper.title) + ["\x00"] + tokens(paper.abstract)
        present = set(words)
        return all((g[0] in present) if len(g) == 1 else contains(words, g) for g in groups)

    return plain


# -- arXiv syntax ------------------------------------------------------------------------


@dataclass
class _Tok:
    kind: str
    value: str


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for match in _LEXER.finditer(text):
        kind = match.lastgroup or "word"
        value = match.group(kind)
        if kind == "word" and value in ("AND", "OR", "ANDNOT"):
            kind = "op"
        out.append(_Tok(kind, value))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _lex(text)
        self.pos = 0

    def error(self, message: str) -> UsageError:
        return UsageError(
            f"cannot read the query {self.text!r}: {message}",
            hint='arXiv syntax: ti:"..." au:name abs:word cat:cs.LG, AND OR ANDNOT, ( )',
        )

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Predicate:
        node = self.parse_or("all")
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek().value!r}")  # type: ignore[union-attr]
        return node

    def parse_or(self, field: str) -> Predicate:
        nodes = [self.parse_and(field)]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.value == "OR":
            self.take()
            nodes.append(self.parse_and(field))
        if len(nodes) == 1:
            return nodes[0]
        return lambda paper: any(n(paper) for n in nodes)

    def parse_and(self, field: str) -> Predicate:
        node = self.parse_unary(field)
        while (tok := self.peek()) is not None and not (tok.kind == "op" and tok.value == "OR"):
            if tok.kind == "rparen":
                break
            negate = False
            if tok.kind == "op":
                self.take()
                negate = tok.value == "ANDNOT"
            right = self.parse_unary(field)
            node = _and(node, right, negate)
        return node

    def parse_unary(self, field: str) -> Predicate:
        tok = self.peek()
        if tok is None:
            raise self.error("it ends where a term was expected")
        if tok.kind == "lparen":
            self.take()
            node = self.parse_or(field)
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise self.error("a parenthesis is not closed")
            self.take()
            return node
        if tok.kind == "field":
            self.take()
            name = tok.value
            nxt = self.peek()
            if nxt is None:
                raise self.error(f"nothing after {name}:")
            if name in ("submittedDate", "lastUpdatedDate"):
                if nxt.kind != "range":
                    raise self.error(f"{name}: needs [YYYYMMDDHHMM TO YYYYMMDDHHMM]")
                self.take()
                return _date_range(name, nxt.value, self)
            key = name.lower()
            if key not in FIELDS:
                raise self.error(f"unknown field {name}:")
            if nxt.kind == "lparen":
                return self.parse_unary(key)
            if nxt.kind not in ("word", "phrase"):
                raise self.error(f"nothing to search after {name}:")
            self.take()
            return _leaf(key, nxt.value.strip('"'))
        if tok.kind in ("word", "phrase"):
            self.take()
            return _leaf(field, tok.value.strip('"'))
        raise self.error(f"unexpected {tok.value!r}")


def _and(left: Predicate, right: Predicate, negate: bool) -> Predicate:
    if negate:
        return lambda paper: left(paper) and not right(paper)
    return lambda paper: left(paper) and right(paper)


def _field_tokens(field: str, paper: Paper) -> list[str]:
    if field == "ti":
        return tokens(paper.title)
    if field == "abs":
        return tokens(paper.abstract)
    if field == "au":
        return [t for name in paper.authors for t in tokens(name) + ["\x00"]]
    if field == "co":
        return tokens(paper.comment)
    if field == "jr":
        return tokens(paper.journal_ref)
    parts = [paper.title, paper.abstract, " ".join(paper.authors), paper.comment]
    return [t for part in parts for t in tokens(part) + ["\x00"]]


def _leaf(field: str, text: str) -> Predicate:
    if field == "rn":
        return lambda paper: False
    if field == "cat":
        wanted = text.strip().rstrip("*").rstrip(".")
        archive = "." not in wanted or text.endswith("*")

        def category(paper: Paper) -> bool:
            for cat in paper.categories:
                if cat == wanted or (archive and cat.split(".")[0] == wanted.split(".")[0]):
                    return True
            return False

        return category
    if field == "id":
        wanted_id = text.strip().lower().removeprefix("arxiv:")
        return lambda paper: (paper.arxiv_id or "").lower() == wanted_id
    needle, prefix = term(text.replace("_", " ") if field == "au" else text)
    if not needle:
        return lambda paper: False
    return lambda paper: contains(_field_tokens(field, paper), needle, prefix)


def _date_range(name: str, spec: str, parser: _Parser) -> Predicate:
    match = re.fullmatch(r"\[\s*(\d{8})\d*\s+TO\s+(\d{8})\d*\s*\]", spec)
    if not match:
        raise parser.error(f"{name}: needs [YYYYMMDDHHMM TO YYYYMMDDHHMM]")
    try:
        start, stop = (
            date(int(d[:4]), int(d[4:6]), int(d[6:8])) for d in (match.group(1), match.group(2))
        )
    except ValueError:
        raise parser.error(f"{name}: not a valid date range {spec}") from None
    if name == "lastUpdatedDate":
        return lambda paper: True
    return lambda paper: paper.published is None or start <= paper.published <= stop
