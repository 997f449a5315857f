"""Bad input never reaches the network and never prints a traceback.

Usage problems: one `Error:` line (plus a `Hint:` where there is something to suggest),
exit 2. Environment problems (the data directory): exit 1. Odd but valid input works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi import FakeAPI
from litscout import ids
from litscout.errors import LitscoutError, UsageError
from litscout.query import Query, parse_date
from reliability import assert_clean, run, write_config


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        write_config(isolated_home)
        yield fake


def one_error(stderr: str) -> str:
    assert_clean(stderr)
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    assert all(line.startswith(("Error:", "Hint:")) for line in lines), stderr
    return stderr


USAGE = [
    # (arguments, fragment of the message, expects a hint)
    ([""], "empty query", True),
    (["   \t  "], "empty query", True),
    (["\n"], "empty query", True),
    (['ti:"few-shot'], "unbalanced quotes", True),
    (['"few-shot learning'], "unbalanced quotes", True),
    (["(ti:graph AND abs:neural"], "unbalanced parentheses", True),
    (["ti:graph) OR (abs:x"], "unbalanced parentheses", True),
    (["ti:"], "needs a term", True),
    (["(cat:) AND ti:x"], "needs a term", True),
    (["AND OR"], "no searchable words", False),
    (["🙂 🙂"], "no searchable words", False),
    (["a the of"], "no searchable words", False),
    (["x", "--since", "yesterday"], "not a date", True),
    (["x", "--since", "2025-13-01"], "not a date", True),
    (["x", "--since", "2025-02-30"], "not a date", True),
    (["x", "--until", "99999"], "not a date", True),
    (["x", "--since", "-3d"], "not a date", True),
    (["x", "--since", "9999y"], "too far back", False),
    (["x", "--since", "2025-06-01", "--until", "2025-01-01"], "is after", False),
    (["x", "-c", "cs.XX"], "unknown arXiv category 'cs.XX'", True),
    (["x", "-c", "cs.LX"], "cs.LG", True),
    (["x", "-c", "cs.LG", "-c", "bogus"], "unknown arXiv category 'bogus'", True),
    (["x", "-n", "0"], "out of range", True),
    (["x", "-n", "-5"], "out of range", True),
    (["x", "-n", "1000000000"], "out of range", True),
    (["x", "--sort", "hot"], "unknown sort", True),
    (["x", "--format", "xml"], "unknown format", True),
    (["x", "--fields", "title,nope"], "unknown field", True),
    (["x", "--offline", "--refresh"], "contradict", False),
]


@pytest.mark.parametrize(("args", "fragment", "hinted"), USAGE)
def test_usage_errors_are_one_line_exit_2_and_offline(
    api: FakeAPI, args: list[str], fragment: str, hinted: bool
) -> None:
    result = run("search", *args)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    err = one_error(result.stderr)
    assert fragment in err
    assert ("\nHint: " in err) == hinted
    assert api.count() == 0, "bad input must not cost a request"


def test_long_query_is_shortened_in_the_message(api: FakeAPI) -> None:
    result = run("search", "the " * 3000)
    assert result.code == 2
    assert len(one_error(result.stderr)) < 300


ODD_BUT_VALID = [
    "Lernen mit wenigen Beispielen",
    "α-β pruning in game trees",
    "what's new in transfer learning?!",
    "C++ compilers",
    'ti:"few-shot" AND cat:cs.LG',
    "all:meta-learning ANDNOT ti:survey",
    "how do I train a classifier when I only have a handful of labelled examples per class "
    "and a much larger unlabelled pool from a related domain",
    "few-shot learning " + "x" * 300,
    "submittedDate:[202001010000 TO 202612312359] AND ti:learning",
]


@pytest.mark.parametrize("query", ODD_BUT_VALID)
def test_odd_but_valid_queries_just_work(api: FakeAPI, query: str) -> None:
    result = run("search", query, "--json")
    assert result.code == 0, result.stderr
    assert_clean(result.stderr)
    assert "Warning" not in result.stderr
    assert isinstance(result.records(), list)


# -- configuration and environment ----------------------------------------------------------

BAD_CONFIG = [
    ("[network\n", "is not valid TOML", "fix or remove the file"),
    ("[network]\nretries = \n", "is not valid TOML", "fix or remove the file"),
    ("[network]\nbogus = 1\n", "unknown setting [network] bogus", "valid keys: arxiv_delay"),
    ("[netwrok]\nretries = 1\n", "unknown section [netwrok]", "valid sections"),
    ("retries = 1\n", "unknown section [retries]", "valid sections"),
    ('[network]\nretries = "many"\n', "is not a valid int", "the default is 4"),
    ("[network]\narxiv_delay = -3\n", "is not a valid float", "the default is 3.0"),
    ("[network]\narxiv_delay = nan\n", "is not a valid float", "the default is 3.0"),
    ("[search]\nlimit = 2.5\n", "is not a valid int", "the default is 20"),
    ('[sources]\nopenalex = "perhaps"\n', "is not a valid bool", "the default is True"),
    ('[sources]\ns2_api_url = ""\n', "is not a valid str", "the default is"),
    (b"\xff\xfe[network]\n", "is not valid TOML", "fix or remove the file"),
]


@pytest.mark.parametrize(("text", "fragment", "hint"), BAD_CONFIG)
@pytest.mark.parametrize("command", [["search", "few-shot"], ["config"]])
def test_bad_config_is_exit_2_naming_the_file(
    api: FakeAPI, isolated_home: Path, text: str | bytes, fragment: str, hint: str,
    command: list[str],
) -> None:  # fmt: skip
    config = isolated_home / "config.toml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    result = run(*command)
    assert result.code == 2, result.stderr
    err = one_error(result.stderr)
    assert str(config) in err and fragment in err
    assert f"Hint: {hint}" in err
    assert api.count() == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LITSCOUT_ARXIV_DELAY", "soon"),
        ("LITSCOUT_ARXIV_DELAY", "-1"),
        ("LITSCOUT_S2_INTERVAL", "inf-ish"),
        ("LITSCOUT_S2_API_URL", " "),
    ],
)
def test_bad_environment_value_is_exit_2(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    result = run("search", "few-shot")
    if not value.strip():
        assert result.code == 0  # a blank variable counts as unset
        return
    assert result.code == 2
    assert f"${name}" in one_error(result.stderr)


def test_config_file_that_is_a_directory(api: FakeAPI, isolated_home: Path) -> None:
    (isolated_home / "config.toml").unlink()
    (isolated_home / "config.toml").mkdir()
    result = run("config")
    # A directory where the file should be is simply not a config file.
    assert result.code == 0, result.stderr


def test_home_that_is_a_file_is_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("")
    monkeypatch.setenv("LITSCOUT_HOME", str(blocker))
    result = run("search", "few-shot", "--offline")
    assert result.code == 1
    err = one_error(result.stderr)
    assert str(blocker) in err and "LITSCOUT_HOME" in err


# -- the library raises its own errors --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "1606", "1606.0408", "arXiv:", "doi:", "10.1234", "s2:xyz", "https://arxiv.org/abs/",
     "hep-th/99", "0000.00000v", "\x00", "🙂"],
)  # fmt: skip
def test_malformed_ids(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        ids.parse(text)
    assert caught.value.hint and "arXiv id" in caught.value.hint


@pytest.mark.parametrize("spec", ["", "  ", "2025-1-1", "20250101", "1y2m", "0x10d", "12345y"])
def test_malformed_dates(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_date(spec)


def test_query_build_raises_only_usage_errors() -> None:
    for text, kwargs in [
        ("", {}),
        ("x", {"since": "soon"}),
        ("x", {"categories": ["nope"]}),
        ("x", {"since": "2025", "until": "2024"}),
    ]:
        with pytest.raises(LitscoutError) as caught:
            Query.build(text, **kwargs)  # type: ignore[arg-type]
        assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "args", [("watch", "list", "--format", "bibtex"), ("config", "--format", "bibtex")]
)
def test_a_format_that_makes_no_sense_for_the_command_is_exit_2(
    isolated_home: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.code == 2 and result.stdout == ""
    assert "--format bibtex makes no sense here" in result.stderr


def test_category_case_is_forgiven_on_the_command_line(api: FakeAPI) -> None:
    result = run("search", "few-shot learning", "-c", "cs.lg", "--json")
    assert result.code == 0, result.stderr
