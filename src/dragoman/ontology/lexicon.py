"""The predicate lexicon: verbal and nominal event predicates, light verbs and modality cues.

The files live in ``dragoman/data/lexicon`` and are described in its README. Every row is
checked when the lexicon is loaded; a bad row raises :class:`DataFileError` naming the
file and line.

Besides the team's files, the folder's ``imported`` sub-folder holds verb (and possibly
noun) rows converted from public dictionaries (``python -m dragoman.knowledge``). They are
loaded after the team's rows and give way to them: an imported row is dropped when the team
has a row with the same words, or any row for the same verb lemma (noun head), since the
team's rows for a word decide all of its senses. ``Lexicon.load(imported=False)`` leaves
them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from dragoman.ontology.cameo import load_cameo
from dragoman.ontology.tsv import Row, data_path, read_rows

Entry = TypeVar("Entry", "VerbEntry", "NounEntry")

VERB_COLUMNS = ("pattern", "cameo", "target", "flags", "comment")
NOUN_COLUMNS = ("pattern", "cameo", "target", "comment")
LIGHT_VERB_COLUMNS = ("lemma", "comment")
MODALITY_COLUMNS = ("lemma", "kind", "modality", "comment")

#: Where a verb's target actor can be found, as dependency slots of the predicate.
VERB_SLOTS = frozenset(
    {
        "dobj",
        "iobj",
        "xobj",
        "prep:with",
        "prep:to",
        "prep:on",
        "prep:against",
        "prep:at",
        "prep:for",
        "prep:from",
        "prep:into",
        "prep:between",
        "prep:in",
        "prep:of",
    }
)
#: Nouns may also take their target from a possessor ("X's arrest") or "between X and Y".
NOUN_SLOTS = VERB_SLOTS | {"poss", "between"}
VERB_FLAGS = frozenset({"symmetric", "negative_object", "stative", "dyadic", "naming"})
MODALITY_KINDS = frozenset({"speech", "control", "aux", "negation", "denial"})
MODALITIES = frozenset({"asserted", "reported", "alleged", "intended", "hypothetical", "negated"})
#: Sub-folder of the lexicon folder with rows converted from public dictionaries.
IMPORTED_FOLDER = "imported"
#: Whether the team's rows for a verb lemma (noun head) shut out every imported row keyed
#: on it, not only imported rows with the same words. Measured in the lexicon README.
TEAM_WORDS_DECIDE = True


@dataclass(frozen=True)
class VerbEntry:
    """A verbal predicate: verb lemma plus optional particle/object lemmas."""

    words: tuple[str, ...]
    cameo: str
    target_slots: tuple[str, ...]
    flags: frozenset[str]
    comment: str

    @property
    def lemma(self) -> str:
        """The verb lemma the pattern is keyed on."""
        return self.words[0]

    @property
    def symmetric(self) -> bool:
        """True when both sides act on each other ("X and Y met")."""
        return "symmetric" in self.flags

    @property
    def stative(self) -> bool:
        """True when an agentless passive ("X is committed to") has its subject as source."""
        return "stative" in self.flags


@dataclass(frozen=True)
class NounEntry:
    """A nominal predicate: head noun lemma, optionally preceded by modifier lemmas."""

    words: tuple[str, ...]
    cameo: str
    target_slots: tuple[str, ...]
    comment: str

    @property
    def head(self) -> str:
        """The head noun lemma the pattern is keyed on."""
        return self.words[-1]


@dataclass(frozen=True)
class ModalityEntry:
    """A word that frames an event: speech verb, control verb, auxiliary, negation, denial."""

    lemma: str
    kind: str
    modality: str


def _pattern(row: Row) -> tuple[str, ...]:
    words = tuple(row.fields["pattern"].split())
    if not words:
        raise row.error("empty pattern")
    for word in words:
        if word != word.lower():
            raise row.error(f"pattern words are lower-case lemmas, got {word!r}")
    return words


def _cameo(row: Row) -> str:
    code = row.fields["cameo"]
    if code not in load_cameo():
        raise row.error(f"unknown CAMEO code {code!r}")
    return code


def _slots(row: Row, allowed: frozenset[str]) -> tuple[str, ...]:
    text = row.fields["target"]
    if text == "-":
        return ()
    slots = tuple(slot.strip() for slot in text.split(","))
    for slot in slots:
        if slot not in allowed:
            raise row.error(f"unknown target slot {slot!r}; allowed: {', '.join(sorted(allowed))}")
    return slots


def _flags(row: Row) -> frozenset[str]:
    text = row.fields["flags"]
    if text == "-":
        return frozenset()
    flags = frozenset(flag.strip() for flag in text.split(","))
    unknown = flags - VERB_FLAGS
    if unknown:
        raise row.error(f"unknown flag(s) {', '.join(sorted(unknown))}")
    return flags


def read_verbs(path: Path) -> list[VerbEntry]:
    """Verb entries of ``path`` in file order."""
    return [
        VerbEntry(
            _pattern(row), _cameo(row), _slots(row, VERB_SLOTS), _flags(row), row.fields["comment"]
        )
        for row in read_rows(path, VERB_COLUMNS)
    ]


def read_nouns(path: Path) -> list[NounEntry]:
    """Noun entries of ``path`` in file order."""
    return [
        NounEntry(_pattern(row), _cameo(row), _slots(row, NOUN_SLOTS), row.fields["comment"])
        for row in read_rows(path, NOUN_COLUMNS)
    ]


def read_light_verbs(path: Path) -> frozenset[str]:
    """Light-verb lemmas of ``path``."""
    lemmas = set()
    for row in read_rows(path, LIGHT_VERB_COLUMNS):
        lemma = row.fields["lemma"]
        if not lemma or lemma != lemma.lower() or " " in lemma:
            raise row.error(f"a light verb is a single lower-case lemma, got {lemma!r}")
        lemmas.add(lemma)
    return frozenset(lemmas)


def read_modality(path: Path) -> dict[str, ModalityEntry]:
    """Modality entries of ``path`` keyed by lemma."""
    entries: dict[str, ModalityEntry] = {}
    for row in read_rows(path, MODALITY_COLUMNS):
        lemma = row.fields["lemma"]
        kind, modality = row.fields["kind"], row.fields["modality"]
        if not lemma or lemma != lemma.lower():
            raise row.error(f"lemma must be a lower-case word, got {lemma!r}")
        if kind not in MODALITY_KINDS:
            raise row.error(f"unknown kind {kind!r}; allowed: {', '.join(sorted(MODALITY_KINDS))}")
        if modality not in MODALITIES:
            raise row.error(
                f"unknown modality {modality!r}; allowed: {', '.join(sorted(MODALITIES))}"
            )
        if lemma in entries:
            raise row.error(f"duplicate lemma {lemma!r}")
        entries[lemma] = ModalityEntry(lemma, kind, modality)
    return entries


def _index(entries: Sequence[Entry], key: Callable[[Entry], str]) -> dict[str, tuple[Entry, ...]]:
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        grouped[key(entry)].append(entry)
    # Longest patterns first; equal lengths keep file order (sorted is stable).
    return {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in grouped.items()}


class Lexicon:
    """All predicate and modality knowledge, indexed for lookup by lemma."""

    def __init__(
        self,
        verbs: list[VerbEntry],
        nouns: list[NounEntry],
        light_verbs: frozenset[str],
        modality_entries: dict[str, ModalityEntry],
        imported_verbs: Sequence[VerbEntry] = (),
        imported_nouns: Sequence[NounEntry] = (),
    ) -> None:
        #: Imported rows that apply (see the module's docstring).
        self.imported_verbs = tuple(_not_taken(imported_verbs, verbs, lambda e: e.words[0]))
        self.imported_nouns = tuple(_not_taken(imported_nouns, nouns, lambda e: e.words[-1]))
        verbs = [*verbs, *self.imported_verbs]
        nouns = [*nouns, *self.imported_nouns]
        self.verbs = tuple(verbs)
        self.nouns = tuple(nouns)
        self.light_verbs = light_verbs
        self._verbs_by_lemma = _index(verbs, lambda e: e.words[0])
        self._nouns_by_head = _index(nouns, lambda e: e.words[-1])
        self._modality = modality_entries
        self.speech_verbs = frozenset(k for k, v in modality_entries.items() if v.kind == "speech")
        self.control_verbs = frozenset(
            k for k, v in modality_entries.items() if v.kind == "control"
        )

    @classmethod
    def load(cls, directory: Path | None = None, imported: bool = True) -> Lexicon:
        """The lexicon in ``directory`` (default: the packaged one), loaded once; with
        ``imported`` (the default) also the rows of its ``imported`` folder."""
        return _load(directory, imported)

    @classmethod
    def from_directory(cls, directory: Path, imported: bool = True) -> Lexicon:
        """Read the four lexicon files of ``directory`` (and, with ``imported``, the
        imported rows beside them) without caching."""
        verbs = read_verbs(directory / "verbs.tsv")
        nouns = read_nouns(directory / "nouns.tsv")
        imported_verbs: list[VerbEntry] = []
        imported_nouns: list[NounEntry] = []
        if imported:
            imported_verbs, imported_nouns = read_imported(directory / IMPORTED_FOLDER)
        return cls(
            verbs,
            nouns,
            read_light_verbs(directory / "light_verbs.tsv"),
            read_modality(directory / "modality.tsv"),
            imported_verbs,
            imported_nouns,
        )

    def verb_entries(self, lemma: str) -> list[VerbEntry]:
        """Patterns whose verb is ``lemma``, longest first."""
        return list(self._verbs_by_lemma.get(lemma.lower(), ()))

    def noun_entries(self, lemma: str) -> list[NounEntry]:
        """Patterns whose head noun is ``lemma``, longest first."""
        return list(self._nouns_by_head.get(lemma.lower(), ()))

    def modality(self, lemma: str) -> ModalityEntry | None:
        """The modality cue for ``lemma``, if it is one."""
        return self._modality.get(lemma.lower())

    @property
    def modality_entries(self) -> dict[str, ModalityEntry]:
        """Every modality cue, by lemma (a copy)."""
        return dict(self._modality)

    @property
    def verb_lemmas(self) -> frozenset[str]:
        """Every verb lemma that starts a pattern."""
        return frozenset(self._verbs_by_lemma)

    @property
    def noun_heads(self) -> frozenset[str]:
        """Every head noun of a nominal pattern."""
        return frozenset(self._nouns_by_head)


def read_imported(directory: Path) -> tuple[list[VerbEntry], list[NounEntry]]:
    """Verb and noun rows of an ``imported`` folder; a missing file holds no rows."""
    verbs_path, nouns_path = directory / "verbs.tsv", directory / "nouns.tsv"
    verbs = read_verbs(verbs_path) if verbs_path.is_file() else []
    nouns = read_nouns(nouns_path) if nouns_path.is_file() else []
    return verbs, nouns


def _not_taken(
    imported: Sequence[Entry], team: Sequence[Entry], key: Callable[[Entry], str]
) -> Iterator[Entry]:
    """Imported rows the team's rows leave open: none with the same words and, while
    :data:`TEAM_WORDS_DECIDE` holds, none keyed on a word the team has rows for."""
    words = {entry.words for entry in team}
    keys = {key(entry) for entry in team} if TEAM_WORDS_DECIDE else set()
    return (e for e in imported if e.words not in words and key(e) not in keys)


@lru_cache(maxsize=8)
def _load(directory: Path | None, imported: bool = True) -> Lexicon:
    return Lexicon.from_directory(directory or data_path("lexicon"), imported)
