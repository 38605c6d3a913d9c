"""The CAMEO event codes with their Goldstein weights, QuadClass and PLOVER equivalents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dragoman.ontology.tsv import DataFileError, data_path, read_rows

CAMEO_COLUMNS = ("code", "label", "goldstein", "quad_class", "plover", "plover_mode")
PLOVER_COLUMNS = ("type", "mode", "description")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code and what it maps to."""

    code: str
    label: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None

    @property
    def root(self) -> str:
        """The two-digit root (cue category) of the code."""
        return self.code[:2]


@lru_cache(maxsize=8)
def load_plover(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """PLOVER event types and their modes from ``plover.tsv`` (type -> modes in file order)."""
    path = path or data_path("ontology", "plover.tsv")
    types: dict[str, list[str]] = {}
    for row in read_rows(path, PLOVER_COLUMNS):
        kind, mode = row.fields["type"], row.fields["mode"]
        if not kind or kind != kind.upper():
            raise row.error(f"PLOVER type must be an upper-case name, got {kind!r}")
        modes = types.setdefault(kind, [])
        if mode:
            if mode in modes:
                raise row.error(f"duplicate mode {mode!r} for {kind}")
            modes.append(mode)
    return {kind: tuple(modes) for kind, modes in types.items()}


def plover_types() -> dict[str, list[str]]:
    """PLOVER type -> its modes."""
    return {kind: list(modes) for kind, modes in load_plover().items()}


def _expected_quad_class(code: str) -> int:
    root = int(code[:2])
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


def _parse_cameo_row(fields: dict[str, str], plover: dict[str, tuple[str, ...]]) -> CameoCode:
    code = fields["code"]
    if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
        raise ValueError(f"bad CAMEO code {code!r}")
    goldstein = float(fields["goldstein"])
    if not -10.0 <= goldstein <= 10.0:
        raise ValueError(f"Goldstein weight {goldstein} outside -10..10")
    quad_class = int(fields["quad_class"])
    if quad_class != _expected_quad_class(code):
        raise ValueError(f"quad_class {quad_class} does not match root {code[:2]}")
    kind = fields["plover"] or None
    mode = fields["plover_mode"] or None
    if kind is not None and kind not in plover:
        raise ValueError(f"unknown PLOVER type {kind!r}")
    if mode is not None and (kind is None or mode not in plover[kind]):
        raise ValueError(f"mode {mode!r} is not a mode of PLOVER type {kind!r}")
    return CameoCode(code, fields["label"], goldstein, quad_class, kind, mode)


@lru_cache(maxsize=8)
def load_cameo(path: Path | None = None) -> dict[str, CameoCode]:
    """All CAMEO codes from ``cameo.tsv``, keyed by code (loaded once per path)."""
    path = path or data_path("ontology", "cameo.tsv")
    plover = load_plover()
    codes: dict[str, CameoCode] = {}
    for row in read_rows(path, CAMEO_COLUMNS):
        try:
            entry = _parse_cameo_row(row.fields, plover)
        except ValueError as exc:
            raise row.error(str(exc)) from None
        if entry.code in codes:
            raise row.error(f"duplicate CAMEO code {entry.code}")
        if len(entry.code) > 2 and entry.code[:-1] not in codes and entry.code[:2] not in codes:
            raise row.error(f"code {entry.code} appears before its parent")
        codes[entry.code] = entry
    if not codes:
        raise DataFileError(path, 0, "no CAMEO codes")
    return codes


def cameo_entry(code: str) -> CameoCode:
    """The entry for ``code``, or for its nearest listed parent code.

    ``"0415"`` falls back to ``"041"``, then ``"04"``. Raises ``KeyError`` when not even
    the two-digit root is known.
    """
    codes = load_cameo()
    key = code.strip()
    while key:
        if key in codes:
            return codes[key]
        key = key[:-1]
    raise KeyError(f"unknown CAMEO code {code!r}")
