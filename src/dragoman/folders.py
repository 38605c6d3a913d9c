"""Creating the folders Dragoman writes into (a store's, a report's)."""

from __future__ import annotations

from pathlib import Path


def create_folder(path: Path) -> str | None:
    """Create ``path`` and its parents; None when it exists afterwards, else why not, as a
    short phrase for an error message ("a file is in the way", "permission denied")."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if isinstance(exc, (FileExistsError, NotADirectoryError)):
            return "a file is in the way"
        return exc.strerror or str(exc)
    return None
