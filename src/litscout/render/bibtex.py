"""BibTeX entries for paper records, with stable keys (`vinyals2016matching`).

Semantic Scholar's own entry (`citationStyles.bibtex`, in a record's optional `bibtex` key)
is used when present, with its key replaced by ours and arXiv eprint fields added; otherwise
the entry is built from the record: `@misc` with `eprint`/`archivePrefix`/`primaryClass` for
an arXiv preprint, `@inproceedings` or `@article` when a venue is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

KEY_STOPWORDS = frozenset(
    "a an the on of in for to and with from via by at is are as towards toward".split()
)
CONFERENCE = re.compile(
    r"conference|proceedings|workshop|symposium|neural information processing|\bnips\b|"
    r"\bneurips\b|\bicml\b|\biclr\b|\bcvpr\b|\biccv\b|\beccv\b|\bacl\b|\bemnlp\b|\baaai\b",
    re.I,
)
SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in SPECIAL))
_ENTRY_HEAD = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]*)\s*,", re.S)


def escape(text: str) -> str:
    """Escape the characters BibTeX/LaTeX treat specially; keep Unicode (biber reads UTF-8)."""
    return _SPECIAL_RE.sub(lambda m: SPECIAL[m.group(0)], " ".join(text.split()))


_MATH = re.compile(r"(\$[^$]+\$)")


def escape_title(text: str) -> str:
    """Like `escape`, but TeX math between paired dollars is kept as written (`$k$-means`)."""
    text = " ".join(text.split())
    if text.count("$") % 2:  # an unpaired dollar is a dollar sign, not math
        return escape(text)
    return "".join(
        part if _MATH.fullmatch(part) else _SPECIAL_RE.sub(lambda m: SPECIAL[m.group(0)], part)
        for part in _MATH.split(text)
    )


def protect_case(title: str) -> str:
    """Brace words whose capitals must survive a style's lower-casing (BERT, ImageNet, GNNs);
    TeX math (`$\\mathcal{G}$`) is one unit, braced whole when it holds a capital."""
    if title.count("$") % 2 == 0 and "$" in title.replace("\\$", ""):
        parts = _MATH.split(title)
        return "".join(
            ("{" + part + "}" if any(c.isupper() for c in part) else part)
            if _MATH.fullmatch(part)
            else protect_case(part)
            for part in parts
        )
    words = []
    for word in title.split(" "):
        inner = any(any(c.isupper() for c in part[1:]) for part in re.split(r"[-/]", word) if part)
        letters = [c for c in word if c.isalpha()]
        if inner or (len(letters) == 1 and word.isupper() and word != "A"):
            words.append("{" + word + "}")
        else:
            words.append(word)
    return " ".join(words)


def ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def base_key(record: dict[str, Any]) -> str:
    """`<first author's last name><year><first content word of the title>`, ASCII lower case."""
    authors = record.get("authors") or []
    last = ""
    if authors:
        name = str(authors[0]).strip()
        if "," in name:  # "Vinyals, Oriol"
            name = name.split(",", 1)[0]
        parts = name.split()
        last = ascii_word(parts[-1]) if parts else ""
    year = record.get("year") or (str(record.get("published") or "")[:4] or "")
    word = ""
    for raw in re.split(r"[\s\-:/]+", str(record.get("title") or "")):
        candidate = ascii_word(raw)
        if candidate and candidate not in KEY_STOPWORDS:
            word = candidate
            break
    key = f"{last or 'anon'}{year or 'nd'}{word}"
    return key


def keys(records: Iterable[dict[str, Any]]) -> list[str]:
    """Stable, unique keys in order; repeats get b, c, ... like a bibliography manager."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for record in records:
        key = base_key(record)
        count = seen.get(key, 0)
        seen[key] = count + 1
        out.append(key if count == 0 else key + _suffix(count))
    return out


def _suffix(count: int) -> str:
    letters = ""
    n = count + 1  # the second entry gets "b"
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def entries(records: list[dict[str, Any]]) -> str:
    """BibTeX for records (dicts with the public record keys), blank-line separated."""
    return entries_with_keys(list(zip(keys(records), records, strict=True)))


def entries_with_keys(keyed: list[tuple[str, dict[str, Any]]]) -> str:
    """BibTeX for records under the keys given (`entries` computes them)."""
    out = []
    for key, record in keyed:
        given = record.get("bibtex")
        if isinstance(given, str) and _ENTRY_HEAD.match(given):
            out.append(_rekey(given, key, record))
        else:
            out.append(build(record, key))
    return "\n".join(out)


def entry(record: dict[str, Any]) -> str:
    """The one entry `entries([record])` would give (for a record's `bibtex` key)."""
    return entries([record]).strip()


def build(record: dict[str, Any], key: str) -> str:
    fields: list[tuple[str, str]] = []
    title = str(record.get("title") or "Untitled")
    fields.append(("title", "{" + protect_case(escape_title(title)) + "}"))
    authors = [escape(str(a)) for a in record.get("authors") or [] if str(a).strip()]
    if authors:
        fields.append(("author", "{" + " and ".join(authors) + "}"))
    year = record.get("year") or (str(record.get("published") or "")[:4] or None)
    if year:
        fields.append(("year", "{" + str(year) + "}"))
    published = str(record.get("published") or "")
    if len(published) >= 7:
        fields.append(("month", MONTHS[int(published[5:7]) - 1]))
    venue = record.get("venue")
    arxiv_id = record.get("arxiv_id")
    kind = "misc"
    if venue and str(venue).lower() not in ("arxiv", "arxiv.org"):
        if CONFERENCE.search(str(venue)):
            kind = "inproceedings"
            fields.append(("booktitle", "{" + escape(str(venue)) + "}"))
        else:
            kind = "article"
            fields.append(("journal", "{" + escape(str(venue)) + "}"))
    doi = record.get("doi")
    if doi:
        fields.append(("doi", "{" + escape(str(doi)) + "}"))
    if arxiv_id:
        fields.extend(_eprint_fields(record))
    url = record.get("url")
    if url:
        fields.append(("url", "{" + str(url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _eprint_fields(record: dict[str, Any]) -> list[tuple[str, str]]:
    fields = [("eprint", "{" + str(record["arxiv_id"]) + "}"), ("archivePrefix", "{arXiv}")]
    if record.get("primary_category"):
        fields.append(("primaryClass", "{" + str(record["primary_category"]) + "}"))
    return fields


def _rekey(entry: str, key: str, record: dict[str, Any]) -> str:
    """S2's entry with our key, and arXiv eprint fields when it lacks them."""
    text = entry.strip()
    text = _ENTRY_HEAD.sub(lambda m: f"@{m.group(1)}{{{key},", text, count=1)
    if record.get("arxiv_id") and not re.search(r"^\s*eprint\s*=", text, re.M | re.I):
        closing = text.rfind("}")
        head = text[:closing].rstrip()
        if not head.endswith(","):
            head += ","
        extra = ",\n".join(f" {name} = {value}" for name, value in _eprint_fields(record))
        text = f"{head}\n{extra}\n}}"
    return text + "\n"
