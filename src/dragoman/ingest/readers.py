"""Reading articles from files, folders, JSONL records and standard input.

Every reader yields either an :class:`Article` or an :class:`IngestError`; a bad
input never stops the batch.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from dragoman.ingest.errors import IngestError
from dragoman.ingest.metadata import read_text_metadata
from dragoman.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
DEFAULT_MAX_BYTES = 2_000_000
#: Plain text read from standard input has no name to take an id from: its id is
#: this prefix plus the first ``STDIN_HASH_DIGITS`` hex digits of the SHA-256 of the text.
STDIN_ID_PREFIX = "stdin-"
STDIN_HASH_DIGITS = 12

Item = Article | IngestError


def make_article(
    article_id: str,
    text: str,
    *,
    published: date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    origin: str = "",
) -> Article:
    """Build an Article, reading metadata lines and boilerplate from its text.

    A publication date given by the record wins over one written in the text.
    """
    meta = read_text_metadata(text)
    return Article(
        id=article_id,
        text=text,
        published=published or meta.published,
        published_estimated=False,
        title=title or meta.title,
        url=url,
        source=source,
        origin=origin,
        boilerplate=meta.boilerplate,
        title_span=meta.title_span,
    )


def parse_published(value: Any) -> date | None:
    """Parse a record's ``published`` value: ISO date or datetime, or null."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(  # noqa: TRY004 - callers report every bad value the same way
            f"'published' must be an ISO date string, got {type(value).__name__}"
        )
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value[:10])


def _too_large(origin: str, what: str, size: int, max_bytes: int) -> IngestError:
    return IngestError(origin, f"{what} is too large ({size:,} bytes; the limit is {max_bytes:,})")


def _decode(data: bytes, origin: str, max_bytes: int) -> str | IngestError:
    """Bytes to text, or the reason they are not an article."""
    if len(data) > max_bytes:
        return _too_large(origin, "file", len(data), max_bytes)
    if not data.strip():
        return IngestError(origin, "empty file")
    if b"\x00" in data[:8192]:
        return IngestError(origin, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return IngestError(
            f"{origin}:{line}",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        )


def read_text_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """One plain-text file is one article whose id is the file name without extension."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _too_large(origin, "file", size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        return IngestError(origin, f"cannot read: {exc.strerror or exc}")
    text = _decode(data, origin, max_bytes)
    if isinstance(text, IngestError):
        return text
    return make_article(path.stem, text, origin=origin)


def read_jsonl_lines(
    lines: Iterable[bytes], name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """Records ``{id, text, published?, title?, url?, source?}``, one per line."""
    for number, raw in enumerate(lines, start=1):
        origin = f"{name}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield _too_large(origin, "record", len(raw), max_bytes)
            continue
        try:
            line = raw.decode("utf-8-sig") if number == 1 else raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(origin, f"not valid UTF-8 (byte offset {exc.start} in the line)")
            continue
        # Without its line break, the record is one line of JSON, so the error's
        # position in it is the column (in characters) where the JSON goes wrong.
        line = line.rstrip("\r\n")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(origin, f"malformed JSON: {exc.msg} at column {exc.pos + 1}")
            continue
        yield _article_from_record(record, origin)


def _article_from_record(record: Any, origin: str) -> Item:
    if not isinstance(record, dict):
        return IngestError(origin, "malformed record: expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return IngestError(origin, "malformed record: 'text' is missing or not a string")
    if not text.strip():
        return IngestError(origin, "empty text")
    article_id = record.get("id")
    if article_id is None or isinstance(article_id, (dict, list)) or str(article_id).strip() == "":
        return IngestError(origin, "malformed record: 'id' is missing")
    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        return IngestError(origin, f"malformed record: bad 'published' value ({exc})")
    optional = {}
    for key in ("title", "url", "source"):
        value = record.get(key)
        optional[key] = str(value) if value is not None else None
    return make_article(str(article_id), text, published=published, origin=origin, **optional)


def read_jsonl_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Stream a JSONL file; each bad line is one error, the rest go on."""
    try:
        with path.open("rb") as handle:
            yield from read_jsonl_lines(handle, str(path), max_bytes)
    except OSError as exc:
        yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")


def read_stream(
    stream: BinaryIO, name: str = "<stdin>", max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """Standard input: JSONL when its first character is ``{``, else one plain-text article.

    A plain-text article's id is :func:`stdin_id` of its text, so different texts
    never share an id.
    """
    data = stream.read()
    if data.lstrip().startswith(b"{"):
        yield from read_jsonl_lines(data.splitlines(), name, max_bytes)
        return
    text = _decode(data, name, max_bytes)
    if isinstance(text, IngestError):
        yield text
    else:
        yield make_article(stdin_id(text), text, origin=name)


def stdin_id(text: str) -> str:
    """The id of a plain-text article read from standard input: ``stdin-`` and a short
    hash of its text (the same text always gets the same id)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return STDIN_ID_PREFIX + digest[:STDIN_HASH_DIGITS]


def _files_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
    )


def read_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Read every article named by ``paths``: files, folders (recursively) or ``-`` for stdin."""
    for raw in paths:
        if str(raw) == "-":
            yield from read_stream(sys.stdin.buffer, max_bytes=max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            files = _files_in(path)
            if not files:
                yield IngestError(str(path), "folder holds no .txt or .jsonl files")
            for file in files:
                yield from _read_file(file, max_bytes)
        elif path.exists():
            yield from _read_file(path, max_bytes)
        else:
            yield IngestError(str(path), "no such file or folder")


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl_file(path, max_bytes)
    else:
        yield read_text_file(path, max_bytes)
