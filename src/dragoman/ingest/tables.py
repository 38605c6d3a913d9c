"""Articles from tables and JSON arrays: CSV, TSV and Parquet exports of news APIs and
archives, and JSON arrays of article objects.

Each row (or object) is one article. Its fields are found in the columns that
``--columns id=...,text=...`` names, else in the columns usually so named
(:data:`COLUMN_NAMES`, matched without regard to case). A table with no text column is
one error naming the columns it has; a bad row is one error naming its line (or its
index in a JSON array), and the rows after it are read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from dragoman.ingest import mapping
from dragoman.ingest.errors import IngestError
from dragoman.ingest.options import COLUMN_FIELDS
from dragoman.records import Article

#: The column names each article field is looked for under, most usual first.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "story_id", "doc_id", "document_id", "guid", "uid"),
    "text": ("text", "body", "content", "article", "maintext", "full_text", "article_text",
             "story", "description"),
    "published": ("published", "date", "publish_date", "published_at", "date_published",
                  "date_publish", "pubdate", "pub_date", "datetime", "seendate", "timestamp"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "sourceurl", "uri", "web_url"),
    "source": ("source", "outlet", "publisher", "source_name", "domain", "sitename", "site"),
    "language": ("language", "lang", "locale"),
}  # fmt: skip

#: Largest JSON array or compressed Parquet file read (it is held in memory whole).
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024

Item = Article | IngestError


def resolve_columns(names: Iterable[str], chosen: dict[str, str]) -> dict[str, str] | str:
    """Article field -> column name of a table with the columns ``names``, or why it
    cannot be read (no text column). A column ``--columns`` names is taken where the
    table has it; a field whose named column it lacks (one mapping serves every table of
    a run) is looked for under its usual names."""
    present = list(names)
    by_lower = {name.strip().lower(): name for name in present}
    found: dict[str, str] = {}
    for field, column in chosen.items():
        if column in present or column.lower() in by_lower:
            found[field] = column if column in present else by_lower[column.lower()]
    taken = set(found.values())
    for field in COLUMN_FIELDS:
        if field in found:
            continue
        for candidate in COLUMN_NAMES[field]:
            if candidate in by_lower and by_lower[candidate] not in taken:
                found[field] = by_lower[candidate]
                taken.add(found[field])
                break
    if "text" not in found:
        named = f"no column {chosen['text']!r} and " if "text" in chosen else ""
        return (
            f"{named}no text column; name it with --columns text=COLUMN "
            f"(columns: {_listed(present)})"
        )
    return found


def _listed(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:12])
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def row_article(
    row: dict[str, Any], columns: dict[str, str], origin: str, default_id: str, max_bytes: int
) -> Item:
    """The article of one row (or JSON object), or why it is refused."""
    values = {field: row.get(column) for field, column in columns.items()}
    text = values.get("text")
    if not isinstance(text, str):
        return IngestError(origin, f"the text ({columns['text']!r}) is missing or not text")
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return IngestError(origin, f"text is too large (the limit is {max_bytes:,} bytes)")
    article_id = values.get("id")
    if article_id is None or article_id == "":
        article_id = default_id
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int)):
        return IngestError(origin, f"the id ({columns['id']!r}) must be text or a whole number")
    fields: dict[str, str | None] = {}
    for field in ("title", "url", "source", "language"):
        value = values.get(field)
        if value is not None and not isinstance(value, str):
            return IngestError(origin, f"{field} ({columns[field]!r}) must be text")
        fields[field] = value or None
    try:
        published = mapping.parse_date(values.get("published"))
    except ValueError as exc:
        return IngestError(origin, f"bad date in {columns['published']!r}: {exc}")
    return mapping.article(str(article_id).strip(), text, origin, published=published, **fields)


# -- CSV and TSV --------------------------------------------------------------------------


def read_table(
    body: io.BufferedReader,
    origin: str,
    stem: str,
    delimiter: str,
    encoding: str,
    chosen: dict[str, str],
    max_bytes: int,
) -> Iterator[Item]:
    """Rows of a CSV (``delimiter`` ``,``) or TSV (``\\t``) table under a header line."""
    if csv.field_size_limit() < max_bytes + 1:
        csv.field_size_limit(max_bytes + 1)  # a row's text may be as long as an article
    text = io.TextIOWrapper(body, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            yield IngestError(origin, "empty table")
            return
        columns = resolve_columns(header, chosen)
        if isinstance(columns, str):
            yield IngestError(f"{origin}:1", columns)
            return
        number = 0
        for number, cells in enumerate(reader, start=1):
            where = f"{origin}:{reader.line_num}"
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield IngestError(
                    where, f"the row has {len(cells)} fields; the header has {len(header)}"
                )
                continue
            yield row_article(
                dict(zip(header, cells, strict=True)), columns, where, f"{stem}-{number}", max_bytes
            )
        if number == 0:
            yield IngestError(origin, "the table has a header and no rows")
    except csv.Error as exc:
        yield IngestError(
            f"{origin}:{reader.line_num}", f"malformed table: {exc}; the rows after it are not read"
        )
    except UnicodeError as exc:
        yield IngestError(
            f"{origin}:{reader.line_num + 1}",
            f"not valid {encoding} ({' '.join(str(exc).split())[:120]}); "
            "the rows after it are not read",
        )


# -- JSON arrays --------------------------------------------------------------------------


def read_json_array(
    body: io.BufferedReader,
    origin: str,
    stem: str,
    encoding: str,
    chosen: dict[str, str],
    max_bytes: int,
) -> Iterator[Item]:
    """A JSON array of article objects (``[{"id": ..., "text": ...}, ...]``), each object a
    row whose keys are its columns. Errors name the object by its index: ``file[3]``."""
    from dragoman.ingest import readers

    data = body.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield IngestError(origin, f"JSON array is larger than {MAX_DOCUMENT_BYTES:,} bytes")
        return
    try:
        document = json.loads(
            data.decode(encoding),
            object_pairs_hook=readers._no_duplicates,
            parse_int=readers._bounded_int,
            parse_float=readers._bounded_float,
            parse_constant=readers._no_constant,
        )
    except json.JSONDecodeError as exc:
        yield IngestError(
            f"{origin}:{exc.lineno}", f"malformed JSON: {exc.msg} at column {exc.colno}"
        )
        return
    except readers._Refused as exc:
        yield IngestError(origin, f"malformed JSON array: {exc}")
        return
    except RecursionError:
        yield IngestError(origin, "malformed JSON array: nested too deeply")
        return
    except (UnicodeError, ValueError) as exc:
        yield IngestError(origin, f"malformed JSON array: {' '.join(str(exc).split())[:160]}")
        return
    if not isinstance(document, list):
        yield IngestError(origin, "not a JSON array of article objects")
        return
    if not document:
        yield IngestError(origin, "empty JSON array")
        return
    for index, record in enumerate(document):
        where = f"{origin}[{index}]"
        if not isinstance(record, dict):
            yield IngestError(where, "expected a JSON object (an article)")
            continue
        columns = resolve_columns(record, chosen)
        if isinstance(columns, str):
            yield IngestError(where, columns)
            continue
        yield row_article(record, columns, where, f"{stem}-{index + 1}", max_bytes)


# -- Parquet ------------------------------------------------------------------------------


def read_parquet(
    body: io.BufferedReader,
    path: Any,
    origin: str,
    stem: str,
    chosen: dict[str, str],
    max_bytes: int,
) -> Iterator[Item]:
    """Rows of a Parquet file, read a batch at a time (only the mapped columns). A file on
    disk is read in place; compressed or piped Parquet is first held in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path is None:
        data = body.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            yield IngestError(origin, f"Parquet data is larger than {MAX_DOCUMENT_BYTES:,} bytes")
            return
        path = io.BytesIO(data)
    try:
        table = pq.ParquetFile(path)
        columns = resolve_columns(table.schema_arrow.names, chosen)
        if isinstance(columns, str):
            yield IngestError(origin, columns)
            return
        number = 0
        wanted = sorted(set(columns.values()))
        for batch in table.iter_batches(batch_size=256, columns=wanted):
            for row in batch.to_pylist():
                number += 1
                yield row_article(
                    row, columns, f"{origin}:row {number}", f"{stem}-{number}", max_bytes
                )
        if number == 0:
            yield IngestError(origin, "the Parquet file has no rows")
    except (pa.ArrowException, OSError) as exc:
        yield IngestError(origin, f"damaged Parquet file ({' '.join(str(exc).split())[:160]})")
