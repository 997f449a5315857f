"""Fake arXiv, Semantic Scholar and OpenAlex services for litscout's tests and benchmarks.

from fakeapi import FakeAPI, Fault
with FakeAPI(arxiv_delay=0.0, s2_interval=0.0, latency=0.0) as api:
    env = api.env()
"""

from .corpus import (
    AUTO,
    MAML,
    MATCHING_NETWORKS,
    PROTOTYPICAL_NETWORKS,
    Citation,
    Corpus,
    FakePaper,
    default_corpus,
    generate_citations,
)
from .server import FakeAPI, Fault, RequestRecord, main

__all__ = [
    "AUTO",
    "MAML",
    "MATCHING_NETWORKS",
    "PROTOTYPICAL_NETWORKS",
    "Citation",
    "Corpus",
    "FakeAPI",
    "FakePaper",
    "Fault",
    "RequestRecord",
    "default_corpus",
    "generate_citations",
    "main",
]
