"""Rendering: one Output for every format (output.py), digests and feeds (digest.py), BibTeX
(bibtex.py) and the stderr reporter for warnings and progress (reporter.py).
"""
