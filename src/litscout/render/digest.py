"""Digest files for `litscout watch run`: a Markdown page and an Atom 1.0 feed.

Both are written atomically (a temporary file in the same directory, fsync, os.replace), so
a reader never sees half a file and a failed write leaves the old file in place. The Atom
feed keeps the newest `keep` entries across runs: the previous file is read back and its
entries that this run does not replace are carried over.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import ages
from ..errors import LitscoutError, UsageError

ATOM = "http://www.w3.org/2005/Atom"
WATCH_SCHEME = "https://litscout.invalid/watch"
MAX_AUTHORS = 10


class DigestWriteError(LitscoutError):
    """A digest file could not be written; nothing was marked as delivered."""


def check_target(path: Path, what: str) -> None:
    """Fail early (before any fetching) when `path` cannot be a digest file."""
    if path.is_dir():
        raise UsageError(f"the {what} target {path} is a directory", hint="give a file name")
    if not path.parent.is_dir():
        raise UsageError(
            f"the directory for the {what} file does not exist: {path.parent}",
            hint=f"create it first (mkdir -p {path.parent})",
        )


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step; the old file survives any failure."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise DigestWriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    handle = None
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        handle = Path(temp)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
        handle = None
    except OSError as exc:
        raise DigestWriteError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="nothing was marked as seen; the next run shows these papers again",
        ) from None
    finally:
        if handle is not None:
            try:
                handle.unlink()
            except OSError:
                pass


# -- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def first_sentence(text: str | None, limit: int = 220) -> str:
    text = " ".join((text or "").split())
    if not text:
        return ""
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z])", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def authors_line(authors: Sequence[str], limit: int = 3) -> str:
    names = list(authors or [])
    if not names:
        return "unknown authors"
    if len(names) > limit:
        return ", ".join(names[:limit]) + " et al."
    return ", ".join(names)


def age_text(days: int | None) -> str:
    return ages.old(days)


def facts(record: dict[str, Any]) -> str:
    """`2 days old · 12 citations · 3.4 citations/yr now · score 0.53 · code`."""
    parts = [age_text(record.get("age_days"))]
    cites = record.get("citations")
    parts.append("citations unknown" if cites is None else f"{cites} citation{'s' * (cites != 1)}")
    velocity = record.get("velocity")
    if velocity is not None and cites:  # with no citations yet it is only the prior
        lifetime = record.get("velocity_basis") == "lifetime"
        parts.append(
            f"{velocity:.1f} citations/yr" + (" (lifetime average)" if lifetime else " now")
        )
    if record.get("score") is not None:
        parts.append(f"score {record['score']:.2f}")
    if record.get("is_survey"):
        parts.append("survey")
    if record.get("code_urls"):
        parts.append("code")
    return " · ".join(parts)


def markdown(sections: Sequence[dict[str, Any]], generated: datetime) -> str:
    """A digest page. Each section: name, header, description, warnings, records."""
    lines = [f"# litscout digest — {generated.astimezone(UTC):%Y-%m-%d %H:%M} UTC", ""]
    total = sum(len(s["records"]) for s in sections)
    lines.append(
        f"{total} new paper{'s' * (total != 1)} in {len(sections)} "
        f"watch{'es' * (len(sections) != 1)}."
    )
    for section in sections:
        lines += ["", f"## {md_escape(section['header'])}", ""]
        if section.get("description"):
            lines.append(f"*{md_escape(section['description'])}*")
            lines.append("")
        for warning in section.get("warnings", []):
            lines.append(f"> **Warning:** {md_escape(warning)}")
            lines.append("")
        records = section["records"]
        if not records:
            lines.append("No new papers.")
            continue
        for number, record in enumerate(records, start=1):
            title = md_escape(record.get("title") or "(untitled)")
            url = record.get("url")
            head = f"[{title}](<{url}>)" if url else title
            lines.append(f"{number}. **{head}**  ")
            lines.append(
                f"   {md_escape(authors_line(record.get('authors') or []))} · {facts(record)}  "
            )
            summary = first_sentence(record.get("abstract") or record.get("tldr"))
            if summary:
                lines.append(f"   {md_escape(summary)}")
            else:
                lines[-1] = lines[-1].rstrip()
    return "\n".join(lines).rstrip() + "\n"


# -- Atom ---------------------------------------------------------------------------------


def atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(record: dict[str, Any]) -> str:
    """A permanent IRI for a paper: its arXiv abs page, DOI, or Semantic Scholar page."""
    if record.get("arxiv_id"):
        return f"https://arxiv.org/abs/{record['arxiv_id']}"
    if record.get("doi"):
        return f"https://doi.org/{record['doi']}"
    if record.get("s2_id"):
        return f"https://www.semanticscholar.org/paper/{record['s2_id']}"
    return f"urn:litscout:{uuid.uuid5(uuid.NAMESPACE_URL, str(record.get('id')))}"


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def read_feed(path: Path) -> tuple[str | None, list[ET.Element]]:
    """The id and entries of an existing feed; ([], None) when there is none.

    A file that is not an Atom feed is never overwritten: UsageError.
    """
    if not path.exists():
        return None, []
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise UsageError(
            f"{path} exists and is not a readable Atom feed ({exc})",
            hint="litscout only updates feeds it wrote; give another --atom file",
        ) from None
    if root.tag != _q("feed"):
        raise UsageError(
            f"{path} exists and is not an Atom feed",
            hint="litscout only updates feeds it wrote; give another --atom file",
        )
    feed_id = root.findtext(_q("id"))
    return (feed_id.strip() if feed_id else None), root.findall(_q("entry"))


def atom(
    path: Path,
    records: Sequence[dict[str, Any]],
    generated: datetime,
    keep: int,
    self_url: str | None = None,
) -> str:
    """The new feed text: this run's entries first, then older ones, `keep` in all."""
    ET.register_namespace("", ATOM)
    feed_id, old_entries = read_feed(path)
    root = ET.Element(_q("feed"))
    _text(root, "id", feed_id or f"urn:uuid:{uuid.uuid4()}")
    _text(root, "title", "litscout watches")
    _text(root, "subtitle", "New papers on your topics, best first, each delivered once.")
    _text(root, "updated", atom_time(generated))
    author = ET.SubElement(root, _q("author"))
    _text(author, "name", "litscout")
    ET.SubElement(
        root,
        _q("link"),
        {
            "rel": "self",
            "href": self_url or path.resolve().as_uri(),
            "type": "application/atom+xml",
        },
    )
    generator = ET.SubElement(root, _q("generator"))
    generator.text = "litscout"

    entries: dict[str, ET.Element] = {}
    for record in records:
        key = entry_id(record)
        if key in entries:  # the same paper from two watches: one entry, both watches
            _category(entries[key], record.get("watch"))
            continue
        entries[key] = _entry(record, key, generated)
    for old in old_entries:
        key = (old.findtext(_q("id")) or "").strip()
        if key and key not in entries:
            entries[key] = old
    for element in list(entries.values())[: max(keep, 0)]:
        root.append(element)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    element.text = value
    return element


