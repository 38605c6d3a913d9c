"""Nouns for forces of nature and accidents, which act without an author, and verbs whose
subject undergoes an act instead of doing it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dragoman.ontology.tsv import data_path, read_lemmas, read_rows

NON_AGENT_COLUMNS = ("lemma", "kind", "comment")
NON_AGENT_KINDS = frozenset({"nature", "accident", "uncertain", "weapon"})


@lru_cache(maxsize=4)
def load_non_agents(path: Path | None = None) -> dict[str, str]:
    """Lemma -> kind from ``events/non_agents.tsv`` (or ``path``), checked row by row."""
    path = path or data_path("events", "non_agents.tsv")
    lemmas: dict[str, str] = {}
    for row in read_rows(path, NON_AGENT_COLUMNS):
        lemma, kind = row.lemma(), row.fields["kind"]
        if kind not in NON_AGENT_KINDS:
            raise row.error(
                f"unknown kind {kind!r} (expected {', '.join(sorted(NON_AGENT_KINDS))})"
            )
        if lemma in lemmas:
            raise row.error(f"duplicate lemma {lemma!r}")
        lemmas[lemma] = kind
    return lemmas


def lemmas_of(kinds: dict[str, str], *wanted: str) -> frozenset[str]:
    """The lemmas of the ``wanted`` kinds."""
    return frozenset(lemma for lemma, kind in kinds.items() if kind in wanted)


@lru_cache(maxsize=4)
def load_undergoing_verbs(path: Path | None = None) -> frozenset[str]:
    """Lemmas of ``events/undergoing_verbs.tsv`` (or ``path``), checked row by row."""
    return read_lemmas(path or data_path("events", "undergoing_verbs.tsv"))
