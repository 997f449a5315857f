"""Settings: built-in defaults < user config file < environment.

The defaults live here as dataclasses (typed, documented); `config/litscout.toml` in the
repository is the same defaults written out for people, and a test keeps the two equal.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import paths
from .errors import ConfigError


@dataclass(frozen=True)
class Ranking:
    velocity_weight: float = 0.45
    recency_weight: float = 0.35
    relevance_weight: float = 0.20
    half_life_days: float = 365.0
    velocity_scale: float = 20.0
    prior_rate: float = 2.0
    prior_years: float = 0.1
    window_days: float = 365.0
    min_snapshot_days: float = 7.0


@dataclass(frozen=True)
class Recent:
    """Thresholds of "Is this still recent?" (`paper`), documented in config/litscout.toml."""

    young_days: float = 365.0
    topic_share: float = 25.0
    old_days: float = 1826.0
    fast_rate: float = 50.0
    cited_rate: float = 10.0


@dataclass(frozen=True)
class Search:
    limit: int = 20
    arxiv_results: int = 100
    s2_results: int = 50
    cache_ttl_hours: float = 24.0


@dataclass(frozen=True)
class Network:
    arxiv_delay: float = 3.0
    s2_interval: float = 1.0
    openalex_interval: float = 0.1
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 4
    backoff_base: float = 1.0
    max_retry_wait: float = 60.0
    max_total_wait: float = 180.0


@dataclass(frozen=True)
class Sources:
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_feed_url: str = "https://rss.arxiv.org/rss"
    s2_api_url: str = "https://api.semanticscholar.org"
    openalex_api_url: str = "https://api.openalex.org"
    openalex: bool = True
    openalex_max_age_days: float = 7.0


@dataclass(frozen=True)
class Watch:
    stale_days: float = 3.0
    atom_entries: int = 200
    backfill_results: int = 2000  # papers per page of a gap backfill (arXiv: at most 2,000)
    backfill_pages: int = 10  # pages per run; what is left is fetched next run
    lock_timeout: float = 600.0


@dataclass(frozen=True)
class Settings:
    ranking: Ranking = field(default_factory=Ranking)
    recent: Recent = field(default_factory=Recent)
    search: Search = field(default_factory=Search)
    network: Network = field(default_factory=Network)
    sources: Sources = field(default_factory=Sources)
    watch: Watch = field(default_factory=Watch)
    # Secrets come from the environment only, never from files, never printed.
    s2_api_key: str | None = field(default=None, repr=False)
    openalex_api_key: str | None = field(default=None, repr=False)
    origin: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def public(self) -> dict[str, Any]:
        """Everything in force, keys and passwords in URLs masked: what `litscout config` shows."""
        data = {name: asdict(getattr(self, name)) for name in SECTIONS}
        data["sources"] = {
            k: mask_url(v) if isinstance(v, str) else v for k, v in data["sources"].items()
        }
        data["keys"] = {
            "S2_API_KEY": mask(self.s2_api_key),
            "OPENALEX_API_KEY": mask(self.openalex_api_key),
        }
        return data


SECTIONS = ("ranking", "recent", "search", "network", "sources", "watch")

# Environment variables that are part of the public contract.
ENV = {
    "LITSCOUT_ARXIV_API_URL": ("sources", "arxiv_api_url"),
    "LITSCOUT_ARXIV_FEED_URL": ("sources", "arxiv_feed_url"),
    "LITSCOUT_S2_API_URL": ("sources", "s2_api_url"),
    "LITSCOUT_OPENALEX_API_URL": ("sources", "openalex_api_url"),
    "LITSCOUT_ARXIV_DELAY": ("network", "arxiv_delay"),
    "LITSCOUT_S2_INTERVAL": ("network", "s2_interval"),
}


# Documented ranges (README, "Configuration and environment"): a value outside is refused when
# the settings are loaded, never a crash later, and never a limiter switched off.
RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("network", "arxiv_delay"): (0, 120),
    ("network", "s2_interval"): (0, 60),
    ("network", "openalex_interval"): (0, 60),
    ("network", "connect_timeout"): (0.1, 300),
    ("network", "read_timeout"): (0.1, 600),
    ("network", "retries"): (0, 100),
    ("network", "backoff_base"): (0, 60),
    ("network", "max_retry_wait"): (0, 3600),
    ("network", "max_total_wait"): (0, 86400),
    ("ranking", "prior_years"): (0.01, 100),  # the prior's exposure: 0 divides by zero
    ("watch", "lock_timeout"): (0, 86400),
}
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def mask_url(text: str) -> str:
    """`text` with the user:password@ of any URL in it replaced by ***@, for printing."""
    return _USERINFO.sub(r"\1***@", text)


def _check(section: str, key: str, value: Any, where: str) -> Any:
    """A coerced value inside its documented range (URLs: http or https with a host)."""
    default = getattr(_SECTION_TYPES[section](), key)
    if key.endswith("_url"):
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
            usable = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            usable = False
        if not usable:
            raise ConfigError(
                f"[{section}] {key} = {mask_url(value)!r} in {where} is not an http(s) URL",
                hint=f"the default is {default!r}",
            )
        return value
    bounds = RANGES.get((section, key))
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        low, high = (f"{b:g}" for b in bounds)
        raise ConfigError(
            f"[{section}] {key} = {value!r} in {where} is out of range",
            hint=f"use {low} to {high} (the default is {default!r})",
        )
    return value


def mask(secret: str | None) -> str | None:
    if not secret:
        return None
    return "set (" + "*" * 8 + ")"


def _coerce(section: str, key: str, value: Any, where: str) -> Any:
    cls = _SECTION_TYPES[section]
    types = {f.name: f.type for f in fields(cls)}
    if key not in types:
        valid = ", ".join(sorted(types))
        raise ConfigError(
            f"unknown setting [{section}] {key} in {where}", hint=f"valid keys: {valid}"
        )
    kind = types[key]
    try:
        if kind == "bool":
            if isinstance(value, str):
                if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError(value)
                return value.lower() in ("1", "true", "yes")
            if not isinstance(value, bool):
                raise ValueError(value)
            return value
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            number = float(value)
            if number < 0 or not math.isfinite(number):
                raise ValueError(value)
            return _check(section, key, number, where)
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            integer = int(value)
            if integer < 0:
                raise ValueError(value)
            return _check(section, key, integer, where)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(value)
        return _check(section, key, value.strip(), where)
    except (TypeError, ValueError, OverflowError):
        shown = mask_url(value) if isinstance(value, str) else value
        raise ConfigError(
            f"[{section}] {key} = {shown!r} in {where} is not a valid {kind}",
            hint=f"the default is {getattr(cls(), key)!r}",
        ) from None


_SECTION_TYPES: dict[str, type] = {
    "ranking": Ranking,
    "recent": Recent,
    "search": Search,
    "network": Network,
    "sources": Sources,
    "watch": Watch,
}


def read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file to read: a few ms of every start-up otherwise

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML: {exc}", hint="fix or remove the file"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path} is not valid TOML: it is not UTF-8 text", hint="fix or remove the file"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def load(files: list[Path] | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Build the settings in force. Raises ConfigError naming the file and key at fault."""
    environ = dict(os.environ) if environ is None else environ
    files = paths.user_config_files() if files is None else files
    values: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    origin: dict[str, str] = {}
    for path in files:
        if not path.is_file():
            continue
        data = read_toml(path)
        for section, table in data.items():
            if section not in _SECTION_TYPES or not isinstance(table, dict):
                raise ConfigError(
                    f"unknown section [{section}] in {path}",
                    hint="valid sections: " + ", ".join(SECTIONS),
                )
            for key, value in table.items():
                values[section][key] = _coerce(section, key, value, str(path))
                origin[f"{section}.{key}"] = str(path)
    for name, (section, key) in ENV.items():
        raw = environ.get(name)
        if raw is not None and raw.strip():
            values[section][key] = _coerce(section, key, raw, f"${name}")
            origin[f"{section}.{key}"] = f"${name}"
    sections = {name: replace(_SECTION_TYPES[name](), **values[name]) for name in SECTIONS}
    key = environ.get("S2_API_KEY") or environ.get("SEMANTIC_SCHOLAR_API_KEY") or None
    return Settings(
        **sections,
        s2_api_key=key.strip() if key else None,
        openalex_api_key=(environ.get("OPENALEX_API_KEY") or "").strip() or None,
        origin=origin,
    )
