"""Shared fixtures: where the team's shared data lives, and one pipeline per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SAMPLES = REPO_ROOT / "samples"


def whole_texts() -> list[str]:
    """Texts to compare a faster component with spaCy's own on: the bundled samples and,
    when the shared data is there, the seeds and dev texts of the bench."""
    from dragoman.evaluate.bench import bench_corpus

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    with (SAMPLES / "wire.jsonl").open(encoding="utf-8") as lines:
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    assert len(texts) > 3, "the bundled samples are missing"
    if SHARED.is_dir():
        texts += bench_corpus(SHARED)
    return texts


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests that need it skip with a clear reason."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED} (seeds and gold data live there)")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():
    """The full pipeline, built once for the whole test session.

    Its time budget per article is generous: tests of what is coded must not depend on
    how busy the machine is; the budget itself is tested through ``dragoman ingest``
    with ``DRAGOMAN_ARTICLE_SECONDS`` set.
    """
    from dragoman.pipeline import Pipeline
    from dragoman.settings import Settings

    return Pipeline(Settings(article_seconds=300.0))
