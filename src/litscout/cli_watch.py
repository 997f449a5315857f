"""`litscout watch`: saved searches that deliver digests of new papers."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (called once by cli.py)."""
