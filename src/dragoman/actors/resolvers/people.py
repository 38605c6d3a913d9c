"""People: named in the knowledge base ("Mikhail Bogdanov"), named but unknown ("Ali
Karimi", "Mr. Oniya"), by a bare surname ("Santos"), or beside an apposed office ("X, Iran's
foreign minister").

A name not in the knowledge base is a person mention whose country is known only when the
text says so: a nationality word before it, a title with a country, or an apposition.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Token

from dragoman.actors.kb import Actor
from dragoman.actors.phrases import _NAME_PARTICLES, RANK_COUNTRY, Atom, Phrase
from dragoman.actors.resolvers.state import ArticleState, Mention


def looks_like_name(ent) -> bool:
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


def inside_person_name(doc: Doc, atom: Atom) -> bool:
    """A country word inside a personal name ("Michael Jordan") is not a country mention.

    A nationality word at the start of a PERSON entity ("Iranian Ali Karimi") is kept.
    """
    if atom.rank != RANK_COUNTRY:
        return False
    token = doc[atom.start]
    if token.ent_type_ != "PERSON":
        return False
    ent = next((e for e in doc.ents if e.start <= atom.start < e.end), None)
    if ent is None or ent.end - ent.start <= atom.end - atom.start or not looks_like_name(ent):
        return False
    return not (atom.start == ent.start and atom.names[0].role == "demonym")


def resolve_person(
    state: ArticleState, atom: Atom, start: int, end: int, country: str | None
) -> None:
    """A person of the knowledge base ("Mikhail Bogdanov"), coded by the role held on the
    article's date; among namesakes, the one the phrase's country word fits."""
    actors = [
        state.kb.actors[e.actor_id]
        for e in atom.names
        if state.kb.actors[e.actor_id].kind == "person"
    ]
    actor = _pick_person(state, actors, country)
    code, role_country, sector = state.kb.person_code(actor, state.when)
    role = actor.role_on(state.when)
    # A short form ("Bogdanov", "Mr. Bogdanov") refers back to the first full mention.
    earlier = next(
        (m for m in state.mentions if m.ref.actor_id == actor.id and m.ref.antecedent is None),
        None,
    )
    short = all(e.role == "short" for e in atom.names if e.actor_id == actor.id)
    antecedent = earlier.ref.text if earlier is not None and short else None
    state.emit(
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


def _pick_person(state: ArticleState, actors: list[Actor], country: str | None) -> Actor:
    """Choose among people sharing a name: already mentioned, then in office, then latest."""
    if len(actors) == 1:
        return actors[0]
    mentioned = {m.ref.actor_id for m in state.mentions}
    for actor in actors:
        if actor.id in mentioned:
            return actor
    if state.when is not None:
        in_office = [
            a
            for a in actors
            if any(r.covers(state.when) for r in a.roles)
            and (country is None or any(r.country == country for r in a.roles))
        ]
        if in_office:
            return in_office[0]
    return max(actors, key=lambda a: max(r.start or date.min for r in a.roles))


def resolve_unknown_person(
    state: ArticleState,
    phrase: Phrase,
    office_atoms: list[Atom],
    start: int,
    end: int,
    country: str | None,
    org: Actor | None,
) -> None:
    """A name not in the knowledge base inside an actor phrase ("Iranian Foreign Minister
    Ali Karimi", "Hamas spokesman Fawzi Barhoum").

    The phrase's organisation, else its country (or the sentence's) and its title's sector
    code the person; a later mention by surname ("Mr. Karimi") is the same person.
    """
    name_start, name_end = phrase.unknown_name
    name = state.doc[name_start:name_end].text
    surname = state.doc[name_end - 1].text
    known = state.unknown_people.get(surname)
    titles = [t for a in office_atoms for t in a.terms if t.category in ("title", "role")]
    if known is not None and (name_end - name_start == 1 or not titles or name == known.ref.name):
        state.emit_copy(start, end, known)
        return
    sector = next((t.sector for t in titles if t.sector), None)
    if country is None and org is None:
        country = state.sentence_country(start)
    if org is not None:
        code, country, sector = org.code, org.country or country, org.sector or sector
    elif country is not None:
        code = f"{country}{sector or ''}"
    elif sector is not None:
        code = sector
    else:
        return  # "Mr. Smith" with nothing else known is not an actor we can code
    title = next((t.label for t in titles if t.category == "title"), None)
    mention = state.emit(
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
    state.unknown_people[surname] = mention


def resolve_unknown_name(state: ArticleState, ent) -> None:
    """A personal name not in the knowledge base and without a title before it.

    It is a person mention; its country is known only when the text says so: a
    nationality word right before the name ("Iranian Ali Karimi") or an apposition
    (see :func:`resolve_appositions`). Otherwise it has no country and an empty code.
    """
    surname = ent[-1].text
    known = _earlier_bearer(state, surname) if len(ent) == 1 else None
    known = known or state.unknown_people.get(surname)
    if known is not None and known.ref.end <= ent.start_char:
        state.emit_copy(ent.start, ent.end, known)
        return
    country = state.country_by_token.get(ent.start - 1) if ent.start > 0 else None
    mention = state.emit(
        ent.start, ent.end, name=ent.text, code=country or "", kind="person", country=country
    )
    mention.unknown = True
    state.unknown_people[surname] = mention


def resolve_surname(state: ArticleState, token: Token) -> None:
    """A bare surname of someone named in full earlier in the article: a person not in
    the knowledge base seen with a title, or a known person whose surname alone is too
    common to list as a short form ("Santos" after "Juan Manuel Santos")."""
    known = state.unknown_people.get(token.text) or _earlier_bearer(state, token.text)
    if known is not None and known.ref.end <= token.idx:
        state.emit_copy(token.i, token.i + 1, known)


def _earlier_bearer(state: ArticleState, surname: str) -> Mention | None:
    """The latest full mention of a known person with this surname."""
    return next(
        (
            m
            for m in reversed(state.mentions)
            if m.ref.kind == "person"
            and m.ref.actor_id is not None
            and m.ref.antecedent is None
            and m.ref.name.split()[-1] == surname
        ),
        None,
    )


def resolve_appositions(state: ArticleState) -> None:
    """Join a personal name and an office set beside it with commas.

    "X, Iran's foreign minister": the unknown person X takes the office's country and
    sector. "its leader, Crown Prince Mohammed bin Salman": the office word denotes the
    person. Only a mention heading the apposed phrase counts, so the place in "X, a
    frequent visitor to Moscow" says nothing about X.
    """
    by_head = state.mentions_by_head()
    for mention in list(by_head.values()):
        token = state.doc[mention.head]
        if token.dep_ != "appos" or token.head.i not in by_head:
            continue
        first = by_head[token.head.i]
        for person, office in ((first, mention), (mention, first)):
            if (
                _is_name(person)
                and not _is_name(office)
                and (office.by_title or office.ref.kind == "state")
            ):
                _join_apposition(state, person, office)
                break


def _is_name(mention: Mention) -> bool:
    return (
        mention.ref.kind == "person"
        and not mention.by_title
        and (mention.unknown or mention.ref.actor_id is not None)
    )


def _join_apposition(state: ArticleState, person: Mention, office: Mention) -> None:
    if person.unknown and person.ref.country is None and office.ref.country is not None:
        old = person.ref
        sector = office.ref.sector if office.ref.kind != "state" else None
        person.ref = replace(
            old,
            country=office.ref.country,
            sector=sector,
            code=f"{office.ref.country}{sector or ''}",
        )
        for other in state.mentions:
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
