"""Adding to an existing .bib file: only the papers it lacks, never a key it already has."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import bibtex

_HEAD = re.compile(r"@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.I)
_EPRINT = re.compile(r"\beprint\s*=\s*[{\"]\s*(?:arxiv:)?([^}\"\s]+?)(?:v\d+)?\s*[}\"]", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^}\"\s,]+?)(?:v\d+)?(?:\.pdf)?[}\"\s,]", re.I)
_DOI = re.compile(r"\bdoi\s*=\s*[{\"]\s*([^}\"\s]+)\s*[}\"]", re.I)


@dataclass
class Known:
    """What a .bib file already holds: its keys, and per key the arXiv id and DOI seen."""

    keys: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    arxiv: set[str] = field(default_factory=set)
    dois: set[str] = field(default_factory=set)


def read(text: str) -> Known:
    known = Known()
    heads = list(_HEAD.finditer(text))
    for i, head in enumerate(heads):
        if head.group(1).lower() in ("comment", "string", "preamble"):
            continue
        body = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        eprint = _EPRINT.search(body) or _ARXIV_URL.search(body + " ")
        doi = _DOI.search(body)
        arxiv_id = eprint.group(1).lower() if eprint else None
        doi_text = doi.group(1).lower() if doi else None
        known.keys[head.group(2).lower()] = (arxiv_id, doi_text)
        if arxiv_id:
            known.arxiv.add(arxiv_id)
        if doi_text:
            known.dois.add(doi_text)
    return known


def _same_paper(record: dict[str, Any], ids: tuple[str | None, str | None]) -> bool:
    """An entry with our key is this paper unless it names another arXiv id or DOI."""
    arxiv_id, doi = ids
    mine = (
        str(record.get("arxiv_id") or "").lower() or None,
        str(record.get("doi") or "").lower() or None,
    )
    clash = (arxiv_id and mine[0] and arxiv_id != mine[0]) or (doi and mine[1] and doi != mine[1])
    return not clash


def missing(text: str, records: list[dict[str, Any]]) -> tuple[str, int, int]:
    """BibTeX entries for the records `text` (a .bib file) lacks, how many those are, and how
    many it had already.

    A paper is there already when an entry has its arXiv id or DOI, or its key (unless that
    entry names another paper: then ours gets the next free key, b, c, ...).
    """
    known = read(text)
    taken = set(known.keys)
    wanted: list[tuple[str, dict[str, Any]]] = []
    present = 0
    for key, record in zip(bibtex.keys(records), records, strict=True):
        arxiv_id = str(record.get("arxiv_id") or "").lower()
        doi = str(record.get("doi") or "").lower()
        if (arxiv_id and arxiv_id in known.arxiv) or (doi and doi in known.dois):
            present += 1
            continue
        if key.lower() in known.keys and _same_paper(record, known.keys[key.lower()]):
            present += 1
            continue
        base, n = key, 1
        while key.lower() in taken:
            n += 1
            key = base + bibtex._suffix(n - 1)
        taken.add(key.lower())
        wanted.append((key, record))
    return (bibtex.entries_with_keys(wanted) if wanted else ""), len(wanted), present
