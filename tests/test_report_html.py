"""`litscout report` and `watch run --html`: one self-contained HTML page, checked as text and,
when Chromium is installed, in a real headless browser (marks, links, layout at 1200 and
375 px, print). Screenshots are kept under the test's tmp dir."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import litscout.api
from conftest import fake_services
from fakeapi import FakeAPI
from litscout.cli import app
from litscout.errors import SourceError
from litscout.render import html

QUERY = "few-shot learning"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    network = "backoff_base = 0.01\nretries = 1\nread_timeout = 5.0"
    with fake_services(monkeypatch, isolated_home, network) as fake:
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


class Page(HTMLParser):
    """What a reader (or a test) looks at: the map's marks, the table's rows, every link."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.marks: list[dict[str, str]] = []  # data-id, href of the enclosing <a>, title
        self.rows: list[dict[str, Any]] = []
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.feed(text)

    def inside(self, tag: str, cls: str | None = None) -> dict[str, str] | None:
        for name, attrs in reversed(self.stack):
            if name == tag and (cls is None or cls in attrs.get("class", "").split()):
                return attrs
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if "href" in found:
            self.hrefs.append(found["href"])
        if tag == "circle" and "mark" in found.get("class", "").split():
            if self.inside("svg", "fieldmap") is not None:
                link = self.inside("a")
                self.marks.append(
                    {
                        "id": found.get("data-id", ""),
                        "class": found["class"],
                        "href": link["href"] if link else "",
                        "title": "",
                    }
                )
        if tag == "tr" and found.get("id", "").startswith("paper-"):
            self.rows.append({"links": []})
        if tag == "a" and self.rows and self.inside("tr") is not None:
            self.rows[-1]["links"].append(found.get("href"))
        self.stack.append((tag, found))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.stack and self.stack[-1][0] == "title" and self.inside("circle", "mark"):
            if self.marks:
                self.marks[-1]["title"] += data


