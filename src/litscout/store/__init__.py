"""The SQLite store: papers (papers.py), follow fetches and citation links (follows.py), watches
(watches.py), dated citation data (history.py) and the frozen schema steps (migrations.py).
"""
