"""Watch building blocks without a server: matching, the RSS parser, digests, TOML, the store."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litscout.watch as watch
from litscout.errors import SourceError, UsageError
from litscout.models import Paper
from litscout.render import digest
from litscout.sources.arxiv_feed import parse, spec_for
from litscout.store.papers import PaperStore
from litscout.store.watches import WatchDef, WatchStore
from litscout.watch.match import compile_query
from litscout.words import stem as norm

PAPER = Paper(
    title="Few-Shot Learning for Imbalanced Classes",
    abstract="We study class imbalance with graph neural networks. Code: https://github.com/a/b",
    authors=["Ana del Maestro", "Bo Li"],
    categories=["cs.LG", "stat.ML"],
    arxiv_id="2611.00001",
    published=date(2026, 11, 20),
    comment="12 pages",
)


# -- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("few-shot learning", True),
        ("class imbalance", True),  # imbalanced / imbalance, classes / class
        ("learned classes", True),
        ("few shot", True),
        ("shot few", True),  # plain words: order does not matter
        ("zero-shot learning", False),
        ("graph neural networks transformers", False),  # every word must be there
        ("the of a", None),  # no content words: rejected
    ],
)
def test_plain_queries_need_every_content_word(query: str, expected: bool | None) -> None:
    if expected is None:
        with pytest.raises(UsageError):
            compile_query(query)
        return
    assert compile_query(query)(PAPER) is expected


def test_hyphenated_word_must_appear_as_a_run() -> None:
    scattered = Paper(title="Few examples", abstract="A shot in the dark.")
    assert not compile_query("few-shot")(scattered)
    assert compile_query("few-shot")(Paper(title="Few shot detection"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ti:few AND cat:cs.LG", True),
        ('ti:"few shot"', True),
        ('ti:"shot few"', False),  # phrases keep their order
        ('ti:"few shot" ANDNOT au:li', False),
        ("au:del_maestro", True),
        ("au:maestro", True),
        ("au:smith", False),
        ("cat:stat", True),  # an archive matches its categories
        ("cat:cs.CV", False),
        ("cat:cs.CV OR abs:imbalanc*", True),
        ("(ti:few OR ti:zero) AND abs:graph", True),
        ("(ti:zero OR ti:one) AND abs:graph", False),
        ('"class imbalance"', True),
        ("ti:(few AND imbalance)", True),
        ("abs:graph ti:few", True),  # adjacent terms are ANDed, like arXiv
        ("abs:graph ti:zero", False),
        ("co:pages", True),
        ("rn:ABC-123", False),
        ("id:2611.00001", True),
        ("all:maestro", True),
        ("submittedDate:[202611010000 TO 202611302359] AND ti:few", True),
        ("submittedDate:[202601010000 TO 202601312359] AND ti:few", False),
        ("ti:few OR ti:zero AND abs:nothing", True),  # AND binds tighter than OR
    ],
)
def test_arxiv_syntax_is_evaluated_locally(query: str, expected: bool) -> None:
    assert compile_query(query)(PAPER) is expected


@pytest.mark.parametrize(
    "query", ["ti:(few", "ti:few AND", "ti:few AND foo:bar", "submittedDate:2025", "OR"]
)
def test_broken_arxiv_syntax_is_a_usage_error(query: str) -> None:
    with pytest.raises(UsageError):
        compile_query(query)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12))
@settings(max_examples=200, deadline=None)
def test_normaliser_agrees_on_common_inflections(word: str) -> None:
    if not word.endswith(("s", "e", "i", "u", "ing", "ed")):
        assert norm(word + "s") == norm(word)
        assert norm(word + "es") == norm(word) or word.endswith(("ss", "s"))


# -- the RSS parser ------------------------------------------------------------------------

RSS = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     version="2.0"><channel>
<title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>
<description>cs.LG updates</description>
<pubDate>Wed, 25 Nov 2026 00:00:00 -0500</pubDate>
<item><title>One &amp; Only</title><link>https://arxiv.org/abs/2611.00001</link>
<description>arXiv:2611.00001v1 Announce Type: new<SP>
Abstract: First sentence. Second one.</description>
<guid isPermaLink="false">oai:arXiv.org:2611.00001v1</guid>
<category>cs.LG</category><category>stat.ML</category>
<pubDate>Wed, 25 Nov 2026 00:00:00 -0500</pubDate>
<arxiv:announce_type>new</arxiv:announce_type><arxiv:DOI>10.1000/XYZ</arxiv:DOI>
<dc:creator>Ann Lee, Bob Stone</dc:creator></item>
<item><title>One &amp; Only</title><link>https://arxiv.org/abs/2611.00001</link>
<description>arXiv:2611.00001v1 Announce Type: cross<SP>
Abstract: First sentence. Second one.</description>
<category>cs.AI</category><arxiv:announce_type>cross</arxiv:announce_type>
<dc:creator>Ann Lee, Bob Stone</dc:creator></item>
<item><title>Old paper, new version</title><link>https://arxiv.org/abs/1606.04080</link>
<description>arXiv:1606.04080v3 Announce Type: replace<SP>
Abstract: Old.</description><category>cs.LG</category>
<arxiv:announce_type>replace</arxiv:announce_type><dc:creator>C D</dc:creator></item>
</channel></rss>
""".replace("<SP>", " ")  # arXiv puts a space before the newline


