"""The hand-written arXiv taxonomy table and the helpers that guard `cat:` queries."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files

import pytest

from litscout import categories
from litscout.categories import (
    all_codes,
    archive_of,
    canonical,
    describe,
    is_known,
    load,
    validate,
)


def _lines() -> list[str]:
    return (files("litscout") / "data" / "arxiv_categories.tsv").read_text("utf-8").splitlines()


def test_file_shape() -> None:
    lines = _lines()
    assert lines[0].startswith("#") and "arxiv.org/category_taxonomy" in lines[0]
    assert lines[1] == "code\tname\tkind"
    rows = [line.split("\t") for line in lines[2:]]
    for row in rows:
        assert len(row) == 3, row
        code, name, kind = row
        assert code and name and code.strip() == code and name.strip() == name
        assert " " not in code
        assert kind in {"category", "archive", "legacy"}
    codes = [row[0] for row in rows]
    assert codes == sorted(codes)
    assert not [c for c, n in Counter(codes).items() if n > 1]


def test_counts_plausible() -> None:
    kinds = Counter(c.kind for c in load().values())
    # 149 canonical categories + 6 aliases = the 155 codes on arxiv.org/category_taxonomy.
    assert kinds["category"] > 140
    assert kinds["category"] + 6 > 150
    assert kinds["archive"] >= 11
    assert kinds["legacy"] >= 18
    assert len(load()) > 150


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("cs.LG", "Machine Learning"),
        ("stat.ML", "Machine Learning"),
        ("quant-ph", "Quantum Physics"),
        ("astro-ph.GA", "Astrophysics of Galaxies"),
        ("math.GT", "Geometric Topology"),
        ("hep-th", "High Energy Physics - Theory"),
        ("cs.CL", "Computation and Language"),
        ("eess.SP", "Signal Processing"),
        ("q-fin.ST", "Statistical Finance"),
        ("econ.EM", "Econometrics"),
        ("q-bio.NC", "Neurons and Cognition"),
        ("cond-mat.str-el", "Strongly Correlated Electrons"),
        ("physics.flu-dyn", "Fluid Dynamics"),
        ("nlin.CD", "Chaotic Dynamics"),
    ],
)
def test_known_categories(code: str, name: str) -> None:
    assert is_known(code)
    assert describe(code) == name
    assert load()[code].kind == "category"


@pytest.mark.parametrize(
    "code",
    [
        "cs",
        "math",
        "physics",
        "astro-ph",
        "cond-mat",
        "stat",
        "q-bio",
        "q-fin",
        "econ",
        "eess",
        "nlin",
    ],
)
def test_archives(code: str) -> None:
    assert load()[code].kind == "archive"


@pytest.mark.parametrize(
    "code",
    [
        "math.IT",
        "math.MP",
        "stat.TH",
        "q-alg",
        "alg-geom",
        "dg-ga",
        "funct-an",
        "solv-int",
        "chao-dyn",
        "cmp-lg",
        "adap-org",
        "patt-sol",
        "comp-gas",
        "mtrl-th",
        "supr-con",
        "chem-ph",
        "atom-ph",
        "acc-phys",
        "ao-sci",
        "bayes-an",
        "plasm-ph",
    ],
)
def test_legacy(code: str) -> None:
    assert load()[code].kind == "legacy"


def test_case_sensitive_and_unknown() -> None:
    assert not is_known("cs.lg")
    assert not is_known("CS.LG")
    assert describe("cs.XX") is None


def test_validate_cleans() -> None:
    assert validate([" cs.LG", "stat.ML", "", "cs.LG", "hep-th", "cs"]) == [
        "cs.LG",
        "stat.ML",
        "hep-th",
        "cs",
    ]
    assert validate([]) == []


def test_validate_reads_any_case_as_arxiv_spells_it() -> None:
    assert validate(["cs.lg", "CS.LG", "Stat.ml", "HEP-TH"]) == ["cs.LG", "stat.ML", "hep-th"]
    assert canonical("astro-ph.ga") == "astro-ph.GA"
    assert canonical("cs.XX") is None


def test_completion_codes_are_current_and_sorted() -> None:
    codes = all_codes()
    assert "cs.LG" in codes and codes == sorted(codes)
    assert all(load()[c].kind != "legacy" for c in codes)


def test_validate_typo_suggestion() -> None:
    with pytest.raises(ValueError) as err:
        validate(["cs.AI", "cs.LX"])
    msg = str(err.value)
    assert "'cs.LX'" in msg and "cs.AI'" not in msg
    assert "cs.LG" in msg


def test_validate_names_every_unknown() -> None:
    with pytest.raises(ValueError) as err:
        validate(["cs.LX", "mathh.GT"])
    assert "'cs.LX'" in str(err.value) and "'mathh.GT'" in str(err.value)


@pytest.mark.parametrize(
    ("code", "archive"),
    [
        ("cs.LG", "cs"),
        ("hep-th", "hep-th"),
        ("astro-ph.GA", "astro-ph"),
        ("cond-mat.mes-hall", "cond-mat"),
        ("q-fin.ST", "q-fin"),
        ("math", "math"),
        ("alg-geom", "alg-geom"),
    ],
)
def test_archive_of(code: str, archive: str) -> None:
    assert archive_of(code) == archive


def test_every_category_archive_is_known() -> None:
    for cat in load().values():
        assert is_known(archive_of(cat.code)), cat.code


def test_parse_rejects_bad_rows() -> None:
    with pytest.raises(RuntimeError):
        categories._parse("code\tname\tkind\ncs.LG\tMachine Learning\n")
    with pytest.raises(RuntimeError):
        categories._parse("code\tname\tkind\ncs.LG\tML\tcategory\ncs.LG\tML\tcategory\n")
    with pytest.raises(RuntimeError):
        categories._parse("code\tname\tkind\ncs.LG\tML\tweird\n")