def write_report(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """`litscout report`, and the records the page was made of (the library's answer)."""
    out = tmp_path / "report.html"
    seen: list[dict[str, Any]] = []
    search = litscout.api.search

    def spy(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        seen.extend(search(*args, **kwargs))
        return seen

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("litscout.api.search", spy)
        code, stdout, err = run("report", QUERY, "-o", str(out))
    assert code == 0, err
    assert stdout == "" and f"Wrote {out} (20 papers)" in err
    return out, seen


# -- as text -----------------------------------------------------------------------------


def test_report_page_has_one_linked_titled_mark_and_row_per_paper(
    api: FakeAPI, tmp_path: Path
) -> None:
    out, records = write_report(tmp_path)
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert len(records) == 20
    assert sorted(m["id"] for m in page.marks) == sorted(ids(records)), "one mark per paper"
    for mark in page.marks:
        record = by_id(records)[mark["id"]]
        assert mark["href"] == record["url"]
        assert record["title"] in mark["title"] and record["velocity_basis"] in mark["title"]
        expected = "survey" if record["is_survey"] else "code" if record["code_urls"] else "other"
        assert expected in mark["class"].split()
    assert len(page.rows) == len(records)
    for row, record in zip(page.rows, records, strict=True):
        assert row["links"][:3] == [record["url"], record["url"], record["pdf_url"]]
        assert row["links"][3:] == (record["code_urls"] or [])  # null: not yet known
    body = " ".join(page.text)
    assert QUERY in body and "Answered" in body
    assert "citations per year now" in body and "age (log scale)" in body
    surveys = [r["title"] for r in records if r["is_survey"]]
    assert surveys and all(title in body for title in surveys)
    assert "Key terms" in body and "meta-learning" in body, "terms for the question"


def test_report_is_self_contained_and_styled_for_phone_and_print(
    api: FakeAPI, tmp_path: Path
) -> None:
    out, _ = write_report(tmp_path)
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert "url(" not in text and "@import" not in text and " src=" not in text
    assert all(h.startswith("https://") for h in page.hrefs), "only web links, no local files"
    assert '<meta name="viewport" content="width=device-width' in text
    assert "@media (max-width:640px)" in text and "@media print" in text


def test_values_are_escaped_and_only_web_links_are_followed() -> None:
    record = {
        "id": 'x"><script>',
        "title": "<script>alert(1)</script> & co",
        "authors": ["<b>Eve</b>"],
        "url": "javascript:alert(1)",
        "pdf_url": "https://example.org/a.pdf?x=1&y=2",
        "code_urls": ["data:text/html,boom"],
        "age_days": 100,
        "citations": 3,
        "velocity": 5.0,
        "velocity_basis": "all_in_window",
        "is_survey": False,
    }
    text = html.report('<img src=x onerror="x">', [record], datetime(2026, 1, 2, tzinfo=UTC))
    assert "<script>" not in text and "<img" not in text and "<b>Eve" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert "javascript:" not in text and "data:text" not in text.replace("&", "")
    assert 'href="https://example.org/a.pdf?x=1&amp;y=2"' in text
    page = Page(text)
    assert len(page.marks) == 1 and page.marks[0]["href"] == "https://example.org/a.pdf?x=1&y=2"


def test_map_places_age_on_a_log_scale_and_keeps_undated_papers_off_it() -> None:
    def rec(n: int, age: int | None, velocity: float | None, basis: str) -> dict[str, Any]:
        return {
            "id": f"arXiv:{n}",
            "title": f"P{n}",
            "url": f"https://arxiv.org/abs/{n}",
            "age_days": age,
            "citations": n * 10,
            "velocity": velocity,
            "velocity_basis": basis,
            "is_survey": False,
            "code_urls": [],
        }

    records = [rec(1, 10, 50.0, "citing_dates"), rec(2, 100, 5.0, "all_in_window")]
    records += [rec(3, 1000, 20.0, "lifetime"), rec(4, None, None, "unknown")]
    svg = html.field_map(records)
    page = Page(svg)
    assert [m["id"] for m in page.marks] == ["arXiv:3", "arXiv:2", "arXiv:1"], "big first"
    x1, x2, x3 = (float(svg.split(f'data-id="arXiv:{n}" cx="')[1].split('"')[0]) for n in (1, 2, 3))
    assert x1 < x2 < x3 and abs((x2 - x1) - (x3 - x2)) < 0.5, "10, 100, 1000 days: equal steps"
    assert "not-now" in page.marks[0]["class"], "a lifetime average is drawn hollow"
    assert "1 paper(s) without a date are not on the map" in svg


def test_terms_failing_still_gives_a_page(
    api: FakeAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[dict[str, Any]]:
        raise SourceError("Semantic Scholar", "HTTP 500")

    monkeypatch.setattr("litscout.api.terms", broken)
    out = tmp_path / "r.html"
    code, _, err = run("report", QUERY, "-o", str(out), "-n", "5")
    assert code == 0, err
    text = out.read_text()
    assert "Key terms unavailable: Semantic Scholar: HTTP 500" in text
    assert len(Page(text).marks) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sort", "bogus"), "unknown sort"),
        (("-n", "0"), "out of range"),
        (("--offline", "--refresh"), "contradict"),
        (("-o", "/nonexistent-dir/r.html"), "does not exist"),
    ],
)
def test_report_refuses_bad_arguments_before_any_request(
    api: FakeAPI, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run("report", QUERY, "-o", str(tmp_path / "r.html"), *args)
    assert code == 2 and message in err and err.startswith("Error:")
    assert api.count() == 0


def test_watch_run_html_writes_the_digest_with_the_same_renderer(
    api: FakeAPI, tmp_path: Path
) -> None:
    code, _, err = run("watch", "add", "fewshot", QUERY)
    assert code == 0, err
    target = tmp_path / "digest.html"
    code, _, err = run("watch", "run", "--dry-run", "--html", str(target), "-q")
    assert code == 0, err
    assert "no digest files written" in err and not target.exists()
    code, out, err = run("watch", "run", "--html", str(target), "--format", "json")
    assert code == 0, err
    records = json.loads(out)
    page = Page(target.read_text(encoding="utf-8"))
    assert records and sorted(m["id"] for m in page.marks) == sorted(r["id"] for r in records)
    body = " ".join(page.text)
    assert "New papers on your watches" in body and "fewshot" in body
    assert len(page.rows) == len(records)


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in records]


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


# -- in a real browser -------------------------------------------------------------------


def browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium to test in (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    command = [
        browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_in_chromium_the_map_has_one_mark_per_paper_and_the_links_are_right(
    api: FakeAPI, tmp_path: Path
) -> None:
    browser()
    out, records = write_report(tmp_path)
    done = chromium(tmp_path, "--dump-dom", out.as_uri())
    assert console(done.stderr) == [], "no console messages: no errors, nothing fetched"
    page = Page(done.stdout)  # the DOM as Chromium parsed it
    assert len(page.marks) == len(records) == len(page.rows)
    assert sorted(m["id"] for m in page.marks) == sorted(ids(records))
    assert {m["id"]: m["href"] for m in page.marks} == {r["id"]: r["url"] for r in records}
    for row, record in zip(page.rows, records, strict=True):
        assert row["links"][:3] == [record["url"], record["url"], record["pdf_url"]]


def test_in_chromium_screenshots_at_1200_and_375_px(api: FakeAPI, tmp_path: Path) -> None:
    browser()
    out, _ = write_report(tmp_path)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    for width, height in ((1200, 900), (375, 812)):
        shot = shots / f"report-{width}.png"
        chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},{height}", out.as_uri())
        assert png_size(shot) == (width, height)
        assert shot.stat().st_size > 20_000, "a page was drawn, not a blank"
    pdf = shots / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", out.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_in_chromium_nothing_overflows_a_375_px_phone(api: FakeAPI, tmp_path: Path) -> None:
    browser()
    out, records = write_report(tmp_path)
    probe = tmp_path / "phone.html"
    probe.write_text(
        '<!DOCTYPE html><html><body><iframe id="f" src="report.html" '
        'style="width:375px;height:812px;border:0"></iframe><script>'
        "const f = document.getElementById('f');"
        "f.addEventListener('load', () => {"
        "  const d = f.contentDocument, b = document.body;"
        "  b.dataset.scroll = d.documentElement.scrollWidth;"
        "  b.dataset.width = d.documentElement.clientWidth;"
        "  b.dataset.marks = d.querySelectorAll('svg.fieldmap circle.mark').length;"
        "  b.dataset.head = getComputedStyle(d.querySelector('.ranked thead')).display;"
        "  b.dataset.map = d.querySelector('svg.fieldmap').getBoundingClientRect().width;"
        "});</script></body></html>"
    )
    done = chromium(tmp_path, "--allow-file-access-from-files", "--dump-dom", probe.as_uri())
    body = done.stdout.split("<body", 1)[1].split(">", 1)[0]
    values = dict(re.findall(r'data-(\w+)="([^"]*)"', body))
    assert int(values["marks"]) == len(records)
    assert int(values["scroll"]) <= int(values["width"]) <= 375, "no sideways scrolling"
    assert values["head"] == "none", "the table becomes one card per paper"
    assert 300 <= float(values["map"]) <= 375, "the map fits the phone's width"
