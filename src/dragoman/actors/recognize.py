"""Actor recognition: mentions of actors in an article, resolved to the knowledge base.

``ActorRecognizer.find`` walks the actor phrases of a parsed article in reading order,
resolves each to an :class:`~dragoman.records.ActorRef`, and resolves references to earlier
actors as it goes (short names, "the group", "the ministry", "the two leaders", pronouns).

Coreference is a salience heuristic, not a model: a reference points at the most salient
compatible mention within the current and the previous ``ANTECEDENT_WINDOW`` sentences (see
``_ArticleRun._salient`` and ``resolve_pronoun``) -- a person for he/she, a state,
organisation or group for it/its, a plural actor or a group for they/them, a group for "the
group", a body of the same type for "the ministry". Offices without a country word take it
from a possessive pronoun ("its leader"), from their own modifiers ("police in Egypt"), or,
for state offices, from the one country the surrounding text ties its actors to. Personal
names not in the knowledge base are person mentions; an apposed office ("X, Iran's foreign
minister") gives them a country and sector.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Token

from dragoman.actors.kb import Actor, KnowledgeBase, Term
from dragoman.actors.phrases import (
    _NAME_PARTICLES,
    RANK_COUNTRY,
    RANK_ORG,
    Atom,
    Phrase,
    PhraseFinder,
)
from dragoman.ontology import Lexicon
from dragoman.records import ActorRef, Article

#: Determiners that point back: "those people" are people already spoken of.
DEMONSTRATIVES = frozenset({"these", "those"})
#: How many sentences back a pronoun or anaphor may look for its antecedent.
ANTECEDENT_WINDOW = 3
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CLAUSAL_DEPS = {"ccomp", "csubj", "csubjpass", "xcomp"}
#: Dependencies linking a word to the head of the noun phrase it belongs to.
_NOUN_PHRASE_DEPS = ("compound", "amod", "poss", "conj", "appos")
#: Sectors an unqualified office takes the surrounding text's country for: state offices and
#: bodies. Civilians, rebels, refugees or media are as often foreign, so they do not.
_HOME_SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD", "SPY", "OPP"}
#: Prepositions whose object may still be the home country of the sentence's actors.
_CONTEXT_PREPOSITIONS = {"in", "of", "from", "inside", "across", "throughout", "within", "at"}


@dataclass
class _Mention:
    """A resolved mention plus what coreference needs to know about it."""

    ref: ActorRef
    sentence: int
    plural: bool = False
    title: str | None = None
    body_type: str | None = None
    #: Token heading the mention's words in the parse.
    head: int = 0
    #: True for a personal name not in the knowledge base.
    unknown: bool = False
    #: True for an office named without a personal name ("the foreign minister").
    by_title: bool = False


#: Words that make a nationality word an ethnic group's ("ethnic Albanians").
ETHNIC_MARKERS = frozenset({"ethnic", "ethnically"})


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
        run = _ArticleRun(self.kb, doc, article)
        atoms = [a for a in self._finder.atoms(doc) if not _inside_person_name(doc, a)]
        for atom in atoms:
            if atom.rank == RANK_COUNTRY:
                country = self.kb.actors[atom.names[0].actor_id].country
                for i in range(atom.start, atom.end):
                    run.country_by_token[i] = country
        run.note_context_countries(atoms)
        phrases = self._finder.phrases(doc, atoms)
        covered = {i for p in phrases for i in range(p.start, p.end)}
        items: list[tuple[int, object]] = [(p.start, p) for p in phrases]
        items += [(t.i, t) for t in doc if t.i not in covered and t.lower_ in self.kb.pronouns]
        people = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            # "Iranian Ali Karimi": a nationality word already in a phrase is left to it
            start = ent.start
            while start < ent.end and start in covered:
                start += 1
            name = doc[start : ent.end]
            if (
                len(name)
                and _looks_like_name(name)
                and not any(i in covered for i in range(start, ent.end))
                and not (self.is_place(name.text) and not self.kb.lookup_name(name[-1].text))
            ):
                people.append(name)
        in_people = {i for e in people for i in range(e.start, e.end)}
        items += [(e.start, ("person", e)) for e in people]
        items += [
            (t.i, ("surname", t))
            for t in doc
            if t.i not in covered
            and t.i not in in_people
            # a sentence-initial surname is often tagged as a common noun
            and (t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[:1].isupper()))
        ]
        for _, item in sorted(items, key=lambda x: x[0]):
            if isinstance(item, Phrase):
                run.resolve_phrase(item)
            elif isinstance(item, Token):
                run.resolve_pronoun(item)
            elif item[0] == "person":
                run.resolve_unknown_name(item[1])
            else:
                run.resolve_surname(item[1])
        run.resolve_appositions()
        run.share_coordinated_countries()
        refs = [m.ref for m in run.mentions if not article.in_boilerplate(m.ref.start, m.ref.end)]
        return sorted(refs, key=lambda r: (r.start, r.end))


def _clause_of(token: Token) -> Token | None:
    """The verb heading the clause a token belongs to."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _climb(token: Token, deps: tuple[str, ...] = _NOUN_PHRASE_DEPS) -> Token:
    """The token reached by following ``token``'s head while its dependency is in ``deps``."""
    while token.dep_ in deps and token.head.i != token.i:
        token = token.head
    return token


