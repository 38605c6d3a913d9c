"""Articles from URLs: lists of http(s) URLs, one a line, each page fetched politely (see
:mod:`dragoman.ingest.fetch`) and read as a web page (or as plain text when it is one,
checked as a local text file is: binary data, encodings, control characters, size).
A URL that cannot be fetched or read is one line naming it; the list goes on.

A file is a URL list when every line that is neither blank nor a ``#`` comment is one
http(s) URL; ``--urls FILE`` names one whatever it holds.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from datetime import date

from dragoman.ingest import mapping
from dragoman.ingest.errors import IngestError
from dragoman.ingest.fetch import Fetcher, FetchError
from dragoman.records import Article

Item = Article | IngestError

_URL_LINE = re.compile(r"https?://\S+", re.IGNORECASE)
#: Most URLs a list may hold (a bigger crawl belongs in a WARC file).
MAX_URLS = 100_000


def is_url_list(text: str, complete: bool = True) -> bool:
    """Whether a text (or the head of one) is a list of http(s) URLs, one a line."""
    lines = text.split("\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    urls = 0
    for line in lines:
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if not _URL_LINE.fullmatch(line):
            return False
        urls += 1
    return urls > 0


def list_urls(text: str, origin: str) -> Iterator[tuple[str, str] | IngestError]:
    """(where, url) for each URL of a list; a line that is no URL is an error naming it."""
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        where = f"{origin}:{number}"
        if mapping.web_url(line) is None or not _URL_LINE.fullmatch(line):
            yield IngestError(where, f"not an http(s) URL: {line[:80]!r}")
            continue
        count += 1
        if count > MAX_URLS:
            yield IngestError(where, f"more than {MAX_URLS:,} URLs; the rest are not read")
            return
        yield where, line


def read_url_list(text: str, origin: str, fetcher: Fetcher) -> Iterator[Item]:
    """Every page a URL list names, fetched and read."""
    urls = 0
    for entry in list_urls(text, origin):
        if isinstance(entry, IngestError):
            yield entry
            continue
        urls += 1
        yield fetch_article(entry[1], fetcher)
    if urls == 0:
        yield IngestError(origin, "the URL list holds no URL")


def fetch_article(
    url: str,
    fetcher: Fetcher,
    *,
    origin: str | None = None,
    published: date | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Item:
    """The article at ``url``: its page fetched and its main text extracted. Errors name
    the URL (and ``origin``, where it was found, when given). ``published``, ``source``
    and ``language`` stand in where the page does not say them."""
    where = url if origin is None else f"{origin} {url}"
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        return IngestError(where, f"not fetched: {exc}")
    return page_item(
        page.content,
        page.content_type,
        page.url,
        where,
        published,
        source,
        language=language if page.language is None else page.language,
    )


def page_item(
    content: bytes,
    content_type: str,
    url: str,
    where: str,
    published: date | None = None,
    source: str | None = None,
    *,
    language: str | None = None,
    max_bytes: int | None = None,
) -> Item:
    """The article of a fetched response: an HTML page's extracted text, or plain text
    checked as a local text file is (:func:`dragoman.ingest.readers.read_text_bytes`,
    within ``max_bytes``, by default ``DRAGOMAN_MAX_ARTICLE_BYTES``). ``language`` is the
    response's ``Content-Language`` (a page's own declaration wins over it)."""
    from dragoman.ingest.html import page_article

    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("", "text/html", "application/xhtml+xml") or content.lstrip()[:1] == b"<":
        return page_article(
            content, where, url=url, published=published, source=source, language=language
        )
    if kind == "text/plain":
        return _plain_text_item(content, content_type, url, where, published, source, language,
                                max_bytes)  # fmt: skip
    return IngestError(where, f"not a web page ({kind}); not read")


def _plain_text_item(
    content: bytes,
    content_type: str,
    url: str,
    where: str,
    published: date | None,
    source: str | None,
    language: str | None,
    max_bytes: int | None,
) -> Item:
    """The article of a ``text/plain`` response: the checks of a local text file, then the
    response's metadata. A charset other than UTF-8 reads what is not UTF-8, as
    ``--encoding`` does for local files."""
    from dragoman.ingest.readers import read_text_bytes

    if max_bytes is None:
        from dragoman.settings import Settings

        max_bytes = Settings().max_article_bytes
    charset = _charset(content_type)
    if charset is not None:
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            return IngestError(where, f"not read: unknown charset {charset[:40]!r}")
        charset = None if name == "utf-8" else charset  # UTF-8 is told from the bytes
    checked = read_text_bytes(content, where, mapping.url_id(url), max_bytes, charset)
    if isinstance(checked, IngestError):
        return checked
    return mapping.article(checked.id, checked.text, where, url=url, published=published,
                           source=source, language=language)  # fmt: skip


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset=\"?([\w.-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def read_url_files(paths: Iterable[str], fetcher: Fetcher, max_bytes: int) -> Iterator[Item]:
    """The pages of the URL lists named by ``--urls``, whatever else their lines hold."""
    for name in paths:
        try:
            with open(name, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            yield IngestError(name, f"cannot read: {exc.strerror or exc}")
            continue
        if len(data) > max_bytes:
            yield IngestError(name, f"URL list is larger than {max_bytes:,} bytes")
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield IngestError(name, f"not valid UTF-8 (byte offset {exc.start})")
            continue
        yield from read_url_list(text, name, fetcher)
