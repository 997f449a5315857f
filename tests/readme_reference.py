"""The README's CLI reference, generated from `--help`: `python tests/readme_reference.py --write`.

Every command and subcommand's `--help` at 100 columns, one collapsible block each, between
the README's `<!-- cli-reference -->` and `<!-- /cli-reference -->` markers. Without `--write`
the section is printed. tests/test_readme.py regenerates it in memory and fails when the
README differs, so a changed option or help text cannot leave the README behind.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
WIDTH = "100"
START = "<!-- cli-reference -->"
END = "<!-- /cli-reference -->"
SECTION = re.compile(re.escape(START) + r"\n.*?" + re.escape(END), re.S)
MAIN = "import sys; from litscout.cli import main; sys.argv[0] = 'litscout'; main()"
INTRO = (
    "Generated from each command's `--help` at 100 columns by "
    "`python tests/readme_reference.py --write`; a test fails when it is out of date."
)


def commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every visible command and subcommand, in the order `--help` lists them."""
    import typer.main

    from litscout.cli import app

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            if not getattr(sub, "hidden", False):
                yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ())


def help_text(path: tuple[str, ...]) -> str:
    """`litscout PATH --help` as a user sees it at 100 columns, without colour: a real process
    (the console script's `main`), since help is laid out for the terminal it runs in."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("LITSCOUT_", "COLUMNS"))}
    with tempfile.TemporaryDirectory() as home:
        env = {**keep, "COLUMNS": WIDTH, "NO_COLOR": "1", "LITSCOUT_HOME": home}
        done = subprocess.run(
            [sys.executable, "-c", MAIN, *path, "--help"],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
    if done.returncode != 0:
        raise RuntimeError(f"litscout {' '.join(path)} --help failed:\n{done.stderr}")
    return "\n".join(line.rstrip() for line in done.stdout.rstrip().splitlines())


def summary(command: Any) -> str:
    """The command's one-line help, for the summary line (HTML, not Markdown)."""
    return html.escape(str(command.get_short_help_str(limit=90)).replace("`", ""))


def section() -> str:
    """The README's CLI reference, markers included: one collapsible block per command."""
    parts = [START, "", INTRO, ""]
    for path, command in commands():
        name = " ".join(("litscout", *path))
        about = summary(command) if path else "the commands"
        parts += [
            f"<details><summary><code>{name}</code> — {about}</summary>",
            "",
            "```text",
            help_text(path),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join([*parts, END])


def rewrite(readme: str, text: str) -> str:
    if not SECTION.search(readme):
        raise SystemExit(f"README.md has no {START} … {END} section")
    return SECTION.sub(lambda _: text, readme, count=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md in place")
    args = parser.parse_args(argv)
    text = section()
    if args.write:
        README.write_text(rewrite(README.read_text(encoding="utf-8"), text), encoding="utf-8")
        print("README.md: CLI reference rewritten")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
