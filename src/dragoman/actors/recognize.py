"""Actor recognition: mentions of actors in an article, resolved to the knowledge base.

``ActorRecognizer.find`` walks the actor phrases of a parsed article in reading order,
resolves each to an :class:`~dragoman.records.ActorRef`, and resolves references to earlier
actors as it goes (short names, "the group", "the ministry", "the two leaders", pronouns).

Coreference is a salience heuristic, not a model: a reference points at the most recent
compatible mention within the current and the previous ``ANTECEDENT_WINDOW`` sentences —
a person for he/she, a state, organisation or group for it/its, a plural actor or a group for
they/them, a group for "the group", a body of the same type for "the ministry".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Token

from dragoman.actors.kb import Actor, KnowledgeBase
from dragoman.actors.phrases import RANK_COUNTRY, RANK_ORG, Atom, Phrase, PhraseFinder
from dragoman.records import ActorRef, Article

#: How many sentences back a pronoun or anaphor may look for its antecedent.
ANTECEDENT_WINDOW = 3
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CLAUSAL_DEPS = {"ccomp", "csubj", "csubjpass", "xcomp"}


@dataclass
class _Mention:
    """A resolved mention plus what coreference needs to know about it."""

    ref: ActorRef
    sentence: int
    plural: bool = False
    title: str | None = None
    body_type: str | None = None


class ActorRecognizer:
    """Finds actor mentions in parsed articles; build once, call :meth:`find` per article."""

    def __init__(self, nlp: Language, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or KnowledgeBase.load()
        self._finder = PhraseFinder(nlp, self.kb)

    def find(self, doc: Doc, article: Article) -> list[ActorRef]:
        """Actor mentions in ``doc`` (``nlp(article.text)``), sorted by start offset."""
        run = _ArticleRun(self.kb, doc, article)
        atoms = self._finder.atoms(doc)
        for atom in atoms:
            if atom.rank == RANK_COUNTRY:
                country = self.kb.actors[atom.names[0].actor_id].country
                for i in range(atom.start, atom.end):
                    run.country_by_token[i] = country
        phrases = self._finder.phrases(doc, atoms)
        covered = {i for p in phrases for i in range(p.start, p.end)}
        items: list[tuple[int, object]] = [(p.start, p) for p in phrases]
        items += [(t.i, t) for t in doc if t.i not in covered and t.lower_ in self.kb.pronouns]
        items += [(t.i, ("surname", t)) for t in doc
                  if t.i not in covered and t.pos_ == "PROPN"]
        for _, item in sorted(items, key=lambda x: x[0]):
            if isinstance(item, Phrase):
                run.resolve_phrase(item)
            elif isinstance(item, Token):
                run.resolve_pronoun(item)
            else:
                run.resolve_surname(item[1])
        refs = [m.ref for m in run.mentions if not article.in_boilerplate(m.ref.start, m.ref.end)]
        return sorted(refs, key=lambda r: (r.start, r.end))


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

    # ----- helpers -------------------------------------------------------------------
    def _emit(self, start_tok: int, end_tok: int, *, name: str, code: str, kind: str,
              country: str | None = None, sector: str | None = None,
              actor_id: str | None = None, antecedent: str | None = None,
              plural: bool = False, title: str | None = None,
              body_type: str | None = None) -> _Mention:
        span = self.doc[start_tok:end_tok]
        ref = ActorRef(text=span.text, start=span.start_char, end=span.end_char, name=name,
                       code=code, country=country, sector=sector, kind=kind, actor_id=actor_id,
                       antecedent=antecedent)
        mention = _Mention(ref, self.sentence_of[start_tok], plural, title, body_type)
        self.mentions.append(mention)
        return mention

    def _copy(self, start_tok: int, end_tok: int, antecedent: _Mention) -> _Mention:
        span = self.doc[start_tok:end_tok]
        ref = replace(antecedent.ref, text=span.text, start=span.start_char, end=span.end_char,
                      antecedent=antecedent.ref.antecedent or antecedent.ref.text)
        mention = _Mention(ref, self.sentence_of[start_tok], antecedent.plural,
                           antecedent.title, antecedent.body_type)
        self.mentions.append(mention)
        return mention

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
        person_atoms = [a for a in atoms if any(
            self.kb.actors[e.actor_id].kind == "person" for e in a.names)]
        office_atoms = [a for a in atoms if a.terms and a.rank > RANK_ORG]
        head = self.doc[end - 1]
        plural = self._is_plural(head)

        country, country_sector = self._country_of(country_atoms)
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
        if org is not None:
            self._emit(start, end, name=org.name, code=org.code, kind=org.kind,
                       country=org.country, sector=org.sector, actor_id=org.id, plural=plural)
            return
        if office_atoms:
            self._resolve_office(phrase, office_atoms, start, end, country, plural)
            return
        if country_atoms:
            self._resolve_country(country_atoms[-1], start, end, country, country_sector)

    def _country_of(self, country_atoms: list[Atom]) -> tuple[str | None, str | None]:
        if not country_atoms:
            return None, None
        entry = country_atoms[-1].names[0]
        return self.kb.actors[entry.actor_id].country, entry.sector

    def _resolve_person(self, atom: Atom, start: int, end: int, country: str | None) -> None:
        actors = [self.kb.actors[e.actor_id] for e in atom.names
                  if self.kb.actors[e.actor_id].kind == "person"]
        actor = self._pick_person(actors, country)
        code, role_country, sector = self.kb.person_code(actor, self.when)
        role = actor.role_on(self.when)
        # A short form ("Bogdanov", "Mr. Bogdanov") refers back to the first full mention.
        earlier = next((m for m in self.mentions if m.ref.actor_id == actor.id
                        and m.ref.antecedent is None), None)
        short = all(e.role == "short" for e in atom.names if e.actor_id == actor.id)
        antecedent = earlier.ref.text if earlier is not None and short else None
        self._emit(start, end, name=actor.name, code=code, kind="person", country=role_country,
                   sector=sector, actor_id=actor.id, antecedent=antecedent,
                   title=role.title if role else None)

    def _pick_person(self, actors: list[Actor], country: str | None) -> Actor:
        """Choose among people sharing a name: already mentioned, then in office, then latest."""
        if len(actors) == 1:
            return actors[0]
        mentioned = {m.ref.actor_id for m in self.mentions}
        for actor in actors:
            if actor.id in mentioned:
                return actor
        if self.when is not None:
            in_office = [a for a in actors if any(r.covers(self.when) for r in a.roles)
                         and (country is None or any(r.country == country for r in a.roles))]
            if in_office:
                return in_office[0]
        return max(actors, key=lambda a: max(r.start or date.min for r in a.roles))

    def _resolve_unknown_person(self, phrase: Phrase, office_atoms: list[Atom], start: int,
                                end: int, country: str | None, org: Actor | None) -> None:
        name_start, name_end = phrase.unknown_name
        name = self.doc[name_start:name_end].text
        surname = self.doc[name_end - 1].text
        known = self.unknown_people.get(surname)
        titles = [t for a in office_atoms for t in a.terms if t.category in ("title", "role")]
        if known is not None and (name_end - name_start == 1 or not titles
                                  or name == known.ref.name):
            self._copy(start, end, known)
            return
        sector = next((t.sector for t in titles if t.sector), None)
        if org is not None:
            code, country, sector = org.code, org.country or country, org.sector or sector
        elif country is not None:
            code = f"{country}{sector or ''}"
        elif sector is not None:
            code = sector
        else:
            return  # "Mr. Smith" with nothing else known is not an actor we can code
        title = next((t.label for t in titles if t.category == "title"), None)
        mention = self._emit(start, end, name=name, code=code, kind="person", country=country,
                             sector=sector, title=title)
        self.unknown_people[surname] = mention

    def _resolve_office(self, phrase: Phrase, office_atoms: list[Atom], start: int, end: int,
                        country: str | None, plural: bool) -> None:
        atom = office_atoms[-1]
        term = atom.term("title", "body", "role")
        if term is None:
            return
        head = self.doc[atom.end - 1]
        if country is None and not self._may_stand_alone(head):
            return
        if country is None and term.category == "title" and phrase.definite:
            earlier = self._recent(start, lambda m: m.ref.kind == "person"
                                   and m.title == term.label)
            if earlier:
                self._copy(start, end, earlier[0])
                return
        if country is None and term.category == "body" and phrase.definite:
            earlier = self._recent(start, lambda m: m.body_type == term.type
                                   and m.ref.name.endswith(term.label))
            if earlier:
                self._copy(start, end, earlier[0])
                return
        if country is None:
            country = self._country_from_context(head, term.category != "role" and
                                                 phrase.definite, start)
        if term.category == "title" and country is not None and not plural:
            holders = self.kb.holders(term.label, country, None, self.when)
            if len(holders) == 1:
                actor = holders[0]
                code, role_country, sector = self.kb.person_code(actor, self.when)
                self._emit(start, end, name=actor.name, code=code, kind="person",
                           country=role_country, sector=sector, actor_id=actor.id,
                           title=term.label)
                return
        sector = term.sector
        if country is None and sector is None:
            return
        code = f"{country or ''}{sector or ''}"
        prefix = f"{self.kb.demonym(country)} " if country else ""
        label = term.label if term.category != "title" else term.label.lower()
        kind = "organization" if term.category == "body" else "generic"
        self._emit(start, end, name=f"{prefix}{label}", code=code, kind=kind, country=country,
                   sector=sector, plural=plural,
                   title=term.label if term.category == "title" else None,
                   body_type=term.type if term.category == "body" else None)

    def _may_stand_alone(self, head: Token) -> bool:
        """A bare office word is an actor only as a noun heading its own phrase."""
        return head.pos_ in ("NOUN", "PROPN") and head.dep_ not in ("compound", "amod")

    def _country_from_context(self, head: Token, use_salience: bool, start: int
                              ) -> str | None:
        """Country of an unqualified office: "police in Egypt", else the recent government."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self._country_at(obj.i)
                        if found:
                            return found
        if use_salience:
            recent = self._recent(start, lambda m: m.ref.country is not None
                                  and m.ref.sector == "GOV")
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

    def _resolve_country(self, atom: Atom, start: int, end: int, country: str | None,
                         sector: str | None) -> None:
        entry = atom.names[0]
        actor = self.kb.actors[entry.actor_id]
        head = self.doc[atom.end - 1]
        if entry.role == "capital":
            if self._is_locative(head):
                return
            self._emit(start, end, name=actor.name, code=f"{actor.code}{sector}", kind="state",
                       country=actor.code, sector=sector, actor_id=actor.id)
            return
        if entry.role == "seat":
            self._emit(start, end, name=self.doc[atom.start:atom.end].text,
                       code=f"{actor.code}{sector}", kind="organization", country=actor.code,
                       sector=sector, actor_id=actor.id)
            return
        plural = self._is_plural(head)
        definite = start > 0 and self.doc[start - 1].lower_ == "the"
        if entry.role == "demonym" and head.pos_ in ("NOUN", "PROPN") and not plural \
                and definite:
            # "the Russian" as a noun: the most recent person of that country
            earlier = self._recent(start, lambda m: m.ref.kind == "person"
                                   and m.ref.country == actor.code)
            if earlier:
                self._copy(start, end, earlier[0])
                return
        kind = "generic" if entry.role == "demonym" and plural else "state"
        self._emit(start, end, name=actor.name, code=actor.code, kind=kind, country=actor.code,
                   actor_id=actor.id, plural=plural)

    def _is_locative(self, token: Token) -> bool:
        """True when the token heads the object of a locative preposition ("met in Moscow")."""
        while token.dep_ in ("compound", "conj", "appos", "amod", "nmod", "poss") \
                and token.head is not token:
            token = token.head
        return token.dep_ == "pobj" and token.head.lower_ in self.kb.locative_prepositions

    # ----- references ----------------------------------------------------------------
    def _resolve_anaphor(self, phrase: Phrase, atom: Atom, start: int, end: int) -> bool:
        """Resolve "the group", "the ministry", "the two leaders"; False when unresolved."""
        if not phrase.definite:
            return False
        term = atom.term("anaphor")
        target = term.type if term else None
        if target == "person":
            wanted = phrase.count or 1
            people: list[_Mention] = []
            for m in self._recent(start, lambda m: m.ref.kind == "person"):
                if all(m.ref.name != p.ref.name for p in people):
                    people.append(m)
                if len(people) == wanted:
                    break
            for person in people:
                self._copy(start, end, person)
            return bool(people)
        if target == "group":
            accept = lambda m: m.ref.kind == "group"
        elif target in ("state", "government"):
            accept = lambda m: m.ref.kind == "state" and m.ref.sector in (None, "GOV")
        else:
            accept = lambda m: m.body_type == target
        earlier = self._recent(start, accept)
        if target == "group" and not earlier:
            earlier = self._recent(start, lambda m: m.ref.kind == "organization"
                                   and m.ref.actor_id is not None and m.ref.sector != "MED")
        if earlier:
            self._copy(start, end, earlier[0])
            return True
        return False

    def resolve_pronoun(self, token: Token) -> None:
        """Resolve a third-person pronoun to the most recent compatible mention."""
        klass = self.kb.pronouns[token.lower_]
        if klass == "singular" and not self._referential_it(token):
            return
        if klass == "person":
            accept = lambda m: m.ref.kind == "person" and not m.plural
        elif klass == "singular":
            accept = lambda m: m.ref.kind in ("state", "organization", "group") \
                and not m.plural
        else:
            accept = lambda m: m.plural or m.ref.kind == "group"
        earlier = self._recent(token.i, accept)
        earlier = [m for m in earlier if m.ref.end <= token.idx]
        if earlier:
            self._copy(token.i, token.i + 1, earlier[0])

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
            if child.dep_ == "acomp" and any(c.dep_ in _CLAUSAL_DEPS or c.dep_ == "mark"
                                             for c in child.children):
                return False
        return True

    def resolve_surname(self, token: Token) -> None:
        """A bare surname of a person not in the knowledge base, seen earlier with a title."""
        known = self.unknown_people.get(token.text)
        if known is not None and known.ref.end <= token.idx:
            self._copy(token.i, token.i + 1, known)
