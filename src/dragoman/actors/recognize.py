"""Actor recognition: mentions of actors in an article, resolved to the knowledge base.

``ActorRecognizer.find`` walks the actor phrases of a parsed article in reading order,
resolves each to an :class:`~dragoman.records.ActorRef`, and resolves references to earlier
actors as it goes (short names, "the group", "the ministry", "the two leaders", pronouns).

Coreference is a salience heuristic, not a model: a reference points at the most salient
compatible mention within the current and the previous ``ANTECEDENT_WINDOW`` sentences (see
``ArticleState.salient`` and ``resolve_pronoun`` in :mod:`dragoman.actors.resolvers`) -- a
person for he/she, a state, organisation or group for it/its, a plural actor or a group for
they/them, a group for "the group", a body of the same type for "the ministry". Offices
without a country word take it from a possessive pronoun ("its leader"), from their own
modifiers ("police in Egypt"), or, for state offices, from the one country the surrounding
text ties its actors to. Personal names not in the knowledge base are person mentions; an
apposed office ("X, Iran's foreign minister") gives them a country and sector.

This module decides which kind of mention a phrase is; the resolvers, one module per kind
(countries, offices, people, organisations, anaphora), resolve it against the article's
shared :class:`~dragoman.actors.resolvers.state.ArticleState`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dragoman.actors.kb import KnowledgeBase
from dragoman.actors.phrases import RANK_COUNTRY, RANK_ORG, Atom, Phrase, PhraseFinder
from dragoman.actors.resolvers import anaphora, countries, offices, organisations, people
from dragoman.actors.resolvers.state import ArticleState, is_plural
from dragoman.records import ActorRef, Article


class ActorRecognizer:
    """Finds actor mentions in parsed articles; build once, call :meth:`find` per article."""

    def __init__(
        self,
        nlp: Language,
        kb: KnowledgeBase | None = None,
        is_place: Callable[[str], bool] | None = None,
    ) -> None:
        self.kb = kb or KnowledgeBase.load()
        self._finder = PhraseFinder(nlp, self.kb)
        #: Says whether a name the parser took for a person's is a well-known place's
        #: ("Rafah", "Khan Younis"): such a name is left to the place resolver.
        self.is_place = is_place or (lambda name: False)

    def find(self, doc: Doc, article: Article) -> list[ActorRef]:
        """Actor mentions in ``doc`` (``nlp(article.text)``), sorted by start offset."""
        state = ArticleState(self.kb, doc, article)
        # "pro-Russian separatists": the stance word is no mention of its own
        atoms, stances = self._finder.without_stances(doc, self._finder.atoms(doc))
        atoms = self._finder.with_misspellings(doc, atoms, self.is_place, stances)
        atoms = [a for a in atoms if not people.inside_person_name(doc, a)]
        for atom in atoms:
            if atom.rank == RANK_COUNTRY:
                country = self.kb.actors[atom.names[0].actor_id].country
                for i in range(atom.start, atom.end):
                    state.country_by_token[i] = country
        state.note_context_countries(atoms)
        phrases = self._finder.phrases(doc, atoms, stances)
        covered = {i for p in phrases for i in range(p.start, p.end)}
        covered |= {i for a, b in stances for i in range(a, b)}
        items: list[tuple[int, object]] = [(p.start, p) for p in phrases]
        items += [(t.i, t) for t in doc if t.i not in covered and t.lower_ in self.kb.pronouns]
        names = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            # "Iranian Ali Karimi": a nationality word already in a phrase is left to it
            start = ent.start
            while start < ent.end and start in covered:
                start += 1
            name = _trimmed(doc[start : ent.end])
            if (
                len(name)
                and people.looks_like_name(name)
                and not any(i in covered for i in range(start, ent.end))
                and not (self.is_place(name.text) and not self.kb.lookup_name(name[-1].text))
            ):
                names.append(name)
        in_names = {i for e in names for i in range(e.start, e.end)}
        items += [(e.start, ("person", e)) for e in names]
        unknown_orgs = [
            ent
            for ent in map(_trimmed, doc.ents)
            if ent.label_ == "ORG"
            and not any(i in covered or i in in_names for i in range(ent.start, ent.end))
            and any(t.is_alpha and t.text[:1].isupper() for t in ent)
            and not self.is_place(ent.text)
        ]
        in_names |= {i for e in unknown_orgs for i in range(e.start, e.end)}
        items += [(e.start, ("organisation", e)) for e in unknown_orgs]
        items += [
            (t.i, ("surname", t))
            for t in doc
            if t.i not in covered
            and t.i not in in_names
            # a sentence-initial surname is often tagged as a common noun
            and (t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[:1].isupper()))
        ]
        for _, item in sorted(items, key=lambda x: x[0]):
            if isinstance(item, Phrase):
                _resolve_phrase(state, item)
            elif isinstance(item, Token):
                anaphora.resolve_pronoun(state, item)
            elif item[0] == "person":
                people.resolve_unknown_name(state, item[1])
            elif item[0] == "organisation":
                organisations.resolve_unknown_organisation(state, item[1])
            else:
                people.resolve_surname(state, item[1])
        people.resolve_appositions(state)
        countries.share_coordinated_countries(state)
        refs = [m.ref for m in state.mentions if not article.in_boilerplate(m.ref.start, m.ref.end)]
        return sorted(refs, key=lambda r: (r.start, r.end))


def _trimmed(span: Span) -> Span:
    """``span`` without the whitespace tokens at its ends (an entity may end with the line
    break after a name, as in "Vladimir" before a line break)."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label=span.label_)


