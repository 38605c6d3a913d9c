"""Organisations and groups named in the knowledge base: "Hamas", "the United Nations",
"a Hamas delegation" (the organisation, whatever office words follow its name)."""

from __future__ import annotations

from dragoman.actors.kb import Actor
from dragoman.actors.phrases import Atom
from dragoman.actors.resolvers.state import ArticleState


def organisation_of(state: ArticleState, org_atoms: list[Atom]) -> Actor | None:
    """The organisation a phrase names: its last organisation name ("Hamas" in "Hamas
    political bureau chief")."""
    return state.kb.actors[org_atoms[-1].names[0].actor_id] if org_atoms else None


def resolve_organisation(
    state: ArticleState, org: Actor, start: int, end: int, plural: bool
) -> None:
    """The organisation, coded as the knowledge base codes it."""
    state.emit(
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


def resolve_unknown_organisation(state: ArticleState, ent) -> None:
    """An organisation the parser names that the knowledge base does not know ("the Sindh
    Rangers", "the Islamic Turkistani Party"): an actor all the same, so that what it does
    is coded. The last word of its name may say its sector (``organisation_heads`` of
    generic.yaml); its country is the one its sentence (or the text before) names."""
    start, end = ent.start, ent.end
    while start < end and state.doc[start].lower_ == "the":
        start += 1
    # "the Homeland Union (Conservatives)": the name stops at a bracket
    for token in state.doc[start:end]:
        if token.text in "([":
            end = token.i
            break
    if start >= end:
        return
    span = state.doc[start:end]
    sector = state.kb.organisation_heads.get(span.root.lower_)
    if sector in ("NGO", "IGO"):
        country, code = None, sector
    else:
        country = state.sentence_country(start)
        code = f"{country or ''}{sector or ''}"
    state.emit(
        start,
        end,
        name=span.text,
        code=code,
        kind="group" if sector == "REB" else "organization",
        country=country,
        sector=sector,
    )
