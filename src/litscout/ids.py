"""Paper identifiers: parse what people paste, produce one canonical form.

Canonical ids: `arXiv:<id>` (no version) when the paper is on arXiv, else `doi:<doi>`
(lower-cased), else `s2:<paperId>`. Semantic Scholar's `CorpusId:<n>` (also typed `corpus:<n>`)
is accepted as input and shown in tables (`short`); it is resolved to a canonical id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .errors import UsageError

NEW_ARXIV = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
OLD_ARXIV = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(v\d+)?$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
S2_PAPER = re.compile(r"^[0-9a-f]{40}$")
CORPUS = re.compile(r"^(?:corpusid|corpus)\s*:\s*(\d{1,15})$", re.I)
ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(.+?)(?:\.pdf)?/?$", re.I
)
DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/(.+)$", re.I)
S2_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?semanticscholar\.org/paper/(?:[^/]+/)?([0-9a-f]{40})"
)
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


@dataclass(frozen=True)
class PaperId:
    kind: str  # "arxiv" | "doi" | "s2" | "corpus" (Semantic Scholar's CorpusId)
    value: str

    @property
    def canonical(self) -> str:
        """The id as litscout prints it (a `corpus` id stands until it is resolved)."""
        prefix = {"arxiv": "arXiv", "doi": "doi", "s2": "s2", "corpus": "CorpusId"}[self.kind]
        return f"{prefix}:{self.value}"

    @property
    def s2(self) -> str:
        """The form Semantic Scholar's graph API accepts."""
        if self.kind == "arxiv":
            return f"ARXIV:{self.value}"
        if self.kind == "doi":
            return f"DOI:{self.value}"
        if self.kind == "corpus":
            return f"CorpusId:{self.value}"
        return self.value


def arxiv_id(text: str | None) -> str | None:
    """The versionless arXiv id in `text` (bare id, `arXiv:` prefix, abs/pdf URL), or None."""
    if not text:
        return None
    text = text.strip()
    match = ARXIV_URL.match(text)
    if match:
        text = match.group(1)
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    found = NEW_ARXIV.match(text)
    if found:
        stamp, number = found.group(1).split(".")
        month = int(stamp[2:])
        # YYMM.NNNN until 1412, YYMM.NNNNN from 1501 (arXiv's identifier scheme)
        if 1 <= month <= 12 and len(number) == (5 if int(stamp) >= 1501 else 4):
            return found.group(1)
        return None
    found = OLD_ARXIV.match(text)
    return found.group(1) if found else None


def normalise_doi(text: str | None) -> str | None:
    if not text:
        return None
    text = unquote(text.strip())
    match = DOI_URL.match(text)
    if match:
        text = match.group(1)
    if text.lower().startswith("doi:"):
        text = text[4:]
    text = text.strip().lower()
    return text if DOI.match(text) else None


def parse(text: str) -> PaperId:
    """Parse any id a user might paste. Raises UsageError with the accepted forms."""
    raw = (text or "").strip()
    if not raw:
        raise UsageError("empty paper id", hint=ACCEPTED)
    found = arxiv_id(raw)
    if found:
        return PaperId("arxiv", found)
    doi = normalise_doi(raw)
    if doi:
        inner = ARXIV_DOI.match(doi)
        if inner and arxiv_id(inner.group(1)):
            return PaperId("arxiv", arxiv_id(inner.group(1)) or "")
        return PaperId("doi", doi)
    corpus = CORPUS.match(raw)
    if corpus:
        return PaperId("corpus", str(int(corpus.group(1))))
    lowered = raw.lower()
    if lowered.startswith("s2:"):
        lowered = lowered[3:]
    match = S2_URL.match(lowered)
    if match:
        lowered = match.group(1)
    if S2_PAPER.match(lowered):
        return PaperId("s2", lowered)
    raise UsageError(f"not a paper id: {raw!r}", hint=ACCEPTED)


ACCEPTED = (
    "use an arXiv id (1606.04080, arXiv:1606.04080v2, hep-th/9901001, https://arxiv.org/abs/...), "
    "doi:10.xxxx/..., CorpusId:<n> (Semantic Scholar's corpus id), "
    "or s2:<40-hex Semantic Scholar paperId>"
)


def canonical(arxiv: str | None, doi: str | None, s2: str | None) -> str:
    if arxiv:
        return f"arXiv:{arxiv}"
    if doi:
        return f"doi:{doi}"
    return f"s2:{s2}"


def short(record: dict[str, object]) -> str:
    """The shortest id every command accepts, for tables: `arXiv:<id>`, else `CorpusId:<n>`,
    else `doi:<doi>` (or `s2:<paperId>` when that is shorter), else the canonical id."""
    if record.get("arxiv_id"):
        return f"arXiv:{record['arxiv_id']}"
    if record.get("corpus_id") is not None:
        return f"CorpusId:{record['corpus_id']}"
    doi = f"doi:{record['doi']}" if record.get("doi") else None
    s2 = f"s2:{record['s2_id']}" if record.get("s2_id") else None
    if doi and s2:
        return doi if len(doi) <= len(s2) else s2
    return doi or s2 or str(record.get("id") or "")
