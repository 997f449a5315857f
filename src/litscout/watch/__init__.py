"""Watches: saved searches delivered once each (core.py) and the listing matcher (match.py)."""
