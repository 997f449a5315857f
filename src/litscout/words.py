"""The one word normaliser: query words, relevance and the watch matcher compare words after
the same light stemming (learning/learned/learns, class/classes, study/studies match).
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
