"""A user's own knowledge: lexicon rows and actors in their files, beside the package's.

Users add verb and noun patterns in TSV files with the header of the packaged
``verbs.tsv`` or ``nouns.tsv``, and actors in YAML files with ``people``,
``organizations`` and ``roles`` sections (see ``dragoman.actors.kb.with_user_files``).
Their rows take precedence: a user row replaces the packaged rows with the same words,
and a user's name for an actor is that actor's alone. Files are named on the command line
(``--lexicon``, ``--actors``) or by ``DRAGOMAN_KNOWLEDGE``, a list of files and folders
(separated like ``PATH``); a folder contributes its ``*.tsv`` and ``*.yaml`` files. Bad
rows raise the errors the packaged files raise, naming the file and the line or entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dragoman.actors.kb import KnowledgeBase, KnowledgeBaseError, with_user_files
from dragoman.ontology.lexicon import NOUN_COLUMNS, VERB_COLUMNS, Lexicon, read_nouns, read_verbs
from dragoman.ontology.tsv import DataFileError

LEXICON_SUFFIXES = (".tsv",)
ACTOR_SUFFIXES = (".yaml", ".yml")


class KnowledgeFileError(ValueError):
    """A user's knowledge file is missing or of no kind Dragoman reads."""


@dataclass(frozen=True)
class OwnKnowledge:
    """The files of a user's own knowledge, sorted by kind."""

    lexicon_files: tuple[Path, ...] = ()
    actor_files: tuple[Path, ...] = ()

    @classmethod
    def from_paths(
        cls,
        paths: Iterable[Path | str] = (),
        lexicon: Iterable[Path | str] = (),
        actors: Iterable[Path | str] = (),
    ) -> OwnKnowledge:
        """Sort ``paths`` (files or folders) by suffix; ``lexicon`` and ``actors`` are
        files of a declared kind."""
        lexicon_files = [Path(p) for p in lexicon]
        actor_files = [Path(p) for p in actors]
        for raw in paths:
            path = Path(raw)
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            for file in files:
                if file.suffix.lower() in LEXICON_SUFFIXES:
                    lexicon_files.append(file)
                elif file.suffix.lower() in ACTOR_SUFFIXES:
                    actor_files.append(file)
                elif not path.is_dir():
                    raise KnowledgeFileError(
                        f"{file}: not a knowledge file (lexicon rows are .tsv, actors .yaml)"
                    )
        for file in [*lexicon_files, *actor_files]:
            if not file.is_file():
                raise KnowledgeFileError(f"{file}: knowledge file not found")
        return cls(tuple(lexicon_files), tuple(actor_files))

    @property
    def empty(self) -> bool:
        return not (self.lexicon_files or self.actor_files)

    def lexicon(self, base: Lexicon | None = None) -> Lexicon:
        """``base`` (default: the packaged lexicon) with the user's rows in front."""
        base = base or Lexicon.load()
        if not self.lexicon_files:
            return base
        return with_rows(base, *read_user_rows(self.lexicon_files))

    def knowledge_base(self) -> KnowledgeBase:
        """The packaged knowledge base with the user's actors."""
        return with_user_files(list(self.actor_files))


def read_user_rows(paths: Sequence[Path]) -> tuple[list, list]:
    """Verb and noun rows of the user's TSV files, each file read by its header."""
    verbs, nouns = [], []
    for path in paths:
        header = _header(path)
        if header == VERB_COLUMNS:
            verbs += read_verbs(path)
        elif header == NOUN_COLUMNS:
            nouns += read_nouns(path)
        else:
            raise DataFileError(
                path,
                1,
                f"expected the header of verbs.tsv ({'|'.join(VERB_COLUMNS)}) or of nouns.tsv "
                f"({'|'.join(NOUN_COLUMNS)})",
            )
    return verbs, nouns


def with_rows(base: Lexicon, verbs: list, nouns: list) -> Lexicon:
    """A lexicon where ``verbs`` and ``nouns`` come first and replace ``base``'s rows with
    the same words (packaged and imported alike)."""
    verb_words = {e.words for e in verbs}
    noun_words = {e.words for e in nouns}
    imported_verbs = set(base.imported_verbs)
    imported_nouns = set(base.imported_nouns)
    team_verbs = [e for e in base.verbs if e not in imported_verbs and e.words not in verb_words]
    team_nouns = [e for e in base.nouns if e not in imported_nouns and e.words not in noun_words]
    return Lexicon(
        [*verbs, *team_verbs],
        [*nouns, *team_nouns],
        base.light_verbs,
        base.modality_entries,  # the modality cues are the package's
        [e for e in base.imported_verbs if e.words not in verb_words],
        [e for e in base.imported_nouns if e.words not in noun_words],
    )


def _header(path: Path) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                text = line.rstrip("\r\n")
                if text.strip() and not text.lstrip().startswith("#"):
                    return tuple(cell.strip() for cell in text.split("\t"))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    raise DataFileError(path, 1, "no header row")


__all__ = ["KnowledgeBaseError", "KnowledgeFileError", "OwnKnowledge", "read_user_rows"]
