"""Reading the tab-separated data files that ship under ``dragoman/data``.

Every data file starts with ``#`` comment lines saying what a row means, then a header
row naming the columns, then one record per line. Blank lines and ``#`` lines are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


class DataFileError(ValueError):
    """A data file is malformed; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        super().__init__(f"{path}, line {line}: {message}")


@dataclass(frozen=True)
class Row:
    """One record of a data file with the line it came from."""

    path: Path
    line: int
    fields: dict[str, str]

    def error(self, message: str) -> DataFileError:
        """An error about this row, naming its file and line."""
        return DataFileError(self.path, self.line, message)

    def lemma(self, column: str = "lemma") -> str:
        """The field ``column``, which must be one lower-case word."""
        lemma = self.fields[column]
        if not lemma or lemma != lemma.lower() or " " in lemma:
            raise self.error(f"lemma must be one lower-case word, got {lemma!r}")
        return lemma


def data_path(*parts: str) -> Path:
    """Path of a file shipped in the package's ``data`` folder."""
    return Path(str(files("dragoman").joinpath("data", *parts)))


def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[Row]:
    """Yield the records of ``path``, checking the header and every row's column count."""
    header_seen = False
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in text.split("\t")]
            if not header_seen:
                if tuple(cells) != columns:
                    raise DataFileError(
                        path, number, f"expected header {'|'.join(columns)}, got {'|'.join(cells)}"
                    )
                header_seen = True
                continue
            if len(cells) != len(columns):
                raise DataFileError(
                    path, number, f"expected {len(columns)} tab-separated columns, got {len(cells)}"
                )
            yield Row(path, number, dict(zip(columns, cells, strict=True)))
    if not header_seen:
        raise DataFileError(path, 0, f"no header row {'|'.join(columns)}")


#: Columns of a file listing lemmas, one per row.
LEMMA_COLUMNS = ("lemma", "comment")


def read_lemmas(path: Path) -> frozenset[str]:
    """The lemmas of a ``lemma  comment`` file, each one lower-case word listed once."""
    lemmas: set[str] = set()
    for row in read_rows(path, LEMMA_COLUMNS):
        lemma = row.lemma()
        if lemma in lemmas:
            raise row.error(f"duplicate lemma {lemma!r}")
        lemmas.add(lemma)
    return frozenset(lemmas)
