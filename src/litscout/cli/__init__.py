"""The command-line shell: parse options, call the core, hand records to Output.

`main` is the console script. A plain `litscout search ...` is parsed and run by
`fast.py` without importing typer (start-up is most of a cached or offline search);
everything else, and anything `fast.py` is unsure of (help, an unknown or malformed
option), goes to the typer app in `typer_app.py`, which gives the same answers.
`litscout.cli.app` is the complete typer app.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    """Console-script entry point."""
    from .fast import run

    argv = sys.argv[1:]
    if run(argv):
        return
    from ..errors import ExitCode
    from .shell import _quiet_broken_pipe
    from .typer_app import _app, full_app, needs_all

    app = full_app() if needs_all(argv) else _app
    try:
        app(prog_name="litscout")
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))


def __getattr__(name: str) -> Any:
    if name == "app":  # `from litscout.cli import app`: the complete typer app
        from .typer_app import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
