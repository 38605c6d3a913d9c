"""Countries and nationality words: "Russia", "Russian", "Moscow", "Liberians".

A country name is the state; a capital is the state unless it is a place ("met in
Moscow"); a seat names a body ("the Kremlin"); a plural nationality noun is the country's
civilians, and an ethnic group is coded by the country it lives in ("Bosnian Serbs").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from dragoman.actors.phrases import Atom
from dragoman.actors.resolvers.state import NOUN_PHRASE_DEPS, ArticleState, climb, is_plural

#: Words that make a nationality word an ethnic group's ("ethnic Albanians").
ETHNIC_MARKERS = frozenset({"ethnic", "ethnically"})


def country_of(state: ArticleState, country_atoms: list[Atom]) -> tuple[str | None, str | None]:
    """The country and sector of a phrase's last country word ("Iranian" -> IRN, none)."""
    if not country_atoms:
        return None, None
    entry = country_atoms[-1].names[0]
    return state.kb.actors[entry.actor_id].country, entry.sector


def country_of_residence(
    state: ArticleState, country_atoms: list[Atom], country: str | None, start: int, end: int
) -> str | None:
    """CAMEO codes an ethnic group by the country it lives in, not by its kin state:
    "Bosnian Serbs" are Bosnia's (the first nationality word is the residence), "ethnic
    Albanians" near Macedonia's border with Bulgaria are Macedonia's (the first other country
    their sentence names)."""
    if len(country_atoms) >= 2 and all(
        any(e.role == "demonym" for e in a.names) for a in country_atoms[-2:]
    ):
        first = state.kb.actors[country_atoms[-2].names[0].actor_id].country
        if first and first != country and country_atoms[-2].end == country_atoms[-1].start:
            return first
    if country is None or not any(
        t.lower_ in ETHNIC_MARKERS for t in state.doc[max(0, start - 1) : end]
    ):
        return country
    sentence = state.doc[start].sent
    # the first other country the sentence names: "ethnic Turks ... against Sweden's
    # decision to send them back to Bulgaria" live in Sweden
    for i in range(sentence.start, sentence.end):
        other = state.country_by_token.get(i)
        if other is not None and other != country:
            return other
    return country


def resolve_country(
    state: ArticleState,
    atom: Atom,
    start: int,
    end: int,
    country: str | None,
    sector: str | None,
) -> None:
    """A phrase whose last actor word is a country word: the state, a body at its seat, or
    its people.

    "Moscow said" is Russia (a capital as a place, "met in Moscow", is no actor); "the
    Kremlin" is a body of Russia; "the Russian" as a noun is the most recent Russian person;
    "Liberians" are Liberia's civilians, "Bosnian Serbs" Bosnia's (``country``, the residence).
    """
    entry = atom.names[0]
    actor = state.kb.actors[entry.actor_id]
    head = state.doc[atom.end - 1]
    if entry.role == "capital":
        if _is_locative(state, head):
            return
        state.emit(
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
        state.emit(
            start,
            end,
            name=state.doc[atom.start : atom.end].text,
            code=f"{actor.code}{sector}",
            kind="organization",
            country=actor.code,
            sector=sector,
            actor_id=actor.id,
        )
        return
    plural = is_plural(head)
    definite = start > 0 and state.doc[start - 1].lower_ == "the"
    if entry.role == "demonym" and head.pos_ in ("NOUN", "PROPN") and not plural and definite:
        # "the Russian" as a noun: the most recent person of that country
        earlier = state.recent(
            start, lambda m: m.ref.kind == "person" and m.ref.country == actor.code
        )
        if earlier:
            state.emit_copy(start, end, earlier[0])
            return
    if entry.role == "demonym" and plural and head.pos_ in ("NOUN", "PROPN"):
        # "Liberians", "Russian Israelis": people of the country, coded as civilians;
        # an ethnic group by the country it lives in ("Bosnian Serbs")
        words = " ".join(t.text for t in state.doc[start:end] if not t.is_space)
        home = country or actor.code
        state.emit(
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
    state.emit(
        start,
        end,
        name=actor.name,
        code=actor.code,
        kind="state",
        country=actor.code,
        actor_id=actor.id,
        plural=plural,
    )


def _is_locative(state: ArticleState, token: Token) -> bool:
    """True when the token heads the object of a locative preposition ("met in Moscow"),
    directly or through "of" ("camped on the outskirts of New Delhi")."""
    token = climb(token, (*NOUN_PHRASE_DEPS, "nmod"))
    if token.dep_ != "pobj":
        return False
    preposition = token.head
    if preposition.lower_ in state.kb.locative_prepositions:
        return True
    holder = preposition.head
    return (
        preposition.lower_ == "of"
        and holder.pos_ == "NOUN"
        and holder.i != token.i
        and (holder.lower_ in state.kb.spatial_nouns or _is_locative(state, holder))
    )


def share_coordinated_countries(state: ArticleState) -> None:
    """ "Israeli helicopters and tanks": an unnamed actor of no country coordinated with
    one whose country is given shares that country."""
    by_head = state.mentions_by_head()
    for mention in state.mentions:
        ref = mention.ref
        token = state.doc[mention.head]
        if ref.kind != "generic" or ref.country or token.dep_ != "conj":
            continue
        first = by_head.get(token.head.i)
        if first is None or first.ref.kind != "generic" or not first.ref.country:
            continue
        country = first.ref.country
        mention.ref = replace(ref, country=country, code=country + (ref.sector or ""))
