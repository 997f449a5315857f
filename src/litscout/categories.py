"""arXiv category codes: the taxonomy as package data, so typos fail before a query is sent.

arXiv silently returns nothing for an unknown `cat:` code, so a misspelt category looks like
"no new papers". The table lives in `data/arxiv_categories.tsv` (hand-written from
https://arxiv.org/category_taxonomy) and is read once, on first use.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

Kind = Literal["category", "archive", "legacy"]
_KINDS: dict[str, Kind] = {"category": "category", "archive": "archive", "legacy": "legacy"}
DATA_FILE = "arxiv_categories.tsv"


@dataclass(frozen=True)
class Category:
    """One row of the taxonomy; `legacy` covers defunct archives and aliases like math.IT."""

    code: str
    name: str
    kind: Kind


def _parse(text: str) -> dict[str, Category]:
    """Parse the TSV strictly: a malformed data file is a packaging bug, not user input."""
    table: dict[str, Category] = {}
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if fields != ["code", "name", "kind"]:
                raise RuntimeError(f"{DATA_FILE}:{lineno}: bad header {line!r}")
            header_seen = True
            continue
        if len(fields) != 3 or not all(f.strip() == f and f for f in fields):
            raise RuntimeError(f"{DATA_FILE}:{lineno}: malformed row {line!r}")
        code, name, kind_text = fields
        kind = _KINDS.get(kind_text)
        if kind is None:
            raise RuntimeError(f"{DATA_FILE}:{lineno}: unknown kind {kind_text!r}")
        if code in table:
            raise RuntimeError(f"{DATA_FILE}:{lineno}: duplicate code {code!r}")
        table[code] = Category(code, name, kind)
    return table


@cache
def load() -> dict[str, Category]:
    """All known codes (categories, archives, legacy), keyed by exact code; cached after first use.

    Callers get the cached dict itself, so treat it as read-only.
    """
    text = (files("litscout") / "data" / DATA_FILE).read_text(encoding="utf-8")
    return _parse(text)


@cache
def _by_lower() -> dict[str, str]:
    """Lower-cased code -> real code, to suggest "cs.LG" for "cs.lg"."""
    return {code.lower(): code for code in load()}


def is_known(code: str) -> bool:
    """True for any category, whole-archive or legacy code; case-sensitive like arXiv itself."""
    return code in load()


def canonical(code: str) -> str | None:
    """The code as arXiv spells it, whatever the case typed ("cs.lg" -> "cs.LG"), or None.

    No two codes differ only in case, so reading the user's case generously is safe.
    """
    return code if code in load() else _by_lower().get(code.lower())


def all_codes() -> list[str]:
    """Every current category and archive code, sorted (for shell completion)."""
    return sorted(c.code for c in load().values() if c.kind != "legacy")


def describe(code: str) -> str | None:
    """Human name for a code ("cs.LG" -> "Machine Learning"), or None if unknown."""
    cat = load().get(code)
    return cat.name if cat else None


def archive_of(code: str) -> str:
    """Archive part of a code: "cs.LG" -> "cs", "astro-ph.GA" -> "astro-ph", "hep-th" -> "hep-th".

    Purely syntactic, so it also works for codes missing from the table.
    """
    return code.split(".", 1)[0]


def suggest(code: str, n: int = 3) -> list[str]:
    """Closest known codes: an exact case-insensitive match first, then difflib neighbours.

    Ties in similarity go to the longer shared prefix, so "cs.LX" suggests cs.LG before cs.PL.
    """
    target = code.lower()
    by_lower = _by_lower()
    out: list[str] = []
    if target in by_lower:
        out.append(by_lower[target])
    near = difflib.get_close_matches(target, list(by_lower), n=n + 8, cutoff=0.6)

    def rank(low: str) -> tuple[float, int]:
        ratio = difflib.SequenceMatcher(None, target, low).ratio()
        prefix = len(os.path.commonprefix([target, low]))
        return (-ratio, -prefix)

    for low in sorted(near, key=rank):
        if by_lower[low] not in out:
            out.append(by_lower[low])
    return out[:n]


def validate(codes: Iterable[str]) -> list[str]:
    """Strip, drop blanks and duplicates (order kept), spell each code as arXiv does (any case
    typed is accepted); raise ValueError naming every unknown code.

    Failing loudly matters because arXiv answers an unknown category with an empty result.
    """
    cleaned: list[str] = []
    problems: list[str] = []
    for raw in codes:
        typed = raw.strip()
        if not typed:
            continue
        code = canonical(typed)
        if code is None:
            hints = suggest(typed)
            hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
            problems.append(f"unknown arXiv category {typed!r}{hint}")
            continue
        if code not in cleaned:
            cleaned.append(code)
    if problems:
        raise ValueError("; ".join(problems))
    return cleaned
