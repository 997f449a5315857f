"""Two or three examples at the end of every command's `--help` (its epilog).

Kept here, apart from the commands, so that `attach` can give every registered command its
examples in one place and a test can check that none is missing.
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, tuple[str, ...]] = {
    "search": (
        'litscout search "few-shot learning" --since 2y -c cs.LG',
        'litscout search "graph neural networks" --surveys --sort citations',
        'litscout search "diffusion models" -n 50 --format csv > papers.csv',
    ),
    "config": (
        "litscout config",
        "litscout config init",
        "litscout config set search.limit 50",
    ),
    "config init": ("litscout config init", "litscout config init --force"),
    "config set": (
        "litscout config set search.limit 50",
        "litscout config set network.arxiv_delay 5",
        "litscout config set sources.openalex false",
    ),
    "paths": ("litscout paths", "litscout paths --json"),
    "paper": (
        "litscout paper 1606.04080",
        'litscout paper "Matching Networks for One Shot Learning"',
        "litscout paper doi:10.48550/arXiv.1606.04080 --json",
    ),
    "cites": (
        "litscout cites 1606.04080",
        "litscout cites 1606.04080 --since 1y --sort recent",
        "litscout cites 1606.04080 --has-code -n 50",
    ),
    "references": (
        "litscout references 1606.04080",
        "litscout references 2004.05439 --sort citations --has-code",
    ),
    "related": (
        "litscout related 1606.04080",
        "litscout related 1606.04080 1703.05175 --not 1703.03400",
    ),
    "terms": (
        'litscout terms "use a big dataset to help a small one"',
        'litscout terms "learning from very few examples" -n 20',
    ),
    "export": (
        "litscout export 1606.04080 1703.05175 > refs.bib",
        "litscout export 1606.04080 --bib refs.bib",
        'litscout search "few-shot learning" | litscout export - --format ris > refs.ris',
    ),
    "open": ("litscout open 1606.04080", "litscout open 1606.04080 --pdf"),
    "map": (
        'litscout map "few-shot learning"',
        'litscout map "few-shot learning" "class imbalance"',
        'litscout map "meta-learning" --json',
    ),
    "report": (
        'litscout report "few-shot learning" -o fewshot.html',
        'litscout report "graph neural networks" --since 2y -c cs.LG -o gnn.html',
    ),
    "mcp": ("litscout mcp",),
    "watch add": (
        'litscout watch add fewshot "few-shot learning" -c cs.LG',
        "litscout watch add matchnet --cites 1606.04080",
        'litscout watch add gnn "graph neural networks" --min-score 0.4',
    ),
    "watch list": ("litscout watch list", "litscout watch list --json"),
    "watch run": (
        "litscout watch run",
        "litscout watch run fewshot --dry-run",
        "litscout watch run --quiet --markdown digest.md --atom feed.xml",
    ),
    "watch remove": ("litscout watch remove fewshot",),
    "watch reset": ("litscout watch reset fewshot --since 7d",),
    "watch export": ("litscout watch export > watches.toml", "litscout watch export -o w.toml"),
    "watch import": (
        "litscout watch import watches.toml",
        "litscout watch import --replace - < watches.toml",
    ),
    "watch": (
        'litscout watch add fewshot "few-shot learning" -c cs.LG',
        "litscout watch run",
        "litscout watch list",
    ),
    "": (
        'litscout search "few-shot learning" --since 2y',
        "litscout paper 1606.04080",
        "litscout cites 1606.04080 --sort recent",
    ),
}


def epilog(name: str) -> str | None:
    """The examples of one command as click prints them: `\\b` keeps the lines unwrapped."""
    lines = EXAMPLES.get(name)
    if not lines:
        return None
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _command_name(info: Any) -> str:
    name = info.name or getattr(info.callback, "__name__", "")
    return str(name).strip("_").replace("_", "-")


def _unset(value: Any) -> bool:
    """None, or typer's stand-in for "not given" (a DefaultPlaceholder holding None)."""
    return getattr(value, "value", value) is None


def attach(app: Any, prefix: str = "") -> None:
    """Give every command of `app` (and of its groups) its examples, unless it has an epilog."""
    if not prefix:
        holder = app.registered_callback or app.info  # typer reads the callback's first
        if _unset(holder.epilog):
            holder.epilog = epilog("")
    for info in app.registered_commands:
        if info.epilog is None:
            info.epilog = epilog(prefix + _command_name(info))
    for group in app.registered_groups:
        sub = group.typer_instance
        name = group.name or sub.info.name
        if _unset(group.epilog) and _unset(sub.info.epilog):
            group.epilog = epilog(prefix + str(name))
        attach(sub, f"{prefix}{name} ")
