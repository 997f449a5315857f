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

SURVEY_WORDS = re.compile(
    r"\b(survey|surveys|review|overview|tutorial|primer|systematic literature|state of the art)\b",
    re.I,
)
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
        if any(t.lower() == "review" for t in self.publication_types):
            return True
        if SURVEY_WORDS.search(self.title or ""):
            return True
        return (self.reference_count or 0) >= 150

    @property
    def code_urls(self) -> list[str]:
        return find_code_urls(self.abstract, self.comment)

    def merge(self, other: Paper) -> None:
        """Fill what is missing from `other`; citation counts take the freshest known value."""
        for name in (
            "arxiv_id", "doi", "s2_id", "abstract", "published", "year", "primary_category",
            "venue", "comment", "journal_ref", "tldr", "bibtex", "url", "pdf_url",
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
