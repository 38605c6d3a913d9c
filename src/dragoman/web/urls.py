"""Every URL the explorer writes into a page: links to articles, and outside links.

Article ids are whatever the source gave (a path, a URL, words with spaces), so an
id is percent-encoded whole, ``/`` included, into one path segment. The two ids a
browser would resolve away as a path segment (``.`` and ``..``, also when written
``%2e``) and the empty id use the query form ``/articles?id=...`` instead.

Links to other sites are made only for ``http`` and ``https`` URLs; anything else
(``javascript:``, ``data:``, a relative path) is shown as text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode, urlsplit

#: Ids that cannot be a path segment: browsers resolve them away.
_DOT_SEGMENTS = frozenset({"", ".", ".."})
_LINK_SCHEMES = frozenset({"http", "https"})


def _id_url(prefix: str, item_id: str) -> str:
    if item_id in _DOT_SEGMENTS:
        return f"{prefix}?{urlencode({'id': item_id})}"
    return f"{prefix}/{quote(item_id, safe='')}"


def article_url(article_id: Any, event_id: Any = None) -> str:
    """The article page of ``article_id``, scrolled to ``event_id`` when given."""
    url = _id_url("/articles", str(article_id))
    if event_id is not None:
        url += "#event-" + quote(str(event_id), safe="")
    return url


def api_article_url(article_id: Any) -> str:
    """The JSON of ``article_id``."""
    return _id_url("/api/articles", str(article_id))


def http_link(value: Any) -> str | None:
    """``value`` if it is an absolute ``http(s)`` URL fit to be a link, else None.

    Browsers drop surrounding spaces and control characters, and tabs and newlines
    inside a URL, before reading its scheme (``java\\tscript:`` runs); so a URL with
    any of them is never a link.
    """
    if not isinstance(value, str):
        return None
    if not value or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not host:
        return None
    return value


def incident_url(incident_id: Any) -> str:
    """The page of an incident."""
    return _id_url("/incidents", str(incident_id))


def thread_url(thread_id: Any) -> str:
    """The page of a commitment thread."""
    return _id_url("/threads", str(thread_id))
