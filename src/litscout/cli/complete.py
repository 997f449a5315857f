"""Shell completion: the values a command line can take, read quickly and quietly.

Called by the shell on every Tab press (through typer's `--install-completion` script), so
nothing here may print, ask the network, create files or take a lock.
"""

from __future__ import annotations

import sqlite3


def categories(incomplete: str) -> list[str]:
    """arXiv category codes starting with what was typed (any case)."""
    from ..categories import all_codes

    typed = incomplete.lower()
    return [code for code in all_codes() if code.lower().startswith(typed)]


def watch_names(incomplete: str) -> list[str]:
    """Saved watches whose name starts with what was typed; none when there is no database."""
    from .. import paths

    database = paths.database()
    if not database.is_file():
        return []
    try:
        # Read-only: completing never creates or migrates a database.
        conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            rows = conn.execute("SELECT name FROM watches ORDER BY name").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [name for (name,) in rows if str(name).startswith(incomplete)]
