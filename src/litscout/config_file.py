"""Settings as TOML text: what `litscout config` prints, `config init` writes and
`config set` edits. tomllib only reads TOML; the little writing needed (numbers, booleans,
strings, one line per key) is done here rather than by another dependency.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, fields
from typing import Any

from . import config
from .errors import ConfigError, UsageError

_KEY_LINE = r"^[ \t]*(#[ \t]*)?{key}[ \t]*="


def value(item: Any) -> str:
    """One TOML value: true/false, an integer, a float (always with a point), a string."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"not a TOML-able number: {item!r}")
        text = repr(item)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(item, str):
        return '"' + "".join(_escape(c) for c in item) + '"'
    raise TypeError(f"no TOML for {type(item).__name__}")


def _escape(char: str) -> str:
    special = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in special:
        return special[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char


def dump(settings: config.Settings, header: list[str]) -> str:
    """The settings in force as TOML: `header` lines and where each value came from as comments."""
    lines = [f"# {line}" if line else "#" for line in header]
    for section, values in settings.public().items():
        if section == "keys":
            continue
        lines += ["", f"[{section}]"]
        for key, item in values.items():
            where = settings.origin.get(f"{section}.{key}")
            lines.append(f"{key} = {value(item)}" + (f"  # from {where}" if where else ""))
    return "\n".join(lines) + "\n"


def template() -> str:
    """A user config with every setting present but commented out, at its default."""
    lines = [
        "# litscout user config. Uncomment a line to change a setting;",
        "# `litscout config` shows what is in force, `litscout config set KEY VALUE` edits this.",
        "# API keys are read from the environment only (S2_API_KEY, OPENALEX_API_KEY).",
    ]
    for section in config.SECTIONS:
        defaults = config._SECTION_TYPES[section]()
        lines += ["", f"[{section}]"]
        for name, item in asdict(defaults).items():
            lines.append(f"# {name} = {value(item)}")
    return "\n".join(lines) + "\n"


def parse_key(dotted: str) -> tuple[str, str]:
    """`search.limit` -> ("search", "limit"); a usage error naming the valid keys otherwise."""
    section, _, key = dotted.partition(".")
    cls = config._SECTION_TYPES.get(section)
    if cls is None or key not in {f.name for f in fields(cls)}:
        valid = [f"{s}.{f.name}" for s in config.SECTIONS for f in fields(config._SECTION_TYPES[s])]
        raise UsageError(f"unknown setting {dotted!r}", hint="valid keys: " + ", ".join(valid))
    return section, key


def set_value(text: str, section: str, key: str, item: Any) -> str:
    """`text` (a TOML file) with `key` in `[section]` set to `item`, other lines untouched.

    An active `key = ...` line is replaced; otherwise a commented one (`# key = ...`, as
    `config init` writes) is uncommented in place; otherwise the key is added at the end of
    its section, or a new section at the end of the file.
    """
    lines = text.splitlines()
    new = f"{key} = {value(item)}"
    header = re.compile(r"^[ \t]*\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\][ \t]*(#.*)?$")
    start = next((i for i, ln in enumerate(lines) if _section(header, ln) == section), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"[{section}]", new] if lines else [f"[{section}]", new]
        return "\n".join(lines) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if header.match(lines[i])), len(lines))
    pattern = re.compile(_KEY_LINE.format(key=re.escape(key)))
    active = [
        i for i in range(start + 1, end) if pattern.match(lines[i]) and not _commented(lines[i])
    ]
    commented = [
        i for i in range(start + 1, end) if pattern.match(lines[i]) and _commented(lines[i])
    ]
    if active:
        lines[active[0]] = new + _trailing_comment(lines[active[0]])
    elif commented:
        lines[commented[0]] = new
    else:
        at = end
        while at > start + 1 and not lines[at - 1].strip():
            at -= 1
        lines.insert(at, new)
    return "\n".join(lines) + "\n"


def _section(header: re.Pattern[str], line: str) -> str | None:
    found = header.match(line)
    return found.group(1) if found else None


def _commented(line: str) -> bool:
    return line.lstrip().startswith("#")


def _trailing_comment(line: str) -> str:
    """A `# ...` after a value, kept when the value changes (not inside a string)."""
    rest = line.split("=", 1)[1]
    in_string = False
    for i, char in enumerate(rest):
        if char == '"' and (i == 0 or rest[i - 1] != "\\"):
            in_string = not in_string
        elif char == "#" and not in_string:
            return "  " + rest[i:].rstrip()
    return ""


def coerce(section: str, key: str, raw: str) -> Any:
    """The typed value of `raw` for a setting, checked like a config file's (ranges, URLs)."""
    try:
        return config._coerce(section, key, raw, "the command line")
    except ConfigError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
