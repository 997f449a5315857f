"""Reading answers honestly: parse JSON/XML or say what came back instead (an HTML page, an
empty body, a cut-off document), never a parser traceback; the service's own error words.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..words import shorten
from .limiter import Service

if TYPE_CHECKING:
    pass


def describe_body(body: bytes | str, limit: int = 80) -> str:
    """A short, safe description of an unexpected body for error messages."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    lowered = text.lower()
    if "<html" in lowered or "<!doctype html" in lowered:
        import re

        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
        found = title or heading
        name = found.group(1).strip() if found else "no title"
        return f"an HTML page ({' '.join(name.split())[:limit]!r})"
    snippet = " ".join(text.split())[:limit]
    return f"{snippet!r}" if snippet else "an empty body"


def _hint_for(status: int, service: Service, keyed: bool = False) -> str | None:
    if status == 403 and service.host == "s2":
        if keyed:
            return "the Semantic Scholar API key was refused: check S2_API_KEY"
        return "Semantic Scholar refused anonymous access; a free API key helps (S2_API_KEY)"
    if status == 404:
        return "the paper is not known to this service"
    return None


def status_reason(status: int, body: bytes, limit: int = 60) -> str:
    """`HTTP 429 'Too Many Requests. Please wait…'`: the status and the service's own words."""
    message = error_message(body)
    if message.startswith(("'", '"', "an HTML page", "an empty body")):
        return f"HTTP {status} {message}"  # already a quoted snippet or a description
    return f"HTTP {status} {shorten(message, limit)!r}"


def error_message(body: bytes) -> str:
    """The message from a JSON error body ({"error": ...} or {"message": ...}), else a summary."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return describe_body(body)
    if isinstance(data, dict):
        for key in ("error", "message"):
            if isinstance(data.get(key), str):
                return str(data[key])
    return describe_body(body)


class BrokenBody(SourceError):
    """An answer that does not parse (cut off, most likely): worth asking once more."""


def decode(service: Service, body: bytes, expect: str, content_type: str | None) -> Any:
    """Parse a body we expect to be JSON/XML, or explain what came instead."""
    head = body[:512].lstrip().lower()
    if expect != "text" and (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
        raise SourceError(
            service.name,
            f"expected {expect.upper()} but got {describe_body(body)}",
            hint="the service may be blocking or down; try again later",
        )
    if expect == "json":
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise BrokenBody(
                service.name,
                f"invalid JSON in the answer ({len(body)} bytes, starts {describe_body(body, 40)})",
                hint="the answer may have been cut off; try again",
            ) from None
    if expect == "xml":
        check_xml(service, body)
        return body
    return body.decode("utf-8", "replace")


def check_xml(service: Service, body: bytes) -> str:
    """Reject truncated or non-XML bodies with a clear error; return the root element's tag."""
    import xml.etree.ElementTree as ET

    if not body.strip():
        raise BrokenBody(service.name, "empty answer where XML was expected")
    try:
        return str(ET.fromstring(body).tag)
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding
        raise BrokenBody(
            service.name,
            f"the XML answer is broken ({exc}; {len(body)} bytes, starts "
            f"{describe_body(body, 40)})",
            hint="the answer may have been cut off; try again",
        ) from None
