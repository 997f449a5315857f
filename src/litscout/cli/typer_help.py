"""Readable placeholders in `--help`: `--since DATE`, `QUERY`, not `<str>` and `{query}`.

typer 0.29's plain help labels a value with its Python type (`<str>`, `<list[str]>`) and a
required argument in braces. We show what git and gh show: an option's metavar (or a word
for its kind), an argument's name in capitals, optional ones in brackets. Like typer_plain,
this leaves typer alone when its internals differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

WORDS: dict[Any, str] = {str: "TEXT", int: "N", float: "NUMBER", Path: "FILE"}


def _word(annotation: Any) -> str | None:
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    return WORDS.get(annotation)


def install() -> bool:
    """Patch typer's help labels; False (and no change) if typer differs."""
    try:
        from typer import core
    except ImportError:
        return False
    argument = getattr(core, "TyperArgument", None)
    option = getattr(core, "TyperOption", None)
    needed = ("display_type_rich", "_usage_display_name", "_rich_display_name")
    if argument is None or option is None or not all(hasattr(argument, n) for n in needed):
        return False
    if getattr(option.display_type_rich, "readable", False):
        return True
    typed_label = option.display_type_rich

    def option_label(self: Any, ctx: Any) -> str | None:
        if self.metavar is not None:
            return str(self.metavar)
        descriptor = getattr(self, "type_descriptor", None)
        word = _word(getattr(descriptor, "annotation", None))
        return word if word is not None else typed_label(self, ctx)

    def argument_name(self: Any) -> str:
        return str(self.metavar or (self.name or "").upper())

    def argument_usage(self: Any) -> str:
        name = argument_name(self)
        if self.metavar is not None:
            return name  # spelt out in full by the command ("[NAME]...")
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    option_label.readable = True  # type: ignore[attr-defined]
    option.display_type_rich = option_label
    argument.display_type_rich = lambda self, ctx: None  # the name says what to type
    argument._rich_display_name = argument_name
    argument._usage_display_name = argument_usage
    return True
