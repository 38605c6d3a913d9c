"""The inputs of ``dragoman ingest --engine ray`` read from a pyarrow filesystem (a
``file://`` URI here, read as ``s3://`` or ``gs://`` would be): the same articles as the
single-process readers give for the same files. No Ray cluster is needed."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pyarrow as pa
import pytest
import zstandard
from conftest import SAMPLES

from dragoman.cluster.sources import find_inputs, read_files_batch
from dragoman.ingest import read_paths
from dragoman.records import Article

#: How each compression is written, by the ending a file gets.
COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


def _jsonl() -> bytes:
    articles = [a for a in read_paths([SAMPLES]) if isinstance(a, Article)]
    lines = [json.dumps({"id": a.id, "text": a.text}) for a in articles]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rows(uri: str) -> list[dict]:
    """The rows the reading task of a cluster ingest makes of ``uri``."""
    inputs = find_inputs([uri])
    assert not inputs.errors, inputs.errors
    files = [
        {"filesystem": fs, "path": path, "origin": origin} for fs, path, origin in inputs.files
    ]
    batch = pa.Table.from_pylist(files)
    return [
        row for table in read_files_batch(batch, {}, 2_000_000, None) for row in table.to_pylist()
    ]


@pytest.mark.parametrize("ending", sorted(COMPRESSORS))
def test_compressed_jsonl_on_a_filesystem_is_read_as_from_the_local_disk(tmp_path, ending):
    data = _jsonl()
    local = tmp_path / "news.jsonl"
    local.write_bytes(data)
    remote = tmp_path / f"remote.jsonl{ending}"
    remote.write_bytes(COMPRESSORS[ending](data))
    rows = _rows(remote.as_uri())
    assert all(row["error"] is None for row in rows), rows
    expected = [a.id for a in read_paths([local]) if isinstance(a, Article)]
    assert [row["article_id"] for row in rows] == expected
    assert rows[0]["origin"] == f"file://{remote}:1"


def test_a_cut_compressed_file_keeps_the_lines_before_the_cut(tmp_path):
    data = _jsonl()
    whole = gzip.compress(data * 200)
    remote = tmp_path / "cut.jsonl.gz"
    remote.write_bytes(whole[: len(whole) // 2])
    rows = _rows(remote.as_uri())
    read, failed = rows[:-1], rows[-1]
    assert read and all(row["error"] is None for row in read)
    assert "ends before its end-of-stream mark" in failed["error"], failed


def test_only_jsonl_and_parquet_files_are_read_from_a_uri(tmp_path: Path):
    (tmp_path / "story.txt").write_text("Iran condemned the strike.", encoding="utf-8")
    inputs = find_inputs([tmp_path.as_uri()])
    assert not inputs.files
    assert inputs.errors == [
        (tmp_path.as_uri(), "holds no .jsonl or .parquet file (read from URIs)")
    ]
