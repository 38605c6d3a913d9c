"""The coding step of a cluster ingest: a Ray actor that holds one pipeline.

Building a :class:`~dragoman.pipeline.Pipeline` loads the spaCy model and every data file
(seconds, hundreds of megabytes), so each actor builds it once and codes batch after batch
with it. The articles arrive as the single-process readers built them, pass the same
language check (an article clearly in another language than the model's is skipped with
one line, one whose source did not say its language gets the one found) and go through
``Pipeline.annotate_many``, so each is coded exactly as by ``dragoman ingest``.

Each output row is one article: its annotations, pickled (the driver stores and writes
them with the functions a single-process ingest uses), or the reason it failed.
"""

from __future__ import annotations

import pickle
from typing import Any

import pyarrow as pa

from dragoman.ingest.errors import IngestError
from dragoman.records import Article
from dragoman.settings import Settings

#: One row per article coded, or failed (``error`` set, ``annotations`` null).
RESULT_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("origin", pa.string()),
        ("error", pa.string()),
        ("annotations", pa.binary()),
    ]
)
#: Articles parsed together by spaCy, as ``Pipeline.annotate_many`` does by default.
BATCH_SIZE = 32


class ArticleCoder:
    """A callable class for ``Dataset.map_batches``: rows of read articles in, rows of
    coded articles out."""

    def __init__(self, settings: Settings) -> None:
        from dragoman.pipeline import Pipeline

        self.model = settings.model
        self.pipeline = Pipeline(settings)

    def __call__(self, batch: pa.Table) -> pa.Table:
        from dragoman.ingest.language import readable

        results: list[dict[str, Any]] = []
        read: list[Article] = []
        for row in batch.to_pylist():
            if row["error"] is not None:
                results.append(_failure(row["article_id"], row["origin"], row["error"]))
            else:
                read.append(pickle.loads(row["article"]))
        articles: list[Article] = []
        for item in readable(read, self.model):
            if isinstance(item, IngestError):
                results.append(_failure(None, item.origin, item.message))
            else:
                articles.append(item)

        def failed(error) -> None:
            article = error.article
            results.append(_failure(article.id, article.origin, error.reason))

        for annotated in self.pipeline.annotate_many(
            articles, batch_size=BATCH_SIZE, on_error=failed
        ):
            article = annotated.article
            results.append(
                {
                    "article_id": article.id,
                    "origin": article.origin,
                    "error": None,
                    "annotations": pickle.dumps(annotated, protocol=pickle.HIGHEST_PROTOCOL),
                }
            )
        return pa.Table.from_pylist(results, schema=RESULT_SCHEMA)


def _failure(article_id: str | None, origin: str, reason: str) -> dict[str, Any]:
    return {"article_id": article_id, "origin": origin, "error": reason, "annotations": None}
