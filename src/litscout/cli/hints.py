"""The next step after a search: the field's words when few papers use the question's words,
and a survey's references when the answer lists a survey."""

from __future__ import annotations

from typing import Any

HINT_BELOW = 5  # fewer results than this (when more were asked for): point to `terms`


def few(query: Any, found: int, limit: int | None) -> bool:
    from ..query import is_arxiv_syntax

    return not is_arxiv_syntax(query.text) and found < min(HINT_BELOW, limit or HINT_BELOW)


def looser(ctx: Any, query: Any, found: int, limit: int | None) -> str | None:
    """The relaxed question `terms` would try (its least informative words dropped)."""
    if not few(query, found, limit):
        return None
    from ..find.relax import cache_frequency, relaxed

    return relaxed(query.text, cache_frequency(ctx.store))


def terms_hint(
    query: Any, found: int, limit: int | None, filtered: bool, relaxed_text: str | None
) -> None:
    """Few or no papers for plain words: say how to find the words the field uses."""
    if not few(query, found, limit) or (found and filtered):
        return  # enough papers, or --surveys / --has-code narrowed them down on purpose
    from ..find.phrases import terms_command
    from ..render.output import note

    what = "no paper uses" if not found else f"only {found} paper"
    what += "s use" if found > 1 else " uses" if found else ""
    line = (
        f"Hint: {what} these words; papers may call it something else. "
        f"Find the field's words with: {terms_command(query.text)}"
    )
    if relaxed_text:
        line += f' (it also tries "{relaxed_text}")'
    note(line)


def survey_hint(records: list[dict[str, Any]], human: bool) -> None:
    """A survey's reference list is the field's canon: say how to read it."""
    from ..render.output import note

    survey = next((r for r in records if r["is_survey"]), None)
    if human and survey is not None:
        note(
            f"Next: what the field builds on: litscout references {survey['id']} "
            "--sort citations --has-code"
        )
