"""The articles of a cluster ingest, as one Ray dataset.

Inputs are files or folders of them on the local disk (every kind a single-process ingest
reads: JSONL, Parquet, text, tables, pages...), and JSONL or Parquet files on any
filesystem pyarrow reaches (``s3://``, ``gs://``, ``hdfs://``...). Every row of the dataset
is one article (the :class:`~dragoman.records.Article` itself, pickled, exactly as the
single-process readers build it) or one input that could not be read (``error`` set,
reported at the end, never fatal).

The dataset starts from the list of files (``ray.data.from_items``) and each file is read
in a Ray task by Dragoman's own readers, which stream its records in small blocks. So each
record meets the rules of a single-process ingest: the same checks, the same column
mapping for tables, the same one-line errors naming file and line. Ray Data's own readers
would differ: ``read_json`` stops the whole job at the first malformed line and guesses
column types (a date string becomes a timestamp); and ``read_json`` and ``read_parquet``
list their files in a task that asks for a whole CPU, which never comes while the coding
actors hold every CPU of the cluster, so the job would wait forever. The reading tasks
here ask for none.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dragoman.ingest import read_paths
from dragoman.ingest.errors import IngestError
from dragoman.ingest.formats import compression_of, decompressing
from dragoman.ingest.readers import COMPRESSED_SUFFIXES, JSONL_SUFFIXES, read_jsonl_lines
from dragoman.ingest.readers import _files_in as files_in_folder  # the one rule of what is read
from dragoman.records import Article

if TYPE_CHECKING:
    import ray.data

#: One row per article read (``article``: the pickled Article), or per input or record
#: that could not be read (``error`` set).
RECORD_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("origin", pa.string()),
        ("error", pa.string()),
        ("article", pa.binary()),
    ]
)
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Rows a reading task hands on at a time: each is a block that one actor codes, so
#: blocks no larger than the actors' batches spread one big file over every actor.
ROWS_PER_BLOCK = 32
#: Files read by one task, at most (a folder of many small files needs fewer tasks).
MAX_READ_TASKS = 4096
#: CPUs a reading task asks for: none, since the coding actors hold every CPU for the
#: whole job and reading is a small part of the work (see the module's docstring).
READ_CPUS = 0


@dataclass
class Inputs:
    """The files named by the command line, in reading order, on their filesystems."""

    #: (pickled pyarrow filesystem, or b"" for the local disk; path; origin) of each file.
    files: list[tuple[bytes, str, str]] = field(default_factory=list)
    #: (origin, reason) of each input that holds no article file.
    errors: list[tuple[str, str]] = field(default_factory=list)


def find_inputs(paths: Iterable[str]) -> Inputs:
    """The files named by ``paths`` (files, folders read recursively, URIs), in the order
    a single-process ingest reads them; a missing path or an empty folder is an error."""
    inputs = Inputs()
    for raw in paths:
        if "://" in raw:
            _find_remote(raw, inputs)
            continue
        path = Path(raw)
        if path.is_dir():
            files = files_in_folder(path)
            if not files:
                inputs.errors.append((str(path), "folder holds no file Dragoman reads"))
            inputs.files.extend((b"", str(f), str(f)) for f in files)
        elif path.exists():
            inputs.files.append((b"", str(path), str(path)))
        else:
            inputs.errors.append((str(path), "no such file or folder"))
    return inputs


def _remote_kind(name: str) -> str | None:
    """``jsonl`` or ``parquet`` from a file's ending (past a compression ending)."""
    path = Path(name)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return "parquet"
    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        path = Path(path.stem)
    return "jsonl" if path.suffix.lower() in JSONL_SUFFIXES else None


def _find_remote(uri: str, inputs: Inputs) -> None:
    import pyarrow.fs as pafs

    try:
        filesystem, root = pafs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(root)
        if info.type == pafs.FileType.NotFound:
            inputs.errors.append((uri, "no such file or folder"))
            return
        if info.type == pafs.FileType.Directory:
            selector = pafs.FileSelector(root, recursive=True)
            infos = sorted(
                (i for i in filesystem.get_file_info(selector) if i.is_file),
                key=lambda i: i.path,
            )
        else:
            infos = [info]
    except (OSError, ValueError, pa.ArrowException) as exc:
        inputs.errors.append((uri, f"cannot read: {' '.join(str(exc).split())[:200]}"))
        return
    scheme = uri.split("://", 1)[0]
    shared = pickle.dumps(filesystem)
    found = False
    for item in infos:
        relative = item.path[len(root) :].strip("/")
        if any(part.startswith(".") for part in relative.split("/") if part):
            continue
        if _remote_kind(item.path) is not None:
            inputs.files.append((shared, item.path, f"{scheme}://{item.path}"))
            found = True
    if not found:
        inputs.errors.append((uri, "holds no .jsonl or .parquet file (read from URIs)"))


