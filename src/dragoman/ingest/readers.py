"""Reading articles from files, folders, JSONL records and standard input.

Every reader yields either an :class:`Article` or an :class:`IngestError`; a bad
input never stops the batch. An input is told by its content, not its name: compressed
data (gzip, bzip2, zstd, xz) is decompressed as it is read, its encoding is told from a
byte-order mark or the place of its NUL bytes (or declared), content opening with ``{``
is JSONL, web pages, feeds, tables, JSON arrays, WARC archives, Parquet files and URL
lists go to their own readers (:mod:`dragoman.ingest.structured`), and formats Dragoman
does not read (XML, JSON documents, zip, PDF...) are refused by name, never read as an
article's text.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from dragoman.ingest import checks, formats, structured
from dragoman.ingest.errors import IngestError
from dragoman.ingest.language import normalize_language
from dragoman.ingest.metadata import read_text_metadata
from dragoman.ingest.options import ReadOptions
from dragoman.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Endings of the other files a folder's files are read from (each still told by content).
STRUCTURED_SUFFIXES = {
    ".html",
    ".htm",
    ".xhtml",
    ".xml",
    ".rss",
    ".atom",
    ".csv",
    ".tsv",
    ".json",
    ".warc",
    ".parquet",
    ".urls",
}
COMPRESSED_SUFFIXES = set(formats.COMPRESSED_SUFFIXES)
DEFAULT_MAX_BYTES = 2_000_000
#: Plain text read from standard input has no name to take an id from: its id is
#: this prefix plus the first ``STDIN_HASH_DIGITS`` hex digits of the SHA-256 of the text.
STDIN_ID_PREFIX = "stdin-"
STDIN_HASH_DIGITS = 12
#: A JSON number with more digits than this is refused (no field of a record needs one,
#: and converting a huge one costs time).
MAX_NUMBER_DIGITS = 100

Item = Article | IngestError

#: What reading damaged compressed data raises (gzip, bzip2 and xz raise OSError or
#: EOFError; zlib and zstd their own errors, caught by name below).
_DAMAGED = (OSError, EOFError, ValueError)


def make_article(
    article_id: str,
    text: str,
    *,
    published: date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
    origin: str = "",
) -> Article:
    """Build an Article, reading metadata lines and boilerplate from its text.

    A publication date given by the record wins over one written in the text. The
    ``language`` the source declares is normalised to an ISO 639-1 code (``en-US`` ->
    ``en``); a tag naming no language is dropped.
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
        language=normalize_language(language),
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
    if len(value) > 64:
        raise ValueError(f"'published' is {len(value):,} characters long, not a date")
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value[:10])


def _too_large(origin: str, what: str, size: int, max_bytes: int) -> IngestError:
    return IngestError(origin, f"{what} is too large ({size:,} bytes; the limit is {max_bytes:,})")


# -- byte streams ----------------------------------------------------------------------


