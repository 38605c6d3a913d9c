"""The filters an event query accepts, checked once so every caller agrees."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from dragoman.ontology import plover_types
from dragoman.ontology.lexicon import MODALITIES

_CAMEO_ROOT = re.compile(r"^(0[1-9]|1[0-9]|20)$")
#: The largest offset a query may skip: the largest BIGINT, the type SQL databases
#: (DuckDB, PostgreSQL) give ``OFFSET``. Anything larger is refused before it reaches SQL.
MAX_OFFSET = 2**63 - 1


def plover_type_names() -> tuple[str, ...]:
    """The PLOVER event types a filter accepts (from the ontology's PLOVER table), sorted."""
    return tuple(sorted(plover_types()))


def modality_names() -> tuple[str, ...]:
    """The modalities a filter accepts (the lexicon's modalities), sorted."""
    return tuple(sorted(MODALITIES))


@dataclass(frozen=True)
class EventFilter:
    """Conditions on events; ``None`` means "any".

    ``actor`` matches a source or target actor, case-insensitively: its code or
    mention text when equal, its name when equal or containing the query as a run
    of whole words ("Putin" in "Vladimir Putin"); ``source``/``target`` do the same for one
    role. ``country`` matches a source or target actor's country code. ``plover``
    is one of the 16 PLOVER types (any case; kept upper-case), ``modality`` one of
    the lexicon's modalities (any case; kept lower-case); any other value raises
    ``ValueError`` naming it and listing the allowed ones.
    ``since``/``until`` bound the first day the event's date covers
    (``date_start``), inclusive. ``text`` is a case-insensitive substring of the
    evidence sentence. ``cameo_root`` is a CAMEO root (``01``-``20``; ``4`` means ``04``).
    """

    actor: str | None = None
    country: str | None = None
    plover: str | None = None
    cameo_root: str | None = None
    quad_class: int | None = None
    since: date | None = None
    until: date | None = None
    modality: str | None = None
    source: str | None = None
    target: str | None = None
    text: str | None = None
    article_id: str | None = None

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, str) and not value.strip():
                # An empty form field means "no condition", not "match the empty string".
                object.__setattr__(self, name, None)
        if self.cameo_root is not None and len(self.cameo_root.strip()) == 1:
            object.__setattr__(self, "cameo_root", "0" + self.cameo_root.strip())
        if self.quad_class is not None and (
            isinstance(self.quad_class, bool)
            or not isinstance(self.quad_class, int)
            or not 1 <= self.quad_class <= 4
        ):
            raise ValueError("quad_class must be an integer from 1 to 4")
        if self.cameo_root is not None and not _CAMEO_ROOT.match(self.cameo_root):
            raise ValueError(
                f"cameo_root must be a two-digit CAMEO root from 01 to 20, got {self.cameo_root!r}"
            )
        if self.plover is not None:
            self._set_one_of("plover", plover_type_names(), str.upper)
        if self.modality is not None:
            self._set_one_of("modality", modality_names(), str.lower)
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise ValueError(f"{name} must be a date")
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")

    def _set_one_of(self, name: str, allowed: tuple[str, ...], case: Callable[[str], str]) -> None:
        """Check a field against its allowed values and store it in their case."""
        given = getattr(self, name)
        value = case(given.strip()) if isinstance(given, str) else None
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {given!r}")
        object.__setattr__(self, name, value)

    def to_params(self) -> dict[str, Any]:
        """The conditions that are set, as plain values (dates in ISO format)."""
        out: dict[str, Any] = {}
        for name, value in asdict(self).items():
            if value is None:
                continue
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out


def check_page(limit: int, offset: int, max_limit: int = 100_000) -> None:
    """Raise ``ValueError`` unless ``limit``/``offset`` describe a valid page.

    ``offset`` may be at most :data:`MAX_OFFSET`. Each message starts with the
    name of the value at fault and ends with the value given.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= max_limit:
        raise ValueError(f"limit must be an integer from 0 to {max_limit}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise ValueError(f"offset must be an integer from 0 to {MAX_OFFSET}, got {offset!r}")
