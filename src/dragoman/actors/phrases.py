"""Finding actor words in a parsed document and grouping them into actor phrases.

An *atom* is one knowledge-base match: a name ("Hamas", "Russian", "Moscow") matched
case-sensitively, or a common-noun term ("foreign ministry", "officials") matched in lower
case. Both match across a run of spaces or tabs between their words ("Vladimir   Putin",
"the United\tNations"), never across a line break. A *phrase* is a run of atoms that
together denote one actor, in the order English builds such phrases: country words, then an
organisation, then offices or roles, then a personal name ("Russian Deputy Foreign Minister
Mikhail Bogdanov", "a Hamas delegation").

A *stance* is an atom inside a hyphenated modifier that says whom a group is for or against,
or who backs it ("pro-Russian separatists", "anti-government protesters", "Iranian-backed
militias"): the group is not that actor. The atom is taken out of the phrase, and the
modifier becomes part of the phrase's text, like any other modifier.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from dragoman.actors.kb import KnowledgeBase, NameEntry, Term
from dragoman.actors.misspellings import CountrySpellings

#: Slot ranks: the order in which atoms may follow each other inside one phrase.
RANK_COUNTRY, RANK_ORG, RANK_OFFICE, RANK_PERSON = 0, 1, 2, 3

_POSSESSIVE = {"'s", "’s", "'", "’"}
_COORDINATORS = {"and", "or", ",", "&"}
#: Lower-case particles that may sit inside a personal name ("bin", "al").
_NAME_PARTICLES = {
    "bin",
    "ibn",
    "bint",
    "al",
    "el",
    "de",
    "da",
    "di",
    "van",
    "von",
    "der",
    "la",
    "le",
    "abu",
    "abdel",
    "abd",
    "-",
}
_MAX_NAME_TOKENS = 5
#: Hyphens joining a stance word to the actor word ("pro-Russian", "Iran-backed").
_HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013"})
#: Dependencies that make a word tagged as a verb a verb of its own clause.
_CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def inline_space(token: Token) -> bool:
    """A whitespace token inside a line (spaces, tabs): names and terms match across it."""
    return token.is_space and "\n" not in token.text and "\r" not in token.text


@dataclass
class Atom:
    """One knowledge-base match over tokens ``[start, end)``."""

    start: int
    end: int
    names: list[NameEntry] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    rank: int = RANK_OFFICE

    def term(self, *categories: str) -> Term | None:
        """The first term reading in one of ``categories``, in their order of preference."""
        for category in categories:
            for term in self.terms:
                if term.category == category:
                    return term
        return None


@dataclass
class Phrase:
    """A run of atoms denoting one actor (or several, when coordinated)."""

    start: int
    end: int
    atoms: list[Atom]
    #: Tokens ``[start, end)`` of a personal name not in the knowledge base.
    unknown_name: tuple[int, int] | None = None
    #: Index in ``atoms`` where each coordinated conjunct starts (empty when not coordinated).
    conjunct_starts: list[int] = field(default_factory=list)
    definite: bool = False
    #: Number word before the phrase ("the two leaders" -> 2).
    count: int | None = None


class PhraseFinder:
    """Builds the matchers once and finds actor phrases in documents."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._term_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Names (tens of thousands with the imported dictionaries) are matched on their
        # tokens' exact texts through a table keyed by the first token: a phrase matcher
        # holding a parsed pattern per name costs some 200 MB.
        self._surfaces: dict[tuple[str, ...], str] = {}
        by_first: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        names = list(kb.names)
        for surface, pattern in zip(names, nlp.tokenizer.pipe(names)):
            words = tuple(t.text for t in pattern)
            if words:
                self._surfaces.setdefault(words, surface)
                by_first[words[0]].add(words)
        self._names_by_first = {
            first: tuple(sorted(forms, key=lambda w: (-len(w), w)))
            for first, forms in by_first.items()
        }
        # Terms are matched in lower case, but tokenisation depends on case ("Mr." is one
        # token, "mr." two), so each term is tokenised as written and capitalised.
        terms = list(kb.terms)
        capitalised = [" ".join(w[:1].upper() + w[1:] for w in t.split()) for t in terms]
        for phrase, plain, upper in zip(
            terms, nlp.tokenizer.pipe(terms), nlp.tokenizer.pipe(capitalised)
        ):
            patterns = [plain]
            if [t.lower_ for t in upper] != [t.lower_ for t in plain]:
                patterns.append(upper)
            self._term_matcher.add(phrase, patterns)
        self._spellings = CountrySpellings(kb)

    def _name_spans(self, doc: Doc) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Every token span whose words are a known name's, overlapping ones included, with
        those words; whitespace tokens inside a line are passed over."""
        tokens = [t for t in doc if not inline_space(t)]
        texts = [t.text for t in tokens]
        for k, first in enumerate(texts):
            for words in self._names_by_first.get(first, ()):
                end = k + len(words)
                if end <= len(texts) and tuple(texts[k:end]) == words:
                    yield tokens[k].i, tokens[end - 1].i + 1, words

    def _term_spans(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        """(match id, start, end) of every term match; whitespace tokens inside a line are
        passed over (the matcher reads a copy of ``doc`` without them)."""
        tokens = [t for t in doc if not inline_space(t)]
        if len(tokens) == len(doc):
            yield from self._term_matcher(doc)
            return
        spaces = [
            bool(t.whitespace_) or (t.i + 1 < len(doc) and inline_space(doc[t.i + 1]))
            for t in tokens
        ]
        compact = Doc(doc.vocab, words=[t.text for t in tokens], spaces=spaces)
        for match_id, start, end in self._term_matcher(compact):
            yield match_id, tokens[start].i, tokens[end - 1].i + 1

    # ----- atoms ---------------------------------------------------------------------
    def atoms(self, doc: Doc) -> list[Atom]:
        """Non-overlapping knowledge-base matches, longest first, names before terms."""
        candidates: list[tuple[int, int, int, Atom]] = []
        for start, end, words in self._name_spans(doc):
            surface = self._surfaces.get(words)
            entries = self.kb.lookup_name(surface) if surface is not None else []
            if not entries:
                continue
            candidates.append(
                (
                    end - start,
                    1,
                    start,
                    Atom(start, end, names=list(entries), rank=self._name_rank(entries)),
                )
            )
        for match_id, start, end in self._term_spans(doc):
            if end - start == 1 and self._is_adjectival_modifier(doc[start]):
                # "an official Syrian newspaper": the adjective, not the role "officials"
                continue
            if end - start == 1 and _is_clause_verb(doc[start]):
                # "Pakistan accused India", "Russia forces Kyiv to ...": a verb, not a role
                continue
            terms = self.kb.lookup_term(doc.vocab.strings[match_id])
            rank = RANK_ORG if all(t.category == "anaphor" for t in terms) else RANK_OFFICE
            candidates.append(
                (end - start, 0, start, Atom(start, end, terms=list(terms), rank=rank))
            )
        taken = [False] * len(doc)
        chosen: list[Atom] = []
        for _, _, _, atom in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2])):
            if any(taken[atom.start : atom.end]):
                continue
            for i in range(atom.start, atom.end):
                taken[i] = True
            chosen.append(atom)
        return sorted(chosen, key=lambda a: a.start)

    def without_stances(
        self, doc: Doc, atoms: list[Atom]
    ) -> tuple[list[Atom], list[tuple[int, int]]]:
        """``atoms`` without the stance atoms, and the token spans of the stance modifiers
        ("pro-Russian", "anti-government", "Iranian-backed"; see the module docstring).

        A stance prefix ("pro", "anti") or suffix ("backed", "allied") of the knowledge
        base's lists is joined to the atom by a hyphen with no space. When the prefix
        modifies the first word of a longer term, the rest of the term stays an atom if
        the knowledge base knows it."""
        kept: list[Atom] = []
        stances: list[tuple[int, int]] = []
        for atom in atoms:
            before = _stance_prefix(doc, atom.start, self.kb.stance_prefixes)
            after = _stance_suffix(doc, atom.end, self.kb.stance_suffixes)
            if before is None and after is None:
                kept.append(atom)
                continue
            if before is not None and after is None and atom.terms and atom.end - atom.start > 1:
                rest = " ".join(t.lower_ for t in doc[atom.start + 1 : atom.end] if not t.is_space)
                terms = self.kb.lookup_term(rest)
                if terms:
                    stances.append((before, atom.start + 1))
                    kept.append(Atom(atom.start + 1, atom.end, terms=list(terms), rank=atom.rank))
                    continue
            stances.append((atom.start if before is None else before, after or atom.end))
        return kept, stances

    def with_misspellings(
        self,
        doc: Doc,
        atoms: list[Atom],
        is_place: Callable[[str], bool],
        taken_spans: Sequence[tuple[int, int]] = (),
    ) -> list[Atom]:
        """``atoms`` and an atom for each misspelt country word no atom covers
        ("Ethopia has agreed", see :mod:`dragoman.actors.misspellings`); tokens of
        ``taken_spans`` (stance modifiers) are not read as misspellings either."""
        taken = {i for a in atoms for i in range(a.start, a.end)}
        taken |= {i for a, b in taken_spans for i in range(a, b)}
        free = (t for t in doc if t.i not in taken)
        extra = [
            Atom(t.i, t.i + 1, names=entries, rank=self._name_rank(entries))
            for t, entries in self._spellings.misspelt(free, is_place)
        ]
        if not extra:
            return atoms
        return sorted(atoms + extra, key=lambda a: a.start)

    def _name_rank(self, entries: list[NameEntry]) -> int:
        kinds = {self.kb.actors[e.actor_id].kind for e in entries}
        if "person" in kinds:
            return RANK_PERSON
        if kinds & {"organization", "group"}:
            return RANK_ORG
        return RANK_COUNTRY

    # ----- phrases -------------------------------------------------------------------
    def phrases(
        self,
        doc: Doc,
        atoms: list[Atom],
        stances: Sequence[tuple[int, int]] = (),
    ) -> list[Phrase]:
        """Group atoms into phrases (see the module docstring for the order); a phrase
        takes in the stance modifiers (``stances``, token spans) right before it."""
        stance_starts = {end: start for start, end in stances}
        out: list[Phrase] = []
        i = 0
        while i < len(atoms):
            group = [atoms[i]]
            conjuncts: list[int] = []
            j = i + 1
            while j < len(atoms):
                gap = doc[group[-1].end : atoms[j].start]
                link = self._link(group, atoms[j], gap)
                if link is None:
                    break
                if link == "coordination":
                    conjuncts.append(len(group))
                group.append(atoms[j])
                j += 1
            phrases = self._split_coordination(doc, group, conjuncts, stance_starts)
            # a personal name read after a title may swallow a later atom ("Defence
            # Secretary Tom King": "King" is a surname here, not a title)
            out.extend(p for p in phrases if not out or p.start >= out[-1].end)
            i = j
        return out

    def _link(self, group: list[Atom], nxt: Atom, gap: Doc) -> str | None:
        """How ``nxt`` joins the phrase built so far: ``adjacent``, ``coordination`` or None."""
        last = group[-1]
        words = list(gap)
        if len(words) > 3:
            return None
        if words and all(t.lower_ in _COORDINATORS for t in words):
            if last.rank == RANK_COUNTRY and nxt.rank == RANK_COUNTRY:
                return "coordination"
            return None
        if words and words[0].text in _POSSESSIVE:
            # "Iran's foreign minister", "the group's representatives"
            if (
                last.rank in (RANK_COUNTRY, RANK_ORG)
                and nxt.rank >= RANK_OFFICE
                and all(self._is_filler(t) for t in words[1:])
            ):
                return "adjacent"
            return None
        if not all(self._is_filler(t) for t in words):
            return None
        if nxt.rank > last.rank or (nxt.rank == last.rank and last.rank == RANK_OFFICE):
            return "adjacent"
        if last.rank == RANK_COUNTRY and nxt.rank == RANK_COUNTRY and not words:
            # "Russian Israelis": a demonym qualifying a nationality noun
            return "adjacent" if _is_noun(nxt, gap.doc) else None
        if last.rank == RANK_OFFICE and nxt.rank == RANK_ORG and not words:
            # an apposed name: "channel RIA", "the militant group Hezbollah"
            return "adjacent"
        return None

    def _is_filler(self, token: Token) -> bool:
        """Words that may sit between atoms of one phrase without changing its meaning."""
        return (
            self._is_modifier(token)
            or token.is_space
            or token.text == "-"
            or (token.tag_ == "VBN" and token.i > 0 and token.nbor(-1).text == "-")
        )

    def _is_adjectival_modifier(self, token: Token) -> bool:
        return (
            token.pos_ == "ADJ"
            and token.dep_ == "amod"
            and token.lower_ in self.kb.modifiers
            and token.head.i > token.i
        )

    def _is_modifier(self, token: Token) -> bool:
        return token.lower_ in self.kb.modifiers or token.pos_ == "ADJ"

    def _split_coordination(
        self, doc: Doc, group: list[Atom], conjuncts: list[int], stance_starts: dict[int, int]
    ) -> list[Phrase]:
        """Keep coordination only when the conjuncts share an office or role tail."""
        if conjuncts and group[-1].rank == RANK_COUNTRY:
            phrases = []
            bounds = [0, *conjuncts, len(group)]
            for a, b in itertools.pairwise(bounds):
                phrases.append(self._make_phrase(doc, group[a:b], [], stance_starts))
            return phrases
        return [self._make_phrase(doc, group, conjuncts, stance_starts)]

    def _make_phrase(
        self, doc: Doc, group: list[Atom], conjuncts: list[int], stance_starts: dict[int, int]
    ) -> Phrase:
        start, end = group[0].start, group[-1].end
        # leading modifiers ("Senior Hamas member", "pro-Russian armed separatists"), never
        # the determiner
        while start > 0:
            if start in stance_starts:
                start = stance_starts[start]
            elif self._is_modifier(doc[start - 1]) and doc[start - 1].pos_ != "DET":
                start -= 1
            else:
                break
        phrase = Phrase(start, end, group, conjunct_starts=list(conjuncts))
        unknown = self._unknown_name(doc, group[-1])
        if unknown is not None:
            phrase.unknown_name = unknown
            phrase.end = unknown[1]
        before = start - 1
        if before >= 0 and doc[before].lower_ in self.kb.numbers:
            phrase.count = self.kb.numbers[doc[before].lower_]
            phrase.start = before
            # "both sides" points back as "the two sides" does
            phrase.definite = doc[before].lower_ == "both"
            before -= 1
        if before >= 0 and doc[before].lower_ == "the":
            phrase.definite = True
        return phrase

    def _unknown_name(self, doc: Doc, last: Atom) -> tuple[int, int] | None:
        """Capitalised name tokens right after a title ("minister Dubem Oniya")."""
        if last.names or not any(t.takes_name for t in last.terms):
            return None
        i = last.end
        end = i
        while i < len(doc) and i - last.end < _MAX_NAME_TOKENS:
            token = doc[i]
            if (
                token.pos_ == "PROPN"
                and token.text[:1].isupper()
                and token.ent_type_ not in ("DATE", "TIME", "GPE", "NORP", "CARDINAL")
            ):
                i += 1
                end = i
            elif token.is_space or (token.lower_ in _NAME_PARTICLES and end > last.end):
                i += 1
            else:
                break
        return (last.end, end) if end > last.end else None


def _is_clause_verb(token: Token) -> bool:
    """A word the tagger read as the verb of a clause, with a subject or an object."""
    return token.pos_ == "VERB" and any(c.dep_ in _CLAUSE_DEPS for c in token.children)


def _stance_prefix(doc: Doc, start: int, prefixes: frozenset[str]) -> int | None:
    """Start of a stance prefix joined to the token at ``start`` ("pro-" in "pro-Russian")."""
    if start < 2:
        return None
    word, hyphen = doc[start - 2], doc[start - 1]
    joined = not word.whitespace_ and not hyphen.whitespace_
    return start - 2 if joined and word.lower_ in prefixes and hyphen.text in _HYPHENS else None


def _stance_suffix(doc: Doc, end: int, suffixes: frozenset[str]) -> int | None:
    """End of a stance suffix joined to the token before ``end`` ("-backed" in "Iran-backed")."""
    if end + 1 >= len(doc) or doc[end - 1].whitespace_:
        return None
    hyphen, word = doc[end], doc[end + 1]
    if hyphen.text in _HYPHENS and not hyphen.whitespace_ and word.lower_ in suffixes:
        return end + 2
    return None


def _is_noun(atom: Atom, doc: Doc) -> bool:
    return doc[atom.end - 1].pos_ in ("NOUN", "PROPN") and doc[atom.end - 1].tag_ in ("NNS", "NNPS")
