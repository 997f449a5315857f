"""The hot start-up path: `litscout search ...`, `litscout terms ...` and `--version` without
typer.

A cached or offline search does little work; importing typer and building its click
commands was most of the process (`python -X importtime`, benchmarks/RESULTS.md). This
module reads the plain forms of these commands' options (the ones `typer_app.py` and
`follow.py` declare, same spellings) and runs the same function the typer command runs.
Anything else (help, an option it does not know, a value that is not a number,
`--flag=value` on a flag, shell completion) makes `run` return False, and the typer app
answers, with its own messages.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# option spelling → parameter of `search_command` (keep in step with typer_app.py's `search`)
FLAGS = {
    "--surveys": "surveys",
    "--has-code": "has_code",
    "--json": "as_json",
    "--explain": "explain",
    "--offline": "offline",
    "--refresh": "refresh",
}
VALUES = {
    "--since": "since",
    "--until": "until",
    "--category": "category",
    "-c": "category",
    "--limit": "limit",
    "-n": "limit",
    "--sort": "sort",
    "--format": "fmt",
    "-f": "fmt",
    "--fields": "fields",
}
DEFAULTS: dict[str, Any] = {
    "since": None, "until": None, "category": None, "limit": None, "sort": "score",
    "surveys": False, "has_code": False, "fmt": "auto", "as_json": False, "fields": None,
    "explain": False, "offline": False, "refresh": False,
}  # fmt: skip


TERMS_FLAGS = {"--json": "as_json", "--offline": "offline", "--refresh": "refresh"}
TERMS_VALUES = {
    "--limit": "limit",
    "-n": "limit",
    "--format": "fmt",
    "-f": "fmt",
    "--fields": "fields",
}
TERMS_DEFAULTS: dict[str, Any] = {
    "limit": None, "fmt": "auto", "as_json": False, "fields": None, "offline": False,
    "refresh": False,
}  # fmt: skip


@dataclass(frozen=True)
class Spec:
    """A command's plain option spellings and the function both paths run."""

    flags: dict[str, str]
    values: dict[str, str]
    defaults: dict[str, Any]
    positional: str  # the keyword of its one argument
    function: Callable[[], Callable[..., None]]  # imported only when it runs


def _search() -> Callable[..., None]:
    return search_command


def _terms() -> Callable[..., None]:
    from .terms import terms_command

    return terms_command


COMMANDS = {
    "search": Spec(FLAGS, VALUES, DEFAULTS, "query", _search),
    "terms": Spec(TERMS_FLAGS, TERMS_VALUES, TERMS_DEFAULTS, "question", _terms),
}


def parse_search(args: list[str]) -> dict[str, Any] | None:
    """`search`'s arguments as keyword arguments, or None when typer should read them."""
    return parse(COMMANDS["search"], args)


def parse(spec: Spec, args: list[str]) -> dict[str, Any] | None:
    """A command's arguments as keyword arguments, or None when typer should read them."""
    values = dict(spec.defaults)
    positional: list[str] = []
    only_positional = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if only_positional or arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg == "--":
            only_positional = True
            continue
        if arg.startswith("--"):
            name, eq, inline = arg.partition("=")
        elif len(arg) > 2:  # -n20, -cquant-ph
            name, eq, inline = arg[:2], "=", arg[2:]
        else:
            name, eq, inline = arg, "", ""
        if name in spec.flags and not eq:
            values[spec.flags[name]] = True
            continue
        if name not in spec.values:
            return None  # --help, -h, an unknown option: typer answers
        if eq:
            value = inline
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None  # a missing value: typer says so
        key = spec.values[name]
        if key == "category":
            values["category"] = [*(values["category"] or []), value]
        elif key == "limit":
            try:
                values["limit"] = int(value.strip())
            except ValueError:
                return None
        else:
            values[key] = value
    if len(positional) != 1:
        return None
    return {spec.positional: positional[0], **values}


def run(argv: list[str]) -> bool:
    """Run `argv` here if it is a plain search or terms; False to leave it to the typer app."""
    if argv == ["--version"]:
        from .. import __version__

        print(f"litscout {__version__}")
        return True
    spec = COMMANDS.get(argv[0]) if argv else None
    if spec is None or _completing():
        return False
    kwargs = parse(spec, argv[1:])
    if kwargs is None:
        return False
    try:
        spec.function()(**kwargs)
    except (Exception, KeyboardInterrupt) as exc:
        from .shell import failure

        code = failure(exc)
        sys.stdout.flush()
        raise SystemExit(code) from None
    return True


def _completing() -> bool:
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)


def search_command(
    query: str,
    *,
    since: str | None,
    until: str | None,
    category: list[str] | None,
    limit: int | None,
    sort: str,
    surveys: bool,
    has_code: bool,
    fmt: str,
    as_json: bool,
    fields: str | None,
    explain: bool,
    offline: bool,
    refresh: bool,
) -> None:
    """`litscout search`: what both the typer command and the hot path run."""
    from ..api import SEARCH_MAX, check_limit, check_mode, check_sort
    from ..find.engine import run_search
    from ..query import Query
    from ..render.output import warn
    from .hints import looser, survey_hint, terms_hint
    from .shell import ago, context, make_output, summary

    check_sort(sort)
    check_limit(limit, SEARCH_MAX)
    check_mode(offline, refresh)
    out = make_output(fmt, as_json, fields)
    q = Query.build(query, since=since, until=until, categories=category or [])
    with context(offline=offline, refresh=refresh, progress=f"Searching for {q.text!r}…") as ctx:
        result = run_search(ctx, q, limit=limit, sort=sort, surveys=surveys, has_code=has_code)
        relaxed_text = looser(ctx, q, len(result.items), limit)
    if result.word_match:
        why = "and --offline forbids asking" if offline else "and no source answered"
        warn(
            f"not a fresh answer: this question was never asked before {why}; "
            f"these are cached papers that match most of the words of “{q.text}”"
        )
    elif result.failed and result.from_cache:
        when = f" from {ago(time.time() - result.cached_at)}" if result.cached_at else ""
        warn(f"showing cached results{when}")
    records = result.records()
    out.records(records, explain=explain)
    survey_hint(records, out.human)
    terms_hint(q, len(result.items), limit, surveys or has_code, relaxed_text)
    source = "cache" if result.from_cache else "network"
    total = sum(result.requests.values())
    summary(f"{len(result.items)} papers · from {source} · {total} request(s)")
