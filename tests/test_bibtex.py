"""BibTeX: stable keys, escaping, S2 entries re-keyed, arXiv eprint fields."""

from __future__ import annotations

import re

from litscout.render import bibtex


def rec(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "arXiv:1606.04080",
        "arxiv_id": "1606.04080",
        "doi": None,
        "title": "Matching Networks for One Shot Learning",
        "authors": ["Oriol Vinyals", "Charles Blundell"],
        "published": "2016-06-13",
        "year": 2016,
        "primary_category": "cs.LG",
        "venue": None,
        "url": "https://arxiv.org/abs/1606.04080",
    }
    base.update(kw)
    return base


def test_key_is_lastname_year_first_content_word() -> None:
    assert bibtex.base_key(rec()) == "vinyals2016matching"
    assert bibtex.base_key(rec(title="A Survey on Few-Shot Learning")) == "vinyals2016survey"
    assert bibtex.base_key(rec(title="On the Transferability of Features")) == (
        "vinyals2016transferability"
    )


def test_key_folds_accents_and_comma_names() -> None:
    assert bibtex.base_key(rec(authors=["Müller, Jürgen"], title="Über Graphen")) == (
        "muller2016uber"
    )
    assert bibtex.base_key(rec(authors=["José Núñez"], year=None, published=None)) == (
        "nunez" + "nd" + "matching"
    )


def test_keys_are_unique_and_stable() -> None:
    records = [rec(), rec(), rec(title="Other"), rec()]
    assert bibtex.keys(records) == [
        "vinyals2016matching",
        "vinyals2016matchingb",
        "vinyals2016other",
        "vinyals2016matchingc",
    ]
    assert bibtex.keys(records) == bibtex.keys(records)


def test_arxiv_preprint_is_misc_with_eprint_fields() -> None:
    text = bibtex.entries([rec()])
    assert text.startswith("@misc{vinyals2016matching,\n")
    assert "  eprint = {1606.04080}" in text
    assert "  archivePrefix = {arXiv}" in text
    assert "  primaryClass = {cs.LG}" in text
    assert "  author = {Oriol Vinyals and Charles Blundell}" in text
    assert "  month = jun" in text
    assert text.count("{") == text.count("}")


def test_venue_chooses_entry_type() -> None:
    conf = bibtex.entries([rec(venue="Neural Information Processing Systems")])
    assert conf.startswith("@inproceedings{")
    assert "booktitle = {Neural Information Processing Systems}" in conf
    journal = bibtex.entries([rec(venue="Nature Physics", doi="10.1038/x")])
    assert journal.startswith("@article{")
    assert "journal = {Nature Physics}" in journal
    assert "doi = {10.1038/x}" in journal


def test_tex_math_in_titles_is_kept() -> None:
    def title_of(title: str) -> str:
        found = re.search(r"title = \{(.*)\},\n", bibtex.entries([rec(title=title)]))
        assert found
        return found.group(1)

    assert title_of("$k$-means clustering at 50% speed") == r"$k$-means clustering at 50\% speed"
    assert title_of(r"An $O(n \log n)$ bound on $\mathcal{G}_1$") == (
        r"An {$O(n \log n)$} bound on {$\mathcal{G}_1$}"
    )
    assert title_of("It costs $5 & more") == r"It costs \$5 \& more"  # one dollar: no math


def test_special_characters_are_escaped() -> None:
    text = bibtex.entries(
        [rec(title="Costs & Benefits: 100% of $5 x_i #1 {braces} ~ ^ back\\slash")]
    )
    title = re.search(r"title = \{(.*)\},\n", text)
    assert title
    body = title.group(1)
    for raw, escaped in [("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_")]:
        assert escaped in body
        assert re.search(r"(?<!\\)" + re.escape(raw), body.replace("\\" + raw, "")) is None
    assert r"\{braces\}" in body
    assert r"\textbackslash{}" in body
    assert text.count("{") - text.count(r"\{") == text.count("}") - text.count(r"\}")


def test_capitals_inside_words_are_protected_but_title_case_is_not() -> None:
    assert bibtex.protect_case("BERT and ImageNet for Few-Shot GNNs") == (
        "{BERT} and {ImageNet} for Few-Shot {GNNs}"
    )


def test_s2_entry_is_rekeyed_and_gets_eprint() -> None:
    s2 = (
        "@Article{Vinyals2016MatchingNF,\n author = {Oriol Vinyals},\n"
        " title = {Matching Networks for One Shot Learning},\n year = {2016}\n}\n"
    )
    text = bibtex.entries([rec(bibtex=s2)])
    assert text.startswith("@Article{vinyals2016matching,")
    assert "Vinyals2016MatchingNF" not in text
    assert "eprint = {1606.04080}" in text
    assert "archivePrefix = {arXiv}" in text
    assert text.rstrip().endswith("}")
    # already has eprint: untouched apart from the key
    again = bibtex.entries([rec(bibtex=text)])
    assert again.count("eprint") == 1


def test_garbage_bibtex_falls_back_to_metadata() -> None:
    text = bibtex.entries([rec(bibtex="not bibtex")])
    assert text.startswith("@misc{vinyals2016matching,")


def test_record_without_anything_still_gives_a_valid_entry() -> None:
    text = bibtex.entries([{"title": None, "authors": [], "year": None}])
    assert text.startswith("@misc{anonnd,")
    assert "title = {Untitled}" in text
