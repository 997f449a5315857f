"""The one word normaliser: query words, relevance and the watch matcher compare words after
the same light stemming (learning/learned/learns, class/classes, study/studies match);
and the one way a text is shortened for a message.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN = re.compile(r"[a-z0-9]+")
_SUFFIXES = (("ies", "y"), ("ings", ""), ("ing", ""), ("es", ""), ("ed", ""), ("s", ""))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light normaliser applied to both sides of a comparison."""
    word = word.lower()
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=16384)
def stems(text: str) -> tuple[str, ...]:
    """The stemmed words of a text, in order (cached: a day's listing meets every watch)."""
    return tuple(stem(t) for t in TOKEN.findall(text.lower()))


def tokens(text: str | None) -> list[str]:
    return list(stems(text or ""))


def contains(haystack: list[str], needle: list[str], prefix: bool = False) -> bool:
    """`needle` as a run of tokens in `haystack` (the last one as a prefix if asked)."""
    if not needle:
        return False
    size = len(needle)
    for start in range(len(haystack) - size + 1):
        window = haystack[start : start + size]
        if window[:-1] != needle[:-1]:
            continue
        last, want = window[-1], needle[-1]
        if last == want or (prefix and last.startswith(want)):
            return True
    return False


def term(text: str) -> tuple[list[str], bool]:
    """A query term as tokens; a trailing * makes the last one a raw prefix."""
    prefix = text.endswith("*")
    raw = TOKEN.findall(text.lower().rstrip("*"))
    if prefix and raw:
        return [stem(t) for t in raw[:-1]] + [raw[-1]], True
    return [stem(t) for t in raw], False


def shorten(text: str | None, limit: int) -> str:
    """`text` in at most `limit` characters, ending in "…" when it had to be cut."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
