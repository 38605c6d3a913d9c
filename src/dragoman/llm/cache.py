"""Answers already received, so that coding the same sentence again costs nothing.

The key is a hash of the model's name, the prompt's version and the sentence: a new
prompt or another model asks again; the server's address and key play no part (the
same model behind another address answers the same). One SQLite file, shared by the
threads of a run and by runs one after another.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from dragoman.folders import create_folder


class CacheError(RuntimeError):
    """The cache file cannot be opened or written; the message names it."""


def cache_key(model: str, prompt_version: int, sentence: str) -> str:
    """The key of an answer: model, prompt version and sentence, hashed."""
    material = json.dumps([model, prompt_version, sentence], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class ResponseCache:
    """Answers by key in an SQLite file, with the tokens they cost when first asked."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        reason = create_folder(self.path.parent)
        if reason is not None:
            raise CacheError(f"cannot create the answer cache folder {self.path.parent}: {reason}")
        self._lock = threading.Lock()
        try:
            self._con = sqlite3.connect(self.path, check_same_thread=False)
            self._con.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, content TEXT NOT NULL,"
                " tokens INTEGER NOT NULL)"
            )
            self._con.commit()
        except sqlite3.Error as exc:
            raise CacheError(f"cannot use the answer cache {self.path}: {exc}") from None

    def get(self, key: str) -> str | None:
        """The cached answer text for ``key``, or None."""
        with self._lock:
            row = self._con.execute("SELECT content FROM answers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, content: str, tokens: int) -> None:
        """Keep an answer (the first one kept for a key stays)."""
        with self._lock:
            self._con.execute(
                "INSERT OR IGNORE INTO answers (key, content, tokens) VALUES (?, ?, ?)",
                (key, content, tokens),
            )
            self._con.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._con.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._con.close()
