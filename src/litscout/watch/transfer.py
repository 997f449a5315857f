"""Watches to and from TOML (`watch export` / `watch import`)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..store.watches import WatchDef
from .define import define

# -- export / import ----------------------------------------------------------------------


def to_toml(watches: Iterable[WatchDef]) -> str:
    """Watch definitions as TOML (`[[watch]]` tables), the input of `watch import`."""
    lines = [
        "# litscout watches: `litscout watch import FILE` reads this back.",
        "# Keys: name, query, categories, cites, min_score.",
    ]
    for watch in watches:
        lines.append("")
        lines.append("[[watch]]")
        for key, value in watch.definition().items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return toml_string(str(value))


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}  # fmt: skip


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


IMPORT_KEYS = ("name", "query", "categories", "cites", "min_score")


def from_toml(text: str, where: str = "the file") -> list[WatchDef]:
    """Parse and validate exported watches; UsageError naming the entry at fault."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where} is not valid TOML: {exc}") from None
    unknown_top = [k for k in data if k != "watch"]
    entries = data.get("watch", [])
    if unknown_top or not isinstance(entries, list):
        raise UsageError(
            f"{where} does not look like `litscout watch export` output",
            hint="expected [[watch]] tables with name, query, categories, cites, min_score",
        )
    watches: list[WatchDef] = []
    seen: set[str] = set()
    now = time.time()
    for number, entry in enumerate(entries, start=1):
        label = f"watch #{number} in {where}"
        if not isinstance(entry, dict):
            raise UsageError(f"{label} is not a table")
        unknown = sorted(set(entry) - set(IMPORT_KEYS))
        if unknown:
            raise UsageError(
                f"{label}: unknown key {', '.join(unknown)}", hint="keys: " + ", ".join(IMPORT_KEYS)
            )
        name, query, cats = entry.get("name"), entry.get("query"), entry.get("categories", [])
        cites, min_score = entry.get("cites"), entry.get("min_score")
        if not isinstance(name, str):
            raise UsageError(f"{label} has no name")
        if query is not None and not isinstance(query, str):
            raise UsageError(f"{label}: query must be a string")
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise UsageError(f"{label}: categories must be a list of strings")
        if cites is not None and not isinstance(cites, str):
            raise UsageError(f"{label}: cites must be a paper id string")
        if min_score is not None and (
            isinstance(min_score, bool) or not isinstance(min_score, int | float)
        ):
            raise UsageError(f"{label}: min_score must be a number")
        try:
            watch = define(
                name,
                query,
                cats,
                cites,
                float(min_score) if min_score is not None else None,
                now=now,
            )
        except UsageError as exc:
            raise UsageError(f"{label} ({name}): {exc.message}", hint=exc.hint) from None
        if watch.name in seen:
            raise UsageError(f"{where} defines the watch {watch.name!r} twice")
        seen.add(watch.name)
        watches.append(watch)
    return watches
