"""Loosen a plain-words question that no paper words exactly the same way.

An outsider describes his problem in his own words ("train a classifier with very few labeled
images"); few papers use all of them at once. Two looser forms of the question:

* `relaxed()` — the question without its least informative words (vague verbs and nouns such
  as "train", "model", "data" first, then the words most common in the local cache), at most
  three words kept;
* `any_of()` — a Semantic Scholar bulk-search expression that accepts any of the question's
  phrases (runs of adjacent content words) or its informative single words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..query import WORD, content_words

# Words that say little about *which* problem it is, in this literature's questions.
VAGUE = frozenset(
    """train trains trained training learn learns learned learning model models data dataset
    datasets method methods approach approaches system systems work works working good better
    best bad way problem problems help helps task tasks thing stuff able really very much many
    lot lots new simple easy hard find finding get getting make makes making try trying
    computer algorithm algorithms ai machine deep""".split()
)
KEEP = 3  # words a relaxed question keeps at most


def _order(words: list[str], df: Callable[[str], int] | None) -> list[str]:
    """Most informative first: not vague, rarer in the cache, longer, earlier in the text."""
    counts = {w: df(w) for w in words} if df is not None else {}

    def key(item: tuple[int, str]) -> tuple[bool, int, int, int]:
        i, w = item
        return (w in VAGUE, counts.get(w, 0), -len(w), i)

    return [w for _, w in sorted(enumerate(words), key=key)]


def relaxed(question: str, df: Callable[[str], int] | None = None) -> str | None:
    """The question's most informative words in their original order, or None when there is
    nothing to drop (one word, or no content words)."""
    words = content_words(question)
    if len(words) <= 1:
        return None
    ordered = _order(words, df)
    kept = [w for w in ordered if w not in VAGUE][: min(KEEP, len(words) - 1)]
    if len(kept) < 2:  # too little left: add the vague words that stand next to it
        near = {w for run in runs(question) if set(run) & set(kept) for w in run}
        extra = [w for w in ordered if w not in kept]
        extra.sort(key=lambda w: w not in near)
        kept += extra[: 2 - len(kept)]
    if len(kept) >= len(words):
        return None
    return " ".join(w for w in words if w in kept)


def cache_frequency(store: Any) -> Callable[[str], int]:
    """How many cached papers use a word (title or abstract): common words inform less."""
    from ..store.follows import FollowStore

    follow = FollowStore(store)
    return lambda word: follow.document_frequency([word]).get(word, 0)


def runs(question: str) -> list[list[str]]:
    """Content words grouped into runs that stand next to each other in the question."""
    out: list[list[str]] = []
    current: list[str] = []
    wanted = set(content_words(question))
    for raw in WORD.findall(question.lower()):
        word = raw.strip("-'.")
        if word in wanted:
            current.append(word)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _quote(text: str) -> str:
    plain = text.replace("-", " ").replace('"', " ")
    return '"' + " ".join(plain.split()) + '"' if " " in plain.strip() else plain.strip()


def any_of(question: str) -> str | None:
    """`"few labeled" | "labeled images" | classifier`: a bulk-search OR of the question's
    two-word phrases and its informative words outside them; None when there is nothing."""
    parts: list[str] = []
    for run in runs(question):
        pairs = [run[i : i + 2] for i in range(len(run) - 1)]
        pairs = [p for p in pairs if not all(w in VAGUE for w in p)]
        if pairs:
            parts.extend(_quote(" ".join(p)) for p in pairs)
        else:
            parts.extend(_quote(w) for w in run if w not in VAGUE)
    parts = list(dict.fromkeys(p for p in parts if p))
    if len(parts) <= 1 and not any(" " in p for p in parts):
        # a single plain word: only worth asking if the question had more to it
        return parts[0] if parts and len(content_words(question)) > 1 else None
    return " | ".join(parts)
