"""References back to actors already mentioned: pronouns ("he", "its", "they"), "the
group", "the ministry", and counted references ("the two leaders", "both sides").

A reference points at the most salient compatible mention within the current and the
previous ``ANTECEDENT_WINDOW`` sentences (see :meth:`ArticleState.salient`) and becomes a
copy of it, naming the antecedent's text.
"""

from __future__ import annotations

from spacy.tokens import Token

from dragoman.actors.phrases import Atom, Phrase
from dragoman.actors.resolvers.state import (
    SUBJECT_DEPS,
    ArticleState,
    Mention,
    clause_of,
    climb,
)
from dragoman.ontology import Lexicon

_CLAUSAL_DEPS = {"ccomp", "csubj", "csubjpass", "xcomp"}


def resolve_anaphor(state: ArticleState, phrase: Phrase, atom: Atom, start: int, end: int) -> bool:
    """Resolve "the group", "the ministry", "the two leaders"; False when unresolved."""
    if not phrase.definite:
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in state.doc[end - 1].children):
        # "the movement of Palestinian workers", "the state of emergency": the phrase
        # says what it is, it does not point back
        return False
    term = atom.term("anaphor")
    target = term.type if term else None
    if target == "person":
        people = _distinct_recent(
            state, start, lambda m: m.ref.kind == "person", phrase.count or 1, lambda m: m.ref.name
        )
        for person in people:
            state.emit_copy(start, end, person)
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
        sides = _distinct_recent(
            state, start, accept, phrase.count, lambda m: (m.ref.code, m.ref.name)
        )
        if len(sides) < phrase.count:
            return False
        for side in sides:
            state.emit_copy(start, end, side)
        return True
    earlier = state.recent(start, accept)
    if target == "group" and not earlier:
        earlier = state.recent(
            start,
            lambda m: (
                m.ref.kind == "organization"
                and m.ref.actor_id is not None
                and m.ref.sector != "MED"
            ),
        )
    if earlier:
        state.emit_copy(start, end, earlier[0])
        return True
    return False


def _distinct_recent(state: ArticleState, start: int, accept, wanted: int, key) -> list[Mention]:
    """Up to ``wanted`` recent mentions that ``accept`` takes, most recent first, no two
    with the same ``key``."""
    found: list[Mention] = []
    for mention in state.recent(start, accept):
        if all(key(mention) != key(other) for other in found):
            found.append(mention)
        if len(found) == wanted:
            break
    return found


def resolve_pronoun(state: ArticleState, token: Token) -> None:
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
    klass = state.kb.pronouns[token.lower_]
    if klass == "singular" and not _referential_it(token):
        return
    if klass == "person":
        accept = lambda m: m.ref.kind == "person" and not m.plural
    elif klass == "singular":
        accept = lambda m: m.ref.kind in ("state", "organization", "group") and not m.plural
    else:
        accept = lambda m: m.plural or m.ref.kind == "group"
    ranked = [m for m in state.salient(token.i, accept) if not _is_coargument(state, token, m)]
    sentence = state.sentence_of[token.i]
    if klass == "singular":
        same_sentence = [m for m in ranked if m.sentence == sentence]
        prominent = [
            m
            for m in same_sentence
            if clause_of(state.doc[m.head]) == clause_of(token)
            or not (state.is_nested(m.head) or state.in_list(m.head))
        ]
        if same_sentence and not prominent:
            speaker = _speaker(state, token)
            if speaker is not None and _emit_represented(state, token, speaker):
                return
        if prominent:
            ranked = prominent
    if not ranked and klass == "plural" and token.tag_ == "PRP$":
        # "Thailand ... their foreign minister": a state may be "they" in news English
        ranked = state.salient(
            token.i,
            lambda m: m.ref.kind in ("state", "organization") and m.ref.country is not None,
        )
    if ranked:
        state.emit_copy(token.i, token.i + 1, ranked[0])


def _is_coargument(state: ArticleState, token: Token, mention: Mention) -> bool:
    """An object pronoun never means the subject of its own verb ("police arrested
    them"); that would take a reflexive."""
    if token.dep_ not in ("dobj", "dative", "pobj"):
        return False
    verb = token.head.head if token.dep_ == "pobj" else token.head
    subject = climb(state.doc[mention.head], ("compound", "amod", "poss", "appos"))
    if subject.dep_ not in SUBJECT_DEPS:
        return False
    # the verb's own subject, or the one it shares as a coordinated verb
    while True:
        if subject.head.i == verb.i:
            return True
        if verb.dep_ != "conj" or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            return False
        verb = verb.head


def _speaker(state: ArticleState, token: Token) -> Mention | None:
    """The person subject of the token's clause (inherited along coordinated verbs)."""
    verb = clause_of(token)
    while verb is not None:
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            for mention in reversed(state.mentions):
                if (
                    mention.head == subject.i
                    and mention.ref.kind == "person"
                    and (mention.ref.country or mention.ref.actor_id)
                ):
                    return mention
            return None
        verb = verb.head if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i else None
    return None


def _emit_represented(state: ArticleState, token: Token, person: Mention) -> bool:
    """Emit, on ``token``, the organisation or state ``person`` speaks for."""
    actor = state.kb.actors.get(person.ref.actor_id or "")
    role = actor.role_on(state.when) if actor is not None else None
    antecedent = person.ref.antecedent or person.ref.text
    if role is not None and role.org is not None:
        org = state.kb.actors[role.org]
        state.emit(
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
    country_actor = state.kb.country(country) if country else None
    if country_actor is None:
        return False
    sector = person.ref.sector
    state.emit(
        token.i,
        token.i + 1,
        name=country_actor.name,
        code=f"{country_actor.code}{sector or ''}",
        kind="state",
        country=country_actor.code,
        sector=sector,
        actor_id=country_actor.id,
        antecedent=antecedent,
    )
    return True


def _referential_it(token: Token) -> bool:
    """Keep "it"/"its" as subject or possessor; drop expletive "It is believed that"."""
    if token.dep_ == "poss":
        return True
    if token.dep_ not in SUBJECT_DEPS:
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
