"""The paper record every source produces and every command prints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import ids

# The public record contract: every record has exactly these keys, in this order.
RECORD_KEYS = (
    "id",
    "arxiv_id",
    "doi",
    "s2_id",
    "corpus_id",
    "title",
    "authors",
    "abstract",
    "published",
    "year",
    "age_days",
    "primary_category",
    "categories",
    "venue",
    "citations",
    "influential_citations",
    "velocity",
    "velocity_basis",
    "velocity_window",
    "score",
    "score_parts",
    "is_survey",
    "code_urls",
    "url",
    "pdf_url",
    "sources",
)

# A survey of the literature — the word used as that noun in a title: "A Survey on X",
# "X: A Comprehensive Review", "An Overview of X", "A Tutorial on X", "X: a practical guide".
# Singular only ("Transit Surveys", "Radio Continuum Surveys" are observations), and not
# after a word that gives it another sense ("Book Review", "peer review", "sky survey").
_TITLE_NOUN = re.compile(r"\b(survey|review|overview|tutorial|primer|guide)\b", re.I)
OTHER_SENSE = frozenset(
    """book peer code film movie product design user sky transit radio redshift spectroscopic
    photometric imaging field household national telephone online web site
    patient""".split()
)
_LEAD_ARTICLE = re.compile(r"^\s*an?\s+(?:[\w-]+\s+){0,3}$", re.I)  # "A Comprehensive "
_AFTER_COLON = re.compile(r"(?:^|[:—–]\s*)(?:an?\s+)?(?:[\w-]+\s+){0,2}$", re.I)  # ": A "
_ENDS = re.compile(r"\s*(?:$|[:—–(])")
_OF_ON = re.compile(r"\s+(?:of|on|for)\b", re.I)
BOOK_REVIEW = re.compile(r"\bbook\s+reviews?\b|\breview\s+of\s+[\"“‘']", re.I)
# The same in an abstract: "we survey", "this survey", "a comprehensive review", ...
SURVEY_ABSTRACT = re.compile(
    r"\b(?:we|this\s+(?:paper|article|work))\s+(?:comprehensively\s+|systematically\s+)?"
    r"(?:survey|review)\s+(?:the|recent|existing|current|state|methods|approaches|advances|work|"
    r"progress|developments|applications|measures|literature|\w+(?:ing|ion|s)\b)"
    r"|\b(?:in\s+)?this\s+(?:survey|review|overview|tutorial)\b"
    r"|\b(?:comprehensive|systematic|extensive|thorough|critical|structured)\s+"
    r"(?:literature\s+)?(?:survey|review|overview)\b"
    r"|\bwe\s+(?:provide|present|give|offer)\s+an?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:overview|survey|review|taxonomy)\b",
    re.I,
)
# Observational surveys (astronomy, social science): "survey" there is no literature survey.
OTHER_SURVEYS = re.compile(
    r"\b(?:galax|redshift|stellar|telescope|exoplanet|quasar|supernova|photometr|spectroscop|"
    r"sky\s+survey|questionnaire|respondents)",
    re.I,
)
SURVEY_REFERENCES = 100  # a long reference list supports, never decides
CODE_URL = re.compile(
    r"(?<![\w.@/])(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|huggingface\.co)"
    r"/([^\s<>\"'(){}\[\],;]+)",
    re.I,
)
# Paths on those hosts that are not a repository, model, dataset or space.
NOT_CODE = frozenset(
    "about blog collections docs features join login marketplace models orgs papers pricing "
    "settings sponsors tasks topics explore".split()
)


@dataclass
class Paper:
    """What litscout knows about one paper, merged across sources."""

    title: str
    arxiv_id: str | None = None
    doi: str | None = None
    s2_id: str | None = None
    corpus_id: int | None = None  # Semantic Scholar's CorpusId: a short id its API accepts
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    published: date | None = None
    year: int | None = None
    primary_category: str | None = None
    categories: list[str] = field(default_factory=list)
    venue: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    citations: int | None = None
    influential_citations: int | None = None
    reference_count: int | None = None
    publication_types: list[str] = field(default_factory=list)
    tldr: str | None = None
    bibtex: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return ids.canonical(self.arxiv_id, self.doi, self.s2_id)

    @property
    def is_survey(self) -> bool:
        return len(survey_signals(self)) >= 2  # see survey_signals

    @property
    def code_checked(self) -> bool:
        """Has litscout seen the text code links are given in: the arXiv comment and abstract
        (an arXiv paper fetched from arXiv), or the abstract of a paper not on arXiv?"""
        if self.arxiv_id:
            return "arxiv" in self.sources
        return self.abstract is not None

    @property
    def code_urls(self) -> list[str] | None:
        """Repository links; None while the text they are given in has not been seen."""
        found = find_code_urls(self.abstract, self.comment)
        return found if found or self.code_checked else None

    def merge(self, other: Paper) -> None:
        """Fill what is missing from `other`; citation counts take the freshest known value."""
        for name in (
            "arxiv_id", "doi", "s2_id", "corpus_id", "abstract", "published", "year",
            "primary_category", "venue", "comment", "journal_ref", "tldr", "bibtex", "url",
            "pdf_url",
        ):  # fmt: skip
            if getattr(self, name) in (None, "") and getattr(other, name) not in (None, ""):
                setattr(self, name, getattr(other, name))
        for name in ("citations", "influential_citations", "reference_count"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None and (mine is None or theirs > mine):
                setattr(self, name, theirs)
        if not self.authors:
            self.authors = list(other.authors)
        if not self.categories:
            self.categories = list(other.categories)
        for item in other.publication_types:
            if item not in self.publication_types:
                self.publication_types.append(item)
        for source in other.sources:
            if source not in self.sources:
                self.sources.append(source)
        if not self.title and other.title:
            self.title = other.title


def survey_signals(paper: Paper) -> list[str]:
    """Why a paper may be a survey of the literature: "type" (S2's Review), "title" (the noun
    in its title), "abstract" ("we survey", "this review", ...), "references" (a long list).
    A survey needs two of them, and one besides the reference count."""
    title = paper.title or ""
    if BOOK_REVIEW.search(title):
        return []
    other_sense = bool(OTHER_SURVEYS.search(f"{title} {paper.abstract or ''}"))
    signals = []
    if any(t.lower() == "review" for t in paper.publication_types):
        signals.append("type")
    noun = _title_noun(title)
    if noun and not (other_sense and noun == "survey"):
        signals.append("title")
    found = SURVEY_ABSTRACT.search(paper.abstract or "")
    if found and not (other_sense and "survey" in found.group(0).lower()):
        signals.append("abstract")
    if (paper.reference_count or 0) >= SURVEY_REFERENCES:
        signals.append("references")
    return signals


def _title_noun(title: str) -> str | None:
    """The survey noun when the title uses it for a literature survey: "A Survey on X",
    "An Overview of X", "X: A Comprehensive Review", "Survey of X", "X: a practical guide"."""
    for found in _TITLE_NOUN.finditer(title):
        noun = found.group(1).lower()
        before, after = title[: found.start()], title[found.end() :]
        words = re.findall(r"[\w-]+", before)
        if words and words[-1].lower() in OTHER_SENSE:
            continue
        colon = bool(re.search(r"[:—–]", before)) or not before.strip()
        ends, of_on = bool(_ENDS.match(after)), bool(_OF_ON.match(after))
        if noun == "guide":
            if colon and _AFTER_COLON.search(before) and ends:
                return noun
        elif _LEAD_ARTICLE.match(before) and (ends or of_on):
            return noun
        elif colon and _AFTER_COLON.search(before) and (ends or of_on):
            return noun
    return None


def find_code_urls(*texts: str | None) -> list[str]:
    """Repository links (GitHub, GitLab, Hugging Face) in free text, normalised to the
    repository itself (`https://github.com/owner/repo`, no .git, deep path or trailing
    punctuation; `huggingface.co/[datasets|spaces/]owner/name`), deduplicated ignoring case."""
    found: dict[str, str] = {}
    for text in texts:
        for host, path in CODE_URL.findall(text or ""):
            host = host.lower()
            parts = [p for p in path.split("/") if p]
            if host == "gitlab.com" and "-" in parts:
                parts = parts[: parts.index("-")]
            if host == "huggingface.co" and parts and parts[0] in ("datasets", "spaces"):
                keep = 3
            elif host == "gitlab.com":
                keep = len(parts)  # groups can nest: keep the whole project path
            else:
                keep = 2
            parts = parts[:keep]
            if parts:
                parts[-1] = re.sub(r"[.:!?]+$", "", parts[-1]).removesuffix(".git")
            parts = [p for p in parts if p]
            if len(parts) < min(keep, 2) or parts[0].lower() in NOT_CODE:
                continue  # a profile or site page is not code to try
            url = f"https://{host}/" + "/".join(parts)
            found.setdefault(url.lower(), url)
    return list(found.values())


def normalise_title(title: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (title or "").lower()).strip()


def clean_text(text: str | None) -> str | None:
    """Collapse arXiv's hard-wrapped, indented text to single spaces."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None


def to_record(paper: Paper, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public JSON shape; `extra` supplies age/velocity/score fields from ranking."""
    extra = extra or {}
    record: dict[str, Any] = {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "s2_id": paper.s2_id,
        "corpus_id": paper.corpus_id,
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "published": paper.published.isoformat() if paper.published else None,
        "year": paper.year or (paper.published.year if paper.published else None),
        "age_days": extra.get("age_days"),
        "primary_category": paper.primary_category,
        "categories": list(paper.categories),
        "venue": paper.venue or None,
        "citations": paper.citations,
        "influential_citations": paper.influential_citations,
        "velocity": extra.get("velocity"),
        "velocity_basis": extra.get("velocity_basis"),
        "velocity_window": extra.get("velocity_window"),
        "score": extra.get("score"),
        "score_parts": extra.get("score_parts"),
        "is_survey": paper.is_survey,
        "code_urls": paper.code_urls,
        "url": paper.url,
        "pdf_url": paper.pdf_url,
        "sources": list(paper.sources),
    }
    return record
