"""What an input holds, told from its first bytes: its compression, its encoding, and the
formats Dragoman does not read (yet), so that none of them is taken for an article.

Everything here looks at a head of at most :data:`SNIFF_BYTES` bytes: a file's kind is
known before the rest of it is read.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import io
import lzma
import re
import zlib
from typing import BinaryIO

#: How much of an input (after decompression) is looked at to tell what it is.
SNIFF_BYTES = 65_536

#: File name endings of the compressed inputs read (the name before them says the format).
COMPRESSED_SUFFIXES = {".gz": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".xz": "xz"}

_COMPRESSION_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\xfd7zXZ\x00", "xz"),
)

#: Formats told by their first bytes, and what to call them.
_BINARY_MAGIC = (
    (b"PAR1", "a Parquet file"),
    (b"PK\x03\x04", "a zip archive (or a document packed as one: .docx, .xlsx, .odt, .epub)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable program"),
    (b"MZ\x90\x00", "a Windows executable program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ARROW1", "an Arrow file"),
    (b"Obj\x01", "an Avro file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls, .ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"WARC/", "a WARC web archive"),
)

#: Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class CompressionUnavailable(RuntimeError):
    """The input is compressed in a way this installation cannot read."""


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``bzip2``, ``zstd`` or ``xz`` when ``head`` opens compressed data."""
    for magic, name in _COMPRESSION_MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"BZh") and head[3:4] in b"123456789" and len(head) > 3:
        return "bzip2"
    return None


def decompressing(stream: BinaryIO, kind: str) -> io.BufferedReader:
    """A reader of the decompressed bytes of ``stream``, read lazily and a bounded piece at
    a time (so data that expands a thousandfold is still read in small steps). Data that
    ends before its compressed stream does raises EOFError once what came before it is read:
    the lines of a cut file up to the cut can still be read."""
    if kind == "zstd":
        try:
            import zstandard
        except ImportError as exc:  # pragma: no cover - a dependency; absent only by hand
            raise CompressionUnavailable(
                "zstd-compressed; reading it needs the zstandard package"
            ) from exc
        factory = zstandard.ZstdDecompressor().decompressobj
        return io.BufferedReader(_Decompressing(stream, kind, factory, piece=128))
    factories = {
        # 32 + 15: a zlib or gzip header, told from the data
        "gzip": lambda: zlib.decompressobj(wbits=47),
        "bzip2": bz2.BZ2Decompressor,
        "xz": lzma.LZMADecompressor,
    }
    if kind not in factories:
        raise ValueError(f"unknown compression {kind!r}")
    return io.BufferedReader(_Decompressing(stream, kind, factories[kind]))


class _Decompressing(io.RawIOBase):
    """The decompressed bytes of concatenated compressed streams (gzip members, bzip2 or
    xz streams, zstd frames), each call bounded in what it produces."""

    #: Most bytes one call of a decompressor may produce.
    _LIMIT = 1 << 16

    def __init__(self, source: BinaryIO, kind: str, factory, piece: int = 8192) -> None:
        self._source = source
        self._kind = kind
        self._factory = factory
        self._piece = piece
        self._decompressor = factory()
        self._started = False  # whether the current stream has had any input
        self._pending = b""  # input given to no decompressor yet
        self._out = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._at >= len(self._out):
            self._out = self._next()
            self._at = 0
            if not self._out:
                return 0
        size = min(len(buffer), len(self._out) - self._at)
        buffer[:size] = self._out[self._at : self._at + size]
        self._at += size
        return size

    def _next(self) -> bytes:
        """The next piece of output; b"" at the end of the data."""
        while True:
            decompressor = self._decompressor
            if decompressor.eof:
                rest = decompressor.unused_data or self._pending or self._source.read(self._piece)
                self._pending = b""
                while rest and not rest.strip(b"\x00"):  # zero padding after the last stream
                    rest = self._source.read(self._piece)
                if not rest:
                    return b""
                self._decompressor = self._factory()
                self._started = False
                self._pending = rest
                continue
            out = self._feed(decompressor)
            if out is None:
                if self._started:
                    raise EOFError(f"the {self._kind} data ends before its end-of-stream mark")
                return b""
            if out:
                return out

    def _feed(self, decompressor) -> bytes | None:
        """Output of one step of ``decompressor``, or None when the input is exhausted."""
        if self._kind in ("bzip2", "xz") and not decompressor.needs_input:
            return decompressor.decompress(b"", self._LIMIT)
        data, self._pending = self._pending, b""
        if not data and self._kind == "gzip":
            data = decompressor.unconsumed_tail
        if not data:
            data = self._source.read(self._piece)
            if not data:
                return None
        self._started = True
        if self._kind == "zstd":
            return decompressor.decompress(data)
        return decompressor.decompress(data, self._LIMIT)


def binary_kind(head: bytes) -> str | None:
    """What a binary (or otherwise unread) format ``head`` opens, e.g. ``"a Parquet file"``."""
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    if head[8:12] == b"DUCK":
        return "a DuckDB database"
    if head[257:262] == b"ustar":
        return "a tar archive"
    return None


def is_wide_unicode(encoding: str) -> bool:
    """UTF-16 and UTF-32 spell every character with several bytes, NUL bytes included."""
    name = codecs.lookup(encoding).name
    return name.startswith(("utf-16", "utf-32"))


def ascii_compatible(encoding: str) -> bool:
    """Whether line breaks and JSON's punctuation are the ASCII bytes in ``encoding``, so a
    file in it can be split into lines as bytes."""
    try:
        return '{\n}"a'.encode(encoding) == b'{\n}"a'
    except (UnicodeError, LookupError):
        return False


