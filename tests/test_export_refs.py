"""`export` for reference managers: --bib FILE adds only what is missing, CSL-JSON, RIS,
ids (or litscout's own JSON) on stdin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import fake_services
from fakeapi import MATCHING_NETWORKS, FakeAPI
from litscout.cli import app
from litscout.cli.export import ids_from_text
from litscout.render import bibfile, refs


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with fake_services(monkeypatch, isolated_home, "retries = 0") as fake:
        yield fake


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def bib_keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", text, re.M)


def test_bib_file_gets_only_what_it_lacks(api: FakeAPI, tmp_path: Path) -> None:
    proto = api.corpus.by_key("prototypical-networks").arxiv_id
    refs_bib = tmp_path / "refs.bib"
    refs_bib.write_text("% my library\n@book{knuth1984tex,\n  title = {The {TeX}book},\n}\n")
    code, out, err = run("export", MATCHING_NETWORKS, "--bib", str(refs_bib))
    assert code == 0, err
    assert out == "" and "Added 1 entry" in err
    first = refs_bib.read_text()
    assert first.startswith("% my library\n@book{knuth1984tex,") and len(bib_keys(first)) == 2
    code, _, err = run("export", MATCHING_NETWORKS, proto, "--bib", str(refs_bib))
    assert code == 0, err
    assert "Added 1 entry" in err and "(1 already there)" in err
    second = refs_bib.read_text()
    assert second.startswith(first) and len(bib_keys(second)) == 3
    code, _, err = run("export", MATCHING_NETWORKS, proto, "--bib", str(refs_bib))
    assert "Added 0 entries" in err and refs_bib.read_text() == second
    keys = bib_keys(second)
    assert len(keys) == len(set(keys))


def test_bib_matching_by_key_arxiv_id_or_doi_and_never_a_duplicate_key() -> None:
    record = {"title": "Matching Networks", "authors": ["Oriol Vinyals"], "year": 2016}
    mine = {**record, "arxiv_id": "1606.04080", "doi": "10.1/x"}
    by_eprint = "@misc{other,\n  eprint = {1606.04080v2},\n}\n"
    by_doi = "@article{other,\n  doi = {10.1/X},\n}\n"
    by_url = "@misc{other,\n  url = {https://arxiv.org/abs/1606.04080},\n}\n"
    same_key = "@misc{vinyals2016matching,\n  title = {Matching Networks},\n}\n"
    for text in (by_eprint, by_doi, by_url, same_key):
        assert bibfile.missing(text, [mine])[1:] == (0, 1), text
    # The key is taken by another paper: ours is added under the next free key.
    taken = "@misc{vinyals2016matching,\n  eprint = {1711.00001},\n}\n"
    added, count, present = bibfile.missing(taken, [mine])
    assert (count, present) == (1, 0) and bib_keys(added) == ["vinyals2016matchingb"]


def test_csl_json_and_ris(api: FakeAPI) -> None:
    code, out, err = run("export", MATCHING_NETWORKS, "--format", "csl-json")
    assert code == 0, err
    [item] = json.loads(out)
    assert item["id"] == "valinsky2018matching" and item["title"]
    assert item["author"][0]["family"] and item["issued"]["date-parts"][0][0] >= 2016
    code, out, err = run("export", MATCHING_NETWORKS, "--format", "ris")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] in ("TY  - GEN", "TY  - JOUR", "TY  - CONF") and lines[-1] == "ER  -"
    assert "ID  - valinsky2018matching" in lines and any(ln.startswith("AU  - ") for ln in lines)
    assert run("export", MATCHING_NETWORKS, "--format", "ris", "--bib", "x.bib")[0] == 2
    assert run("search", "few-shot learning", "--format", "ris")[0] == 2


def test_reference_formats_keep_tex_math() -> None:
    record = {"title": "$k$-means for $\\mathcal{G}$", "authors": ["Vinyals, Oriol"], "year": 2020}
    assert json.loads(refs.csl_json([record]))[0]["title"] == record["title"]
    assert json.loads(refs.csl_json([record]))[0]["author"] == [
        {"family": "Vinyals", "given": "Oriol"}
    ]
    assert "TI  - $k$-means for $\\mathcal{G}$" in refs.ris([record])


def test_search_piped_into_export(api: FakeAPI, tmp_path: Path) -> None:
    code, found, err = run("search", "few-shot learning", "-n", "3", "--format", "jsonl")
    assert code == 0, err
    refs_bib = tmp_path / "refs.bib"
    code, _, err = run("export", "-", "--bib", str(refs_bib), stdin=found)
    assert code == 0, err
    assert len(bib_keys(refs_bib.read_text())) == 3
    as_array = json.dumps([json.loads(line) for line in found.splitlines()])
    code, out, err = run("export", "-", stdin=as_array)
    assert code == 0 and out.count("\n@") + out.startswith("@") == 3
    code, out, err = run("export", "-", stdin=f"{MATCHING_NETWORKS}\n\n")
    assert code == 0 and out.count("@") == 1


def test_ids_from_stdin_text() -> None:
    assert ids_from_text('{"id": "arXiv:1606.04080", "title": "x"}\n1703.05175\n') == [
        "arXiv:1606.04080",
        "1703.05175",
    ]
    assert ids_from_text('[{"id": "s2:abc"}, "1606.04080"]') == ["s2:abc", "1606.04080"]
    for bad in ("", "{not json", '[{"title": "no id"}]'):
        with pytest.raises(Exception, match="stdin|id"):
            ids_from_text(bad)