class _Joined(io.RawIOBase):
    """Bytes already read (a head, looked at to tell the format) followed by the rest of
    the stream they came from, or by the error that stopped the head's reading."""

    def __init__(self, head: bytes, rest: BinaryIO, error: Exception | None = None) -> None:
        self._head = head
        self._at = 0
        self._rest = rest
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._at < len(self._head):
            size = min(len(buffer), len(self._head) - self._at)
            buffer[:size] = self._head[self._at : self._at + size]
            self._at += size
            return size
        if self._error is not None:
            raise self._error
        data = _read_some(self._rest, len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_some(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes with one read of what lies under ``stream``: what a reader of
    damaged compressed data had before the damage is returned, not lost with the error."""
    read1 = getattr(stream, "read1", None)
    return read1(size) if read1 is not None else stream.read(size)


def _joined(head: bytes, rest: BinaryIO, error: Exception | None = None) -> io.BufferedReader:
    return io.BufferedReader(_Joined(head, rest, error))


def _read_head(stream: BinaryIO) -> tuple[bytes, Exception | None]:
    """The first :data:`formats.SNIFF_BYTES` bytes of ``stream`` (fewer at its end), and the
    error of damaged compressed data met on the way, if any: what came before the damage
    is still read (the records of a cut JSONL file up to the cut)."""
    pieces: list[bytes] = []
    size = 0
    while size < formats.SNIFF_BYTES:
        try:
            piece = _read_some(stream, min(8192, formats.SNIFF_BYTES - size))
        except Exception as exc:  # damaged data of any codec, met after what was read
            if not _is_damage(exc):
                raise
            return b"".join(pieces), exc
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces), None


def _damage(exc: BaseException, kind: str | None) -> str:
    """A one-line reason for a read that failed inside compressed data (or the file)."""
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    if kind is None:
        return f"cannot read: {detail}"
    return f"{kind}-compressed data is damaged or cut short ({detail})"


def _is_damage(exc: Exception) -> bool:
    if isinstance(exc, _DAMAGED):
        return True
    module = type(exc).__module__ or ""
    return module.startswith(("zlib", "zstandard", "_lzma", "lzma", "_bz2"))


# -- one source: a file or standard input -----------------------------------------------


class _Source:
    """One input being read: where it is, what it is called, how big it is."""

    def __init__(
        self,
        origin: str,
        article_id: Callable[[str], str],
        *,
        jsonl_name: bool = False,
        size: int | None = None,
        path: Path | None = None,
        options: ReadOptions | None = None,
        plain_text: bool = False,
    ) -> None:
        self.origin = origin
        self.article_id = article_id
        self.jsonl_name = jsonl_name
        self.size = size
        self.compression: str | None = None
        #: The file, when the input is one (a Parquet file is read from it in place).
        self.path = path
        #: What the rows of a table are called when they have no id: ``news-1``...
        self.stem = path.name.split(".")[0] if path is not None else "stdin"
        self.options = options or ReadOptions()
        #: The input is said to be one plain-text article (a fetched ``text/plain`` page):
        #: it passes a text file's checks but is never read as JSONL, a table or a page.
        self.plain_text = plain_text


def _read_source(
    stream: BinaryIO, source: _Source, max_bytes: int, encoding: str | None
) -> Iterator[Item]:
    """Everything ``stream`` holds: one article, JSONL records, or the reason it holds none."""
    origin = source.origin
    head, damage = _read_head(stream)
    kind = formats.compression_of(head) if damage is None else None
    if kind is not None:
        source.compression = kind
        try:
            stream = formats.decompressing(_joined(head, stream), kind)
        except formats.CompressionUnavailable as exc:
            yield IngestError(origin, str(exc))
            return
        head, damage = _read_head(stream)
        inner = formats.compression_of(head)
        if inner is not None:
            yield IngestError(origin, f"{kind}-compressed {inner} data; not read")
            return
    if damage is not None and not head:
        yield IngestError(origin, _damage(damage, source.compression))
        return
    body = _joined(head, stream, damage)
    yield from _read_content(body, head, source, max_bytes, encoding)


def _read_content(
    body: io.BufferedReader, head: bytes, source: _Source, max_bytes: int, encoding: str | None
) -> Iterator[Item]:
    origin = source.origin
    # Whitespace alone, or nothing (a longer file of blanks is found empty below).
    if not head.strip() and len(head) < formats.SNIFF_BYTES:
        yield IngestError(origin, "empty file")
        return
    what = formats.binary_kind(head)
    if what is not None:
        if structured.reader_for(what) is not None and not source.plain_text:
            yield from structured.read(what, body, source, encoding or "utf-8", max_bytes)
            return
        yield IngestError(origin, f"looks like {what}; not read yet")
        return
    chosen = formats.encoding_of(head, encoding)
    if chosen is None and (source.jsonl_name or head.lstrip().startswith(b"{")):
        chosen = "utf-8-sig"  # JSONL: a line holding a NUL byte is that line's error
    # A declared encoding reads what is not UTF-8: UTF-8 is told by its bytes.
    fallback = encoding if encoding and chosen == "utf-8-sig" else None
    if chosen is None:
        yield IngestError(origin, "binary file (contains NUL bytes), not text")
        return
    if source.plain_text:
        yield _text_article(body, source, chosen, max_bytes, fallback)
        return
    complete = len(head) < formats.SNIFF_BYTES
    head_text = formats.decode_head(head, chosen)
    what = formats.text_kind(head_text, complete=complete)
    if what is not None:
        if structured.reader_for(what) is not None:
            yield from structured.read(what, body, source, chosen, max_bytes)
            return
        yield IngestError(origin, f"looks like {what}; not read yet")
        return
    if not source.jsonl_name and structured.is_url_list(head_text, complete):
        yield from structured.read("a URL list", body, source, chosen, max_bytes)
        return
    if source.jsonl_name or formats.looks_like_json(head_text):
        yield from _jsonl_records(body, source, chosen, max_bytes, fallback)
    else:
        yield _text_article(body, source, chosen, max_bytes, fallback)


def _text_article(
    body: io.BufferedReader, source: _Source, encoding: str, max_bytes: int, fallback: str | None
) -> Item:
    """The whole input as one article."""
    origin = source.origin
    if source.compression is None and source.size is not None and source.size > max_bytes:
        return _too_large(origin, "file", source.size, max_bytes)
    try:
        data = body.read(max_bytes + 1)
    except Exception as exc:  # damaged data of any codec is one error
        if not _is_damage(exc):
            raise
        return IngestError(origin, _damage(exc, source.compression))
    if len(data) > max_bytes:
        where = " once decompressed" if source.compression else ""
        return IngestError(
            origin,
            f"file is too large (more than {max_bytes:,} bytes{where}; the limit is {max_bytes:,})",
        )
    text = _decode(data, origin, encoding, fallback)
    if isinstance(text, IngestError):
        return text
    if "\x00" in text:
        return IngestError(origin, "binary file (contains NUL bytes), not text")
    if not text.strip():
        return IngestError(origin, "empty file")
    index = checks.first_forbidden(text)
    if index is not None:
        line, column = checks.line_and_column(text, index)
        return IngestError(
            f"{origin}:{line}",
            f"refused: the text contains {checks.describe(text[index])} at column {column}"
            f"{checks.why(text[index])}",
        )
    article_id = source.article_id(text)
    problem = checks.id_problem(article_id)
    if problem:
        return IngestError(origin, f"refused: the file name is no article id ({problem})")
    return make_article(article_id, text, origin=origin)


def _decode(data: bytes, origin: str, encoding: str, fallback: str | None) -> str | IngestError:
    """Bytes to text, or where and why they are not in ``encoding`` (nor in ``fallback``,
    the declared encoding of what is not UTF-8)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if fallback:
            return _decode(data, origin, fallback, None)
        line = data[: exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding == "utf-8-sig" else encoding
        hint = (
            "; name its encoding with --encoding (e.g. --encoding latin-1)"
            if encoding == "utf-8-sig"
            else ""
        )
        return IngestError(
            f"{origin}:{line}",
            f"not valid {name} (byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}",
        )
    except UnicodeError as exc:  # a codec's own complaint (utf-16 with an odd length...)
        return IngestError(origin, f"not valid {encoding} ({' '.join(str(exc).split())[:200]})")


# -- JSONL ---------------------------------------------------------------------------


def _jsonl_records(
    body: io.BufferedReader,
    source: _Source,
    encoding: str,
    max_bytes: int,
    fallback: str | None = None,
) -> Iterator[Item]:
    """Records ``{id, text, published?, title?, url?, source?}``, one per line; each bad
    line is one error and the rest go on. A line longer than ``max_bytes`` is never held
    in memory whole."""
    if formats.ascii_compatible(encoding):
        lines = _byte_lines(body, max_bytes)
    else:
        lines = _text_lines(body, encoding, max_bytes)
    number = 0
    seen = False
    try:
        for number, line in lines:
            item = _line_item(line, f"{source.origin}:{number}", encoding, max_bytes, fallback)
            if item is not None:
                seen = True
                yield item
    except Exception as exc:  # damaged data of any codec is one error
        if not (_is_damage(exc) or isinstance(exc, UnicodeError)):
            raise
        reason = (
            f"not valid {encoding} ({' '.join(str(exc).split())[:200]})"
            if isinstance(exc, UnicodeError)
            else _damage(exc, source.compression)
        )
        yield IngestError(
            f"{source.origin}:{number + 1}", f"{reason}; the lines after it are not read"
        )
        return
    if not seen:
        yield IngestError(source.origin, "empty file")


def _line_item(
    line: bytes | str | int, origin: str, encoding: str, max_bytes: int, fallback: str | None
) -> Item | None:
    """The article or error of one JSONL line (None for a blank line)."""
    if isinstance(line, int):
        return _too_large(origin, "record", line, max_bytes)
    if isinstance(line, bytes):
        if not line.strip():
            return None
        try:
            line = line.decode(encoding)
        except UnicodeDecodeError as exc:
            try:
                if not fallback:
                    raise
                line = line.decode(fallback)
            except UnicodeDecodeError:
                name = "UTF-8" if encoding == "utf-8-sig" else encoding
                also = f" nor {fallback}" if fallback else ""
                return IngestError(
                    origin, f"not valid {name}{also} (byte offset {exc.start} in the line)"
                )
    line = line.lstrip("\ufeff").rstrip("\r\n")
    if not line.strip():
        return None
    return _record_item(line, origin)


def _byte_lines(body: io.BufferedReader, max_bytes: int) -> Iterator[tuple[int, bytes | int]]:
    """(number, line) for each line; ``line`` is the byte count of a line too long to read."""
    number = 0
    while True:
        line = body.readline(max_bytes + 2)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and len(line.rstrip(b"\r\n")) > max_bytes:
            size = len(line)
            while not line.endswith(b"\n"):
                line = body.readline(1 << 20)
                if not line:
                    break
                size += len(line)
            yield number, size
            continue
        yield number, line


def _text_lines(
    body: io.BufferedReader, encoding: str, max_bytes: int
) -> Iterator[tuple[int, str | int]]:
    """Lines of a file in UTF-16 or UTF-32, as text (their line breaks are not one byte)."""
    reader = io.TextIOWrapper(body, encoding=encoding, errors="strict", newline="\n")
    number = 0
    while True:
        line = reader.readline(max_bytes + 2)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and len(line.rstrip("\r\n")) > max_bytes:
            size = len(line)
            while not line.endswith("\n"):
                line = reader.readline(1 << 20)
                if not line:
                    break
                size += len(line)
            yield number, size
            continue
        yield number, line


class _Refused(ValueError):
    """A JSON value no record may hold; its message says which."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise _Refused(f"duplicate key {key[:40]!r}")
        record[key] = value
    return record


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number with {len(digits):,} digits")
    return int(digits)


def _bounded_float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number with {len(digits):,} digits")
    return float(digits)


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name}, which is not JSON")


def _record_item(line: str, origin: str) -> Item:
    # The line is one line of JSON, so the error's position in it is the column (in
    # characters) where the JSON goes wrong.
    try:
        record = json.loads(
            line,
            object_pairs_hook=_no_duplicates,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        what = exc.msg.removesuffix(" at")  # "Invalid control character at"
        return IngestError(origin, f"malformed JSON: {what} at column {exc.pos + 1}")
    except _Refused as exc:
        return IngestError(origin, f"malformed record: {exc}")
    except RecursionError:
        return IngestError(origin, "malformed record: JSON nested too deeply")
    except ValueError as exc:
        return IngestError(origin, f"malformed JSON: {' '.join(str(exc).split())[:200]}")
    return _article_from_record(record, origin)


_OPTIONAL = ("title", "url", "source")
#: The keys a record's language is read from, the first present winning.
_LANGUAGE_KEYS = ("language", "lang")


def _article_from_record(record: Any, origin: str) -> Item:
    if not isinstance(record, dict):
        return IngestError(origin, "malformed record: expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return IngestError(origin, "malformed record: 'text' is missing or not a string")
    if not text.strip():
        return IngestError(origin, "empty text")
    article_id = record.get("id")
    if article_id is None or (isinstance(article_id, str) and not article_id.strip()):
        return IngestError(origin, "malformed record: 'id' is missing")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int)):
        return IngestError(
            origin,
            "malformed record: 'id' must be a string or a whole number, "
            f"not {_json_type(article_id)}",
        )
    article_id = str(article_id)
    problem = checks.id_problem(article_id)
    if problem:
        return IngestError(origin, f"malformed record: {problem}")
    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        return IngestError(origin, f"malformed record: bad 'published' value ({exc})")
    optional: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return IngestError(
                origin, f"malformed record: {key!r} must be a string, not {_json_type(value)}"
            )
        optional[key] = value
    language_key = next((key for key in _LANGUAGE_KEYS if record.get(key) is not None), None)
    language = record.get(language_key) if language_key else None
    if language is not None and not isinstance(language, str):
        return IngestError(
            origin,
            f"malformed record: {language_key!r} must be a string, not {_json_type(language)}",
        )
    for key, value in (("text", text), *optional.items()):
        problem = checks.text_problem(value, repr(key)) if value else None
        if problem:
            return IngestError(origin, f"refused: {problem}")
    return make_article(
        article_id, text, published=published, language=language, origin=origin, **optional
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


# -- public readers ------------------------------------------------------------------


def read_jsonl_lines(
    lines: Iterable[bytes], name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """Records ``{id, text, published?, title?, url?, source?}``, one per line of UTF-8."""
    for number, raw in enumerate(lines, start=1):
        origin = f"{name}:{number}"
        if not raw.strip():
            continue
        if len(raw.rstrip(b"\r\n")) > max_bytes:
            yield _too_large(origin, "record", len(raw), max_bytes)
            continue
        try:
            line = raw.decode("utf-8-sig") if number == 1 else raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(origin, f"not valid UTF-8 (byte offset {exc.start} in the line)")
            continue
        yield _record_item(line.rstrip("\r\n"), origin)


def read_text_file(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Item:
    """One plain-text file is one article whose id is the file name without extension."""
    items = list(_read_file(Path(path), max_bytes, encoding, as_jsonl=False))
    return items[0] if items else IngestError(str(path), "empty file")


def read_jsonl_file(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Iterator[Item]:
    """Stream a JSONL file; each bad line is one error, the rest go on."""
    yield from _read_file(Path(path), max_bytes, encoding, as_jsonl=True)


def read_stream(
    stream: BinaryIO,
    name: str = "<stdin>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    """Standard input: JSONL when its first character is ``{``, a page, feed, table... when
    it is one, else one plain-text article.

    A plain-text article's id is :func:`stdin_id` of its text, so different texts
    never share an id. Compressed input is decompressed; unread formats are refused.
    """
    source = _Source(name, stdin_id, options=options)
    yield from _read_source(stream, source, max_bytes, encoding)


def read_text_bytes(
    data: bytes,
    origin: str,
    article_id: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
) -> Item:
    """Bytes said to be one plain-text article (a fetched ``text/plain`` page), checked as
    a local text file is: compressed data decompressed, binary formats and NUL bytes
    refused, the encoding told from the bytes (``encoding`` for what is not UTF-8), control
    characters refused with their line, and the size limit applied. Never read as JSONL,
    a table or a page, whatever it holds."""
    source = _Source(origin, lambda _text: article_id, size=len(data), plain_text=True)
    items = list(_read_source(io.BytesIO(data), source, max_bytes, encoding))
    return items[0] if items else IngestError(origin, "empty file")


def stdin_id(text: str) -> str:
    """The id of a plain-text article read from standard input: ``stdin-`` and a short
    hash of its text (the same text always gets the same id)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return STDIN_ID_PREFIX + digest[:STDIN_HASH_DIGITS]


def _plain_name(path: Path) -> str:
    """The file name without a compression ending: ``news.jsonl.gz`` -> ``news.jsonl``."""
    name = path.name
    suffix = Path(name).suffix.lower()
    return name[: -len(suffix)] if suffix in COMPRESSED_SUFFIXES else name


def _files_in(folder: Path) -> list[Path]:
    """The files of ``folder`` and its subfolders that Dragoman reads, in name order
    (hidden files and folders left out)."""
    return _entries_in(folder)[0]


def _entries_in(folder: Path) -> tuple[list[Path], list[Path]]:
    """:func:`_files_in`, and the symbolic links among the same names whose target is
    gone (each is reported, never skipped in silence), from one walk of the folder."""
    files, broken = [], []
    for name in sorted(_readable_names(folder)):
        if name.is_file():
            files.append(name)
        elif name.is_symlink() and not name.exists():
            broken.append(name)
    return files, broken


def _readable_names(folder: Path) -> Iterator[Path]:
    for p in folder.rglob("*"):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if (
            Path(_plain_name(p)).suffix.lower()
            in TEXT_SUFFIXES | JSONL_SUFFIXES | STRUCTURED_SUFFIXES
        ):
            yield p


def read_paths(
    paths: Iterable[str | Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    """Read every article named by ``paths``: files, folders (recursively) or ``-`` for stdin.

    Each input's encoding is told from its bytes: UTF-8, or UTF-16/32 with or without a
    byte-order mark. ``encoding`` names the encoding of the inputs (or JSONL lines) that
    are not valid UTF-8 (``latin-1``, ``cp1252``...); a UTF-16 or UTF-32 ``encoding`` is
    that of every input without a byte-order mark. ``options`` says how tables' columns
    are named, whether feed items' pages are fetched, and keeps the counts of what was read.
    """
    options = options or ReadOptions()
    for item in _read_all(paths, max_bytes, encoding, options):
        if isinstance(item, IngestError):
            options.stats.errors += 1
        else:
            options.stats.articles += 1
        yield item


def _read_all(
    paths: Iterable[str | Path], max_bytes: int, encoding: str | None, options: ReadOptions
) -> Iterator[Item]:
    for raw in paths:
        if str(raw) == "-":
            options.stats.files += 1
            yield from _guarded(
                "<stdin>", read_stream(sys.stdin.buffer, "<stdin>", max_bytes, encoding, options)
            )
            continue
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            try:
                files, broken = _entries_in(path)
            except OSError as exc:
                yield IngestError(str(path), f"cannot read the folder: {exc.strerror or exc}")
                continue
            if not files and not broken:
                yield IngestError(str(path), "folder holds no file Dragoman reads")
            yield from (_broken_link(link) for link in broken)
            for file in files:
                options.stats.files += 1
                yield from _guarded(str(file), _read_file(file, max_bytes, encoding, None, options))
        elif exists:
            options.stats.files += 1
            yield from _guarded(str(path), _read_file(path, max_bytes, encoding, None, options))
        elif path.is_symlink():
            yield _broken_link(path)
        else:
            yield IngestError(str(path), "no such file or folder")
    if options.url_lists:
        from dragoman.ingest.urls import read_url_files

        for name in options.url_lists:
            options.stats.files += 1
            yield from _guarded(name, read_url_files([name], options.get_fetcher(), max_bytes))


def _broken_link(link: Path) -> IngestError:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return IngestError(str(link), f"broken symbolic link: its target {target} does not exist")


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, with anything a reader did not foresee turned into one error for the
    input it was reading: the next input is still read."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - no input may stop the batch
        detail = " ".join(str(exc).split())[:200]
        yield IngestError(origin, f"cannot read: {type(exc).__name__}: {detail}")


def _read_file(
    path: Path,
    max_bytes: int,
    encoding: str | None,
    as_jsonl: bool | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    origin = str(path)
    plain = Path(_plain_name(path))
    jsonl_name = plain.suffix.lower() in JSONL_SUFFIXES if as_jsonl is None else as_jsonl
    try:
        if not path.is_file():
            yield IngestError(origin, "not a regular file")
            return
        handle = path.open("rb")
    except OSError as exc:
        yield IngestError(origin, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        source = _Source(
            origin,
            lambda _text: plain.stem,
            jsonl_name=jsonl_name,
            size=size,
            path=path,
            options=options,
        )
        yield from _read_source(handle, source, max_bytes, encoding)
