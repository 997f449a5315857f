"""Renderers: arXiv Atom and RSS, Semantic Scholar JSON objects, OpenAlex works.

Element order, namespaces and quirks follow recorded responses of the real services
(entry ``id`` on http://, links on https://, ``description`` of RSS items with a space before
the newline, S2 keys in the server's fixed order, OpenAlex ``counts_by_year`` without zero
years, and so on).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .corpus import Citation, Corpus, FakePaper, sha1_hex

# ========================================= arXiv Atom ===========================================

_ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


def atom_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed_id(key: str) -> str:
    digest = hashlib.sha1(key.encode()).digest()
    return "https://arxiv.org/api/" + base64.b64encode(digest).decode().rstrip("=")


def atom_entry(p: FakePaper, now: datetime, version: int | None = None) -> str:
    assert p.arxiv_id
    v = version or p.version
    vid = f"{p.arxiv_id}v{v}"
    published = p.published(now)
    updated = published if v == 1 else p.updated(now)
    if v not in (1, p.version):  # an intermediate version: somewhere in between
        updated = published + (p.updated(now) - published) * (v - 1) / (p.version - 1)
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{escape(p.title)}</title>",
        f"    <updated>{atom_time(updated)}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"'
        ' title="pdf"/>',
        f"    <summary>{escape(p.abstract or '')}</summary>",
    ]
    for cat in p.categories:
        lines.append(f'    <category term="{escape(cat)}" scheme="http://arxiv.org/schemas/atom"/>')
    lines.append(f"    <published>{atom_time(published)}</published>")
    if p.comment:
        lines.append(f"    <arxiv:comment>{escape(p.comment)}</arxiv:comment>")
    lines.append(f'    <arxiv:primary_category term="{escape(p.primary_category)}"/>')
    if p.journal_ref:
        lines.append(f"    <arxiv:journal_ref>{escape(p.journal_ref)}</arxiv:journal_ref>")
    for name in p.authors:
        lines += ["    <author>", f"      <name>{escape(name)}</name>", "    </author>"]
    if p.doi:
        lines.append(f"    <arxiv:doi>{escape(p.doi)}</arxiv:doi>")
        lines.append(
            f'    <link rel="related" href="https://doi.org/{escape(p.doi)}" title="doi"/>'
        )
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def atom_feed(
    *,
    search_query: str,
    id_list: str,
    start: int,
    max_results: int,
    total: int,
    entries: list[str],
    now: datetime,
) -> str:
    title = f"arXiv Query: search_query={search_query}&id_list={id_list}&start={start}" + (
        f"&max_results={max_results}"
    )
    link = (
        f"https://arxiv.org/api/query?search_query={search_query}&start={start}"
        f"&max_results={max_results}&id_list={id_list}"
    )
    head = [
        f"  <id>{_feed_id(title)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{atom_time(now)}</updated>",
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>",
    ]
    return _ATOM_HEAD + "\n".join(head) + "\n" + "".join(entries) + "</feed>\n"


def atom_error(message: str, now: datetime) -> str:
    """The one-entry "Error" feed arXiv answers with HTTP 400."""
    anchor = "https://arxiv.org/api/errors#" + "_".join(message.split())
    ts = atom_time(now)
    return (
        _ATOM_HEAD + "  <id>https://arxiv.org/</id>\n"
        "  <title>arXiv Search Results</title>\n"
        f"  <updated>{ts}</updated>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        "  <entry>\n"
        f"    <id>{escape(anchor)}</id>\n"
        "    <title>Error</title>\n"
        f"    <updated>{ts}</updated>\n"
        f'    <link href={quoteattr(anchor)} rel="alternate" type="text/html"/>\n'
        f"    <summary>{escape(message)}</summary>\n"
        "    <author>\n"
        "      <name>arXiv api core</name>\n"
        "    </author>\n"
        "  </entry>\n"
        "</feed>\n"
    )


# ========================================== arXiv RSS ==========================================

VALID_ARCHIVES = (
    "astro-ph, cond-mat, cs, econ, eess, gr-qc, hep-ex, hep-lat, hep-ph, hep-th, math, math-ph, "
    "nlin, nucl-ex, nucl-th, physics, q-bio, q-fin, quant-ph, stat, test"
)


def _eastern_midnight(now: datetime) -> datetime:
    try:
        from zoneinfo import ZoneInfo

        tz: Any = ZoneInfo("America/New_York")
    except Exception:  # pragma: no cover - no tz database
        from datetime import timezone

        tz = timezone(timedelta(hours=-5))
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def rfc822(dt: datetime) -> str:
    return dt.strftime("%a, %d %b %Y %H:%M:%S %z")


def _rss_head(title: str, link: str, description: str, now: datetime, editor: str) -> list[str]:
    return [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">',
        "  <channel>",
        f"    <title>{escape(title)}</title>",
        f"    <link>{escape(link)}</link>",
        f"    <description>{escape(description)}</description>",
        f'    <atom:link href={quoteattr(link)} rel="self" type="application/rss+xml"/>',
        "    <docs>http://www.rssboard.org/rss-specification</docs>",
        "    <language>en-us</language>",
        f"    <lastBuildDate>{rfc822(now.astimezone(UTC))}</lastBuildDate>",
        f"    <managingEditor>{editor}</managingEditor>",
        f"    <pubDate>{rfc822(_eastern_midnight(now))}</pubDate>",
    ]


def rss_feed(cats: list[str], items: list[tuple[FakePaper, str]], now: datetime) -> str:
    """``items`` are (paper, announce_type) pairs."""
    spec = "+".join(cats)
    link = f"http://rss.arxiv.org/rss/{spec}"
    names = ", ".join(cats)
    lines = _rss_head(
        f"{names} updates on arXiv.org",
        link,
        f"{names} updates on the arXiv.org e-print archive.",
        now,
        "rss-help@arxiv.org",
    )
    lines += ["    <skipDays>", "      <day>Sunday</day>", "      <day>Saturday</day>"]
    lines.append("    </skipDays>")
    pub = rfc822(_eastern_midnight(now))
    for p, kind in items:
        vid = f"{p.arxiv_id}v{p.version}"
        lines += [
            "    <item>",
            f"      <title>{escape(p.title)}</title>",
            f"      <link>https://arxiv.org/abs/{p.arxiv_id}</link>",
            f"      <description>arXiv:{vid} Announce Type: {kind} \n"
            f"Abstract: {escape(p.abstract or '')}</description>",
            f'      <guid isPermaLink="false">oai:arXiv.org:{vid}</guid>',
        ]
        lines += [f"      <category>{escape(c)}</category>" for c in p.categories]
        lines += [
            f"      <pubDate>{pub}</pubDate>",
            f"      <arxiv:announce_type>{kind}</arxiv:announce_type>",
            f"      <dc:rights>{escape(p.license)}</dc:rights>",
        ]
        if p.doi:
            lines.append(f"      <arxiv:DOI>{escape(p.doi)}</arxiv:DOI>")
        if p.journal_ref:
            lines.append(
                f"      <arxiv:journal_reference>{escape(p.journal_ref)}</arxiv:journal_reference>"
            )
        lines += [f"      <dc:creator>{escape(', '.join(p.authors))}</dc:creator>", "    </item>"]
    lines += ["  </channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def rss_bad_archive(spec: str, archive: str, now: datetime) -> str:
    link = f"http://rss.arxiv.org/rss/{spec}"
    lines = _rss_head(
        f"Feed error for query: {link}",
        link,
        f"Bad archive '{archive}'. Valid archive names are: {VALID_ARCHIVES}.",
        now,
        "rss-help.arxiv.org",
    )
    lines += ["  </channel>", "</rss>"]
    return "\n".join(lines)


# ====================================== Semantic Scholar =======================================

S2_PAPER_FIELDS = (
    "paperId",
    "externalIds",
    "corpusId",
    "publicationVenue",
    "url",
    "title",
    "abstract",
    "venue",
    "year",
    "referenceCount",
    "citationCount",
    "influentialCitationCount",
    "isOpenAccess",
    "openAccessPdf",
    "fieldsOfStudy",
    "s2FieldsOfStudy",
    "tldr",
    "publicationTypes",
    "publicationDate",
    "journal",
    "citationStyles",
    "authors",
)
AUTHOR_SUBFIELDS = ("authorId", "name", "url", "affiliations")
CITATION_FIELDS = ("contexts", "intents", "contextsWithIntent", "isInfluential")

_VENUES: dict[str, tuple[str, list[str], str]] = {
    "arXiv.org": ("", ["ArXiv"], "https://arxiv.org"),
    "Neural Information Processing Systems": (
        "conference",
        ["Neural Inf Process Syst", "NeurIPS", "NIPS"],
        "http://neurips.cc/",
    ),
    "International Conference on Machine Learning": (
        "conference",
        ["ICML", "Int Conf Mach Learn"],
        "https://icml.cc/",
    ),
    "International Conference on Learning Representations": (
        "conference",
        ["Int Conf Learn Represent", "ICLR"],
        "https://iclr.cc/",
    ),
    "Computer Vision and Pattern Recognition": (
        "conference",
        ["CVPR", "Comput Vis Pattern Recognit"],
        "https://cvpr.thecvf.com/",
    ),
}


class S2Renderer:
    """Builds Semantic Scholar JSON objects for corpus papers and synthetic citers."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.now = corpus.now

    # -- full records, then projected to the requested fields --------------------------------
    def paper(self, p: FakePaper, fields: list[str]) -> dict[str, Any]:
        full = self._full(p)
        return self._project(full, fields)

    def stub(self, paper_id: str, days_ago: float, fields: list[str]) -> dict[str, Any]:
        return self._project(self._stub_full(paper_id, days_ago), fields)

    @staticmethod
    def _project(full: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        wanted = {f.split(".")[0] for f in fields} if fields else {"title"}
        author_sub = [f.split(".", 1)[1] for f in fields if f.startswith("authors.")]
        out: dict[str, Any] = {"paperId": full["paperId"]}
        for key in S2_PAPER_FIELDS[1:]:
            if key in wanted:
                out[key] = full[key]
        if "authors" in wanted:
            keep = {"authorId", *author_sub} | ({"name"} if "authors" in fields else set())
            out["authors"] = [
                {k: a[k] for k in AUTHOR_SUBFIELDS if k in keep} for a in full["authors"]
            ]
        return out

    def _full(self, p: FakePaper) -> dict[str, Any]:
        published = p.published(self.now)
        ext: dict[str, Any] = {}
        if p.arxiv_id and p.primary_category.startswith("cs."):
            ext["DBLP"] = "journals/corr/abs-" + p.arxiv_id.replace(".", "-").replace("/", "-")
        if p.arxiv_id:
            ext["ArXiv"] = p.arxiv_id
        if p.s2_doi:
            ext["DOI"] = p.s2_doi
        ext["CorpusId"] = p.corpus_id
        venue = p.s2_venue
        year = published.year
        if p.arxiv_id and p.venue is None:
            journal: dict[str, Any] | None = {"name": "ArXiv", "volume": f"abs/{p.arxiv_id}"}
        elif venue:
            h = int(sha1_hex("journal:" + p.key)[:6], 16)
            journal = {"name": venue, "pages": f"{h % 900 + 1}-{h % 900 + 12}"}
            if h % 3:
                journal["volume"] = str(h % 60 + 1)
        else:
            journal = None
        if p.arxiv_id and p.is_open_access:
            oa: dict[str, Any] | None = {
                "url": f"https://arxiv.org/pdf/{p.arxiv_id}",
                "status": "GREEN",
                "license": "CCBY" if "by/4.0" in p.license else None,
                "disclaimer": "Notice: Paper or abstract available at "
                f"https://arxiv.org/abs/{p.arxiv_id}, which is subject to the license by the "
                "author or copyright owner provided with this content. Please go to the source "
                "to verify the license and copyright information for your use.",
            }
        elif p.arxiv_id:
            oa = {"url": "", "status": None, "license": None}
        elif p.is_open_access:
            oa = {"url": f"https://doi.org/{p.doi}", "status": "BRONZE", "license": None}
        else:
            oa = None
        fos = p.fos
        authors = [
            {
                "authorId": str(
                    10_000_000 + int(sha1_hex("author:" + name)[:8], 16) % 2_000_000_000
                ),
                "name": name,
                "url": "https://www.semanticscholar.org/author/"
                + str(10_000_000 + int(sha1_hex("author:" + name)[:8], 16) % 2_000_000_000),
                "affiliations": [],
            }
            for name in p.authors
        ]
        return {
            "paperId": p.paper_id,
            "externalIds": ext,
            "corpusId": p.corpus_id,
            "publicationVenue": self._venue(venue),
            "url": f"https://www.semanticscholar.org/paper/{p.paper_id}",
            "title": p.title,
            "abstract": p.abstract if p.s2_abstract else None,
            "venue": venue,
            "year": year,
            "referenceCount": p.reference_count,
            "citationCount": p.citation_count,
            "influentialCitationCount": p.influential_count,
            "isOpenAccess": p.is_open_access,
            "openAccessPdf": oa,
            "fieldsOfStudy": fos,
            "s2FieldsOfStudy": [{"category": f, "source": "external"} for f in fos]
            + [{"category": fos[0], "source": "s2-fos-model"}],
            "tldr": {"model": "tldr@v2.0.0", "text": p.tldr} if p.tldr else None,
            "publicationTypes": p.publication_types
            if p.publication_types is not None
            else (["JournalArticle"] if p.arxiv_id else None),
            "publicationDate": published.date().isoformat() if p.s2_date else None,
            "journal": journal,
            "citationStyles": {"bibtex": self._bibtex(p, venue, journal, year)},
            "authors": authors,
        }

    @staticmethod
    def _venue(name: str) -> dict[str, Any] | None:
        if not name:
            return None
        kind, alternates, url = _VENUES.get(name, ("journal", [], ""))
        out: dict[str, Any] = {"id": str(uuid.UUID(hashlib.md5(name.encode()).hexdigest()))}
        out["name"] = name
        if kind:
            out["type"] = kind
        out["alternate_names"] = alternates
        if name == "arXiv.org":
            out["issn"] = "2331-8422"
        if url:
            out["url"] = url
        return out

    @staticmethod
    def _bibtex(p: FakePaper, venue: str, journal: dict[str, Any] | None, year: int) -> str:
        last = p.authors[0].split()[-1] if p.authors else "Anonymous"
        ws = [w for w in p.title.replace("-", " ").split() if w[:1].isalnum()]
        key = f"{last}{year}{ws[0].strip(':,')}" + "".join(w[0].upper() for w in ws[1:3])
        kind = "Article" if (journal or not p.venue) else "Inproceedings"
        lines = [f"@{kind}{{{key},", f" author = {{{' and '.join(p.authors)}}},"]
        if venue:
            lines.append(f" booktitle = {{{venue}}},")
        if journal:
            lines.append(f" journal = {{{journal['name']}}},")
        lines.append(f" title = {{{p.title}}},")
        if journal and journal.get("volume"):
            lines.append(f" volume = {{{journal['volume']}}},")
        lines.append(f" year = {{{year}}}")
        return "\n".join(lines) + "\n}\n"

    # -- synthetic citing papers ------------------------------------------------------------
    def _stub_full(self, paper_id: str, days_ago: float) -> dict[str, Any]:
        h = int(paper_id[:12], 16)
        date = (self.now - timedelta(days=days_ago)).date()
        adj = ["Robust", "Efficient", "Scalable", "Adaptive", "Simple", "Towards", "Learning"]
        what = [
            "Representation Learning",
            "Few-Shot Recognition",
            "Domain Generalisation",
            "Graph Learning",
            "Long-Tailed Classification",
            "Meta-Learning",
            "Transfer Learning",
            "Quantum Machine Learning",
            "Self-Supervised Learning",
        ]
        where = [
            "in the Wild",
            "for Medical Imaging",
            "with Limited Labels",
            "at Scale",
            "under Distribution Shift",
            "for Remote Sensing",
            "on Edge Devices",
        ]
        title = f"{adj[h % 7]} {what[(h >> 4) % 9]} {where[(h >> 9) % 7]}"
        first = ["A.", "B.", "C.", "D.", "J.", "K.", "L.", "M.", "S.", "Y."]
        last = ["Zhang", "Smith", "Kumar", "Garcia", "Müller", "Nguyen", "Rossi", "Kim", "Silva"]
        n_auth = 1 + (h >> 13) % 4
        names = [
            f"{first[(h >> (3 * i)) % 10]} {last[(h >> (5 * i + 1)) % 9]}" for i in range(n_auth)
        ]
        corpus_id = stub_corpus_id(paper_id)
        author_ids = [str(1_000_000 + (h >> i) % 90_000_000) for i in range(n_auth)]
        authors = [
            {
                "authorId": author_ids[i],
                "name": n,
                "url": f"https://www.semanticscholar.org/author/{author_ids[i]}",
                "affiliations": [],
            }
            for i, n in enumerate(names)
        ]
        return {
            "paperId": paper_id,
            "externalIds": {"CorpusId": corpus_id},
            "corpusId": corpus_id,
            "publicationVenue": None,
            "url": f"https://www.semanticscholar.org/paper/{paper_id}",
            "title": title,
            "abstract": None,
            "venue": "",
            "year": date.year,
            "referenceCount": 20 + h % 50,
            "citationCount": (h >> 7) % 12 if days_ago > 90 else 0,
            "influentialCitationCount": 0,
            "isOpenAccess": False,
            "openAccessPdf": None,
            "fieldsOfStudy": ["Computer Science"],
            "s2FieldsOfStudy": [{"category": "Computer Science", "source": "s2-fos-model"}],
            "tldr": None,
            "publicationTypes": ["JournalArticle"],
            "publicationDate": date.isoformat(),
            "journal": None,
            "citationStyles": {
                "bibtex": f"@Article{{{names[0].split()[-1]}{date.year}{title.split()[0]},\n"
                f" author = {{{' and '.join(names)}}},\n title = {{{title}}},\n"
                f" year = {{{date.year}}}\n}}\n"
            },
            "authors": authors,
        }

    # -- citation edges ------------------------------------------------------------------------
    @staticmethod
    def edge(c: Citation, fields: list[str]) -> dict[str, Any]:
        h = int(c.paper_id[:8], 16)
        contexts: list[str] = []
        intents: list[str] = []
        if h % 3:
            contexts = [f"Following prior work [{h % 40 + 1}], we adopt the same protocol."]
            intents = ["methodology"] if h % 2 else ["background"]
        if c.is_influential:
            contexts.append(f"Our method builds directly on this approach [{h % 40 + 1}].")
            intents = sorted({*intents, "methodology"})
        out: dict[str, Any] = {}
        if "contexts" in fields:
            out["contexts"] = contexts
        if "intents" in fields:
            out["intents"] = intents
        if "contextsWithIntent" in fields:
            out["contextsWithIntent"] = [{"context": t, "intents": intents} for t in contexts]
        if "isInfluential" in fields:
            out["isInfluential"] = c.is_influential
        return out


# ========================================== OpenAlex ============================================

_ARXIV_SOURCE = {
    "id": "https://openalex.org/S4306400194",
    "display_name": "arXiv (Cornell University)",
    "issn_l": None,
    "issn": None,
    "is_oa": True,
    "is_in_doaj": False,
    "is_indexed_in_scopus": False,
    "is_core": False,
    "host_organization": "https://openalex.org/I205783295",
    "host_organization_name": "Cornell University",
    "host_organization_lineage": ["https://openalex.org/I205783295"],
    "host_organization_lineage_names": ["Cornell University"],
    "type": "repository",
}


def openalex_work(p: FakePaper, now: datetime) -> dict[str, Any]:
    h = int(sha1_hex("openalex:" + p.key)[:10], 16)
    wid = f"W{4_000_000_000 + h % 999_999_999}"
    published = p.published(now)
    doi = p.doi or (f"10.48550/arxiv.{p.arxiv_id}" if p.arxiv_id else None)
    doi_url = f"https://doi.org/{doi.lower()}" if doi else None
    date = published.date().isoformat()
    if p.arxiv_id and not p.doi and p.days_ago > 365 and h % 3 == 0:
        date = f"{published.year}-01-01"  # OpenAlex often dates preprints to January 1st
    ids: dict[str, Any] = {"openalex": f"https://openalex.org/{wid}"}
    if doi_url:
        ids["doi"] = doi_url
    this_year = now.year
    counts: dict[int, int] = {}
    for c in p.citations:
        year = (now - timedelta(days=c.days_ago)).year
        if year > this_year - 10:
            counts[year] = counts.get(year, 0) + 1
    counts_by_year = [
        {"year": y, "cited_by_count": counts[y]} for y in sorted(counts, reverse=True)
    ]
    preprint = bool(p.arxiv_id) and not p.doi
    if p.arxiv_id:
        location: dict[str, Any] | None = {
            "is_oa": True,
            "landing_page_url": f"https://arxiv.org/abs/{p.arxiv_id}",
            "pdf_url": f"https://arxiv.org/pdf/{p.arxiv_id}",
            "source": dict(_ARXIV_SOURCE),
            "license": "cc-by" if "by/4.0" in p.license else "other-oa",
            "license_id": "https://openalex.org/licenses/"
            + ("cc-by" if "by/4.0" in p.license else "other-oa"),
            "version": "submittedVersion",
            "is_accepted": False,
            "is_published": False,
        }
    else:
        location = {
            "is_oa": p.is_open_access,
            "landing_page_url": doi_url,
            "pdf_url": None,
            "source": {
                "id": f"https://openalex.org/S{4_200_000_000 + h % 99_999_999}",
                "display_name": p.s2_venue,
                "issn_l": None,
                "issn": None,
                "is_oa": False,
                "is_in_doaj": False,
                "is_indexed_in_scopus": True,
                "is_core": True,
                "host_organization": None,
                "host_organization_name": None,
                "host_organization_lineage": [],
                "host_organization_lineage_names": [],
                "type": "journal",
            },
            "license": None,
            "license_id": None,
            "version": "publishedVersion",
            "is_accepted": True,
            "is_published": True,
        }
    age_years = max(p.days_ago / 365.25, 0.5)
    fwci = None if preprint else round(p.citation_count / (8.0 * age_years) + 0.1, 3)
    authorships: list[dict[str, Any]] = [
        {
            "author_position": "first"
            if i == 0
            else ("last" if i == len(p.authors) - 1 else "middle"),
            "author": {
                "id": "https://openalex.org/A"
                + str(5_000_000_000 + int(sha1_hex(name)[:8], 16) % 99_999_999),
                "display_name": name,
                "orcid": None,
            },
            "institutions": [],
            "countries": [],
            "is_corresponding": False,
            "raw_author_name": name,
            "raw_affiliation_strings": [],
            "affiliations": [],
        }
        for i, name in enumerate(p.authors)
    ]
    inverted: dict[str, list[int]] | None = None
    if p.abstract:
        inverted = {}
        for i, w in enumerate(p.abstract.split()):
            inverted.setdefault(w, []).append(i)
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": doi_url,
        "title": p.title,
        "display_name": p.title,
        "publication_year": int(date[:4]),
        "publication_date": date,
        "ids": ids,
        "language": "en",
        "primary_location": location,
        "type": "preprint" if preprint else "article",
        "type_crossref": "posted-content" if preprint else "journal-article",
        "indexed_in": ["arxiv", "datacite"] if preprint else ["crossref"],
        "open_access": {
            "is_oa": bool(p.arxiv_id) or p.is_open_access,
            "oa_status": "green" if p.arxiv_id else ("bronze" if p.is_open_access else "closed"),
            "oa_url": f"https://arxiv.org/abs/{p.arxiv_id}" if p.arxiv_id else None,
            "any_repository_has_fulltext": bool(p.arxiv_id),
        },
        "authorships": authorships,
        "countries_distinct_count": 0,
        "institutions_distinct_count": 0,
        "corresponding_author_ids": [],
        "corresponding_institution_ids": [],
        "apc_list": None,
        "apc_paid": None,
        "fwci": fwci,
        "has_fulltext": False,
        "cited_by_count": p.citation_count,
        "biblio": {"volume": None, "issue": None, "first_page": None, "last_page": None},
        "is_retracted": False,
        "is_paratext": False,
        "locations_count": 1,
        "locations": [location],
        "best_oa_location": location if (p.arxiv_id or p.is_open_access) else None,
        "referenced_works_count": len(p.references),
        "referenced_works": [],
        "related_works": [],
        "abstract_inverted_index": inverted,
        "cited_by_api_url": f"https://api.openalex.org/works?filter=cites:{wid}",
        "counts_by_year": counts_by_year,
        "updated_date": now.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "created_date": published.date().isoformat(),
    }


OPENALEX_404 = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.</p>\n"
)


def stub_corpus_id(paper_id: str) -> int:
    """The CorpusId of a synthetic citing paper (one not in the corpus)."""
    return 100_000_000 + int(sha1_hex("corpus:" + paper_id)[:12], 16) % 99_000_000