def _category(entry: ET.Element, watch: Any) -> None:
    if not watch:
        return
    for existing in entry.findall(_q("category")):
        if existing.get("scheme") == WATCH_SCHEME and existing.get("term") == watch:
            return
    ET.SubElement(
        entry,
        _q("category"),
        {"term": str(watch), "scheme": WATCH_SCHEME, "label": f"watch {watch}"},
    )


def _entry(record: dict[str, Any], key: str, generated: datetime) -> ET.Element:
    entry = ET.Element(_q("entry"))
    _text(entry, "id", key)
    _text(entry, "title", " ".join((record.get("title") or "(untitled)").split()), type="text")
    _text(entry, "updated", atom_time(generated))
    if record.get("published"):
        _text(entry, "published", f"{record['published']}T00:00:00Z")
    if record.get("url"):
        ET.SubElement(
            entry, _q("link"), {"rel": "alternate", "href": record["url"], "type": "text/html"}
        )
    if record.get("pdf_url"):
        ET.SubElement(
            entry,
            _q("link"),
            {
                "rel": "related",
                "href": record["pdf_url"],
                "type": "application/pdf",
                "title": "pdf",
            },
        )
    names = list(record.get("authors") or [])
    for name in names[:MAX_AUTHORS] or ["unknown"]:
        author = ET.SubElement(entry, _q("author"))
        _text(author, "name", name)
    if len(names) > MAX_AUTHORS:
        author = ET.SubElement(entry, _q("author"))
        _text(author, "name", f"and {len(names) - MAX_AUTHORS} more")
    _category(entry, record.get("watch"))
    for category in record.get("categories") or []:
        ET.SubElement(entry, _q("category"), {"term": category, "scheme": "https://arxiv.org"})
    summary = f"[{record.get('watch')}] {facts(record)}"
    if record.get("abstract"):
        summary += "\n\n" + " ".join(record["abstract"].split())
    _text(entry, "summary", summary, type="text")
    return entry
