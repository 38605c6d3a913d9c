"""Export formats of stored events, in one registry (see ``registry.py``).

>>> from dragoman.formats import format_names             # doctest: +SKIP
>>> format_names("web")
['jsonl', 'csv', 'plover', 'plover-jsonl', 'gdelt', 'icews', 'parquet']

A new format is one :func:`register` call: it then appears among the choices of
``dragoman events --format``, the values of ``GET /api/events?format=`` and the
explorer's export links; docs/output.md gives each format a section (a test checks it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO, TextIO

from dragoman.formats.articles import store_articles
from dragoman.formats.builtin import BUILTIN
from dragoman.formats.gdelt import GDELT, GDELT_COLUMNS
from dragoman.formats.icews import ICEWS, ICEWS_COLUMNS
from dragoman.formats.parquet import PARQUET
from dragoman.formats.plover import PLOVER_JSONL, plover_record, plover_schema
from dragoman.formats.registry import (
    SURFACES,
    Event,
    ExportContext,
    ExportFormat,
    export_formats,
    format_names,
    get_format,
    markdown_table,
    register,
    unregister,
)

for _export in (*BUILTIN, PLOVER_JSONL, GDELT, ICEWS, PARQUET):
    register(_export, replace=True)


def write_export(
    export: ExportFormat,
    events: Iterable[Event],
    out: TextIO | BinaryIO,
    context: ExportContext | None = None,
) -> None:
    """Write ``events`` in ``export`` to ``out``: a text stream (bytes of a binary format go
    to its ``buffer``) or a binary file."""
    context = context or ExportContext()
    text_out = hasattr(out, "encoding")
    for chunk in export.chunks(events, context):
        if isinstance(chunk, bytes) and text_out:
            out.flush()
            out.buffer.write(chunk)  # type: ignore[union-attr]
        elif isinstance(chunk, str) and not text_out:
            out.write(chunk.encode("utf-8"))  # type: ignore[arg-type]
        else:
            out.write(chunk)  # type: ignore[arg-type]
    out.flush()
    if text_out and export.binary:
        out.buffer.flush()  # type: ignore[union-attr]


__all__ = [
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "SURFACES",
    "ExportContext",
    "ExportFormat",
    "export_formats",
    "format_names",
    "get_format",
    "markdown_table",
    "plover_record",
    "plover_schema",
    "register",
    "store_articles",
    "unregister",
    "write_export",
]