# -- reading, in Ray tasks ---------------------------------------------------------------


class _NativeReader(io.RawIOBase):
    """A pyarrow input stream as a Python binary stream, which the decompressors of a
    single-process ingest read and which can be read line by line."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._native.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def remote_lines(native: Any) -> Iterator[bytes]:
    """The lines of a pyarrow input stream, each with its line break, decompressed when its
    first bytes say it is compressed (gzip, bzip2, xz or zstd), as a local file is."""
    body: Any = io.BufferedReader(_NativeReader(native), 1 << 20)
    kind = compression_of(body.peek(8)[:8])
    if kind is not None:
        body = decompressing(body, kind)
    yield from body


def remote_items(filesystem: Any, path: str, origin: str, columns: dict[str, str], max_bytes: int):
    """The articles and errors of a JSONL or Parquet file on a pyarrow filesystem: JSONL
    decompressed as its content says and read line by line as UTF-8, Parquet read in place,
    batch by batch, by the single-process Parquet reader."""
    if _remote_kind(path) == "parquet":
        from dragoman.ingest.tables import read_parquet

        stem = Path(path).name.split(".")[0]
        with filesystem.open_input_file(path) as handle:
            yield from read_parquet(None, handle, origin, stem, columns, max_bytes)
        return
    with filesystem.open_input_stream(path, compression=None) as stream:
        yield from read_jsonl_lines(remote_lines(stream), origin, max_bytes=max_bytes)


def file_items(
    filesystem: bytes, path: str, origin: str, columns: dict[str, str], max_bytes: int, encoding
) -> Iterator[Article | IngestError]:
    """The articles and errors of one input file."""
    if filesystem:
        yield from remote_items(pickle.loads(filesystem), path, origin, columns, max_bytes)
        return
    from dragoman.ingest.options import ReadOptions

    options = ReadOptions(columns=dict(columns))
    yield from read_paths([path], max_bytes=max_bytes, encoding=encoding, options=options)


def _row(item: Article | IngestError) -> dict[str, Any]:
    if isinstance(item, IngestError):
        return {"article_id": None, "origin": item.origin, "error": item.message, "article": None}
    return {
        "article_id": item.id,
        "origin": item.origin,
        "error": None,
        "article": pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL),
    }


def read_files_batch(
    batch: pa.Table, columns: dict[str, str], max_bytes: int, encoding: str | None
) -> Iterator[pa.Table]:
    """Ray ``map_batches`` function: the rows of the files named in ``batch``, in tables
    of at most :data:`ROWS_PER_BLOCK` rows. A file that breaks while it is read is one
    error; the records read before stay."""
    rows: list[dict[str, Any]] = []
    for named in batch.to_pylist():
        filesystem, path, origin = named["filesystem"], named["path"], named["origin"]
        try:
            for item in file_items(filesystem, path, origin, columns, max_bytes, encoding):
                rows.append(_row(item))
                if len(rows) >= ROWS_PER_BLOCK:
                    yield pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)
                    rows = []
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the job
            detail = " ".join(str(exc).split())[:200]
            rows.append(_row(IngestError(origin, f"cannot read: {type(exc).__name__}: {detail}")))
    if rows:
        yield pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)


def article_dataset(
    inputs: Inputs, columns: dict[str, str], max_bytes: int, encoding: str | None
) -> ray.data.Dataset | None:
    """The rows of every file of ``inputs``, read in Ray tasks, in order; None when there
    is no file."""
    import ray.data

    if not inputs.files:
        return None
    items = [{"filesystem": fs, "path": p, "origin": o} for fs, p, o in inputs.files]
    blocks = min(len(items), MAX_READ_TASKS)
    return ray.data.from_items(items, override_num_blocks=blocks).map_batches(
        read_files_batch,
        batch_size=1,
        batch_format="pyarrow",
        fn_kwargs={"columns": columns, "max_bytes": max_bytes, "encoding": encoding},
        num_cpus=READ_CPUS,
    )
