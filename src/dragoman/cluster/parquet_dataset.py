"""The Parquet dataset a cluster ingest writes: events and articles, by month.

Layout (Hive-style partitions, which DuckDB, pyarrow, Spark and Polars all read)::

    DIR/events/month=2024-05/part-<run>-000000-0.parquet     one row per event
    DIR/events/month=undated/...                              events without a date
    DIR/articles/month=2024-05/...                            one row per article

An event row has the columns of ``dragoman events --format parquet`` (the same row
function, ``dragoman.formats.parquet.parquet_row``, and the store's event id), the month
of the event's first day being the partition. An article row holds the article's text
and metadata with its annotations (actors, time expressions, places, notes: the
``dragoman annotate`` record), partitioned by the month of its publication date.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any
from urllib.parse import urlparse
from uuid import uuid4

import pyarrow as pa

from dragoman.formats.parquet import arrow_schema, parquet_row
from dragoman.records import Annotations
from dragoman.store.rows import event_id

#: The partition of events (and articles) without a date.
UNDATED = "undated"
#: Rows held before a flush writes them as files (one file per month and flush).
FLUSH_ROWS = 20_000


def month_of(day: Any) -> str:
    """``YYYY-MM`` of a date, or :data:`UNDATED`."""
    return day.strftime("%Y-%m") if day is not None else UNDATED


@cache
def event_schema() -> pa.Schema:
    """The columns of an event row: the export's, then the partition column."""
    return arrow_schema(False).append(pa.field("month", pa.string()))


@cache
def article_schema() -> pa.Schema:
    """The columns of an article row (the ``dragoman annotate`` record and metadata)."""
    events = arrow_schema(False)
    actor = events.field("source").type.value_type
    place = events.field("location").type
    time = pa.struct(
        [
            ("text", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("type", pa.string()),
            ("value", pa.string()),
            ("date_start", pa.date32()),
            ("date_end", pa.date32()),
            ("precision", pa.string()),
        ]
    )
    return pa.schema(
        [
            ("article_id", pa.string()),
            ("published", pa.date32()),
            ("published_estimated", pa.bool_()),
            ("title", pa.string()),
            ("url", pa.string()),
            ("source", pa.string()),
            ("language", pa.string()),
            ("origin", pa.string()),
            ("text", pa.string()),
            ("events", pa.int32()),
            ("notes", pa.list_(pa.string())),
            ("actors", pa.list_(actor)),
            ("times", pa.list_(time)),
            ("places", pa.list_(place)),
            ("month", pa.string()),
        ]
    )


def event_rows(annotations: Annotations) -> list[dict[str, Any]]:
    """The event rows of an article: as the store keeps them, an event found twice in one
    article (same words, code and actors, hence the same id) once."""
    out = []
    seen: set[str] = set()
    for event in annotations.events:
        key = event_id(event)
        if key in seen:
            continue
        seen.add(key)
        row = parquet_row({**event.to_dict(), "event_id": key}, merged=False)
        row["month"] = month_of(event.date_start)
        out.append(row)
    return out


def article_row(annotations: Annotations) -> dict[str, Any]:
    """The article row of an article."""
    article = annotations.article
    record = annotations.to_dict()
    return {
        "article_id": article.id,
        "published": article.published,
        "published_estimated": bool(article.published_estimated),
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "language": article.language,
        "origin": article.origin,
        "text": article.text,
        "events": len({event_id(e) for e in annotations.events}),
        "notes": record["notes"],
        "actors": record["actors"],
        # The records themselves, not ``to_dict()``: their dates stay dates for Parquet.
        "times": [asdict(t) for t in annotations.times],
        "places": record["places"],
        "month": month_of(article.published),
    }


def filesystem_of(root: str):
    """(pyarrow filesystem, path) of a folder named by a path or a URI."""
    import pyarrow.fs as pafs

    if urlparse(root).scheme in ("", "file") and "://" not in root:
        return pafs.LocalFileSystem(), root
    return pafs.FileSystem.from_uri(root)


class OutputExists(ValueError):
    """The output folder already holds files: writing there would mix two runs."""


class ParquetDataset:
    """Events and articles written batch by batch under one folder (see the module doc).

    The folder must be new or empty, so a dataset is the output of one run: re-running
    into it would store every event twice.
    """

    def __init__(self, root: str, flush_rows: int = FLUSH_ROWS) -> None:
        import pyarrow.fs as pafs

        self.filesystem, self.root = filesystem_of(root)
        info = self.filesystem.get_file_info(self.root)
        if info.type == pafs.FileType.File:
            raise OutputExists(f"{root} is a file; --output-parquet names a folder")
        if info.type == pafs.FileType.Directory and self.filesystem.get_file_info(
            pafs.FileSelector(self.root, recursive=False)
        ):
            raise OutputExists(f"{root} already holds files; name a new or empty folder")
        self.filesystem.create_dir(self.root, recursive=True)
        self.run = uuid4().hex[:12]
        self.flush_rows = flush_rows
        self._events: list[dict[str, Any]] = []
        self._articles: list[dict[str, Any]] = []
        self._flushes = 0
        self.event_count = 0
        self.article_count = 0

    def add(self, annotations: Annotations) -> None:
        """Keep an article's rows; written at the next flush."""
        self._events.extend(event_rows(annotations))
        self._articles.append(article_row(annotations))
        if len(self._events) + len(self._articles) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        """Write the rows kept so far, one file per month in each of the two tables."""
        template = f"part-{self.run}-{self._flushes:06d}-{{i}}.parquet"
        for name, rows, schema in (
            ("events", self._events, event_schema()),
            ("articles", self._articles, article_schema()),
        ):
            if not rows:
                continue
            self._write(name, pa.Table.from_pylist(rows, schema=schema), template)
        self.event_count += len(self._events)
        self.article_count += len(self._articles)
        self._events, self._articles = [], []
        self._flushes += 1

    def _write(self, name: str, table: pa.Table, template: str) -> None:
        import pyarrow.dataset as pads

        pads.write_dataset(
            table,
            f"{self.root.rstrip('/')}/{name}",
            filesystem=self.filesystem,
            format="parquet",
            partitioning=pads.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
            basename_template=template,
            existing_data_behavior="overwrite_or_ignore",
            file_options=pads.ParquetFileFormat().make_write_options(compression="zstd"),
        )

    def close(self) -> None:
        """Write what is left."""
        self.flush()
