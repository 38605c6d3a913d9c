"""Country names misspelt in the news: "Ethopia", "Quatar", "Ghanian".

Wire copy is typed fast; a country or nationality word one keystroke away from its
spelling is common, and without a fallback the actor, and every event it took part in,
is lost. A capitalised word the knowledge base does not know is read as a country word
when exactly one country's single-word name or nationality adjective is one edit away
(a letter added, dropped, changed, or two neighbours swapped), starts with the same
letter and is at least ``MIN_LENGTH`` letters long. Words that are personal names or
well-known places are left alone ("Columbia", a city; "Indiana", a state), and so is a
word that could be more than one country.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from spacy.tokens import Token

from dragoman.actors.kb import KnowledgeBase, NameEntry

#: Shorter words are too close to ordinary words and personal names ("Omari" is not "Oman");
#: a misspelling matches names down to one letter shorter ("Quatar", "Qatar").
MIN_LENGTH = 6
#: Entity labels under which a misspelt country word may appear (none, too, is allowed).
_ENTITY_LABELS = frozenset({"", "GPE", "NORP", "ORG", "LOC", "FAC"})


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap of
    neighbouring letters (optimal-string-alignment distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return (
        i + 1 < len(a)
        and a[i] == b[i + 1]
        and a[i + 1] == b[i]
        and a[i + 2 :] == b[i + 2 :]
    )


class CountrySpellings:
    """The single-word names and adjectives of states, indexed for near matches."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        buckets: dict[str, list[str]] = defaultdict(list)
        for surface, entries in kb.names.items():
            if (
                " " not in surface
                and surface.isalpha()
                and len(surface) >= MIN_LENGTH - 1
                and surface[0].isupper()
                and entries
                and all(_is_state(kb, e) for e in entries)
            ):
                buckets[surface[0]].append(surface)
        self._by_initial = {k: sorted(v) for k, v in buckets.items()}

    def correct(self, word: str) -> list[NameEntry]:
        """The entries of the one state word ``word`` is a misspelling of, else none."""
        if len(word) < MIN_LENGTH or not word.isalpha() or not word[0].isupper():
            return []
        if self.kb.lookup_name(word):
            return []
        near = [s for s in self._by_initial.get(word[0], ()) if one_edit_apart(word, s)]
        states = {e.actor_id for s in near for e in self.kb.lookup_name(s)}
        if len(states) != 1:
            return []
        return list(self.kb.lookup_name(near[0]))

    def misspelt(
        self,
        tokens: Iterable[Token],
        is_place: Callable[[str], bool],
    ) -> Iterable[tuple[Token, list[NameEntry]]]:
        """Tokens of ``tokens`` that are misspelt country words, with their entries."""
        for token in tokens:
            if token.pos_ not in ("PROPN", "ADJ", "NOUN"):
                continue
            # the tagger takes an unknown nationality adjective for a name now and then
            if token.ent_type_ not in _ENTITY_LABELS and token.pos_ != "ADJ":
                continue
            entries = self.correct(token.text)
            if entries and not is_place(token.text):
                yield token, entries


def _is_state(kb: KnowledgeBase, entry: NameEntry) -> bool:
    actor = kb.actors.get(entry.actor_id)
    return actor is not None and actor.kind == "state"
