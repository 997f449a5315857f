"""CSL-JSON (pandoc, Zotero, Mendeley) and RIS (EndNote, Zotero, Mendeley) for paper records.

Keys are the BibTeX keys (`vinyals2016matching`), so a document cites the same key whichever
file it was given. Titles are written as they are (TeX math included): these formats have no
escaping of their own.
"""

from __future__ import annotations

import json
from typing import Any

from .bibtex import CONFERENCE, keys


def split_name(name: str) -> tuple[str, str]:
    """(family, given): "Oriol Vinyals" -> ("Vinyals", "Oriol"); "Vinyals, Oriol" as well."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return family, given
    parts = name.split(" ")
    return parts[-1], " ".join(parts[:-1])


def _kind(record: dict[str, Any]) -> str:
    """ "conference", "journal" or "preprint", read from the venue like the BibTeX entry."""
    venue = str(record.get("venue") or "")
    if venue and venue.lower() not in ("arxiv", "arxiv.org"):
        return "conference" if CONFERENCE.search(venue) else "journal"
    return "preprint"


def _date_parts(record: dict[str, Any]) -> list[int]:
    published = str(record.get("published") or "")
    parts = [int(p) for p in published[:10].split("-") if p.isdigit()]
    if not parts and record.get("year"):
        parts = [int(record["year"])]
    return parts


def csl_item(record: dict[str, Any], key: str) -> dict[str, Any]:
    kind = _kind(record)
    item: dict[str, Any] = {
        "id": key,
        "type": {"conference": "paper-conference", "journal": "article-journal"}.get(
            kind, "article"
        ),
        "title": " ".join(str(record.get("title") or "Untitled").split()),
    }
    authors = [split_name(str(a)) for a in record.get("authors") or [] if str(a).strip()]
    if authors:
        item["author"] = [
            {"family": family, **({"given": given} if given else {})} for family, given in authors
        ]
    parts = _date_parts(record)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if kind != "preprint":
        item["container-title"] = str(record["venue"])
    if record.get("arxiv_id"):
        if kind == "preprint":
            item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{record['arxiv_id']}"
    if record.get("doi"):
        item["DOI"] = str(record["doi"])
    if record.get("url"):
        item["URL"] = str(record["url"])
    if record.get("abstract"):
        item["abstract"] = str(record["abstract"])
    return item


def csl_json(records: list[dict[str, Any]]) -> str:
    """One CSL-JSON array (what pandoc's --bibliography and Zotero read)."""
    items = [csl_item(r, k) for k, r in zip(keys(records), records, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def ris(records: list[dict[str, Any]]) -> str:
    """RIS records, one `TY` ... `ER` block per paper."""
    blocks = []
    for key, record in zip(keys(records), records, strict=True):
        kind = _kind(record)
        lines = [("TY", {"conference": "CONF", "journal": "JOUR"}.get(kind, "GEN"))]
        lines.append(("ID", key))
        lines.append(("TI", " ".join(str(record.get("title") or "Untitled").split())))
        for author in record.get("authors") or []:
            if str(author).strip():
                family, given = split_name(str(author))
                lines.append(("AU", f"{family}, {given}" if given else family))
        parts = _date_parts(record)
        if parts:
            lines.append(("PY", str(parts[0])))
            lines.append(("DA", "/".join(f"{p:02d}" for p in parts) + "/"))
        if kind != "preprint":
            lines.append(("T2", str(record["venue"])))
        elif record.get("arxiv_id"):
            lines.append(("PB", "arXiv"))
        if record.get("arxiv_id"):
            lines.append(("M1", f"arXiv:{record['arxiv_id']}"))
        if record.get("doi"):
            lines.append(("DO", str(record["doi"])))
        if record.get("url"):
            lines.append(("UR", str(record["url"])))
        if record.get("abstract"):
            lines.append(("AB", " ".join(str(record["abstract"]).split())))
        lines.append(("ER", ""))
        blocks.append("\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
