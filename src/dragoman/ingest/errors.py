"""Errors met while reading input: reported, never fatal for the batch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestError:
    """An input that could not be read, with where it was and why."""

    #: ``file`` or ``file:line``.
    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"