def test_rss_items_become_papers_and_cross_lists_collapse() -> None:
    feed = parse(RSS, "cs.LG")
    assert feed.announced == date(2026, 11, 25)
    assert [i.paper.arxiv_id for i in feed.items] == ["2611.00001", "1606.04080"]
    first = feed.items[0].paper
    assert first.title == "One & Only"
    assert first.abstract == "First sentence. Second one."
    assert first.authors == ["Ann Lee", "Bob Stone"]
    assert first.categories == ["cs.LG", "stat.ML", "cs.AI"]
    assert first.doi == "10.1000/xyz"
    assert first.url == "https://arxiv.org/abs/2611.00001"
    assert feed.items[0].is_new and not feed.items[1].is_new


def test_rss_that_is_html_or_names_a_bad_archive_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="HTML"):
        parse("<!DOCTYPE html><html><title>Access Denied</title></html>")
    bad = RSS.replace(
        "<description>cs.LG updates</description>",
        "<description>Bad archive 'csx'. Valid archive names are: cs.</description>",
    )  # noqa: E501
    with pytest.raises(SourceError, match="csx"):
        parse(bad)


def test_spec_is_sorted_and_deduplicated() -> None:
    assert spec_for(["stat.ML", "cs.LG", "stat.ML"]) == "cs.LG+stat.ML"


def test_real_listings_parse(shared_fixtures: Path) -> None:
    folder = shared_fixtures / "arxiv-rss"
    ml = parse(
        (folder / "laya-reader__arxiv_rss.xml").read_text("utf-8"), "cs.LG+cs.AI+cs.CL+stat.ML"
    )
    assert ml.announced == date(2026, 9, 24)
    assert len(ml.items) == 4
    assert all(i.paper.arxiv_id and i.paper.title and i.paper.abstract for i in ml.items)
    assert {i.announce_type for i in ml.items} == {"new", "cross", "replace"}
    assert not any(i.paper.abstract.startswith("arXiv:") for i in ml.items)  # type: ignore[union-attr]
    quant = parse((folder / "rssfeedsjl__quant-ph.xml").read_text("utf-8"), "quant-ph")
    ids = [i.paper.arxiv_id for i in quant.items]
    assert len(ids) == len(set(ids)) > 10
    assert all(len(i.paper.authors) >= 1 for i in quant.items)
    everything = parse((folder / "aioarxiv__rss_mock_feed.xml").read_text("utf-8"), "all")
    assert len(everything.items) == 1504  # every archive, one day: new + cross + replace
    assert sum(i.is_new for i in everything.items) == 926 + 9
    assert len({i.paper.arxiv_id for i in everything.items}) == 1504
    empty = parse((folder / "aioarxiv__empty_rss_mock_feed.xml").read_text("utf-8"), "test")
    assert empty.items == [] and empty.announced == date(2024, 11, 28)
    with pytest.raises(SourceError, match="astroph"):
        parse((folder / "aioarxiv__error_rss_mock_feed.xml").read_text("utf-8"), "astroph")