def encoding_of(head: bytes, declared: str | None = None) -> str | None:
    """The encoding to read ``head`` with: the one its byte-order mark names, else a
    declared UTF-16 or UTF-32, else UTF-8 (which the caller may follow with another
    declared encoding for bytes that are not UTF-8), else UTF-16 or UTF-32 told from where
    its NUL bytes fall. None when it holds NUL bytes that no such encoding explains: it is
    binary, not text."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if declared and is_wide_unicode(declared):
        return declared
    if b"\x00" not in head:
        return "utf-8-sig"
    return _wide_without_bom(head)


def _wide_without_bom(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark: text in a Latin script then has a NUL in
    the same place of (nearly) every character."""
    sample = head[:4096]
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        count = len(sample) // width
        if count < 2:
            continue
        zeros = [
            sum(1 for i in range(k, count * width, width) if sample[i] == 0) for k in range(width)
        ]
        if width == 4:
            if zeros[1] == zeros[2] == zeros[3] == count and zeros[0] < count:
                return names[0]
            if zeros[0] == zeros[1] == zeros[2] == count and zeros[3] < count:
                return names[1]
        else:
            if zeros[1] >= 0.9 * count and zeros[0] <= 0.1 * count:
                return names[0]
            if zeros[0] >= 0.9 * count and zeros[1] <= 0.1 * count:
                return names[1]
    return None


def decode_head(head: bytes, encoding: str) -> str:
    """``head`` as text for a look at its format: a character cut at the end is dropped,
    bytes that do not decode become U+FFFD."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head, final=False)


_JSON_ARRAY = re.compile(r"\[\s*(?:[\[{\"\]]|$)")
_MARKUP_START = re.compile(r"<(?:[a-z!?])")
_CLOSING_TAG = re.compile(r"</[a-z][\w:.-]*\s*>")
_HTML_TAG = re.compile(
    r"<(?:/?(?:p|div|span|a|br|hr|td|tr|th|li|ul|ol|img|script|style|table|meta|link|body|head"
    r"|html|title|h[1-6]|iframe|form|input|button|nav|header|footer|section|article|em|strong"
    r"|b|i)\b[^<>]{0,500}>)"
)
_HTML_ROOT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|script|style)\b"
)
_XML_ROOTS = (
    ("<rss", "an RSS feed"),
    ("<rdf:rdf", "an RSS feed"),
    ("<feed", "an Atom feed"),
    ("<html", "an HTML page"),
    ("<urlset", "a sitemap"),
    ("<sitemapindex", "a sitemap"),
    ("<svg", "an SVG image"),
)
_JSONL_HINT = "Dragoman reads JSONL: one JSON object per line"


def text_kind(text: str, complete: bool = True) -> str | None:
    """What format the start of a text (``text``, a decoded head) is written in, when it is
    one Dragoman does not read as articles: markup, feeds, tables, JSON documents, web
    archives. ``complete`` says whether ``text`` is the whole input, not only its head."""
    start = text.lstrip("\ufeff \t\r\n")
    low = start[:SNIFF_BYTES].lower()
    if low.startswith("warc/"):
        return "a WARC web archive"
    if low.startswith("{\\rtf"):
        return "an RTF document"
    if low.startswith("<"):
        kind = _markup_kind(low)
        if kind:
            return kind
    if _JSON_ARRAY.match(low) and _one_document(start):
        return f"a JSON array ({_JSONL_HINT})"
    if low.startswith("{") and low.split("\n", 1)[0].strip() == "{":
        return f"a JSON document spread over several lines ({_JSONL_HINT})"
    table = _table_kind(start, complete)
    if table:
        return table
    if len(_HTML_TAG.findall(low)) >= 10:
        return "an HTML page (text with HTML markup)"
    return None


def looks_like_json(text: str) -> bool:
    """Whether a text (a decoded head) opens with a JSON object or array: JSONL, whatever
    the input is called."""
    start = text.lstrip("\ufeff \t\r\n")
    return start.startswith("{") or bool(_JSON_ARRAY.match(start))


def _one_document(start: str) -> bool:
    """Whether a text opening with ``[`` is one JSON document (on one line, or spread over
    several), not JSONL whose first line happens to be an array."""
    first, _, rest = start.partition("\n")
    if not rest.strip():
        return True
    first = first.strip()
    return first in ("[", "[{", "[[") or first.endswith((",", "{", "["))


def _markup_kind(low: str) -> str | None:
    if low.startswith("<?xml"):
        for root, name in _XML_ROOTS:
            if root in low:
                return name
        return "an XML document"
    for root, name in _XML_ROOTS[:3]:
        if low.startswith(root):
            return name
    if _HTML_ROOT.match(low) or low.startswith("<!--") and "<html" in low:
        return "an HTML page"
    if _MARKUP_START.match(low) and _CLOSING_TAG.search(low):
        return "an XML or HTML document"
    return None


_HEADER_FIELD = re.compile(r"[\w .()/#%:-]{1,64}")


def _table_kind(text: str, complete: bool) -> str | None:
    """A CSV or TSV table: rows with the same number of fields, under a header of short
    names. A text whose lines merely share a count of commas is not one."""
    lines = text.split("\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [line.rstrip("\r") for line in lines if line.strip()][:20]
    for delimiter, least, name in (("\t", 2, "a TSV table"), (",", 3, "a CSV table")):
        if len(lines) < 2 or not all(delimiter in line for line in lines):
            continue
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        widths = {len(row) for row in rows}
        if len(widths) != 1 or widths.pop() < least or len(rows) < (2 if delimiter == "\t" else 3):
            continue
        if all(_HEADER_FIELD.fullmatch(field.strip()) for field in rows[0]):
            return name
    return None
