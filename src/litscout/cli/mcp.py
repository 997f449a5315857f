"""`litscout mcp`: serve litscout's tools to AI assistants (the server is `serve/mcp.py`)."""

from __future__ import annotations

import typer

from .common import command

INSTALL = "pip install 'litscout[mcp]'"


def register(app: typer.Typer) -> None:
    """Add `mcp` to the main app (called once by cli/__init__.py)."""
    app.command("mcp")(mcp)


@command
def mcp() -> None:
    """Serve litscout to AI assistants over stdio (Model Context Protocol).

    Add it to an assistant's config as the command `litscout` with the argument `mcp`.
    Tools: search, paper, cites, related, terms, watch_list, watch_run (dry run unless asked).
    """
    from ..errors import LitscoutError

    try:
        import mcp as _sdk  # noqa: F401  (only this command needs the SDK)
    except ImportError:
        raise LitscoutError(f"`litscout mcp` needs the mcp package: {INSTALL}") from None
    from ..serve.mcp import serve

    serve()
