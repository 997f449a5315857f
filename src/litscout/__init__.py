"""litscout: what is the latest on X?

    >>> from litscout import search
    >>> for paper in search("few-shot learning", limit=5):
    ...     print(paper["title"], paper["velocity"])

The core needs neither typer nor rich; heavy modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import LitscoutError


def search(
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    categories: list[str] | None = None,
    limit: int | None = None,
    sort: str = "score",
    offline: bool = False,
    refresh: bool = False,
    surveys: bool = False,
    has_code: bool = False,
) -> list[dict[str, Any]]:
    """Ranked papers for `query`, as records (the same keys as the CLI's JSON).

    Raises a `litscout.errors.LitscoutError` subclass on bad input or when nothing can be
    reached and nothing is cached. Uses `$LITSCOUT_HOME` and the user config like the CLI.
    """
    from .context import Context
    from .find.engine import run_search
    from .query import Query
    from .render.reporter import PlainReporter

    q = Query.build(query, since=since, until=until, categories=categories or [])
    with Context(reporter=PlainReporter(), offline=offline, refresh=refresh) as ctx:
        result = run_search(ctx, q, limit=limit, sort=sort, surveys=surveys, has_code=has_code)
        return result.records()


__all__ = ["search", "__version__", "LitscoutError"]


def __getattr__(name: str) -> Any:
    if name == "LitscoutError":
        from .errors import LitscoutError

        return LitscoutError
    raise AttributeError(name)
