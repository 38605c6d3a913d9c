"""The prompt sent with each sentence, read from its versioned data file.

The wording and the PLOVER and CAMEO definitions the model sees live in
``data/llm/prompt.yaml``, not in code: changing them is a data change with a new
version, and the version keys the response cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dragoman.ontology import DataFileError, load_cameo, plover_types
from dragoman.ontology.tsv import data_path

_KEYS = ("version", "confidence", "system", "instructions", "user", "plover", "cameo")


@dataclass(frozen=True)
class Prompt:
    """A prompt version: its messages for a sentence, and the definitions it shows."""

    version: int
    confidence: float
    system: str
    instructions: str
    user: str
    #: PLOVER type -> definition shown to the model.
    plover: dict[str, str]
    #: CAMEO code -> (label, PLOVER type) shown to the model.
    cameo: dict[str, tuple[str, str]]

    def messages(self, sentence: str) -> list[dict[str, str]]:
        """The chat messages asking for the events of ``sentence``."""
        plover = "\n".join(f"{kind}: {text}" for kind, text in self.plover.items())
        cameo = "\n".join(f"{code}: {label} ({kind})" for code, (label, kind) in self.cameo.items())
        instructions = self.instructions.replace("{plover}", plover).replace("{cameo}", cameo)
        return [
            {"role": "system", "content": f"{self.system.strip()}\n\n{instructions.strip()}"},
            {"role": "user", "content": self.user.replace("{sentence}", sentence).strip()},
        ]


def _fail(path: Path, key: str, message: str) -> DataFileError:
    return DataFileError(path, _line_of(path, key), message)


def _line_of(path: Path, key: str) -> int:
    """The line of ``path`` where ``key`` is written (1 when not found), for errors."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((f"{key}:", f'"{key}":')):
            return number
    return 1


@lru_cache(maxsize=4)
def load_prompt(path: Path | None = None) -> Prompt:
    """The prompt in ``path`` (the package's by default), checked against the ontology:
    every PLOVER type and CAMEO code it shows must be in the tables, with the same label
    and the PLOVER type the table gives the code. Raises ``DataFileError`` (file and
    line) when not."""
    path = path or data_path("llm", "prompt.yaml")
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(path, mark.line + 1 if mark else 1, "not valid YAML") from None
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping of " + ", ".join(_KEYS))
    for key in _KEYS:
        if key not in data:
            raise DataFileError(path, 1, f"missing key {key!r}")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise _fail(path, "version", "version must be a positive whole number")
    types = plover_types()
    plover: dict[str, str] = {}
    for kind, text in (data["plover"] or {}).items():
        if kind not in types:
            raise _fail(path, kind, f"{kind!r} is not a PLOVER type of plover.tsv")
        plover[kind] = str(text)
    codes = load_cameo()
    cameo: dict[str, tuple[str, str]] = {}
    for code, value in (data["cameo"] or {}).items():
        code = str(code)
        if not (isinstance(value, list) and len(value) == 2):
            raise _fail(path, code, f"CAMEO {code}: expected [label, PLOVER type]")
        label, kind = (str(v) for v in value)
        entry = codes.get(code)
        if entry is None:
            raise _fail(path, code, f"CAMEO code {code} is not in cameo.tsv")
        if entry.label != label:
            raise _fail(path, code, f"CAMEO {code}: label {label!r}, cameo.tsv has {entry.label!r}")
        if entry.plover != kind:
            raise _fail(
                path, code, f"CAMEO {code}: PLOVER {kind}, cameo.tsv maps it to {entry.plover}"
            )
        cameo[code] = (label, kind)
    return Prompt(
        version=data["version"],
        confidence=float(data["confidence"]),
        system=str(data["system"]),
        instructions=str(data["instructions"]),
        user=str(data["user"]),
        plover=plover,
        cameo=cameo,
    )
