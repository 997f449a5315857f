"""Following the field from one paper: paper, cites, references, related, export.

Every answer is kept in the store (`store/follows.py`): a repeated call within the cache TTL
makes no request, and `--offline` answers from what is there.

Costs (cold cache):
* `paper`  — at most 3 requests: S2 details; one page of citing papers (all of them when
  there are at most 1,000, else only the last year's, or OpenAlex `counts_by_year` when
  enabled); then, if the budget allows, an arXiv look-up when the arXiv metadata
  (categories, comment with code links) is missing.
* `cites`  — one S2 request per 1,000 citing papers; S2 stops at 9,999 and we say so.
* `references` — S2 details when the paper is not cached, then one S2 request per 1,000
  references.
* `related` — one S2 recommendations request (+ one batch look-up for unknown seeds).
* a title instead of an id — one S2 search (cached); `--has-code` — one arXiv id_list
  request for the papers whose arXiv comment litscout has not read.
* `export` — one S2 batch request for papers not cached yet (+ one arXiv look-up for papers
  S2 does not know).
"""

from __future__ import annotations

from .citations import citations
from .cites import cites, references
from .common import CITES_KEYS, PAPER_KEYS, AmbiguousTitleError, NotFoundError, topic_terms
from .export import export_records
from .paper import paper_report
from .related import related
from .resolve import id_or_title, look_up_code, paper_id, resolve

__all__ = [
    "AmbiguousTitleError",
    "CITES_KEYS",
    "NotFoundError",
    "PAPER_KEYS",
    "citations",
    "cites",
    "export_records",
    "id_or_title",
    "look_up_code",
    "paper_id",
    "paper_report",
    "references",
    "related",
    "resolve",
    "topic_terms",
]
