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
    is coded; with no code of its own, its country is the one the text places it in."""
    start = ent.start
    while start < ent.end and state.doc[start].lower_ == "the":
        start += 1
    if start >= ent.end:
        return
    state.emit(start, ent.end, name=state.doc[start : ent.end].text, code="", kind="organization")
