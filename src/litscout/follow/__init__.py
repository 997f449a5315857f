"""Following the field from one paper: paper, cites, related, export (core.py)."""
