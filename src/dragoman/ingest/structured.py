"""Which reader takes an input that is not plain text or JSONL, told by what its head
holds (see :mod:`dragoman.ingest.formats`), and the hand-over to it.

:data:`READERS` maps what an input looks like to its reader; a format not in it is
refused by name. The readers are imported when first needed: a run over plain text
never loads an HTML extractor.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dragoman.ingest.errors import IngestError

if TYPE_CHECKING:
    from dragoman.ingest.readers import Item, _Source

__all__ = ["READERS", "is_url_list", "read", "reader_for"]

#: What the sniffers call an input (the start of their description) -> its reader.
READERS: tuple[tuple[str, str], ...] = (
    ("an HTML page", "html"),
    ("an RSS feed", "feed"),
    ("an Atom feed", "feed"),
    ("a CSV table", "csv"),
    ("a TSV table", "tsv"),
    ("a JSON array", "json_array"),
    ("a WARC web archive", "warc"),
    ("a Parquet file", "parquet"),
    ("a URL list", "urls"),
)


def is_url_list(text: str, complete: bool = True) -> bool:
    """Whether a text (or its head) is a list of http(s) URLs, one a line."""
    from dragoman.ingest.urls import is_url_list as _is_url_list

    return _is_url_list(text, complete)


def reader_for(kind: str) -> str | None:
    """The reader of an input the sniffers call ``kind``, or None: not read."""
    for prefix, reader in READERS:
        if kind.startswith(prefix):
            return reader
    return None


def read(
    kind: str, body: io.BufferedReader, source: _Source, encoding: str, max_bytes: int
) -> Iterator[Item]:
    """The articles of one input of a structured ``kind``."""
    from dragoman.ingest.html import PAGE_SIZE_FACTOR

    reader = reader_for(kind)
    origin, options = source.origin, source.options
    columns = options.columns
    if reader in ("csv", "tsv"):
        from dragoman.ingest.tables import read_table

        delimiter = "\t" if reader == "tsv" else ","
        yield from read_table(body, origin, source.stem, delimiter, encoding, columns, max_bytes)
    elif reader == "json_array":
        from dragoman.ingest.tables import read_json_array

        yield from read_json_array(body, origin, source.stem, encoding, columns, max_bytes)
    elif reader == "parquet":
        from dragoman.ingest.tables import read_parquet

        path = source.path if source.compression is None else None
        yield from read_parquet(body, path, origin, source.stem, columns, max_bytes)
    elif reader == "warc":
        from dragoman.ingest.warc import read_warc

        yield from read_warc(body, origin, max_bytes)
    elif reader in ("html", "feed", "urls"):
        limit = max_bytes * PAGE_SIZE_FACTOR if reader != "urls" else max_bytes
        data = body.read(limit + 1)
        if len(data) > limit:
            yield IngestError(origin, f"file is too large (more than {limit:,} bytes)")
            return
        yield from _read_whole(reader, data, source, encoding)
    else:  # pragma: no cover - READERS and this function name the same readers
        yield IngestError(origin, f"looks like {kind}; not read yet")


def _read_whole(reader: str, data: bytes, source: _Source, encoding: str) -> Iterator[Item]:
    origin, options = source.origin, source.options
    if reader == "feed":
        from dragoman.ingest.feeds import read_feed

        yield from read_feed(data, origin, options.get_fetcher() if options.fetch else None)
        return
    try:
        text: str | bytes = data.decode(encoding)
    except (UnicodeError, LookupError):
        if reader == "urls":
            yield IngestError(origin, f"the URL list is not valid {encoding}")
            return
        text = data  # the extractor reads the page's own charset declaration
    if reader == "urls":
        from dragoman.ingest.urls import read_url_list

        yield from read_url_list(str(text), origin, options.get_fetcher())
        return
    from dragoman.ingest.html import page_article

    name = source.article_id(text if isinstance(text, str) else data.decode("latin-1"))
    yield page_article(text, origin, article_id=name)
