"""Codebook conventions for acts that are intended, refused, or reported as allegations."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dragoman.ontology.cameo import load_cameo
from dragoman.ontology.tsv import Row, data_path, read_rows

MODALITIES = frozenset({"asserted", "reported", "alleged", "intended", "hypothetical", "negated"})


def _known_code(row: Row) -> str:
    code = row.fields["code"]
    if code not in load_cameo():
        raise row.error(f"unknown CAMEO code {code!r}")
    return code


def _modality(row: Row) -> str:
    modality = row.fields["modality"]
    if modality not in MODALITIES:
        raise row.error(f"unknown modality {modality!r}")
    return modality


@lru_cache(maxsize=4)
def load_modal_codes(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(modality, CAMEO root) → the code the codebook gives such an act."""
    table: dict[tuple[str, str], str] = {}
    for row in read_rows(
        path or data_path("ontology", "modal_codes.tsv"), ("modality", "root", "code", "comment")
    ):
        root = row.fields["root"]
        if len(root) != 2 or root not in load_cameo():
            raise row.error(f"unknown CAMEO root {root!r}")
        key = (_modality(row), root)
        if key in table:
            raise row.error(f"duplicate row for {key}")
        table[key] = _known_code(row)
    return table


@lru_cache(maxsize=4)
def load_speech_codes(path: Path | None = None) -> dict[str, str]:
    """Modality of a reporting verb → the code of the reporting act itself."""
    return {
        _modality(row): _known_code(row)
        for row in read_rows(
            path or data_path("ontology", "speech_codes.tsv"), ("modality", "code", "comment")
        )
    }


def modal_code(code: str, modality: str) -> str:
    """The code an act gets under ``modality``: "will meet" is 036, "would attack" 138."""
    return load_modal_codes().get((modality, code[:2]), code)


def speech_code(modality: str) -> str | None:
    """The code of a reporting act of this modality (a claim is an accusation), if any."""
    return load_speech_codes().get(modality)


@lru_cache(maxsize=4)
def load_deontic_codes(path: Path | None = None) -> dict[str, str]:
    """Auxiliary of obligation (must, should) → the code of demanding or appealing."""
    return {
        row.fields["lemma"]: _known_code(row)
        for row in read_rows(
            path or data_path("ontology", "deontic_codes.tsv"), ("lemma", "code", "comment")
        )
    }


@lru_cache(maxsize=4)
def load_condition_codes(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(condition marker, modality) → the code of a conditioned act (an ultimatum)."""
    columns = ("marker", "modality", "code", "comment")
    return {
        (row.fields["marker"], _modality(row)): _known_code(row)
        for row in read_rows(path or data_path("ontology", "conditions.tsv"), columns)
    }


def deontic_code(auxiliary: str) -> str | None:
    """The code of demanding that an act be done, for an auxiliary like "must"."""
    return load_deontic_codes().get(auxiliary)


def condition_code(marker: str, modality: str) -> str | None:
    """The code of an act promised under a condition like "unless"."""
    return load_condition_codes().get((marker, modality))