def _resolve_phrase(state: ArticleState, phrase: Phrase) -> None:
    """Resolve one phrase (or each conjunct of a coordinated phrase).

    "Russian and Chinese diplomats": each conjunct takes the words after the last country
    word ("Russian diplomats", "Chinese diplomats").
    """
    if not phrase.conjunct_starts:
        _resolve_simple(state, phrase, phrase.atoms, phrase.start, phrase.end)
        return
    tail_from = max(i for i, a in enumerate(phrase.atoms) if a.rank == RANK_COUNTRY) + 1
    tail = phrase.atoms[tail_from:]
    bounds = [0, *phrase.conjunct_starts, tail_from]
    for n, (a, b) in enumerate(itertools.pairwise(bounds)):
        last = n == len(bounds) - 2
        start = phrase.start if n == 0 else phrase.atoms[a].start
        end = phrase.end if last else phrase.atoms[b - 1].end
        _resolve_simple(state, phrase, phrase.atoms[a:b] + tail, start, end)


def _resolve_simple(
    state: ArticleState, phrase: Phrase, atoms: list[Atom], start: int, end: int
) -> None:
    """Hand a phrase to the resolver of its kind, the first that applies: a known person;
    a reference back ("the group"); an unknown name with its title; a demonstrative ("those
    civilians"); an organisation; an office; a country word."""
    country_atoms = [a for a in atoms if a.rank == RANK_COUNTRY]
    org_atoms = [a for a in atoms if a.rank == RANK_ORG and a.names]
    anaphor_atoms = [a for a in atoms if a.rank == RANK_ORG and not a.names]
    person_atoms = [
        a for a in atoms if any(state.kb.actors[e.actor_id].kind == "person" for e in a.names)
    ]
    office_atoms = [a for a in atoms if a.terms and a.rank > RANK_ORG]
    head = state.doc[end - 1]
    plural = is_plural(head)

    country, country_sector = countries.country_of(state, country_atoms)
    country = countries.country_of_residence(state, country_atoms, country, start, end)
    org = organisations.organisation_of(state, org_atoms)

    if person_atoms:
        people.resolve_person(state, person_atoms[-1], start, end, country)
        return
    if not country_atoms and not org and phrase.unknown_name is None:
        # "the group", "the ministry", "the two leaders"; an office word that is also an
        # anaphor ("leaders") falls back to a generic actor when nothing earlier fits.
        candidates = anaphor_atoms or [a for a in office_atoms if a.term("anaphor")]
        if candidates and anaphora.resolve_anaphor(state, phrase, candidates[-1], start, end):
            return
        if anaphor_atoms:
            return
    if phrase.unknown_name is not None:
        people.resolve_unknown_person(state, phrase, office_atoms, start, end, country, org)
        return
    if (
        office_atoms
        and not country_atoms
        and org is None
        and offices.resolve_demonstrative(
            state, head, start, end, plural, office_atoms[-1].terms[0].sector
        )
    ):
        return
    if org is not None:
        organisations.resolve_organisation(state, org, start, end, plural)
        return
    if office_atoms:
        offices.resolve_office(state, phrase, office_atoms, start, end, country, plural)
        return
    if country_atoms:
        countries.resolve_country(state, country_atoms[-1], start, end, country, country_sector)