# -- digests -------------------------------------------------------------------------------


def record(arxiv_id: str, title: str, watch_name: str = "fewshot") -> dict:
    return {
        "id": f"arXiv:{arxiv_id}", "arxiv_id": arxiv_id, "doi": None, "s2_id": None,
        "title": title, "authors": ["Ann Lee", "Bob Stone", "Cy Twain", "Di Ng"],
        "abstract": "We do [things] with *stars*. More text follows here.",
        "published": "2026-11-24", "age_days": 1, "citations": 3, "velocity": 5.0,
        "score": 0.5, "is_survey": False, "code_urls": [], "categories": ["cs.LG"],
        "url": f"https://arxiv.org/abs/{arxiv_id}", "pdf_url": None, "watch": watch_name,
    }  # fmt: skip


def test_markdown_links_titles_and_escapes_markup() -> None:
    text = digest.markdown(
        [
            {
                "header": "fewshot · 1 new paper",
                "description": "few-shot",
                "warnings": ["stale"],
                "records": [record("2611.00001", "A [bracketed] *title*")],
            },
            {"header": "empty · 0 new papers", "description": "", "warnings": [], "records": []},
        ],  # fmt: skip
        datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
    )
    assert "# litscout digest — 2026-11-25 07:00 UTC" in text
    assert "[A \\[bracketed\\] \\*title\\*](<https://arxiv.org/abs/2611.00001>)" in text
    assert (
        "Ann Lee, Bob Stone, Cy Twain et al. · 1 day old · 3 citations · 5.0 citations/yr now"
        in text
    )
    assert "We do \\[things\\] with \\*stars\\*." in text and "More text" not in text
    assert "> **Warning:** stale" in text
    assert "No new papers." in text


def test_atom_round_trips_through_feedparser_and_keeps_older_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    first = datetime(2026, 11, 24, 7, tzinfo=UTC)
    digest.write_atomic(
        path, digest.atom(path, [record("2611.00001", "Old <one> & more")], first, 10)
    )
    feed_id = feedparser.parse(str(path)).feed.id
    second = datetime(2026, 11, 25, 7, tzinfo=UTC)
    new = [record("2611.00002", "New"), record("2611.00002", "New", "other")]
    digest.write_atomic(path, digest.atom(path, new, second, 10))
    parsed = feedparser.parse(str(path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == feed_id  # the feed keeps its identity
    assert [e.id for e in parsed.entries] == [
        "https://arxiv.org/abs/2611.00002",
        "https://arxiv.org/abs/2611.00001",
    ]
    assert parsed.entries[1].title == "Old <one> & more"
    assert {t.term for t in parsed.entries[0].tags} >= {"fewshot", "other", "cs.LG"}
    assert parsed.entries[0].link == "https://arxiv.org/abs/2611.00002"
    assert parsed.entries[0].author  # every entry has an author
    assert any(link.rel == "self" for link in parsed.feed.links)
    digest.write_atomic(path, digest.atom(path, [record("2611.00003", "Newest")], second, 2))
    assert [e.id[-5:] for e in feedparser.parse(str(path)).entries] == ["00003", "00002"]


def test_atom_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes/>")
    with pytest.raises(UsageError, match="not an Atom feed"):
        digest.atom(path, [], datetime.now(UTC), 10)
    path.write_text("plain text")
    with pytest.raises(UsageError, match="not a readable Atom feed"):
        digest.read_feed(path)


def test_atomic_write_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "digest.md"
    path.write_text("old digest")
    os.chmod(path, 0o640)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(digest.os, "replace", broken_replace)
        with pytest.raises(digest.DigestWriteError, match="No space left"):
            digest.write_atomic(path, "new digest")
    assert path.read_text() == "old digest"
    assert [p.name for p in tmp_path.iterdir()] == ["digest.md"]  # no temp file left behind
    digest.write_atomic(path, "new digest")
    assert path.read_text() == "new digest"
    assert path.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions


# -- TOML export / import ------------------------------------------------------------------


def test_toml_round_trip_with_awkward_characters() -> None:
    watches = [
        WatchDef(
            "a.b-c_1", 'ti:"graph \\ neural" AND au:o\'brien', ("cs.LG", "stat.ML"), None, 0.25
        ),
        WatchDef("matching", None, (), "arXiv:1606.04080", None),
        WatchDef("umlaut", 'ti:"tab" ANDNOT abs:über', (), None, None),
    ]
    text = watch.to_toml(watches)
    back = watch.from_toml(text)
    assert [w.definition() for w in back] == [w.definition() for w in watches]
    assert watch.toml_string('a"b\\c\nd\x01') == '"a\\"b\\\\c\\nd\\u0001"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[watch]]\nname = 'x'\nquery = 'a'\ncolour = 'red'\n", "unknown key colour"),
        ("[[watch]]\nquery = 'a'\n", "has no name"),
        ("[[watch]]\nname = 'x'\n", "empty query"),
        ("[[watch]]\nname = 'x'\nquery = 'a'\ncategories = ['cs.XX']\n", "cs.XX"),
        (
            "[[watch]]\nname = 'x'\nquery = 'alpha'\n[[watch]]\nname = 'x'\nquery = 'beta'\n",
            "twice",
        ),
        ("[[watch]]\nname = 'x'\nquery = 'a'\nmin_score = 'high'\n", "min_score"),
        ("name = 'x'\n", "export"),
        ("[[watch]\n", "not valid TOML"),
    ],
)
def test_bad_import_files_are_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        watch.from_toml(text)


