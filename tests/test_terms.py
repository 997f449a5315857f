"""Vocabulary discovery: small corpora with known answers, then the fake S2 end to end.

The end-to-end test pins the issue's example: "use knowledge from a large dataset for a small
dataset" must surface few-shot learning, meta-learning and transfer learning. A naive
"most frequent words" extractor is implemented here and shown NOT to pass the same check.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeapi import FakeAPI
from litscout.cli import app
from litscout.find import terms as terms_module
from litscout.find.phrases import TERM_KEYS, Doc, extract, singular

QUESTION = "use knowledge from a large dataset for a small dataset"
MAGIC = {"few-shot learning", "meta-learning", "transfer learning"}


# -- a corpus of my own -----------------------------------------------------------------------

DISTILLATION = [
    (
        "Knowledge Distillation for Compact Neural Networks",
        "We compress a large teacher model into a small student network with knowledge "
        "distillation. The student network matches state of the art accuracy of the neural "
        "network it learns from.",
    ),
    (
        "Self-Distillation Improves Student Networks",
        "Knowledge distillation trains a student network on soft targets of a teacher model. "
        "This paper shows that a neural network can act as its own teacher model.",
    ),
    (
        "Data-Free Knowledge Distillation",
        "We propose knowledge distillation without the original training set: the teacher "
        "model synthesises inputs for the student network, reaching state of the art results.",
    ),
    (
        "On the Efficacy of Knowledge Distillation",
        "A larger teacher model is not always a better teacher. We study knowledge "
        "distillation across neural network sizes and student networks.",
    ),
    (
        "Born-Again Neural Networks",
        "Students parameterised like their teachers outperform them. Knowledge distillation "
        "with identical architectures is an effective regulariser for a neural network.",
    ),
    (
        "Relational Knowledge Distillation",
        "We transfer mutual relations of data examples from the teacher model to the student "
        "network instead of individual outputs; a state of the art neural network baseline.",
    ),
]
GENERIC_BACKGROUND = [
    (
        f"Paper {i} on a Neural Network for Task {i}",
        "This paper presents a neural network that reaches state of the art results. "
        "Our neural network uses deep learning on a large dataset.",
    )
    for i in range(30)
]


def docs(pairs: list[tuple[str, str]], prefix: str = "d") -> list[Doc]:
    return [Doc(f"{prefix}{i}", t, a, i) for i, (t, a) in enumerate(pairs)]


def background_counter(pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    texts = [" ".join(re.findall(r"[a-z0-9]+", (t + " " + a).lower())) for t, a in pairs]

    def count(phrases: list[str]) -> dict[str, int]:
        out = {}
        for phrase in phrases:
            words = " ".join(re.findall(r"[a-z0-9]+", phrase.lower()))
            out[phrase] = sum(1 for text in texts if f" {words} " in f" {text} ")
        return out

    return count


def top_terms(found: list[terms_module.Term], n: int) -> list[str]:
    return [t.term for t in found[:n]]


def test_the_fields_phrase_comes_first_and_generic_phrases_sink() -> None:
    found = extract(
        docs(DISTILLATION),
        question="make a big model small",
        background=background_counter(GENERIC_BACKGROUND),
        background_size=len(GENERIC_BACKGROUND),
    )
    names = top_terms(found, 3)
    assert names[0] == "knowledge distillation"
    assert {"teacher model", "student network"} <= set(names)
    scores = {t.term: t.score for t in extract(docs(DISTILLATION), limit=50)}
    with_background = {
        t.term: t.score
        for t in extract(
            docs(DISTILLATION),
            background=background_counter(GENERIC_BACKGROUND),
            background_size=len(GENERIC_BACKGROUND),
            limit=50,
        )
    }
    # in every result, but everywhere else too: far below the field's own phrase
    assert with_background["neural network"] < 0.3 * with_background["knowledge distillation"]
    assert with_background["neural network"] < 0.5 * scores["neural network"]
    assert found[0].documents == 6
    assert found[0].example_id == "d0"  # the best-ranked paper with it in the title
    assert found[0].record()["command"] == 'litscout search "knowledge distillation"'
    assert tuple(found[0].record()) == TERM_KEYS


def test_without_background_the_builtin_generic_phrases_still_sink() -> None:
    found = extract(docs(DISTILLATION), question="make a big model small")
    names = top_terms(found, 3)
    assert "knowledge distillation" in names
    assert "neural network" not in names


def test_plural_singular_and_hyphen_variants_are_one_term() -> None:
    pairs = [
        ("Few-Shot Learners Are Strong", "Few shot learners need few labels."),
        ("Better Few Shot Learner Models", "A few-shot learner adapts fast."),
        ("Prompted Few-shot Learners", "Large few-shot learners generalise."),
    ]
    found = extract(docs(pairs))
    variants = [t for t in found if t.key == "few shot learner"]
    assert len(variants) == 1
    assert variants[0].documents == 3
    assert variants[0].term == "few-shot learners"  # most used spelling, hyphen on ties
    assert not any(t.key in ("shot learner", "shot", "learner") for t in found)


def test_fragments_of_hyphenated_words_are_never_terms() -> None:
    pairs = [
        (f"Meta-Learning Study {i}", "Meta-learning and self-supervised methods.") for i in range(4)
    ]
    keys = {t.key for t in extract(docs(pairs), limit=50)}
    assert "meta learning" in keys
    assert "self supervised" in keys
    assert "learning" not in keys and "supervised" not in keys


def test_question_words_are_pushed_down() -> None:
    pairs = [
        (f"Small Dataset Study {i}", "Transfer learning on a small dataset with a large dataset.")
        for i in range(5)
    ]
    found = extract(docs(pairs), question="large dataset to help a small dataset")
    assert found[0].term == "transfer learning"


def test_urls_and_latex_are_not_vocabulary() -> None:
    pairs = [
        (
            f"Sparse Attention Study {i}",
            "Sparse attention with $O(n \\log n)$ cost. Code: https://github.com/lab/sparse-attn "
            "and www.example.com/x; contact me@lab.org",
        )
        for i in range(4)
    ]
    keys = {t.key for t in extract(docs(pairs), limit=50)}
    assert "sparse attention" in keys
    assert not keys & {"github", "com", "lab", "log", "sparse attn", "example", "org"}


def test_inner_words_only_join_real_phrases() -> None:
    pairs = [
        (f"Bag of Words Models {i}", "A bag of words model; node classification with graph data.")
        for i in range(3)
    ]
    keys = {t.key for t in extract(docs(pairs), limit=50)}
    assert "bag of word" in keys
    assert "classification with graph" not in keys


def test_singular() -> None:
    assert [singular(w) for w in ("networks", "classes", "studies", "loss", "bias", "boxes")] == [
        "network",
        "class",
        "study",
        "loss",
        "bias",
        "box",
    ]


def test_empty_input_gives_no_terms() -> None:
    assert extract([]) == []


# -- end to end on the fake services -----------------------------------------------------------


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[FakeAPI]:
    with FakeAPI(arxiv_delay=0.0, s2_interval=0.0) as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LITSCOUT_S2_INTERVAL", "0")
        isolated_home.mkdir(parents=True, exist_ok=True)
        (isolated_home / "config.toml").write_text("[network]\nbackoff_base = 0.01\nretries = 1\n")
        yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_magic_on_top(names: list[str]) -> None:
    """The issue's bar: the field's own words come first."""
    top = set(names[:5])
    assert MAGIC <= top, f"expected {sorted(MAGIC)} in the top 5, got {names[:5]}"


def naive_most_frequent_words(texts: list[str], n: int = 10) -> list[str]:
    """The baseline the issue rules out: count every non-stop word, take the commonest."""
    from litscout.query import STOPWORDS

    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in re.findall(r"[a-z][a-z\-]+", text.lower()) if w not in STOPWORDS)
    return [w for w, _ in counts.most_common(n)]


def test_terms_finds_the_magic_password_in_one_request(api: FakeAPI) -> None:
    code, out, err = run("terms", QUESTION, "--json")
    assert code == 0, err
    records = json.loads(out)
    assert all(tuple(r) == TERM_KEYS for r in records)
    names = [r["term"] for r in records]
    assert_magic_on_top(names)
    assert api.count() == 1 and api.count("s2") == 1
    for r in records:
        assert 2 <= r["documents"] <= 100
        assert r["command"] == f'litscout search "{r["term"]}"'
        assert r["example_title"] and r["example_id"]
    few_shot = next(r for r in records if r["term"] == "few-shot learning")
    assert "few-shot" in few_shot["example_title"].lower()


def test_naive_most_frequent_words_fail_the_same_bar(api: FakeAPI) -> None:
    code, out, err = run("terms", QUESTION, "--json")
    assert code == 0, err
    ours = [r["term"] for r in json.loads(out)]
    # The same papers the command read, from the cache it filled.
    from litscout.context import Context
    from litscout.store.follows import FollowStore

    with Context() as ctx:
        fetch = FollowStore(ctx.store).fetch("terms|" + QUESTION)
        assert fetch is not None
        found = ctx.store.get(fetch.ids)
        texts = [f"{p.title} {p.abstract or ''}" for p in found.values()]
    naive = naive_most_frequent_words(texts)
    assert_magic_on_top(ours)
    with pytest.raises(AssertionError):
        assert_magic_on_top(naive)
    # and what the naive list holds instead: the words everyone uses
    assert {"learning", "dataset"} & set(naive[:5]) or {"data", "model"} & set(naive[:5])


def test_swapping_in_the_naive_extractor_breaks_the_command(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def naive_extract(docs: list[Doc], **kw: object) -> list[terms_module.Term]:
        words = naive_most_frequent_words([f"{d.title} {d.text}" for d in docs])
        return [terms_module.Term(w, w, 0, 1.0, docs[0].id, docs[0].title) for w in words]

    monkeypatch.setattr(terms_module, "extract", naive_extract)
    code, out, _ = run("terms", QUESTION, "--json")
    assert code == 0
    with pytest.raises(AssertionError):
        assert_magic_on_top([r["term"] for r in json.loads(out)])


def test_terms_with_a_populated_cache_still_on_top(api: FakeAPI) -> None:
    for topic in ("graph neural networks", "quantum error correction", "class imbalance"):
        code, _, err = run("search", topic, "--json")
        assert code == 0, err
    code, out, err = run("terms", QUESTION, "--json")
    assert code == 0, err
    assert_magic_on_top([r["term"] for r in json.loads(out)])


def test_repeat_is_free_and_offline_works(api: FakeAPI) -> None:
    first = run("terms", QUESTION, "--json")
    before = api.count()
    second = run("terms", QUESTION.upper(), "--json")
    assert api.count() == before, "a repeat within the TTL must not ask again"
    assert json.loads(second[1]) == json.loads(first[1])
    offline = run("terms", QUESTION, "--json", "--offline")
    assert offline[0] == 0 and api.count() == before
    assert json.loads(offline[1]) == json.loads(first[1])


def test_offline_without_a_cached_answer_reads_the_cache_and_says_so(api: FakeAPI) -> None:
    code, _, err = run("search", "few-shot learning", "--json")
    assert code == 0, err
    before = api.count()
    code, out, err = run("terms", "learn new classes from a few examples", "--offline", "--json")
    assert api.count() == before
    assert code == 0, err
    assert "offline" in err
    assert json.loads(out), "terms come from the papers already cached"


def test_terms_falls_back_when_s2_is_down(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    run("terms", QUESTION, "--json")
    monkeypatch.setenv("LITSCOUT_S2_API_URL", "http://127.0.0.1:9/unreachable")
    code, out, err = run("terms", QUESTION, "--json", "--refresh")
    assert code == 0
    assert "cached" in err
    assert_magic_on_top([r["term"] for r in json.loads(out)])


def test_terms_table_and_usage_errors(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITSCOUT_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = run("terms", QUESTION, "--format", "table", "-n", "5")
    assert code == 0, err
    assert "few-shot learning" in out and 'litscout search "meta-learning"' in out
    assert run("terms", "the of and")[0] == 2
    assert run("terms", QUESTION, "--fields", "nope")[0] == 2
    assert run("terms", QUESTION, "--format", "bibtex")[0] == 2
    code, out, _ = run("terms", QUESTION, "--format", "csv", "--fields", "term,documents")
    assert code == 0 and out.splitlines()[0] == "term,documents"
