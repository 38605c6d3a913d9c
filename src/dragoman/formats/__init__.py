"""Export formats of stored events, in one registry (see ``registry.py``).

>>> from dragoman.formats import format_names             # doctest: +SKIP
>>> format_names("web")
['jsonl', 'csv', 'plover', 'plover-jsonl', 'gdelt', 'icews', 'parquet']

A new format is one :func:`register` call: it then appears among the choices of
``dragoman events --format``, the values of ``GET /api/events?format=`` and the
explorer's export links; each format has a page in docs/outputs/ (a test checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO, TextIO

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

if TYPE_CHECKING:
    from rich.console import Console

    from dragoman.formats.registry import ArticleLookup

for _export in (*BUILTIN, PLOVER_JSONL, GDELT, ICEWS, PARQUET):
    register(_export, replace=True)


class _Counted:
    """The events as they pass, counted (an export streams them once)."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = events
        self.count = 0

    def __iter__(self) -> Iterator[Event]:
        for event in self.events:
            self.count += 1
            yield event


def write_export(
    export: ExportFormat,
    events: Iterable[Event],
    out: TextIO | BinaryIO,
    context: ExportContext | None = None,
) -> int:
    """Write ``events`` in ``export`` to ``out``: a text stream (bytes of a binary format go
    to its ``buffer``) or a binary file. Returns how many events were written.

    ``events`` may be a stream (``Store.iter_events``): it is read once, chunk by chunk,
    and every format but the terminal table keeps only a batch of events at a time."""
    context = context or ExportContext()
    text_out = hasattr(out, "encoding")
    counted = _Counted(events)
    for chunk in export.chunks(counted, context):
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
    return counted.count


def export_events(
    name: str,
    events: Iterable[Event],
    out: TextIO | BinaryIO,
    *,
    merged: bool = False,
    article: ArticleLookup | None = None,
    console: Console | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write ``events`` in the command-line format called ``name`` to ``out`` and return how
    many were written. The table goes to ``console``; what an encoder says about left-out
    events is appended to ``notes``."""
    export = get_format(name, surface="cli")
    if export is None:
        raise ValueError(f"unknown output format {name!r}")
    context = ExportContext(merged=merged, console=console if export.name == "table" else None)
    if article is not None:
        context.article = article
    written = write_export(export, events, out, context)
    if notes is not None:
        notes.extend(context.notes)
    return written


__all__ = [
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "SURFACES",
    "ExportContext",
    "ExportFormat",
    "export_events",
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