# -- definitions and the store -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "topic"), "not a usable watch name"),
        (("has space", "topic"), "not a usable watch name"),
        (("ok", "   "), "empty query"),
        (("ok", "topic", ["cs.NOPE"]), "cs.NOPE"),
        (("ok", "ti:(open"), "unbalanced"),
        (("ok", None, [], "not-an-id"), "not a paper id"),
        (("ok", "topic", [], None, 1.5), "out of range"),
    ],
)
def test_define_rejects_bad_input(args: tuple, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        watch.define(*args)


def test_delivery_marks_only_pending_rows_once() -> None:
    store = WatchStore(PaperStore(":memory:"))
    store.add(WatchDef("w", "topic", created_at=time.time()))
    assert store.record_fetch("w", ["a", "b", "c"], 100.0) == 3
    assert store.record_fetch("w", ["a", "d"], 101.0) == 1
    assert store.unseen_counts() == {"w": 4}
    assert store.deliver({"w": (["a", "b"], ["c"])}, 200.0, ["w"]) == {"w": 2}
    # A second, racing delivery of the same papers changes nothing.
    assert store.deliver({"w": (["a", "b"], [])}, 201.0, ["w"]) == {"w": 0}
    assert store.status_of("w") == {
        "a": "delivered",
        "b": "delivered",
        "c": "filtered",
        "d": "pending",
    }  # noqa: E501
    assert store.pending("w") == ["d"]
    assert store.get("w").last_success == 201.0  # type: ignore[union-attr]
    assert store.reset("w", 150.0) == 3
    assert sorted(store.pending("w")) == ["a", "b", "c", "d"]
    assert store.get("w").backfill_from == 150.0  # type: ignore[union-attr]


def test_a_watch_removed_during_a_run_leaves_no_orphans() -> None:
    store = WatchStore(PaperStore(":memory:"))
    store.add(WatchDef("w", "topic", created_at=0.0))
    store.remove("w")
    assert store.record_fetch("w", ["a"], 1.0) == 0
    assert store.deliver({"w": (["a"], [])}, 2.0, ["w"]) == {"w": 0}
    store.add(WatchDef("w", "topic", created_at=3.0))
    assert store.status_of("w") == {}


def test_paper_renames_follow_into_watch_items() -> None:
    papers = PaperStore(":memory:")
    store = WatchStore(papers)
    store.add(WatchDef("w", "topic", created_at=0.0))
    (doi_only,) = papers.upsert_papers([Paper(title="T", doi="10.1/x")])
    store.record_fetch("w", [doi_only.id], 1.0)
    papers.upsert_papers([Paper(title="T", doi="10.1/x", arxiv_id="2611.00001")])
    assert store.pending("w") == ["arXiv:2611.00001"]


def test_backfill_needed_only_when_an_announcement_was_missed() -> None:
    wednesday = date(2026, 11, 25)
    assert watch.previous_weekday(wednesday) == date(2026, 11, 24)
    assert watch.previous_weekday(date(2026, 11, 23)) == date(2026, 11, 20)  # Monday → Friday

    class Ctx:
        now = datetime(2026, 11, 25, 12, tzinfo=UTC).timestamp()

    def start(last_fetch: float | None) -> float | None:
        w = WatchDef("w", "x", ("cs.LG",), last_fetch=last_fetch)
        return watch.backfill_start(Ctx(), w, wednesday)  # type: ignore[arg-type]

    yesterday = datetime(2026, 11, 24, 12, tzinfo=UTC).timestamp()
    assert start(None) is None  # first run: the feed alone
    assert start(yesterday) is None
    week_ago = datetime(2026, 11, 18, 12, tzinfo=UTC).timestamp()
    # Last read Wednesday 18th's listing (submitted up to Tuesday 17th): from Tuesday 00:00 UTC.
    assert start(week_ago) == datetime(2026, 11, 17, tzinfo=UTC).timestamp()

    def start_after(listing: date, last_fetch: float) -> float | None:
        w = WatchDef("w", "x", ("cs.LG",), last_fetch=last_fetch, last_announced=listing)
        return watch.backfill_start(Ctx(), w, wednesday)  # type: ignore[arg-type]

    # Read on Monday evening US Eastern, the listing was already Tuesday's: no gap on Wednesday.
    monday_evening = datetime(2026, 11, 24, 2, 30, tzinfo=UTC).timestamp()
    assert watch.eastern_date(monday_evening) == date(2026, 11, 23)
    assert start_after(date(2026, 11, 24), monday_evening) is None
    assert start_after(date(2026, 11, 23), monday_evening) is not None  # Tuesday was missed
    # Friday's listing read, today is Monday: the weekend has no announcements.
    friday = datetime(2026, 11, 20, 12, tzinfo=UTC).timestamp()
    w = WatchDef("w", "x", ("cs.LG",), last_fetch=friday, last_announced=date(2026, 11, 20))
    assert watch.backfill_start(Ctx(), w, date(2026, 11, 23)) is None  # type: ignore[arg-type]
    # Friday's listing read, today is Wednesday: Monday's and Tuesday's listings were missed;
    # they announced what was submitted from Thursday 14:00 US Eastern on.
    assert (
        watch.backfill_start(Ctx(), w, wednesday)
        == datetime(  # type: ignore[arg-type]
            2026, 11, 19, tzinfo=UTC
        ).timestamp()
    )
    assert watch.missed_since(date(2026, 11, 23)) == datetime(2026, 11, 20, tzinfo=UTC).timestamp()


def test_run_lock_is_exclusive_and_times_out(tmp_path: Path) -> None:
    path = tmp_path / "watch.lock"
    with watch.exclusive(path, timeout=1):
        started = time.monotonic()
        with pytest.raises(watch.LockTimeout, match=f"pid {os.getpid()}"):
            with watch.exclusive(path, timeout=0.3):
                pass
        assert time.monotonic() - started >= 0.3
    with watch.exclusive(path, timeout=0.1):  # released: free again
        pass


# -- the combined backfill's paging ----------------------------------------------------------


class _Pages:
    """A stand-in for ArxivAPI.page: `script` says what each request gets."""

    def __init__(self, total: int, script: list[str]) -> None:
        self.total = total
        self.script = script
        self.asked: list[int] = []

    def page(self, query: str, start: int, size: int) -> Any:
        from litscout.sources.arxiv_api import Page

        self.asked.append(start)
        step = self.script.pop(0) if self.script else "ok"
        if step == "fail":
            raise SourceError("arXiv", "HTTP 503")
        if step == "empty":
            return Page([], self.total, None)
        count = max(0, min(size, self.total - start))
        papers = [
            Paper(title=f"P{i}", arxiv_id=f"2611.{i:05d}", published=date(2026, 11, 20))
            for i in range(start, start + count)
        ]
        stamp = datetime(2026, 11, 20, 10, start + count - 1 if count else 0, tzinfo=UTC)
        return Page(papers, self.total, stamp if count else None)


def _backfill_ctx(arxiv: _Pages, size: int, pages: int) -> Any:
    from types import SimpleNamespace

    from litscout.config import Settings, Watch

    settings = Settings(watch=Watch(backfill_results=size, backfill_pages=pages))
    reporter = SimpleNamespace(status=lambda m: None, warn=lambda m: None)
    now = datetime(2026, 11, 25, 12, tzinfo=UTC).timestamp()
    return SimpleNamespace(arxiv=arxiv, settings=settings, reporter=reporter, now=now)


def _needs() -> list[Any]:
    from litscout.watch import backfill

    start = datetime(2026, 11, 19, tzinfo=UTC).timestamp()
    return [backfill.Need(WatchDef("w", "x", ("cs.LG",)), start)]


def test_backfill_pages_until_total_results() -> None:
    from litscout.watch import backfill

    arxiv = _Pages(total=7, script=[])
    answer = backfill.ask(_backfill_ctx(arxiv, 3, 10), "cat:cs.LG", _needs(), "w")
    assert arxiv.asked == [0, 3, 6]
    assert len(answer.papers) == 7 and answer.resume is None and answer.left_out == 0
    assert answer.query.startswith("cat:cs.LG AND submittedDate:[202611190000 TO 202611252359]")


@pytest.mark.parametrize(
    ("script", "asked", "got", "why"),
    [
        (["ok", "fail"], [0, 3], 3, "page 2 failed"),
        (["ok", "empty", "empty"], [0, 3, 3], 3, "empty page at 3 of 7"),
        ([], [0, 3], 6, "2 pages of 3 is the most"),
    ],
)
def test_backfill_cut_short_says_what_is_left_and_where_to_resume(
    script: list[str], asked: list[int], got: int, why: str
) -> None:
    from litscout.watch import backfill

    arxiv = _Pages(total=7, script=script)
    answer = backfill.ask(_backfill_ctx(arxiv, 3, 2), "cat:cs.LG", _needs(), "w")
    assert arxiv.asked == asked
    assert len(answer.papers) == got and answer.left_out == 7 - got
    assert answer.stopped is not None and why in answer.stopped
    last = datetime(2026, 11, 20, 10, got - 1, tzinfo=UTC).timestamp()
    assert answer.resume == last, "the next run asks from the last submission received"


def test_backfill_empty_page_in_the_middle_is_asked_once_more() -> None:
    from litscout.watch import backfill

    arxiv = _Pages(total=7, script=["ok", "empty"])
    answer = backfill.ask(_backfill_ctx(arxiv, 3, 10), "cat:cs.LG", _needs(), "w")
    assert arxiv.asked == [0, 3, 3, 6]
    assert len(answer.papers) == 7 and answer.resume is None


def test_backfill_failed_first_page_and_empty_answer() -> None:
    from litscout.watch import backfill

    failed = backfill.ask(_backfill_ctx(_Pages(7, ["fail"]), 3, 2), "q", _needs(), "w")
    assert failed.error == "arXiv: HTTP 503" and not failed.papers and not failed.empty
    empty = backfill.ask(_backfill_ctx(_Pages(0, []), 3, 2), "q", _needs(), "w")
    assert empty.empty and empty.error is None and empty.resume is None