def _inside_person_name(doc: Doc, atom: Atom) -> bool:
    """A country word inside a personal name ("Michael Jordan") is not a country mention.

    A nationality word at the start of a PERSON entity ("Iranian Ali Karimi") is kept.
    """
    if atom.rank != RANK_COUNTRY:
        return False
    token = doc[atom.start]
    if token.ent_type_ != "PERSON":
        return False
    ent = next((e for e in doc.ents if e.start <= atom.start < e.end), None)
    if ent is None or ent.end - ent.start <= atom.end - atom.start or not _looks_like_name(ent):
        return False
    return not (atom.start == ent.start and atom.names[0].role == "demonym")


def _looks_like_name(ent) -> bool:
    """A PERSON entity made of capitalised proper-noun words (and name particles)."""
    words = [t for t in ent if not t.is_space]
    return (
        bool(words)
        and all(
            (t.pos_ == "PROPN" and t.text[:1].isupper()) or t.lower_ in _NAME_PARTICLES
            for t in words
        )
        and words[-1].pos_ == "PROPN"
        # "Patriot air defence systems": a name modifying a common noun names no one
        and not (words[-1].dep_ == "compound" and words[-1].head.pos_ == "NOUN")
    )


class _ArticleRun:
    """The state of recognition over one article (mentions so far, for coreference)."""

    def __init__(self, kb: KnowledgeBase, doc: Doc, article: Article) -> None:
        self.kb = kb
        self.doc = doc
        self.article = article
        self.when: date | None = article.published
        self.mentions: list[_Mention] = []
        self.sentence_of = [0] * len(doc)
        for index, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sentence_of[i] = index
        #: Token index -> country of the country word (name, demonym, capital) covering it.
        self.country_by_token: dict[int, str | None] = {}
        #: Surname -> mention of a person not in the knowledge base ("Oniya").
        self.unknown_people: dict[str, _Mention] = {}
        #: Sentence index -> countries its actor words are tied to.
        self.context_countries: dict[int, set[str]] = {}

    # ----- helpers -------------------------------------------------------------------
    def _emit(
        self,
        start_tok: int,
        end_tok: int,
        *,
        name: str,
        code: str,
        kind: str,
        country: str | None = None,
        sector: str | None = None,
        actor_id: str | None = None,
        antecedent: str | None = None,
        plural: bool = False,
        title: str | None = None,
        body_type: str | None = None,
    ) -> _Mention:
        span = self.doc[start_tok:end_tok]
        ref = ActorRef(
            text=self.article.text[span.start_char : span.end_char],
            start=span.start_char,
            end=span.end_char,
            name=name,
            code=code,
            country=country,
            sector=sector,
            kind=kind,
            actor_id=actor_id,
            antecedent=antecedent,
        )
        mention = _Mention(
            ref, self.sentence_of[start_tok], plural, title, body_type, head=span.root.i
        )
        self.mentions.append(mention)
        return mention

    def _copy(self, start_tok: int, end_tok: int, antecedent: _Mention) -> _Mention:
        span = self.doc[start_tok:end_tok]
        ref = replace(
            antecedent.ref,
            text=self.article.text[span.start_char : span.end_char],
            start=span.start_char,
            end=span.end_char,
            antecedent=antecedent.ref.antecedent or antecedent.ref.text,
        )
        mention = _Mention(
            ref,
            self.sentence_of[start_tok],
            antecedent.plural,
            antecedent.title,
            antecedent.body_type,
            head=span.root.i,
            unknown=antecedent.unknown,
        )
        self.mentions.append(mention)
        return mention

    # ----- context and salience ------------------------------------------------------
    def note_context_countries(self, atoms: list[Atom]) -> None:
        """Record, per sentence, the countries its words tie actors to.

        Country words count, and named organisations and people through their country,
        except a state named as the object of a verb or of a non-locative preposition
        ("warned Russia", "sanctions against Iraq"): that one is more likely the other party.
        A country word qualifying another actor counts wherever it stands ("warned the
        Ugandan opposition").
        """
        for atom in atoms:
            countries: set[str] = set()
            for entry in atom.names:
                actor = self.kb.actors[entry.actor_id]
                if actor.kind == "person":
                    role = actor.role_on(self.when)
                    if role is not None and role.country:
                        countries.add(role.country)
                elif actor.country:
                    countries.add(actor.country)
            if len(countries) != 1:
                continue
            head = self.doc[atom.end - 1]
            if head.dep_ not in ("compound", "amod", "poss") and self._is_other_party(head):
                continue
            sentence = self.sentence_of[atom.start]
            self.context_countries.setdefault(sentence, set()).update(countries)

    def _is_other_party(self, token: Token) -> bool:
        token = _climb(token)
        if token.dep_ in ("dobj", "dative", "attr", "oprd"):
            return True
        return token.dep_ == "pobj" and token.head.lower_ not in _CONTEXT_PREPOSITIONS

    def _sentence_country(self, token_index: int) -> str | None:
        """The one country the text around a token ties its actors to.

        The token's sentence decides when it names any country; else the nearest earlier
        sentence (within the antecedent window) that names one. Two or more countries in
        the deciding sentence leave the question open.
        """
        sentence = self.sentence_of[token_index]
        for back in range(sentence, max(-1, sentence - ANTECEDENT_WINDOW - 1), -1):
            countries = self.context_countries.get(back)
            if countries:
                return next(iter(countries)) if len(countries) == 1 else None
        return None

    def _is_subject(self, token_index: int) -> bool:
        return _climb(self.doc[token_index]).dep_ in _SUBJECT_DEPS

    def _is_nested(self, token_index: int) -> bool:
        """True for a mention inside a prepositional modifier of a noun ("relatives of X")."""
        token = _climb(self.doc[token_index], ("compound", "amod", "conj", "appos"))
        return (
            token.dep_ == "pobj"
            and token.head.dep_ == "prep"
            and token.head.head.pos_ in ("NOUN", "PROPN", "PRON")
        )

    def _in_list(self, token_index: int) -> bool:
        """True for a member of a coordination ("the PLO, the PFLP and Hamas")."""
        token = _climb(self.doc[token_index], ("compound", "amod", "appos"))
        return token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children)

    def _in_noun_clause(self, token_index: int) -> bool:
        token = self.doc[token_index]
        while token.head.i != token.i:
            if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return True
            token = token.head
        return False

    def _salient(self, token_index: int, accept) -> list[_Mention]:
        """Earlier compatible mentions, most salient first.

        Salience: the same sentence before earlier ones, then (in an earlier sentence) a
        subject before other positions, a mention heading its noun phrase before one nested in a prepositional
        modifier, one outside a clause modifying a noun ("relatives ... who are held by
        Hamas") before one inside, then recency.
        """
        sentence = self.sentence_of[token_index]
        char = self.doc[token_index].idx
        found = [
            (n, m)
            for n, m in enumerate(self.mentions)
            if sentence - m.sentence <= ANTECEDENT_WINDOW and m.ref.end <= char and accept(m)
        ]
        found.sort(
            key=lambda nm: (
                sentence - nm[1].sentence,
                nm[1].sentence != sentence and not self._is_subject(nm[1].head),
                self._is_nested(nm[1].head),
                self._in_noun_clause(nm[1].head),
                -nm[0],
            )
        )
        out: list[_Mention] = []
        for _, m in found:
            if all(m.ref is not o.ref for o in out):
                out.append(m)
        return out

    def _recent(self, token_index: int, accept) -> list[_Mention]:
        """Earlier mentions within the window that satisfy ``accept``, most recent first."""
        sentence = self.sentence_of[token_index]
        out = []
        for mention in reversed(self.mentions):
            if sentence - mention.sentence > ANTECEDENT_WINDOW:
                break
            if accept(mention):
                out.append(mention)
        return out

    def _is_plural(self, token: Token) -> bool:
        return token.tag_ in ("NNS", "NNPS") or "Plur" in token.morph.get("Number")

    # ----- phrases -------------------------------------------------------------------
    def resolve_phrase(self, phrase: Phrase) -> None:
        """Resolve one phrase (or each conjunct of a coordinated phrase)."""
        if not phrase.conjunct_starts:
            self._resolve_simple(phrase, phrase.atoms, phrase.start, phrase.end)
            return
        tail_from = max(i for i, a in enumerate(phrase.atoms) if a.rank == RANK_COUNTRY) + 1
        tail = phrase.atoms[tail_from:]
        bounds = [0, *phrase.conjunct_starts, tail_from]
        for n, (a, b) in enumerate(itertools.pairwise(bounds)):
            last = n == len(bounds) - 2
            start = phrase.start if n == 0 else phrase.atoms[a].start
            end = phrase.end if last else phrase.atoms[b - 1].end
            self._resolve_simple(phrase, phrase.atoms[a:b] + tail, start, end)

    def _resolve_simple(self, phrase: Phrase, atoms: list[Atom], start: int, end: int) -> None:
        country_atoms = [a for a in atoms if a.rank == RANK_COUNTRY]
        org_atoms = [a for a in atoms if a.rank == RANK_ORG and a.names]
        anaphor_atoms = [a for a in atoms if a.rank == RANK_ORG and not a.names]
        person_atoms = [
            a for a in atoms if any(self.kb.actors[e.actor_id].kind == "person" for e in a.names)
        ]
        office_atoms = [a for a in atoms if a.terms and a.rank > RANK_ORG]
        head = self.doc[end - 1]
        plural = self._is_plural(head)

        country, country_sector = self._country_of(country_atoms)
        country = self._country_of_residence(country_atoms, country, start, end)
        org = self.kb.actors[org_atoms[-1].names[0].actor_id] if org_atoms else None

        if person_atoms:
            self._resolve_person(person_atoms[-1], start, end, country)
            return
        if not country_atoms and not org and phrase.unknown_name is None:
            # "the group", "the ministry", "the two leaders"; an office word that is also an
            # anaphor ("leaders") falls back to a generic actor when nothing earlier fits.
            candidates = anaphor_atoms or [a for a in office_atoms if a.term("anaphor")]
            if candidates and self._resolve_anaphor(phrase, candidates[-1], start, end):
                return
            if anaphor_atoms:
                return
        if phrase.unknown_name is not None:
            self._resolve_unknown_person(phrase, office_atoms, start, end, country, org)
            return
        if (
            office_atoms
            and not country_atoms
            and org is None
            and any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in head.children)
            and self._resolve_demonstrative(start, end, plural, office_atoms[-1].terms[0].sector)
        ):
            return
        if org is not None:
            self._emit(
                start,
                end,
                name=org.name,
                code=org.code,
                kind=org.kind,
                country=org.country,
                sector=org.sector,
                actor_id=org.id,
                plural=plural,
            )
            return
        if office_atoms:
            self._resolve_office(phrase, office_atoms, start, end, country, plural)
            return
        if country_atoms:
            self._resolve_country(country_atoms[-1], start, end, country, country_sector)

    def _country_of_residence(
        self, country_atoms: list[Atom], country: str | None, start: int, end: int
    ) -> str | None:
        """CAMEO codes an ethnic group by the country it lives in, not by its kin state:
        "Bosnian Serbs" are Bosnia's (the first nationality word is the residence), "ethnic
        Albanians" near Macedonia's border are Macedonia's when the sentence names that one
        other country."""
        if len(country_atoms) >= 2 and all(
            any(e.role == "demonym" for e in a.names) for a in country_atoms[-2:]
        ):
            first = self.kb.actors[country_atoms[-2].names[0].actor_id].country
            if first and first != country and country_atoms[-2].end == country_atoms[-1].start:
                return first
        if country is None or not any(
            t.lower_ in ETHNIC_MARKERS for t in self.doc[max(0, start - 1) : end]
        ):
            return country
        sentence = self.doc[start].sent
        others = {
            c
            for i in range(sentence.start, sentence.end)
            if (c := self.country_by_token.get(i)) is not None and c != country
        }
        return others.pop() if len(others) == 1 else country

    def _country_of(self, country_atoms: list[Atom]) -> tuple[str | None, str | None]:
        if not country_atoms:
            return None, None
        entry = country_atoms[-1].names[0]
        return self.kb.actors[entry.actor_id].country, entry.sector

    def _resolve_person(self, atom: Atom, start: int, end: int, country: str | None) -> None:
        actors = [
            self.kb.actors[e.actor_id]
            for e in atom.names
            if self.kb.actors[e.actor_id].kind == "person"
        ]
        actor = self._pick_person(actors, country)
        code, role_country, sector = self.kb.person_code(actor, self.when)
        role = actor.role_on(self.when)
        # A short form ("Bogdanov", "Mr. Bogdanov") refers back to the first full mention.
        earlier = next(
            (m for m in self.mentions if m.ref.actor_id == actor.id and m.ref.antecedent is None),
            None,
        )
        short = all(e.role == "short" for e in atom.names if e.actor_id == actor.id)
        antecedent = earlier.ref.text if earlier is not None and short else None
        self._emit(
            start,
            end,
            name=actor.name,
            code=code,
            kind="person",
            country=role_country,
            sector=sector,
            actor_id=actor.id,
            antecedent=antecedent,
            title=role.title if role else None,
        )

    def _pick_person(self, actors: list[Actor], country: str | None) -> Actor:
        """Choose among people sharing a name: already mentioned, then in office, then latest."""
        if len(actors) == 1:
            return actors[0]
        mentioned = {m.ref.actor_id for m in self.mentions}
        for actor in actors:
            if actor.id in mentioned:
                return actor
        if self.when is not None:
            in_office = [
                a
                for a in actors
                if any(r.covers(self.when) for r in a.roles)
                and (country is None or any(r.country == country for r in a.roles))
            ]
            if in_office:
                return in_office[0]
        return max(actors, key=lambda a: max(r.start or date.min for r in a.roles))

    def _resolve_unknown_person(
        self,
        phrase: Phrase,
        office_atoms: list[Atom],
        start: int,
        end: int,
        country: str | None,
        org: Actor | None,
    ) -> None:
        name_start, name_end = phrase.unknown_name
        name = self.doc[name_start:name_end].text
        surname = self.doc[name_end - 1].text
        known = self.unknown_people.get(surname)
        titles = [t for a in office_atoms for t in a.terms if t.category in ("title", "role")]
        if known is not None and (
            name_end - name_start == 1 or not titles or name == known.ref.name
        ):
            self._copy(start, end, known)
            return
        sector = next((t.sector for t in titles if t.sector), None)
        if country is None and org is None:
            country = self._sentence_country(start)
        if org is not None:
            code, country, sector = org.code, org.country or country, org.sector or sector
        elif country is not None:
            code = f"{country}{sector or ''}"
        elif sector is not None:
            code = sector
        else:
            return  # "Mr. Smith" with nothing else known is not an actor we can code
        title = next((t.label for t in titles if t.category == "title"), None)
        mention = self._emit(
            start,
            end,
            name=name,
            code=code,
            kind="person",
            country=country,
            sector=sector,
            title=title,
        )
        mention.unknown = True
        self.unknown_people[surname] = mention

    def _resolve_office(
        self,
        phrase: Phrase,
        office_atoms: list[Atom],
        start: int,
        end: int,
        country: str | None,
        plural: bool,
    ) -> None:
        atom = office_atoms[-1]
        term = atom.term("title", "body", "role")
        if term is None:
            return
        head = self.doc[atom.end - 1]
        sector = self._office_sector(office_atoms, term)
        own_country = country is not None
        if country is None and term.country is not None:
            country = term.country
        owner = self._possessor(phrase, head) if country is None else None
        if owner is not None:
            # "its leader", "their foreign minister": the possessor's actor
            country = owner.ref.country
        if country is None and owner is None and not self._may_stand_alone(head):
            return
        if country is None and term.category == "title" and phrase.definite:
            earlier = self._recent(
                start, lambda m: m.ref.kind == "person" and m.title == term.label
            )
            if earlier:
                self._copy(start, end, earlier[0])
                return
        if country is None and term.category == "body" and phrase.definite:
            earlier = self._recent(
                start, lambda m: m.body_type == term.type and m.ref.name.endswith(term.label)
            )
            if earlier:
                self._copy(start, end, earlier[0])
                return
        if country is None and owner is None:
            country = self._country_from_context(
                head, term.category != "role" and phrase.definite, start
            )
        if (
            country is None
            and owner is None
            and sector in _HOME_SECTORS
            and not self._named_by_modifier(head)
        ):
            country = self._sentence_country(start)
        if term.category == "title" and country is not None and not plural:
            holders = self.kb.holders(term.label, country, None, self.when)
            if len(holders) == 1:
                actor = holders[0]
                code, role_country, sector = self.kb.person_code(actor, self.when)
                mention = self._emit(
                    start,
                    end,
                    name=actor.name,
                    code=code,
                    kind="person",
                    country=role_country,
                    sector=sector,
                    actor_id=actor.id,
                    title=term.label,
                )
                mention.by_title = True
                return
        words = self._office_words(office_atoms, term)
        if (
            owner is not None
            and owner.ref.kind in ("organization", "group")
            and owner.ref.actor_id is not None
        ):
            org = self.kb.actors[owner.ref.actor_id]
            self._emit(
                start,
                end,
                name=f"{org.name} {words}",
                code=org.code,
                kind="generic",
                country=org.country,
                sector=org.sector,
                plural=plural,
                antecedent=owner.ref.antecedent or owner.ref.text,
            )
            return
        if country is None and sector is None:
            return
        code = f"{country or ''}{sector or ''}"
        prefix = f"{self.kb.demonym(country)} " if country and own_country else ""
        kind = "organization" if term.category == "body" else "generic"
        mention = self._emit(
            start,
            end,
            name=f"{prefix}{words}",
            code=code,
            kind=kind,
            country=country,
            sector=sector,
            plural=plural,
            title=term.label if term.category == "title" else None,
            body_type=term.type if term.category == "body" else None,
        )
        mention.by_title = term.category in ("title", "role")

    def _named_by_modifier(self, head: Token) -> bool:
        """True when a capitalised word other than a country qualifies the office noun
        ("Middle Eastern leaders", "Kurdish fighters"): it names who they are."""
        return any(
            c.dep_ in ("amod", "compound")
            and c.text[:1].isupper()
            and not c.is_sent_start
            and c.i not in self.country_by_token
            for c in head.children
        )

    def _office_words(self, office_atoms: list[Atom], term: Term) -> str:
        """How an unnamed office or group of people is named: a body by its label, else by
        the office words as written ("rebel leaders", "hostages", "riot police")."""
        if term.category == "body":
            return term.label
        span = self.doc[office_atoms[0].start : office_atoms[-1].end]
        return " ".join(
            t.lower_ if t.is_sent_start or t.pos_ not in ("PROPN", "ADJ") else t.text
            for t in span
            if not t.is_space and t.text != "-"
        )

    @staticmethod
    def _office_sector(office_atoms: list[Atom], term: Term) -> str | None:
        """The sector of an office; a generic person noun takes its qualifier's sector.

        "rebel leaders" are rebels, "police spokesman" police, "parliament members" the
        legislature: when the last word has no sector or the default government one, an
        earlier office word with a more specific sector decides.
        """
        sector = term.sector
        if sector in (None, "GOV") and term.category == "role":
            for atom in reversed(office_atoms[:-1]):
                earlier = atom.term("role", "body")
                if earlier is not None and earlier.sector not in (None, "GOV"):
                    return earlier.sector
                if earlier is not None and sector is None:
                    sector = earlier.sector
        return sector

    def _possessor(self, phrase: Phrase, head: Token) -> _Mention | None:
        """The resolved possessive pronoun before an office ("its leader", "their envoy")."""
        candidates = [c for c in head.children if c.dep_ == "poss"]
        if phrase.start > 0:
            candidates.append(self.doc[phrase.start - 1])
        for token in candidates:
            if token.lower_ not in self.kb.pronouns or token.tag_ != "PRP$":
                continue
            for mention in reversed(self.mentions):
                if mention.head == token.i and mention.ref.country is not None:
                    return mention
        return None

    def _may_stand_alone(self, head: Token) -> bool:
        """A bare office word is an actor only as a noun heading its own phrase."""
        return head.pos_ in ("NOUN", "PROPN") and head.dep_ not in ("compound", "amod")

    def _country_from_context(self, head: Token, use_salience: bool, start: int) -> str | None:
        """Country of an unqualified office: "police in Egypt", "Algeria's leading activist",
        else the recent government."""
        found = self._country_at(head.i)
        if found:
            return found
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self._country_at(obj.i)
                        if found:
                            return found
        if use_salience:
            recent = self._recent(
                start, lambda m: m.ref.country is not None and m.ref.sector == "GOV"
            )
            if recent:
                return recent[0].ref.country
        return None

    def _country_at(self, token_index: int) -> str | None:
        """Country named by the token or by a country word modifying it."""
        token = self.doc[token_index]
        for candidate in (token, *token.children):
            if candidate.i == token_index or candidate.dep_ in ("amod", "compound", "poss"):
                country = self.country_by_token.get(candidate.i)
                if country:
                    return country
        return None

    def _resolve_country(
        self, atom: Atom, start: int, end: int, country: str | None, sector: str | None
    ) -> None:
        entry = atom.names[0]
        actor = self.kb.actors[entry.actor_id]
        head = self.doc[atom.end - 1]
        if entry.role == "capital":
            if self._is_locative(head):
                return
            self._emit(
                start,
                end,
                name=actor.name,
                code=f"{actor.code}{sector}",
                kind="state",
                country=actor.code,
                sector=sector,
                actor_id=actor.id,
            )
            return
        if entry.role == "seat":
            self._emit(
                start,
                end,
                name=self.doc[atom.start : atom.end].text,
                code=f"{actor.code}{sector}",
                kind="organization",
                country=actor.code,
                sector=sector,
                actor_id=actor.id,
            )
            return
        plural = self._is_plural(head)
        definite = start > 0 and self.doc[start - 1].lower_ == "the"
        if entry.role == "demonym" and head.pos_ in ("NOUN", "PROPN") and not plural and definite:
            # "the Russian" as a noun: the most recent person of that country
            earlier = self._recent(
                start, lambda m: m.ref.kind == "person" and m.ref.country == actor.code
            )
            if earlier:
                self._copy(start, end, earlier[0])
                return
        if entry.role == "demonym" and plural and head.pos_ in ("NOUN", "PROPN"):
            # "Liberians", "Russian Israelis": people of the country, coded as civilians;
            # an ethnic group by the country it lives in ("Bosnian Serbs")
            words = " ".join(t.text for t in self.doc[start:end] if not t.is_space)
            home = country or actor.code
            self._emit(
                start,
                end,
                name=words,
                code=f"{home}CVL",
                kind="generic",
                country=home,
                sector="CVL",
                actor_id=actor.id if home == actor.code else None,
                plural=True,
            )
            return
        self._emit(
            start,
            end,
            name=actor.name,
            code=actor.code,
            kind="state",
            country=actor.code,
            actor_id=actor.id,
            plural=plural,
        )

    def _is_locative(self, token: Token) -> bool:
        """True when the token heads the object of a locative preposition ("met in Moscow"),
        directly or through "of" ("camped on the outskirts of New Delhi")."""
        token = _climb(token, (*_NOUN_PHRASE_DEPS, "nmod"))
        if token.dep_ != "pobj":
            return False
        preposition = token.head
        if preposition.lower_ in self.kb.locative_prepositions:
            return True
        holder = preposition.head
        return (
            preposition.lower_ == "of"
            and holder.pos_ == "NOUN"
            and holder.i != token.i
            and (holder.lower_ in self.kb.spatial_nouns or self._is_locative(holder))
        )

    # ----- references ----------------------------------------------------------------
    def _resolve_anaphor(self, phrase: Phrase, atom: Atom, start: int, end: int) -> bool:
        """Resolve "the group", "the ministry", "the two leaders"; False when unresolved."""
        if not phrase.definite:
            return False
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in self.doc[end - 1].children):
            # "the movement of Palestinian workers", "the state of emergency": the phrase
            # says what it is, it does not point back
            return False
        term = atom.term("anaphor")
        target = term.type if term else None
        if target == "person":
            people = self._distinct_recent(
                start, lambda m: m.ref.kind == "person", phrase.count or 1, lambda m: m.ref.name
            )
            for person in people:
                self._copy(start, end, person)
            return bool(people)
        if target == "group":
            accept = lambda m: m.ref.kind == "group"
        elif target in ("state", "government"):
            accept = lambda m: m.ref.kind == "state" and m.ref.sector in (None, "GOV")
        elif target == "party":
            # "the two sides", "both parties": any named side of a dispute or a deal
            accept = lambda m: m.ref.kind in ("state", "group", "organization", "person")
        else:
            accept = lambda m: m.body_type == target
        if (phrase.count or 0) >= 2:
            # "the two countries", "both sides": as many distinct actors as counted
            sides = self._distinct_recent(
                start, accept, phrase.count, lambda m: (m.ref.code, m.ref.name)
            )
            if len(sides) < phrase.count:
                return False
            for side in sides:
                self._copy(start, end, side)
            return True
        earlier = self._recent(start, accept)
        if target == "group" and not earlier:
            earlier = self._recent(
                start,
                lambda m: (
                    m.ref.kind == "organization"
                    and m.ref.actor_id is not None
                    and m.ref.sector != "MED"
                ),
            )
        if earlier:
            self._copy(start, end, earlier[0])
            return True
        return False

    def _distinct_recent(self, start: int, accept, wanted: int, key) -> list[_Mention]:
        """Up to ``wanted`` recent mentions that ``accept`` takes, most recent first, no two
        with the same ``key``."""
        found: list[_Mention] = []
        for mention in self._recent(start, accept):
            if all(key(mention) != key(other) for other in found):
                found.append(mention)
            if len(found) == wanted:
                break
        return found

    def _resolve_demonstrative(
        self, start: int, end: int, plural: bool, sector: str | None
    ) -> bool:
        """ "those people", "these civilians": the unnamed actors of the same kind last spoken
        of, when they were described more fully ("eight Russian-born hostages")."""
        earlier = self._recent(
            start,
            lambda m: (
                m.ref.kind == "generic"
                and m.plural == plural
                and m.ref.sector == sector
                and m.ref.country is not None
            ),
        )
        if earlier:
            self._copy(start, end, earlier[0])
            return True
        return False

    def resolve_pronoun(self, token: Token) -> None:
        """Resolve a third-person pronoun to the most salient compatible mention.

        he/she: a person. they/them/their: a plural actor or a group (for a possessive
        "their" with none in reach, a state). it/its: a state, organisation or group, the
        pronoun's own clause first. When the sentence names such actors only outside the
        pronoun's clause and buried in a noun's modifier or in a coordinated list ("groups,
        including the PLO ... and Hamas": a singular pronoun does not pick one member of a
        list), and the clause's subject is a person, the pronoun stands for the
        body that person speaks for ("Mr. Bogdanov delivered the message to Hamas and
        emphasized its support": Russia) -- the person's organisation, else the person's
        country coded with the person's sector. An object pronoun never means the subject
        of its own verb.
        """
        klass = self.kb.pronouns[token.lower_]
        if klass == "singular" and not self._referential_it(token):
            return
        if klass == "person":
            accept = lambda m: m.ref.kind == "person" and not m.plural
        elif klass == "singular":
            accept = lambda m: m.ref.kind in ("state", "organization", "group") and not m.plural
        else:
            accept = lambda m: m.plural or m.ref.kind == "group"
        ranked = [m for m in self._salient(token.i, accept) if not self._is_coargument(token, m)]
        sentence = self.sentence_of[token.i]
        if klass == "singular":
            same_sentence = [m for m in ranked if m.sentence == sentence]
            prominent = [
                m
                for m in same_sentence
                if _clause_of(self.doc[m.head]) == _clause_of(token)
                or not (self._is_nested(m.head) or self._in_list(m.head))
            ]
            if same_sentence and not prominent:
                speaker = self._speaker(token)
                if speaker is not None and self._emit_represented(token, speaker):
                    return
            if prominent:
                ranked = prominent
        if not ranked and klass == "plural" and token.tag_ == "PRP$":
            # "Thailand ... their foreign minister": a state may be "they" in news English
            ranked = self._salient(
                token.i,
                lambda m: m.ref.kind in ("state", "organization") and m.ref.country is not None,
            )
        if ranked:
            self._copy(token.i, token.i + 1, ranked[0])

    def _is_coargument(self, token: Token, mention: _Mention) -> bool:
        """An object pronoun never means the subject of its own verb ("police arrested
        them"); that would take a reflexive."""
        if token.dep_ not in ("dobj", "dative", "pobj"):
            return False
        verb = token.head.head if token.dep_ == "pobj" else token.head
        subject = _climb(self.doc[mention.head], ("compound", "amod", "poss", "appos"))
        if subject.dep_ not in _SUBJECT_DEPS:
            return False
        # the verb's own subject, or the one it shares as a coordinated verb
        while True:
            if subject.head.i == verb.i:
                return True
            if verb.dep_ != "conj" or any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
                return False
            verb = verb.head

    def _speaker(self, token: Token) -> _Mention | None:
        """The person subject of the token's clause (inherited along coordinated verbs)."""
        verb = _clause_of(token)
        while verb is not None:
            subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is not None:
                for mention in reversed(self.mentions):
                    if (
                        mention.head == subject.i
                        and mention.ref.kind == "person"
                        and (mention.ref.country or mention.ref.actor_id)
                    ):
                        return mention
                return None
            verb = verb.head if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i else None
        return None

    def _emit_represented(self, token: Token, person: _Mention) -> bool:
        """Emit, on ``token``, the organisation or state ``person`` speaks for."""
        actor = self.kb.actors.get(person.ref.actor_id or "")
        role = actor.role_on(self.when) if actor is not None else None
        antecedent = person.ref.antecedent or person.ref.text
        if role is not None and role.org is not None:
            org = self.kb.actors[role.org]
            self._emit(
                token.i,
                token.i + 1,
                name=org.name,
                code=org.code,
                kind=org.kind,
                country=org.country,
                sector=org.sector,
                actor_id=org.id,
                antecedent=antecedent,
            )
            return True
        country = person.ref.country
        state = self.kb.country(country) if country else None
        if state is None:
            return False
        sector = person.ref.sector
        self._emit(
            token.i,
            token.i + 1,
            name=state.name,
            code=f"{state.code}{sector or ''}",
            kind="state",
            country=state.code,
            sector=sector,
            actor_id=state.id,
            antecedent=antecedent,
        )
        return True

    def resolve_unknown_name(self, ent) -> None:
        """A personal name not in the knowledge base and without a title before it.

        It is a person mention; its country is known only when the text says so: a
        nationality word right before the name ("Iranian Ali Karimi") or an apposition
        (see :meth:`resolve_appositions`). Otherwise it has no country and an empty code.
        """
        surname = ent[-1].text
        known = self._earlier_bearer(surname) if len(ent) == 1 else None
        known = known or self.unknown_people.get(surname)
        if known is not None and known.ref.end <= ent.start_char:
            self._copy(ent.start, ent.end, known)
            return
        country = self.country_by_token.get(ent.start - 1) if ent.start > 0 else None
        mention = self._emit(
            ent.start, ent.end, name=ent.text, code=country or "", kind="person", country=country
        )
        mention.unknown = True
        self.unknown_people[surname] = mention

    def _mentions_by_head(self) -> dict[int, _Mention]:
        """The first mention headed by each token."""
        by_head: dict[int, _Mention] = {}
        for mention in self.mentions:
            by_head.setdefault(mention.head, mention)
        return by_head

    def share_coordinated_countries(self) -> None:
        """ "Israeli helicopters and tanks": an unnamed actor of no country coordinated with
        one whose country is given shares that country."""
        by_head = self._mentions_by_head()
        for mention in self.mentions:
            ref = mention.ref
            token = self.doc[mention.head]
            if ref.kind != "generic" or ref.country or token.dep_ != "conj":
                continue
            first = by_head.get(token.head.i)
            if first is None or first.ref.kind != "generic" or not first.ref.country:
                continue
            country = first.ref.country
            mention.ref = replace(ref, country=country, code=country + (ref.sector or ""))

    def resolve_appositions(self) -> None:
        """Join a personal name and an office set beside it with commas.

        "X, Iran's foreign minister": the unknown person X takes the office's country and
        sector. "its leader, Crown Prince Mohammed bin Salman": the office word denotes the
        person. Only a mention heading the apposed phrase counts, so the place in "X, a
        frequent visitor to Moscow" says nothing about X.
        """
        by_head = self._mentions_by_head()
        for mention in list(by_head.values()):
            token = self.doc[mention.head]
            if token.dep_ != "appos" or token.head.i not in by_head:
                continue
            first = by_head[token.head.i]
            for person, office in ((first, mention), (mention, first)):
                if (
                    self._is_name(person)
                    and not self._is_name(office)
                    and (office.by_title or office.ref.kind == "state")
                ):
                    self._join_apposition(person, office)
                    break

    @staticmethod
    def _is_name(mention: _Mention) -> bool:
        return (
            mention.ref.kind == "person"
            and not mention.by_title
            and (mention.unknown or mention.ref.actor_id is not None)
        )

    def _join_apposition(self, person: _Mention, office: _Mention) -> None:
        if person.unknown and person.ref.country is None and office.ref.country is not None:
            old = person.ref
            sector = office.ref.sector if office.ref.kind != "state" else None
            person.ref = replace(
                old,
                country=office.ref.country,
                sector=sector,
                code=f"{office.ref.country}{sector or ''}",
            )
            for other in self.mentions:
                if (
                    other is not person
                    and other.ref.antecedent == old.text
                    and other.ref.name == old.name
                    and other.ref.code == old.code
                ):
                    other.ref = replace(
                        other.ref, country=person.ref.country, sector=sector, code=person.ref.code
                    )
        if office.ref.kind == "state":
            return
        ref = person.ref
        office.ref = replace(
            office.ref,
            name=ref.name,
            code=ref.code,
            country=ref.country,
            sector=ref.sector,
            kind="person",
            actor_id=ref.actor_id,
            antecedent=ref.antecedent or ref.text,
        )

    def _referential_it(self, token: Token) -> bool:
        """Keep "it"/"its" as subject or possessor; drop expletive "It is believed that"."""
        if token.dep_ == "poss":
            return True
        if token.dep_ not in _SUBJECT_DEPS:
            return False
        verb = token.head
        for child in verb.children:
            if child.dep_ in _CLAUSAL_DEPS:
                return False
            if child.dep_ == "acomp" and any(
                c.dep_ in _CLAUSAL_DEPS or c.dep_ == "mark" for c in child.children
            ):
                # "it is difficult to say" is expletive; "it is willing to withdraw" is not:
                # adjectives that control their infinitive want a real subject
                entry = Lexicon.load().modality(child.lemma_.lower())
                return entry is not None and entry.kind == "control"
        return True

    def resolve_surname(self, token: Token) -> None:
        """A bare surname of someone named in full earlier in the article: a person not in
        the knowledge base seen with a title, or a known person whose surname alone is too
        common to list as a short form ("Santos" after "Juan Manuel Santos")."""
        known = self.unknown_people.get(token.text) or self._earlier_bearer(token.text)
        if known is not None and known.ref.end <= token.idx:
            self._copy(token.i, token.i + 1, known)

    def _earlier_bearer(self, surname: str) -> _Mention | None:
        """The latest full mention of a known person with this surname."""
        return next(
            (
                m
                for m in reversed(self.mentions)
                if m.ref.kind == "person"
                and m.ref.actor_id is not None
                and m.ref.antecedent is None
                and m.ref.name.split()[-1] == surname
            ),
            None,
        )
