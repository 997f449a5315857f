"""arXiv's daily listing feeds (RSS), read with feedparser.

A feed holds one announcement day of one or more categories (`cs.LG+stat.ML`). It is the
cheap daily source for `litscout watch`: one request covers every watch that shares the
categories. Requests go through `Http.request`, so the shared arXiv limiter (3 s) and the
retry policy apply exactly as for the API.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .. import ids
from ..errors import SourceError
from ..models import Paper, clean_text
from .bodies import describe_body
from .http import Http

DESCRIPTION = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*\n?\s*Abstract:\s*(?P<abstract>.*)$", re.S
)
BAD_ARCHIVE = re.compile(r"Bad archive '([^']*)'")
TAG = re.compile(r"<[^>]+>")
NEW_TYPES = ("new", "cross")  # "replace" / "replace-cross" are new versions of old papers


@dataclass
class FeedItem:
    paper: Paper
    announce_type: str  # new | cross | replace | replace-cross ("" when the feed does not say)

    @property
    def is_new(self) -> bool:
        return self.announce_type in NEW_TYPES or not self.announce_type


@dataclass
class Feed:
    spec: str  # "cs.LG+stat.ML"
    announced: date | None  # the announcement day the feed lists (channel pubDate)
    items: list[FeedItem] = field(default_factory=list)

    @property
    def papers(self) -> list[Paper]:
        return [item.paper for item in self.items]


def spec_for(categories: Iterable[str]) -> str:
    """The feed path for a set of categories: sorted, deduplicated, joined with `+`."""
    return "+".join(sorted(dict.fromkeys(c.strip() for c in categories if c.strip())))


class ArxivFeed:
    def __init__(self, http: Http) -> None:
        self.http = http
        self.base = http.settings.sources.arxiv_feed_url.rstrip("/")

    def url(self, spec: str) -> str:
        return f"{self.base}/{spec}"

    def fetch(self, categories: Iterable[str]) -> tuple[Feed, str]:
        """One request for the latest announcement day of `categories`: (feed, raw RSS)."""
        spec = spec_for(categories)
        if not spec:
            raise ValueError("no categories to fetch")
        # expect="xml": an HTML page or a cut-off body is a SourceError, never half a day.
        _, raw = self.http.request("arxiv", "GET", self.url(spec), expect="xml")
        body = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return parse(body, spec), body


def parse(body: str, spec: str = "") -> Feed:
    """Parse an arXiv RSS listing; cross-lists and repeated items collapse to one per id."""
    head = body[:512].lstrip().lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        raise SourceError(
            "arXiv",
            f"expected the RSS listing but got {describe_body(body)}",
            hint="arXiv may be blocking automated access for now; try again later",
        )
    import feedparser

    parsed = feedparser.parse(body)
    channel = parsed.get("feed", {})
    if parsed.get("bozo") and not parsed.get("entries"):
        if not channel.get("title"):
            raise SourceError(
                "arXiv",
                f"the listing feed is not readable RSS ({describe_body(body, 40)})",
                hint="the answer may have been cut off; try again",
            )
    bad = BAD_ARCHIVE.search(str(channel.get("description") or channel.get("subtitle") or ""))
    if bad:
        raise SourceError(
            "arXiv",
            f"the listing feed does not know the archive {bad.group(1)!r}",
            hint="check the watch's --category values (see `litscout watch list`)",
        )
    announced = _date(channel.get("published_parsed") or channel.get("updated_parsed"))
    items: dict[str, FeedItem] = {}
    for entry in parsed.get("entries", []):
        item = _item(entry, announced)
        if item is None:
            continue
        key = item.paper.arxiv_id or item.paper.title
        previous = items.get(key)
        if previous is None:
            items[key] = item
        else:  # a cross-list listed twice: keep one, with every category seen
            for category in item.paper.categories:
                if category not in previous.paper.categories:
                    previous.paper.categories.append(category)
            if not previous.is_new and item.is_new:
                previous.announce_type = item.announce_type
    return Feed(spec=spec, announced=announced, items=list(items.values()))


def _item(entry: Any, announced: date | None) -> FeedItem | None:
    arxiv_id = ids.arxiv_id(str(entry.get("link") or "")) or _guid_id(str(entry.get("id") or ""))
    title = clean_text(TAG.sub("", str(entry.get("title") or "")))
    if not arxiv_id or not title:
        return None
    description = str(entry.get("summary") or entry.get("description") or "")
    match = DESCRIPTION.match(description)
    kind = str(entry.get("arxiv_announce_type") or (match.group("type") if match else "")).strip()
    abstract = match.group("abstract") if match else description
    categories = [str(t.get("term")) for t in entry.get("tags") or [] if t.get("term")]
    creators = str(entry.get("author") or "")
    authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", creators) if a.strip()]
    published = _date(entry.get("published_parsed")) or announced
    doi = ids.normalise_doi(entry.get("arxiv_doi"))
    paper = Paper(
        title=title,
        arxiv_id=arxiv_id,
        doi=doi,
        authors=authors,
        abstract=clean_text(TAG.sub("", abstract)),
        published=published,
        year=published.year if published else None,
        primary_category=categories[0] if categories else None,
        categories=list(dict.fromkeys(categories)),
        journal_ref=clean_text(entry.get("arxiv_journal_reference")),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        sources=["arxiv"],
    )
    return FeedItem(paper=paper, announce_type=kind.lower())


def _guid_id(guid: str) -> str | None:
    # oai:arXiv.org:2611.05417v1
    return ids.arxiv_id(guid.rsplit(":", 1)[-1]) if guid else None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC).date()
    except (TypeError, ValueError, OverflowError):
        return None
