"""Turning a posted article into Annotations with the pipeline, built once per process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException

from dragoman.records import Annotations, Article
from dragoman.settings import Settings

Annotator = Callable[[Article], Annotations]


def _article(record: dict[str, Any], model: str) -> Article:
    """An Article from a posted record, with metadata lines and boilerplate read, and its
    language: the declared one (normalised), else the one found when the finding is sure.
    ValueError (its message one line) when it is written in a language ``model`` does not
    read, as ``dragoman ingest`` skips it."""
    fields = {k: record.get(k) for k in ("published", "title", "url", "source")}
    origin = record.get("origin") or "api"
    try:
        from dragoman.ingest import make_article
        from dragoman.ingest.errors import IngestError
        from dragoman.ingest.language import readable
    except ImportError:
        return Article(id=record["id"], text=record["text"], origin=origin, **fields)
    article = make_article(
        record["id"], record["text"], origin=origin, language=record.get("language"), **fields
    )
    (checked,) = readable([article], model)
    if isinstance(checked, IngestError):
        raise ValueError(checked.message)  # noqa: TRY004 - a refused article, not a bad type
    return checked


class ArticleWriter:
    """Annotates posted articles; the pipeline is loaded on first use, then reused."""

    def __init__(self, annotate: Annotator | None = None, settings: Settings | None = None) -> None:
        self._annotate = annotate
        self._lock = threading.Lock()
        settings = settings or Settings()
        self.max_bytes = settings.max_article_bytes
        #: The spaCy model's name, which says the language it reads.
        self.model = settings.model

    def _annotator(self) -> Annotator:
        with self._lock:
            if self._annotate is None:
                try:
                    from dragoman.pipeline import Pipeline
                except ImportError as error:
                    raise HTTPException(
                        503, detail={"message": f"the NLP pipeline is not available: {error}"}
                    ) from None
                self._annotate = Pipeline().annotate
            return self._annotate

    def annotate(self, record: dict[str, Any]) -> Annotations:
        """Annotations of a posted article record (``id``, ``text`` and metadata)."""
        annotator = self._annotator()
        # One article at a time: the spaCy pipeline is not meant to be shared across threads.
        with self._lock:
            return annotator(_article(record, self.model))
