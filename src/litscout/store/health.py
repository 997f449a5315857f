"""Opening the database safely and saying what went wrong: busy retries, identity checks
(a newer litscout's database, a foreign file), disk full with the free space, and one clear
message for every SQLite error.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import migrations

BUSY_TIMEOUT_MS = 30_000


def when_free(action: Callable[[], Any], timeout: float = BUSY_TIMEOUT_MS / 1000) -> Any:
    """Run `action`, retrying for up to `timeout` seconds while the database is busy."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                raise
        import random

        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 0.2)


# Tables every litscout database has from schema version 1 on: a file without them is not ours.
CORE_TABLES = {"papers", "query_cache", "citation_snapshots"}


def check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, without changing anything, a database from a newer litscout or another program."""
    known = len(migrations.MIGRATIONS)
    version = migrations.version(conn)
    if version > known:
        raise StoreError(
            f"{path} was made by a newer litscout (schema version {version}; this one knows "
            f"up to {known})",
            hint="upgrade litscout, or point LITSCOUT_HOME elsewhere",
        )
    tables = {
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    }
    if tables and (version == 0 or not CORE_TABLES <= tables):
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{path} is an SQLite database of another program (tables: {shown})",
            hint="point LITSCOUT_HOME elsewhere; litscout leaves this file alone",
        )


def free_space(folder: Path) -> str:
    """ "1.2 GB free on that disk", or "" when the disk cannot say."""
    import shutil

    for candidate in (folder, *folder.parents):
        try:
            free = shutil.disk_usage(candidate).free
        except OSError:
            continue
        size = float(free)
        for unit in ("bytes", "KB", "MB", "GB", "TB"):
            if size < 1024 or unit == "TB":
                amount = f"{size:.0f}" if unit == "bytes" else f"{size:.1f}"
                return f"{amount} {unit} free on that disk"
            size /= 1024
    return ""


def disk_full(where: str, folder: Path | None) -> StoreError:
    room = free_space(folder) if folder is not None else ""
    return StoreError(
        f"disk full: cannot write {where}",
        hint=f"free some space{f' ({room})' if room else ''}, or set LITSCOUT_HOME to a "
        "directory on a disk with room",
    )


def database_error(path: Path | None, exc: sqlite3.Error) -> StoreError:
    """A database failure as a message that names the file and says what to do.

    Corruption can surface on any query, not only when the file is opened, so the CLI also
    maps stray sqlite3 errors through this function.
    """
    text = str(exc)
    where = str(path) if path is not None else "(in-memory database)"
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return StoreError(
            f"the database at {where} stayed locked for {BUSY_TIMEOUT_MS // 1000}s ({text})",
            hint="another litscout process is holding it; try again when it has finished",
        )
    if "full" in text:  # "database or disk is full"; SQLite has already rolled back
        return disk_full(f"the database at {where}", path.parent if path is not None else None)
    if "readonly" in text or "unable to open" in text or "disk I/O" in text:
        return StoreError(
            f"cannot write the database at {where} ({text})",
            hint="set LITSCOUT_HOME to a writable directory with free space",
        )
    if type(exc) is sqlite3.DatabaseError or "malformed" in text or "not a database" in text:
        # "file is not a database", "database disk image is malformed", a broken FTS index
        # ("vtable constructor failed"), ...: the file is damaged. Never touch it ourselves.
        return StoreError(
            f"{where} is not a usable litscout database ({text})",
            hint=f"move it aside (mv '{where}' '{where}.broken') and run again; "
            "litscout never deletes it for you",
        )
    return StoreError(f"database error at {where}: {text}")
