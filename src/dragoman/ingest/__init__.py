"""Reading sources into Articles: files, folders, JSONL, stdin; metadata and boilerplate."""

from dragoman.ingest.errors import IngestError
from dragoman.ingest.readers import make_article, read_paths, read_stream, stdin_id

__all__ = ["IngestError", "make_article", "read_paths", "read_stream", "stdin_id"]
