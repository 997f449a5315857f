"""A README you can trust: every litscout output in it comes from a real run, and the CLI
reference is `--help` as it is now.

The demos (tests/readme_demos.py) depend on today's date, so they are not compared with a
fresh run; these tests check that nothing hand-written sits beside them and that no demo puts
invented metadata next to a real paper's id. The CLI reference is regenerated and compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import readme_demos
import readme_reference

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^ *```[^\n]*\n.*?^ *```$", re.S | re.M)
DEMO = re.compile(r"<!-- demo:([a-z0-9-]+) -->\n(.*?)<!-- /demo -->", re.S)
# arXiv ids: new style (YYMM.NNNN[N], optionally versioned) and old style (cs/0601001)
ARXIV_ID = re.compile(
    r"(?<![\w.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\w.])|\b[a-z-]+(?:\.[A-Z]{2})?/\d{7}\b"
)
DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"',)}]+")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def demo_regions(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in DEMO.finditer(text)]


def test_every_shown_run_is_a_generated_demo() -> None:
    """A `$ litscout` run, or litscout's stderr lines, only inside a demo marker."""
    text = readme()
    regions = demo_regions(text)
    loose = []
    for block in FENCE.finditer(text):
        if not re.search(r"^\s*(?:\$ litscout\b|Warning: |Error: |Hint: )", block.group(0), re.M):
            continue  # commands to try, config, formulas: not litscout's output
        if not any(a <= block.start() and block.end() <= b for a, b in regions):
            line = text.count("\n", 0, block.start()) + 1
            loose.append(f"README.md:{line}: {block.group(0).splitlines()[1]}")
    assert not loose, (
        "console output in README.md outside a demo marker (make it a demo in "
        "tests/readme_demos.py and run `python tests/readme_demos.py --write`):\n"
        + "\n".join(loose)
    )


def test_the_readme_has_exactly_the_script_demos() -> None:
    names = [m.group(1) for m in DEMO.finditer(readme())]
    assert sorted(names) == sorted(d.name for d in readme_demos.DEMOS), (
        "README.md demo markers and tests/readme_demos.py DEMOS differ"
    )
    assert len(names) == len(set(names)), "a demo marker appears twice in README.md"


def test_every_demo_says_how_it_was_made_and_holds_one_console_block() -> None:
    for match in DEMO.finditer(readme()):
        name, body = match.groups()
        assert body.startswith("A real run against the test fake"), name
        assert "`python tests/readme_demos.py --write`" in body.split("\n", 1)[0], name
        assert body.count("```console\n") == 1 and "\n$ litscout " in body, name


def test_no_demo_shows_a_real_papers_id() -> None:
    """Demo ids are invented: arXiv-shaped ids in 9912.* (never issued) and 10.99999 DOIs."""
    for match in DEMO.finditer(readme()):
        name, body = match.groups()
        for found in ARXIV_ID.finditer(body):
            assert (found.group(1) or "").startswith(readme_demos.ARXIV_PREFIX), (
                f"demo {name} shows the arXiv id {found.group(0)}, which may be a real paper's"
            )
        for found in DOI.finditer(body):
            assert found.group(0).startswith(readme_demos.DOI_PREFIX), (
                f"demo {name} shows the DOI {found.group(0)}, which may be a real paper's"
            )


def test_the_demo_corpus_ids_are_invented() -> None:
    corpus = readme_demos.demo_corpus()
    for paper in corpus:
        assert paper.arxiv_id is None or paper.arxiv_id.startswith(readme_demos.ARXIV_PREFIX)
        assert paper.doi is None or paper.doi.startswith(readme_demos.DOI_PREFIX)
        assert paper.arxiv_id or paper.doi, paper.key


def test_cli_reference_is_up_to_date() -> None:
    text = readme()
    match = readme_reference.SECTION.search(text)
    assert match, "README.md has no CLI reference section (<!-- cli-reference --> markers)"
    assert match.group(0) == readme_reference.section(), (
        "README CLI reference is out of date; run `python tests/readme_reference.py --write`"
    )


def test_cli_reference_covers_every_command() -> None:
    text = readme()
    for path, _ in readme_reference.commands():
        assert f"<code>{' '.join(('litscout', *path))}</code>" in text, path
