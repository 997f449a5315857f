"""Is a phrase the name of a field? Pure functions on titles, no I/O.

A survey names its field at the head of its title's subject: "**Meta-Learning** in Neural
Networks: A Survey", "A Survey on **Few-Shot Learning**: Methods…", "**Deep Domain Adaptation**:
A Survey", "**Transfer Learning** for Low-Resource Domains: A Survey". The subject is a title
segment (split at colons and dashes) with any "A (comprehensive) survey of/on" taken off; its
head runs up to the first preposition. "Networks" or "data" occur in survey titles too, but
never at the head, so they are not fields' names.
"""

from __future__ import annotations

import re

from ..words import contains, stem, tokens
from .phrases import STOPWORDS, piece_words

# Words that head many fields' names: sharing one of them does not make two fields the same.
HEAD_WORDS = frozenset(
    """learning learn network model method data classification recognition detection
    analysis system representation training inference prediction estimation""".split()
)
_SEGMENTS = re.compile(r"\s*(?::|—|–|\s-\s)\s*")
_SURVEY_NOUN = re.compile(r"\b(?:survey|review|overview|tutorial|primer|guide)s?\b", re.I)
_SURVEY_OF = re.compile(
    r"^.*?\b(?:survey|review|overview|tutorial|primer|guide)\s+(?:of|on|for|to|in)\s+", re.I
)
_HEAD_END = re.compile(
    r"\s+(?:in|for|of|on|with|under|via|from|to|using|through|at|by|beyond|without|as|"
    r"towards|across|against|versus|vs)\s+",
    re.I,
)


def title_heads(title: str) -> list[str]:
    """The heads of a survey title's subjects (see the module's docstring)."""
    heads: list[str] = []
    for segment in _SEGMENTS.split(title or ""):
        segment = segment.strip()
        if not segment:
            continue
        after = _SURVEY_OF.sub("", segment, count=1)
        if after == segment and _SURVEY_NOUN.search(segment):
            continue  # "A Comprehensive Survey", "Methods, Benchmarks and a Review"
        head = _HEAD_END.split(after, maxsplit=1)[0]
        if head:
            heads.append(head)
    return heads


def heads_title(phrase: str, title: str) -> bool:
    """Does the phrase stand at the head of the title's subject?"""
    want = tokens(phrase)
    return any(contains(tokens(head), want) for head in title_heads(title))


def own_words(text: str) -> set[str]:
    """A phrase's distinctive words (normalised), its head words left out."""
    words = {stem(w.lower()) for w, _, _ in piece_words(text) if w.lower() not in STOPWORDS}
    return {w for w in words if w not in {stem(h) for h in HEAD_WORDS}}


def same_topic(phrase: str, topic: str) -> bool:
    """ "few-shot classification" for "few-shot learning": one's distinctive words hold the
    other's (a phrase of head words only is the topic's when it shares them all)."""
    mine, theirs = own_words(phrase), own_words(topic)
    if not mine or not theirs:
        a, b = set(tokens(phrase)), set(tokens(topic))
        return a <= b or b <= a
    return mine <= theirs or theirs <= mine
