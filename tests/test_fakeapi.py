"""The fake services speak the real formats, enforce the real limits and fail on demand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import arxiv
import feedparser
import httpx
import pytest

from fakeapi import MATCHING_NETWORKS, FakeAPI, FakePaper, Fault, default_corpus
from fakeapi.search import ArxivMatcher, normalise_query, stem

FIXTURES = Path(os.environ.get("LITSCOUT_FIXTURES", "/work/shared/fixtures"))
ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"

FEW_SHOT_KEYS = {
    "matching-networks",
    "prototypical-networks",
    "maml",
    "relation-networks",
    "feature-transferability",
    "adversarial-domain-adaptation",
    "survey-few-shot",
    "survey-meta-learning",
    "survey-low-resource-transfer",
    "revisiting-baselines",
    "vit-few-labels",
    "episodic-rethink",
    "task-adaptive-support",
    "cross-domain-style",
    "icl-implicit-meta",
    "peft-medical",
    "meta-molecules",
    "fsl-2day",
    "prompt-episodic-text",
    "negative-transfer",
    "bayes-meta",
    "ssl-fewshot-shift",
    "continual-meta",
    "synthetic-support",
    "fewshot-detection",
    "s2-clinical-transfer",
    "s2-plant-disease",
    "galaxy-morphology-fewshot",
    "fewshot-node",
}


def fixture(rel: str) -> Path:
    path = FIXTURES / rel
    if not path.exists():
        pytest.skip(f"fixture {rel} not available")
    return path


@pytest.fixture(scope="module")
def shared() -> Iterator[FakeAPI]:
    with FakeAPI() as api:
        yield api


@pytest.fixture
def api(shared: FakeAPI) -> Iterator[FakeAPI]:
    shared.clear_log()
    yield shared
    shared.clear_faults()
    shared.set_feed(None)


@pytest.fixture
def client(api: FakeAPI) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=5) as c:
        yield c


def arxiv_client(api: FakeAPI, page_size: int = 100) -> arxiv.Client:
    c = arxiv.Client(page_size=page_size, delay_seconds=0.0, num_retries=0)
    c.query_url_format = api.url + "/api/query?{}"
    return c


def tags(elem: ET.Element) -> list[str]:
    """Child tags with runs of repeats collapsed (author, author, ... -> author)."""
    out: list[str] = []
    for child in elem:
        if not out or out[-1] != child.tag:
            out.append(child.tag)
    return out


# ========================================== arXiv API ===========================================


def test_arxiv_package_reads_id_list(api: FakeAPI) -> None:
    results = list(arxiv_client(api).results(arxiv.Search(id_list=[MATCHING_NETWORKS])))
    assert len(results) == 1
    r = results[0]
    paper = api.corpus.by_arxiv(MATCHING_NETWORKS)
    assert paper is not None
    assert r.entry_id == "http://arxiv.org/abs/1606.04080v2"
    assert r.get_short_id() == "1606.04080v2"
    assert r.title == "Matching Networks for One Shot Learning"
    assert [a.name for a in r.authors] == paper.authors
    assert r.primary_category == "cs.LG" and r.categories == ["cs.LG", "stat.ML"]
    assert r.pdf_url == "https://arxiv.org/pdf/1606.04080v2"
    age = datetime.now(UTC) - r.published
    assert timedelta(days=3000) <= age < timedelta(days=3001)
    assert r.updated > r.published
    assert r.summary.startswith("Learning from a handful of examples")


def test_arxiv_versions_old_ids_and_unknown_ids(api: FakeAPI) -> None:
    c = arxiv_client(api)
    search = arxiv.Search(id_list=["1606.04080v1", "quant-ph/0201082", "0808.05394"])
    results = list(c.results(search))
    assert [r.get_short_id() for r in results] == ["1606.04080v1", "quant-ph/0201082v1"]
    assert results[0].updated == results[0].published
    quantum = results[1]
    assert quantum.doi == "10.5555/physreva.66.012305"
    assert quantum.journal_ref == "Phys. Rev. A 66, 012305 (2002)"
    assert any(link.title == "doi" for link in quantum.links)


def test_arxiv_search_sorting_and_paging(api: FakeAPI) -> None:
    c = arxiv_client(api, page_size=3)
    search = arxiv.Search(
        query="all:few-shot AND cat:cs.CV",
        max_results=8,
        sort_by=arxiv.SortCriterion.SubmittedDate,
    )
    results = list(c.results(search))
    assert len(results) == 8
    assert len({r.entry_id for r in results}) == 8
    assert all("cs.CV" in r.categories for r in results)
    dates = [r.published for r in results]
    assert dates == sorted(dates, reverse=True)
    assert api.count("arxiv") == 3  # pages of 3, 3, 2


def test_arxiv_atom_structure_matches_real_feed(client: httpx.Client) -> None:
    real = ET.parse(fixture("arxiv-api/api-2026-search-testing-10-entries.body.xml")).getroot()
    r = client.get("/api/query", params={"id_list": "2210.04431", "max_results": 1})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert r.text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=")
    fake = ET.fromstring(r.content)
    assert tags(fake) == tags(real)[: len(tags(fake))]
    real_entry = real.find(f"{ATOM}entry")  # has comment, journal_ref and doi, like ours
    fake_entry = fake.find(f"{ATOM}entry")
    assert real_entry is not None and fake_entry is not None
    expected = [t for t in tags(real_entry) if not t.endswith("comment")]
    assert tags(fake_entry) == expected
    assert fake.findtext(f"{OS}totalResults") == "1"
    title = fake.findtext(f"{ATOM}title")
    assert title == "arXiv Query: search_query=&id_list=2210.04431&start=0&max_results=1"


def test_arxiv_bad_id_gives_the_real_error_feed(client: httpx.Client, api: FakeAPI) -> None:
    r = client.get("/api/query", params={"id_list": "abc"})
    assert r.status_code == 400
    fake = ET.fromstring(r.content)
    real = ET.parse(fixture("arxiv-api/api-2026-error-400-bad-id-abc.body.xml")).getroot()
    assert [(e.tag, sorted(e.attrib)) for e in fake.iter()] == [
        (e.tag, sorted(e.attrib)) for e in real.iter()
    ]
    for path in (f"{ATOM}entry/{ATOM}id", f"{ATOM}entry/{ATOM}summary", f"{ATOM}title"):
        assert fake.findtext(path) == real.findtext(path)
    with pytest.raises(arxiv.HTTPError) as err:
        list(arxiv_client(api).results(arxiv.Search(id_list=["abc"])))
    assert err.value.status == 400


def test_arxiv_parameter_limits(client: httpx.Client) -> None:
    assert client.get("/api/query", params={"search_query": "x", "max_results": 30001}).is_error
    r = client.get("/api/query", params={"id_list": "0000.0000"})
    assert r.status_code == 200
    assert ET.fromstring(r.content).findtext(f"{OS}totalResults") == "0"
    r = client.post("/api/query", data={"search_query": "au:Valinsky"})
    assert ET.fromstring(r.content).findtext(f"{OS}totalResults") == "1"


def test_arxiv_submitted_date_window(client: httpx.Client, api: FakeAPI) -> None:
    now = datetime.now(UTC)
    lo = (now - timedelta(days=7)).strftime("%Y%m%d%H%M")
    hi = now.strftime("%Y%m%d%H%M")
    q = f"cat:cs.LG AND submittedDate:[{lo} TO {hi}]"
    r = client.get(
        "/api/query", params={"search_query": q, "max_results": 100, "sortBy": "submittedDate"}
    )
    ids = {e.findtext(f"{ATOM}id") for e in ET.fromstring(r.content).iter(f"{ATOM}entry")}
    want = {
        f"http://arxiv.org/abs/{p.arxiv_id}v{p.version}"
        for p in api.corpus
        if p.arxiv_id
        and "cs.LG" in p.categories
        and p.published(api.corpus.now) >= now - timedelta(days=7)
    }
    assert ids == want and len(ids) >= 8


def test_arxiv_query_language() -> None:
    corpus = default_corpus()

    def hits(q: str) -> set[str]:
        m = ArxivMatcher(q, corpus.now)
        return {p.key for p in corpus.arxiv_papers() if m.score(p) > 0}

    assert hits("au:Valinsky") == {"matching-networks"}
    assert hits('ti:"one shot"') == {"matching-networks"}
    assert hits("few-shot learning") <= hits("few-shot")
    both = hits("ti:graph AND ti:few")
    assert both == {"fewshot-node"}
    assert hits("ti:graph ANDNOT ti:few") == hits("ti:graph") - both
    assert hits("(cat:quant-ph OR cat:astro-ph) ANDNOT ti:quantum") >= {"stellar-streams"}
    assert hits("cat:astro-ph") == {p.key for p in corpus if p.primary_category.startswith("astro")}
    assert hits("electron") == set()
    assert normalise_query("testing") == "all:testing"
    assert normalise_query('ti:"few shot" AND (au:a OR b)') == 'ti:"few shot" AND (au:a OR all:b)'
    assert stem("learning") == stem("learned") == stem("learns") == "learn"


# =========================================== arXiv RSS ==========================================


def test_rss_feed_with_feedparser(client: httpx.Client, api: FakeAPI) -> None:
    r = client.get("/rss/cs.LG+stat.ML")
    assert r.status_code == 200
    d = feedparser.parse(r.content)
    assert not d.bozo
    assert d.feed.title == "cs.LG, stat.ML updates on arXiv.org"
    ids = [e.link.rsplit("/", 1)[-1] for e in d.entries]
    assert len(ids) == len(set(ids)) >= 5
    expected = {
        p.arxiv_id
        for p in api.corpus
        if p.arxiv_id and p.days_ago <= 1 and {"cs.LG", "stat.ML"} & set(p.categories)
    }
    assert set(ids) == expected
    for e in d.entries:
        paper = api.corpus.by_arxiv(e.link.rsplit("/", 1)[-1])
        assert paper is not None
        assert e.id == f"oai:arXiv.org:{paper.arxiv_id}v{paper.version}"
        assert e.summary.startswith(f"arXiv:{paper.arxiv_id}v{paper.version} Announce Type: ")
        assert [t.term for t in e.tags] == paper.categories
        assert e.author == ", ".join(paper.authors)
        kind = "new" if paper.primary_category in ("cs.LG", "stat.ML") else "cross"
        assert e.arxiv_announce_type == kind
    kinds = {e.arxiv_announce_type for e in d.entries}
    assert kinds == {"new", "cross"}  # the quant-ph and cs.CV papers are cross-lists
    assert " \nAbstract: " in r.text


def test_rss_structure_matches_real_feed(client: httpx.Client) -> None:
    real = ET.parse(fixture("arxiv-rss/laya-reader__arxiv_rss.xml")).getroot()
    fake = ET.fromstring(client.get("/rss/cs.LG+cs.AI+cs.CL+stat.ML").content)
    assert fake.tag == real.tag and fake.attrib == real.attrib
    real_ch, fake_ch = real.find("channel"), fake.find("channel")
    assert real_ch is not None and fake_ch is not None
    assert tags(fake_ch) == tags(real_ch)
    real_item, fake_item = real_ch.find("item"), fake_ch.find("item")
    assert real_item is not None and fake_item is not None
    assert tags(fake_item) == tags(real_item)


def test_rss_unknown_category_bad_archive_and_set_feed(client: httpx.Client, api: FakeAPI) -> None:
    d = feedparser.parse(client.get("/rss/cs.XX").content)
    assert d.feed.title == "cs.XX updates on arXiv.org" and d.entries == []
    d = feedparser.parse(client.get("/rss/astroph").content)
    assert d.feed.title.startswith("Feed error for query") and d.entries == []
    api.set_feed({"cs.LG": [MATCHING_NETWORKS, "2210.04431"]})
    d = feedparser.parse(client.get("/rss/cs.LG").content)
    assert {e.link for e in d.entries} == {
        "https://arxiv.org/abs/1606.04080",
        "https://arxiv.org/abs/2210.04431",
    }
    assert {e.arxiv_announce_type for e in d.entries} == {"replace"}
    d = feedparser.parse(client.get("/rss/stat.ML").content)  # other categories: default
    assert d.entries and "https://arxiv.org/abs/1606.04080" not in {e.link for e in d.entries}


# ========================================= Semantic Scholar ======================================

FULL_FIELDS = (
    "abstract,authors,citationCount,citationStyles,corpusId,externalIds,fieldsOfStudy,"
    "influentialCitationCount,isOpenAccess,journal,openAccessPdf,paperId,publicationDate,"
    "publicationTypes,publicationVenue,referenceCount,s2FieldsOfStudy,title,url,venue,year"
)


def test_s2_batch_matches_real_keys_and_nulls(client: httpx.Client, api: FakeAPI) -> None:
    real = json.loads(fixture("s2/s2-paper-batch-fullfields-with-null.json").read_text())
    real_keys = [list(p) for p in real if p is not None]
    ids = [f"CorpusId:{p.corpus_id}" for p in api.corpus] + ["CorpusId:1"]
    r = client.post("/graph/v1/paper/batch", params={"fields": FULL_FIELDS}, json={"ids": ids})
    assert r.status_code == 200
    data = r.json()
    assert len(data) == len(ids) and data[-1] is None
    for obj, paper in zip(data, api.corpus, strict=False):
        assert list(obj) == real_keys[0]
        assert obj["paperId"] == paper.paper_id
        assert obj["citationCount"] == len(paper.citations)
        assert {"authorId", "name"} == set(obj["authors"][0])
    nulls = {k: sum(1 for o in data[:-1] if o[k] is None) for k in real_keys[0]}
    assert nulls["abstract"] >= 5 and nulls["publicationDate"] >= 2
    assert nulls["publicationVenue"] >= 1 and nulls["openAccessPdf"] >= 1
    assert sum(1 for o in data[:-1] if o["abstract"]) > len(data) // 2


def test_s2_default_and_unknown_fields(client: httpx.Client) -> None:
    r = client.get(f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}")
    assert list(r.json()) == ["paperId", "title"]
    r = client.get(f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}", params={"fields": "unknown"})
    real = json.loads(fixture("s2/s2-error-400-unsupported-fields.json").read_text())
    assert r.status_code == 400 and r.json() == real
    r = client.get("/graph/v1/paper/0")
    assert r.status_code == 404 and r.json() == {"error": "Paper with id 0 not found"}
    r = client.get("/graph/v1/paper/DOI:10.5555/jair.2002.0953", params={"fields": "tldr,year"})
    assert set(r.json()) == {"paperId", "tldr", "year"}
    assert r.json()["tldr"]["model"] == "tldr@v2.0.0"
    r = client.get(f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}", params={"fields": "authors.name"})
    assert set(r.json()["authors"][0]) == {"authorId", "name"}


def test_s2_search_plain_question_finds_few_shot_cluster(
    client: httpx.Client, api: FakeAPI
) -> None:
    q = "use knowledge from a large dataset for a small dataset"
    r = client.get("/graph/v1/paper/search", params={"query": q, "limit": 8})
    body = r.json()
    assert list(body) == ["total", "offset", "next", "data"]
    keys = {api.corpus.by_paper_id(p["paperId"]).key for p in body["data"]}  # type: ignore[union-attr]
    assert keys <= FEW_SHOT_KEYS
    assert "fsl-2day" in keys


def test_s2_search_paging_filters_and_limits(client: httpx.Client, api: FakeAPI) -> None:
    r = client.get("/graph/v1/paper/search", params={"query": "n0 r3sult s3arch t3rm"})
    real = json.loads(fixture("s2/s2-paper-search-empty-result.json").read_text())
    assert r.json() == real
    first = client.get("/graph/v1/paper/search", params={"query": "learning", "limit": 10}).json()
    total = first["total"]
    last = client.get(
        "/graph/v1/paper/search", params={"query": "learning", "offset": total - 3, "limit": 10}
    ).json()
    assert "next" not in last and len(last["data"]) == 3
    too_far = {"query": "learning", "offset": 950, "limit": 100}
    assert client.get("/graph/v1/paper/search", params=too_far).status_code == 400
    too_big = {"query": "learning", "limit": 101}
    assert client.get("/graph/v1/paper/search", params=too_big).status_code == 400
    year = datetime.now(UTC).year
    params = {
        "query": "few-shot learning",
        "publicationDateOrYear": f"{year - 1}-01-01:",
        "fields": "publicationDate,publicationTypes,citationCount",
        "limit": 100,
    }
    recent = client.get("/graph/v1/paper/search", params=params).json()["data"]
    assert recent and all(int(p["publicationDate"][:4]) >= year - 1 for p in recent)
    params = {"query": "survey", "publicationTypes": "Review", "fields": "publicationTypes"}
    reviews = client.get("/graph/v1/paper/search", params=params).json()["data"]
    assert len(reviews) >= 4 and all("Review" in p["publicationTypes"] for p in reviews)
    params = {"query": "learning", "minCitationCount": 1000, "fields": "citationCount"}
    popular = client.get("/graph/v1/paper/search", params=params).json()["data"]
    assert popular and all(p["citationCount"] >= 1000 for p in popular)


def test_s2_batch_ids_and_limits(client: httpx.Client, api: FakeAPI) -> None:
    mn = api.corpus.by_arxiv(MATCHING_NETWORKS)
    assert mn is not None
    ids = [
        mn.paper_id,
        f"ARXIV:{MATCHING_NETWORKS}",
        f"DOI:10.48550/arXiv.{MATCHING_NETWORKS}",
        f"CorpusId:{mn.corpus_id}",
        f"URL:https://arxiv.org/abs/{MATCHING_NETWORKS}v2",
        "10.5555/jair.2002.0953",
        "ARXIV:0808.05394",
    ]
    data = client.post("/graph/v1/paper/batch", json={"ids": ids}).json()
    assert [d and d["paperId"] for d in data[:5]] == [mn.paper_id] * 5
    assert data[5]["title"].startswith("Synthetic Minority") and data[6] is None
    r = client.post("/graph/v1/paper/batch", json={"ids": ["CorpusId:1"] * 501})
    assert r.status_code == 400 and "error" in r.json()


def test_s2_citations_paging_and_velocity_window(client: httpx.Client, api: FakeAPI) -> None:
    url = f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}/citations"
    params: dict[str, str | int] = {"fields": "publicationDate,isInfluential,title", "limit": 1000}
    items: list[dict] = []
    offset = 0
    while True:
        page = client.get(url, params={**params, "offset": offset}).json()
        assert page["offset"] == offset and "total" not in page
        items += page["data"]
        if "next" not in page:
            break
        offset = page["next"]
    assert len(items) == 2500
    assert set(items[0]) == {"isInfluential", "citingPaper"}
    assert set(items[0]["citingPaper"]) == {"paperId", "title", "publicationDate"}
    cutoff = (datetime.now(UTC) - timedelta(days=365)).date().isoformat()
    recent = sum(1 for i in items if i["citingPaper"]["publicationDate"] > cutoff)
    assert 295 <= recent <= 305
    influential = sum(1 for i in items if i["isInfluential"])
    mn = api.corpus.by_arxiv(MATCHING_NETWORKS)
    assert mn is not None and influential == mn.influential_count
    filtered = client.get(
        url, params={"publicationDateOrYear": f"{cutoff}:", "limit": 1000, "fields": "title"}
    ).json()
    assert 295 <= len(filtered["data"]) <= 305
    assert client.get(url, params={"offset": 9999}).status_code == 400
    assert client.get(url, params={"limit": 1001}).status_code == 400
    # a synthetic citer resolves as a paper too
    citer = items[0]["citingPaper"]["paperId"]
    assert client.get(f"/graph/v1/paper/{citer}").json()["paperId"] == citer


def test_s2_young_papers_and_references(client: httpx.Client, api: FakeAPI) -> None:
    young = api.corpus.by_key("fsl-2day")
    cites = client.get(f"/graph/v1/paper/ARXIV:{young.arxiv_id}/citations").json()
    assert cites == {
        "offset": 0,
        "data": [
            {
                "citingPaper": {
                    "paperId": api.corpus.by_key("ssl-fewshot-shift").paper_id,
                    "title": api.corpus.by_key("ssl-fewshot-shift").title,
                }
            }
        ],
    }
    mid = api.corpus.by_key("task-adaptive-support")
    assert mid.days_ago == 180 and mid.citation_count == 40
    refs = client.get(
        f"/graph/v1/paper/ARXIV:{young.arxiv_id}/references",
        params={"fields": "title,year,isInfluential", "limit": 1000},
    ).json()
    assert len(refs["data"]) == young.reference_count
    cited = {d["citedPaper"]["paperId"] for d in refs["data"]}
    assert api.corpus.by_key("matching-networks").paper_id in cited


def test_s2_recommendations(client: httpx.Client, api: FakeAPI) -> None:
    r = client.get(
        f"/recommendations/v1/papers/forpaper/ARXIV:{MATCHING_NETWORKS}",
        params={"limit": 5, "fields": "title,publicationDate"},
    )
    recs = r.json()["recommendedPapers"]
    assert 0 < len(recs) <= 5
    keys = {api.corpus.by_paper_id(p["paperId"]).key for p in recs}  # type: ignore[union-attr]
    assert keys <= FEW_SHOT_KEYS and "matching-networks" not in keys
    cutoff = (datetime.now(UTC) - timedelta(days=61)).date().isoformat()
    assert all(p["publicationDate"] >= cutoff for p in recs)  # from=recent: last 60 days
    gcn = api.corpus.by_key("gcn")
    body = {"positivePaperIds": [gcn.paper_id], "negativePaperIds": [f"ARXIV:{MATCHING_NETWORKS}"]}
    recs = client.post("/recommendations/v1/papers/", params={"limit": 5}, json=body).json()
    keys = {api.corpus.by_paper_id(p["paperId"]).key for p in recs["recommendedPapers"]}  # type: ignore[union-attr]
    assert "gcn" not in keys and {"graph-attention", "graphsage"} & keys
    r = client.post("/recommendations/v1/papers/", json={"positivePaperIds": []})
    real = json.loads(fixture("s2/s2-error-400-recommendations-no-positive.json").read_text())
    assert r.status_code == 400 and r.json() == real


# ============================================ OpenAlex ===========================================


def test_openalex_work_by_arxiv_doi(client: httpx.Client, api: FakeAPI) -> None:
    real = json.loads(
        fixture("openalex/openalex-work-by-doi-10.1016-j.xgen.2025.100814.json").read_text()
    )
    r = client.get(f"/openalex/works/https://doi.org/10.48550/arXiv.{MATCHING_NETWORKS}")
    assert r.status_code == 200
    work = r.json()
    assert set(work) <= set(real)
    assert work["doi"] == f"https://doi.org/10.48550/arxiv.{MATCHING_NETWORKS}"
    assert work["cited_by_count"] == 2500
    years = [c["year"] for c in work["counts_by_year"]]
    this_year = datetime.now(UTC).year
    assert years == sorted(years, reverse=True) and min(years) > this_year - 10
    assert all(c["cited_by_count"] > 0 for c in work["counts_by_year"])
    assert work["abstract_inverted_index"]["Learning"] == [0]
    again = client.get(f"/openalex/works/doi:10.48550/arXiv.{MATCHING_NETWORKS}").json()
    assert again["id"] == work["id"]
    sel = client.get(
        f"/openalex/works/{work['id'].rsplit('/', 1)[-1]}", params={"select": "doi,id"}
    )
    assert sel.json() == {"doi": work["doi"], "id": work["id"]}
    r = client.get("/openalex/works/https://doi.org/10.48550/arXiv.0808.05394")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert (
        r.text.strip()
        == fixture("openalex/openalex-error-404-work-not-found.html").read_text().strip()
    )


# ========================================= rate limits ===========================================


def test_arxiv_rate_rule_covers_api_and_rss() -> None:
    with FakeAPI(arxiv_delay=0.5) as api, httpx.Client(base_url=api.url) as c:
        assert c.get("/api/query", params={"search_query": "ti:graph"}).status_code == 200
        r = c.get("/api/query", params={"search_query": "ti:graph"})
        assert r.status_code == 429 and r.text == "Rate exceeded."
        assert r.headers["content-type"].startswith("text/plain")
        assert "retry-after" not in r.headers
        time.sleep(0.55)
        assert c.get("/rss/cs.LG").status_code == 200
        assert c.get("/api/query", params={"search_query": "ti:graph"}).status_code == 429
        time.sleep(0.55)
        assert c.get("/api/query", params={"search_query": "ti:graph"}).status_code == 200
        assert [r.status for r in api.requests] == [200, 429, 200, 429, 200]
        assert api.count("arxiv") == 4 and api.count("rss") == 1


def test_s2_rate_rule_and_key() -> None:
    real = fixture("s2/s2-error-429-too-many-requests.json").read_text()
    with FakeAPI(s2_interval=0.5, s2_key="sekret") as api, httpx.Client(base_url=api.url) as c:
        url = f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}"
        assert c.get(url, headers={"x-api-key": "sekret"}).status_code == 200
        r = c.get(url, headers={"x-api-key": "sekret"})
        assert r.status_code == 429 and r.text.strip() == real.strip()
        assert "retry-after" not in r.headers
        time.sleep(0.55)
        r = c.get(url, headers={"x-api-key": "wrong"})
        assert r.status_code == 403 and r.json() == {"message": "Forbidden"}
        time.sleep(0.55)
        assert c.get(url).status_code == 200  # anonymous is allowed, same interval
        assert api.requests[-1].headers.get("x-api-key") is None


# ============================================ faults =============================================


def test_fault_status_and_times(client: httpx.Client, api: FakeAPI) -> None:
    api.inject("s2", Fault(status=503, times=2))
    api.inject("s2", Fault(status=429))
    url = f"/graph/v1/paper/ARXIV:{MATCHING_NETWORKS}"
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [503, 503, 429, 200]
    assert client.get(url).status_code == 200
    api.inject("arxiv", Fault(status=500, body={"oops": True}, headers={"X-Test": "1"}))
    r = client.get("/api/query", params={"search_query": "x"})
    assert r.status_code == 500 and r.json() == {"oops": True} and r.headers["x-test"] == "1"
    assert [r.status for r in api.requests] == [503, 503, 429, 200, 200, 500]


def test_fault_html_truncated_malformed(client: httpx.Client, api: FakeAPI) -> None:
    api.inject("arxiv", Fault(kind="html"))
    r = client.get("/api/query", params={"search_query": "ti:graph"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Access Denied" in r.text
    api.inject("arxiv", Fault(kind="truncated"))
    r = client.get("/api/query", params={"search_query": "ti:graph"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert r.text.startswith("<?xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(r.content)
    api.inject("s2", Fault(kind="truncated"))
    r = client.get("/graph/v1/paper/search", params={"query": "graph"})
    with pytest.raises(json.JSONDecodeError):
        r.json()
    api.inject("s2", Fault(kind="malformed_json"))
    r = client.get("/graph/v1/paper/search", params={"query": "graph"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_fault_reset_and_delay(api: FakeAPI) -> None:
    api.inject("openalex", Fault(kind="reset"))
    with httpx.Client(base_url=api.url, timeout=2) as c:
        with pytest.raises(httpx.TransportError):
            c.get(f"/openalex/works/doi:10.48550/arXiv.{MATCHING_NETWORKS}")
        assert c.get(f"/openalex/works/doi:10.48550/arXiv.{MATCHING_NETWORKS}").status_code == 200
    api.inject("s2", Fault(kind="delay", seconds=0.6))
    with httpx.Client(base_url=api.url, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.get("/graph/v1/paper/search", params={"query": "graph"})
    assert [(r.service, r.status) for r in api.requests] == [
        ("openalex", 0),
        ("openalex", 200),
        ("s2", 200),
    ]


def test_fault_empty_feed(api: FakeAPI) -> None:
    api.inject("arxiv", Fault(kind="empty_feed"))
    c = arxiv_client(api)
    assert list(c.results(arxiv.Search(query="ti:graph", max_results=5))) == []
    api.inject("rss", Fault(kind="empty_feed"))
    with httpx.Client(base_url=api.url) as h:
        d = feedparser.parse(h.get("/rss/cs.LG").content)
    assert d.entries == [] and d.feed.title == "cs.LG updates on arXiv.org"
    with pytest.raises(ValueError):
        Fault(kind="nope")
    with pytest.raises(ValueError):
        api.inject("arxv", Fault())


# ===================================== log, latency, corpus ======================================


def test_request_log(client: httpx.Client, api: FakeAPI) -> None:
    client.get("/api/query", params={"search_query": "ti:graph", "max_results": 2})
    client.post("/graph/v1/paper/batch", params={"fields": "title"}, json={"ids": ["CorpusId:1"]})
    client.get("/nowhere")
    recs = api.requests
    assert [r.service for r in recs] == ["arxiv", "s2", "unknown"]
    a, s, _ = recs
    assert a.method == "GET" and a.path == "/api/query"
    assert a.query == {"search_query": ["ti:graph"], "max_results": ["2"]}
    assert s.method == "POST" and json.loads(s.body) == {"ids": ["CorpusId:1"]}
    assert s.headers["content-type"] == "application/json" and s.status == 200
    assert time.time() - 5 < a.t <= s.t
    assert api.count() == 3 and api.count("s2") == 1 and api.count("openalex") == 0
    api.clear_log()
    assert api.requests == [] and api.count() == 0


def test_latency_and_env() -> None:
    with FakeAPI(latency=0.2, arxiv_delay=3.0) as api:
        env = api.env()
        assert env == {
            "LITSCOUT_ARXIV_API_URL": f"{api.url}/api/query",
            "LITSCOUT_ARXIV_FEED_URL": f"{api.url}/rss",
            "LITSCOUT_S2_API_URL": api.url,
            "LITSCOUT_OPENALEX_API_URL": f"{api.url}/openalex",
            "LITSCOUT_ARXIV_DELAY": "3.0",
        }
        assert api.url.startswith("http://127.0.0.1:")
        t0 = time.monotonic()
        httpx.get(f"{api.url}/graph/v1/paper/search", params={"query": "graph"})
        assert time.monotonic() - t0 >= 0.2


def test_corpus_facts_and_mutation() -> None:
    c1, c2 = default_corpus(), default_corpus()
    assert 60 <= len(c1) <= 90
    assert len({p.paper_id for p in c1}) == len(c1)
    assert len({p.arxiv_id for p in c1 if p.arxiv_id}) == len(c1.arxiv_papers())
    mn = c1.by_arxiv(MATCHING_NETWORKS)
    assert mn is not None and mn.days_ago == 3000 and mn.citation_count == 2500
    assert sum(1 for c in mn.citations if c.days_ago < 365) == 300
    assert c1.by_key("fsl-2day").citation_count == 1
    assert sum(1 for p in c1 if p.publication_types == ["Review"]) >= 4
    assert sum(1 for p in c1 if p.arxiv_id is None) >= 5
    assert any(p.arxiv_id and "/" in p.arxiv_id for p in c1)
    assert len([p for p in c1 if FEW_SHOT_KEYS & {p.key}]) >= 25
    c1.by_key("maml").citations.clear()
    assert c2.by_key("maml").citation_count == 2300  # copies are independent
    with FakeAPI(corpus=c1) as api, httpx.Client(base_url=api.url) as c:
        added = api.corpus.add(
            FakePaper(
                key="test-added",
                title="A Freshly Added Paper About Widgets",
                abstract="Widgets are studied here.",
                authors=["Ada Test"],
                days_ago=0,
                categories=["cs.LG"],
                arxiv_id="auto",
            )
        )
        assert added.arxiv_id and added.arxiv_id.startswith(datetime.now(UTC).strftime("%y%m"))
        r = c.get("/api/query", params={"search_query": "ti:widgets"})
        assert f"{added.arxiv_id}v1" in r.text
        r = c.get("/graph/v1/paper/ARXIV:1703.03400", params={"fields": "citationCount"})
        assert r.json()["citationCount"] == 0


def test_standalone_server_prints_exports() -> None:
    script = Path(__file__).parent / "fakeapi" / "server.py"
    proc = subprocess.Popen(
        [sys.executable, str(script), "--port", "0", "--arxiv-delay", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(5)]
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
        assert env["LITSCOUT_ARXIV_DELAY"] == "0.0"
        r = httpx.get(env["LITSCOUT_S2_API_URL"] + "/graph/v1/paper/ARXIV:1606.04080", timeout=5)
        assert r.json()["title"] == "Matching Networks for One Shot Learning"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
