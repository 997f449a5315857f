"""`litscout open ID`: the paper's abstract page (or its PDF) in the browser."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import OfflineOpt, PaperIdArg, command, context


def register(app: typer.Typer) -> None:
    app.command("open")(open_paper)


@command
def open_paper(
    paper_id: PaperIdArg,
    pdf: Annotated[bool, typer.Option("--pdf", help="Open the PDF instead.")] = False,
    offline: OfflineOpt = False,
) -> None:
    """Open a paper's abstract page (arXiv's when it has one) in your browser.

    The browser is $BROWSER when set, else the system's; an arXiv id needs no request.
    """
    import webbrowser

    from ..errors import LitscoutError
    from ..render.output import note

    url = page(paper_id, pdf, offline)
    if not webbrowser.open(url):
        raise LitscoutError(
            f"no browser could be started for {url}",
            hint="set BROWSER to your browser's command, or open the address by hand",
        )
    note(f"Opened {url}")


def page(text: str, pdf: bool, offline: bool) -> str:
    """The address to open: straight from an arXiv id, else from the paper's record."""
    from .. import ids
    from ..errors import UsageError
    from ..follow.common import NotFoundError
    from ..follow.resolve import id_or_title

    found = id_or_title(text)
    if isinstance(found, ids.PaperId) and found.kind == "arxiv":
        return _arxiv(found.value, pdf)
    from ..follow.resolve import resolve

    with context(offline=offline, progress=f"Looking up {text}…") as ctx:
        paper: Any = resolve(ctx, text, need_arxiv=False).paper
    if paper.arxiv_id:
        return _arxiv(paper.arxiv_id, pdf)
    if pdf:
        if paper.pdf_url:
            return str(paper.pdf_url)
        raise NotFoundError(
            f"no open PDF is known for {paper.id}", hint=f"litscout open {text!r} shows its page"
        )
    if paper.doi:
        return f"https://doi.org/{paper.doi}"
    if paper.url:
        return str(paper.url)
    raise UsageError(f"no web page is known for {paper.id}")  # pragma: no cover - S2 gives one


def _arxiv(arxiv_id: str, pdf: bool) -> str:
    return f"https://arxiv.org/{'pdf' if pdf else 'abs'}/{arxiv_id}"
