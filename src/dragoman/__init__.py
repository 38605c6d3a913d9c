"""Dragoman: political event data from news text, each event tied to its evidence.

Quick use::

    import dragoman
    events = dragoman.extract("Russia and China held talks in Beijing on Monday.",
                              published="2024-05-31")

For many articles build one :class:`dragoman.pipeline.Pipeline` and reuse it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from dragoman.pipeline import Pipeline
    from dragoman.records import Annotations, Event


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The process-wide pipeline with default settings, built on first use."""
    from dragoman.pipeline import Pipeline

    return Pipeline()


def _article(text: str, published: str | date | None, article_id: str):
    from dragoman.ingest import make_article
    from dragoman.ingest.readers import parse_published

    when = published if isinstance(published, date) else parse_published(published)
    return make_article(article_id, text, published=when, origin=article_id)


def extract(
    text: str, published: str | date | None = None, article_id: str = "text"
) -> list[Event]:
    """Events reported in ``text``; ``published`` (ISO date) anchors relative dates."""
    return default_pipeline().extract(_article(text, published, article_id))


def annotate(
    text: str, published: str | date | None = None, article_id: str = "text"
) -> Annotations:
    """Actors, time expressions, places and events found in ``text``."""
    return default_pipeline().annotate(_article(text, published, article_id))


__all__ = ["__version__", "annotate", "default_pipeline", "extract"]
