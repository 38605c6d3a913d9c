"""Articles from web pages: the main text, title, publication date, canonical URL and
outlet of an HTML page, with navigation, boilerplate and reader comments left out.

Extraction is trafilatura's (the library web-news corpora are built with); it reads the
page as it is, fetching nothing. The article's text is the extracted text, paragraphs
separated by a blank line (so the headline is told from the story, and every offset
refers to that text); the page's markup is never part of it. The page's language is
the one its markup declares (:func:`page_language`).
"""

from __future__ import annotations

import re
from datetime import date

from dragoman.ingest import mapping
from dragoman.ingest.errors import IngestError
from dragoman.records import Article

#: Dates are taken from the page's markup (meta tags, structured data, time elements), not
#: guessed from any date-like words on it (a copyright year is no publication date).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
#: A page may hold this many times the article size limit (scripts, styles, markup).
PAGE_SIZE_FACTOR = 4
#: Characters of a page looked at for its declared language: its ``<head>`` (cut at its
#: end when that comes sooner).
HEAD_CHARS = 65_536
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
#: An XML declaration, which lxml refuses at the start of text already decoded.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def page_article(
    page: str | bytes,
    origin: str,
    *,
    article_id: str | None = None,
    url: str | None = None,
    published: date | None = None,
    source: str | None = None,
    language: str | None = None,
    canonical: bool = True,
) -> Article | IngestError:
    """The article of one HTML page. ``article_id`` defaults to :func:`mapping.url_id` of
    the page's URL (its canonical URL, else ``url``, where it was found); ``published``
    ``source`` and ``language`` stand in where the page does not say them (``language``
    as a tag: ``en-US``, the HTTP ``Content-Language``). Not ``canonical``, the
    article keeps ``url`` even where the page names another (a WARC record's target)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, RecursionError) as exc:
        return IngestError(
            origin, f"the HTML page cannot be read ({' '.join(str(exc).split())[:160]})"
        )
    if document is None or not (document.text or "").strip():
        return IngestError(origin, "no article text found in the HTML page")
    text = _paragraphs(document.text)
    page_url = mapping.web_url(url)
    if canonical or page_url is None:
        page_url = mapping.web_url(document.url) or page_url
    if article_id is None:
        if page_url is None:
            return IngestError(origin, "the HTML page has no URL to name it by")
        article_id = mapping.url_id(page_url)
    try:
        page_date = mapping.parse_date(document.date)
    except ValueError:
        page_date = None
    return mapping.article(
        article_id,
        text,
        origin,
        published=page_date or published,
        title=document.title,
        url=page_url,
        source=document.sitename or source or document.hostname,
        language=page_language(page) or language,
    )


def page_language(page: str | bytes) -> str | None:
    """The language tag a page's markup declares, or None: its ``<html lang>`` (or
    ``xml:lang``), else its ``og:locale``, else a ``content-language`` meta element.
    Only the page's head is read; the tag is returned as written (``en-US``)."""
    import lxml.etree
    import lxml.html

    head = page[:HEAD_CHARS]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    end = _HEAD_END.search(head)
    if end is not None:
        head = head[: end.end()]
    head = _XML_DECLARATION.sub("", head, count=1)
    try:
        root = lxml.html.document_fromstring(head)
    except (lxml.etree.ParserError, ValueError):
        return None
    html = root if root.tag == "html" else root.find(".//html")
    candidates = [html.get("lang"), html.get("xml:lang")] if html is not None else []
    for meta in root.iter("meta"):
        named = (meta.get("property") or meta.get("name") or "").strip().lower()
        if named == "og:locale":
            candidates.append(meta.get("content"))
    for meta in root.iter("meta"):
        equiv = (meta.get("http-equiv") or meta.get("name") or "").strip().lower()
        if equiv in ("content-language", "language"):
            candidates.append(meta.get("content"))
    return next((c.strip() for c in candidates if c and c.strip()), None)


def _paragraphs(text: str) -> str:
    """One blank line between the extracted paragraphs, none inside them."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)
