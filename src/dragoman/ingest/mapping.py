"""Metadata from pages, feeds, archives and tables mapped onto an Article: the checks every
field must pass, dates in the shapes news sources write them, and ids for articles that
come with a URL but no name.

Each reader of a structured input gathers an article's fields and hands them here, so
that every input kind refuses the same bad values with the same one-line messages.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from dragoman.ingest import checks
from dragoman.ingest.errors import IngestError
from dragoman.ingest.readers import make_article, parse_published
from dragoman.records import Article

#: Hex digits of the SHA-256 of a URL (or feed item id) in the article ids made from it.
URL_HASH_DIGITS = 12
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{6})?")
_HOST_CHARS = re.compile(r"[^a-z0-9.-]+")


def url_id(url: str, key: str | None = None) -> str:
    """The id of an article known by its URL: the host and a short hash of the whole URL
    (``www.example.org-3f2a9c01b7de``), or of ``key`` when given. The same URL always gets
    the same id, so reading a page twice stores it once; no ``/`` appears in it."""
    try:
        hostname = urlsplit(url).hostname
    except ValueError:
        hostname = None
    host = _HOST_CHARS.sub("-", (hostname or "page").lower()).strip("-")
    digest = hashlib.sha256((key or url).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{host or 'page'}-{digest[:URL_HASH_DIGITS]}"


def web_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None: only those become links."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return value
    return None


def parse_date(value: Any) -> date | None:
    """A publication date in any shape sources write it: ISO 8601 (``2024-05-31``,
    ``2024-05-31T10:00:00Z``), RFC 2822 as in feeds and HTTP (``Fri, 31 May 2024 10:00:00
    GMT``), GDELT's ``20240531`` or ``20240531103000``, a datetime or a date. None for
    nothing; ValueError naming the value for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")  # noqa: TRY004 - one kind of bad value
    text = value.strip()
    compact = _COMPACT_DATE.fullmatch(text)
    if compact:
        return date(*(int(part) for part in compact.groups()))
    try:
        return parse_published(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"{text[:40]!r} is not a date") from None


def article(
    article_id: str,
    text: str,
    origin: str,
    *,
    published: date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Article | IngestError:
    """An Article from fields a structured input gave, or the one-line reason it is
    refused (an empty text, an id no store can hold, a control character in a field).
    ``language`` is the tag the source declares (``en-US``), kept as its ISO 639-1 code."""
    if not text or not text.strip():
        return IngestError(origin, "empty text")
    problem = checks.id_problem(article_id)
    if problem:
        return IngestError(origin, f"refused: {problem}")
    title = " ".join(title.split()) if title else None
    source = " ".join(source.split()) if source else None
    for what, value in (("the text", text), ("'title'", title), ("'source'", source)):
        problem = checks.text_problem(value, what) if value else None
        if problem:
            return IngestError(origin, f"refused: {problem}")
    return make_article(
        article_id,
        text,
        published=published,
        title=title or None,
        url=web_url(url),
        source=source or None,
        language=language,
        origin=origin,
    )
