"""litscout: what is the latest on X?

    >>> import litscout
    >>> for paper in litscout.search("few-shot learning", limit=5):
    ...     print(paper["title"], paper["velocity"], paper["velocity_basis"])
    >>> litscout.paper("1606.04080")["still_recent"]

One function per command — search, paper, cites, references, related, terms, map, export,
watch_list, watch_run — each
returning the CLI's JSON records (api.py). The core needs neither typer nor rich; heavy
modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import (
        cites,
        export,
        map,
        paper,
        references,
        related,
        search,
        terms,
        watch_list,
        watch_run,
    )
    from .errors import LitscoutError, UsageError


__all__ = [
    "search",
    "paper",
    "cites",
    "references",
    "related",
    "terms",
    "map",
    "export",
    "watch_list",
    "watch_run",
    "__version__",
    "LitscoutError",
    "UsageError",
]


API = frozenset(__all__) - {"__version__", "LitscoutError", "UsageError"}


def __getattr__(name: str) -> Any:
    """Load the library functions and errors on first use (keeps `import litscout` cheap)."""
    if name in API:
        from . import api

        return getattr(api, name)
    if name in ("LitscoutError", "UsageError"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(name)
