"""Articles from WARC web archives (warcio), plain or gzip-compressed, such as Common Crawl
News files or one's own crawls: every HTML response record is a page read as such, with
the record's target URI as its URL (and its id), the record's date standing in for a
publication date the page does not give, and its HTTP ``Content-Language`` for a language
the page's markup does not declare. Other records (requests, metadata, images,
redirects) are passed over in silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from dragoman.ingest import mapping
from dragoman.ingest.errors import IngestError
from dragoman.ingest.html import PAGE_SIZE_FACTOR, page_article
from dragoman.records import Article

Item = Article | IngestError

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Item]:
    """The articles of every HTML response record of a WARC stream."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limit = max_bytes * PAGE_SIZE_FACTOR
    number = 0
    pages = 0
    try:
        for record in ArchiveIterator(stream, check_digests=False):
            number += 1
            if record.rec_type != "response" or not record.http_headers:
                continue
            status = str(record.http_headers.get_statuscode() or "")
            content_type = str(record.http_headers.get_header("Content-Type") or "").lower()
            if not status.startswith("2") or not content_type.startswith(_HTML_TYPES):
                continue
            pages += 1
            where = f"{origin}:record {number}"
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            url = mapping.web_url(uri)
            if url is None:
                yield IngestError(where, f"the record's target URI is no http(s) URL: {uri[:80]!r}")
                continue
            content = record.content_stream().read(limit + 1)
            if len(content) > limit:
                yield IngestError(where, f"page is too large (more than {limit:,} bytes)")
                continue
            try:
                crawled = mapping.parse_date(record.rec_headers.get_header("WARC-Date"))
            except ValueError:
                crawled = None
            yield page_article(
                content,
                where,
                article_id=mapping.url_id(url),
                url=url,
                published=crawled,
                language=record.http_headers.get_header("Content-Language") or None,
                canonical=False,
            )
    except (ArchiveLoadFailed, AttributeError, ValueError, TypeError, EOFError, OSError) as exc:
        # warcio's own failures on a damaged or incomplete record (one lacking its target
        # URI raises AttributeError inside warcio)
        yield IngestError(
            f"{origin}:record {number + 1}",
            f"damaged WARC record ({_detail(exc)}); the rest is not read",
        )
        return
    if pages == 0:
        yield IngestError(origin, "the WARC file holds no HTML response record")


def _detail(exc: Exception) -> str:
    from warcio.exceptions import ArchiveLoadFailed

    if isinstance(exc, ArchiveLoadFailed):
        return " ".join(str(exc).split())[:160]
    return "incomplete record headers"
