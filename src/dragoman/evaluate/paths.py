"""Where the shared reference data lives (gold files, seed articles)."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root when running from a source checkout (src layout).
REPO_ROOT = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    """The shared reference-data folder: ``$DRAGOMAN_SHARED`` or ``<repo>/../shared``."""
    override = os.environ.get("DRAGOMAN_SHARED")
    if override:
        return Path(override)
    return (REPO_ROOT / ".." / "shared").resolve()


def default_gold(name: str) -> Path:
    """The default gold file ``name`` under ``<shared>/data``."""
    return shared_dir() / "data" / name


SEEDS_GOLD = "seeds_gold.json"
PLOVER_GOLD = "plover_gsr_dev.jsonl"
TIMES_GOLD = "meantime_timex_dev.jsonl"
