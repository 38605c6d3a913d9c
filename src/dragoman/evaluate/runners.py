"""Run the pipeline over gold articles and return event dicts for the scorers.

The pipeline is imported here, not at package import, so the scorers stay usable
(and testable) without loading spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dragoman.evaluate.plover import PloverRecord
from dragoman.records import Article

#: Called with a line of progress or a warning (e.g. an unreadable seed file).
Notify = Callable[[str], None]


def _extract_all(articles: Iterable[Article]) -> list[dict[str, Any]]:
    from dragoman.pipeline import Pipeline

    pipeline = Pipeline()
    return [event.to_dict() for article in articles for event in pipeline.extract(article)]


def seed_texts_dir(gold_path: Path) -> Path:
    """The default folder of seed articles for a gold file: ``<gold>/../../seeds``."""
    return Path(gold_path).parent.parent / "seeds"


def read_seed_articles(
    texts_dir: Path, article_ids: Iterable[str], notify: Notify | None = None
) -> list[Article]:
    """Read ``<texts_dir>/<id>.txt`` for each gold article id, in gold order.

    The article id is the file name without extension; a missing or unreadable
    file is reported through ``notify`` and scored as an article with no events.
    """
    from dragoman.ingest import IngestError, read_paths

    articles = []
    for article_id in article_ids:
        path = Path(texts_dir) / f"{article_id}.txt"
        if not path.is_file():
            if notify:
                notify(f"skipped {path}: no such file")
            continue
        for item in read_paths([path]):
            if isinstance(item, IngestError):
                if notify:
                    notify(f"skipped {item}")
                continue
            # The gold keys articles by file name; keep that id whatever ingest chose.
            item.id = article_id
            articles.append(item)
    return articles


def run_seeds(texts_dir: Path, article_ids: Iterable[str], notify: Notify | None = None) -> list:
    """Extract events from the seed articles with the pipeline."""
    return _extract_all(read_seed_articles(texts_dir, article_ids, notify))


def plover_articles(records: Iterable[PloverRecord]) -> list[Article]:
    """One Article per PLOVER record: id and text of the record, no publication date."""
    return [Article(id=record.id, text=record.text, published=None) for record in records]


def run_plover(records: Iterable[PloverRecord]) -> list[dict[str, Any]]:
    """Extract events from the PLOVER records' texts with the pipeline."""
    return _extract_all(plover_articles(records))
