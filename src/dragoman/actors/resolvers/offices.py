"""Offices, bodies and roles named without a personal name: "the foreign minister",
"Egyptian police", "rebel leaders", "its spokesman", "those civilians".

An office takes its country from a country word in its phrase, from the term itself, from a
possessive pronoun ("its leader"), from its own modifiers ("police in Egypt") or, for state
offices and bodies, from the one country the surrounding text ties its actors to. A title
held by one known person on the article's date is that person ("the Russian president").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dragoman.actors.kb import Term
from dragoman.actors.phrases import Atom, Phrase
from dragoman.actors.resolvers.state import ArticleState, Mention

#: Determiners that point back: "those people" are people already spoken of.
DEMONSTRATIVES = frozenset({"these", "those"})
#: Sectors an unqualified office takes the surrounding text's country for: state offices and
#: bodies. Civilians, rebels, refugees or media are as often foreign, so they do not.
_HOME_SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD", "SPY", "OPP"}
#: Marks that end a sentence; a line ending with one is no headline.
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def resolve_demonstrative(
    state: ArticleState, head: Token, start: int, end: int, plural: bool, sector: str | None
) -> bool:
    """ "those people", "these civilians": the unnamed actors of the same kind last spoken
    of, when they were described more fully ("eight Russian-born hostages"). False when the
    phrase has no demonstrative or nothing earlier fits."""
    if not any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in head.children):
        return False
    earlier = state.recent(
        start,
        lambda m: (
            m.ref.kind == "generic"
            and m.plural == plural
            and m.ref.sector == sector
            and m.ref.country is not None
        ),
    )
    if earlier:
        state.emit_copy(start, end, earlier[0])
        return True
    return False


def resolve_office(
    state: ArticleState,
    phrase: Phrase,
    office_atoms: list[Atom],
    start: int,
    end: int,
    country: str | None,
    plural: bool,
) -> None:
    """An office, body or role of the phrase's last office word, with the country it is of.

    "the Iranian foreign minister" is the minister of the day when the knowledge base lists
    one; "its leader" is the leader of what "its" points to; "the foreign ministry" after
    "Iran's foreign ministry" is that ministry; "police in Egypt" are Egypt's; "soldiers" in a text
    about Israel alone are Israel's. An office with neither country nor sector is dropped.
    """
    atom = office_atoms[-1]
    term = atom.term("title", "body", "role")
    if term is None:
        return
    head = state.doc[atom.end - 1]
    sector = _office_sector(office_atoms, term)
    own_country = country is not None
    if country is None and term.country is not None:
        country = term.country
    owner = _possessor(state, phrase, head) if country is None else None
    if owner is not None:
        # "its leader", "their foreign minister": the possessor's actor
        country = owner.ref.country
    if (
        country is None
        and owner is None
        and not _may_stand_alone(head)
        and not _opens_headline(state, start, head)
    ):
        return
    if country is None and term.category == "title" and phrase.definite:
        earlier = state.recent(start, lambda m: m.ref.kind == "person" and m.title == term.label)
        if earlier:
            state.emit_copy(start, end, earlier[0])
            return
    if country is None and term.category == "body" and phrase.definite:
        earlier = state.recent(
            start, lambda m: m.body_type == term.type and m.ref.name.endswith(term.label)
        )
        if earlier:
            state.emit_copy(start, end, earlier[0])
            return
    if country is None and owner is None:
        country = _country_from_context(
            state, head, term.category != "role" and phrase.definite, start
        )
    if (
        country is None
        and owner is None
        and sector in _HOME_SECTORS
        and not _named_by_modifier(state, head)
    ):
        country = state.sentence_country(start)
    if term.category == "title" and country is not None and not plural:
        holders = state.kb.holders(term.label, country, None, state.when)
        if len(holders) == 1:
            actor = holders[0]
            code, role_country, sector = state.kb.person_code(actor, state.when)
            mention = state.emit(
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
    words = _office_words(state, office_atoms, term)
    if (
        owner is not None
        and owner.ref.kind in ("organization", "group")
        and owner.ref.actor_id is not None
    ):
        org = state.kb.actors[owner.ref.actor_id]
        state.emit(
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
    prefix = f"{state.kb.demonym(country)} " if country and own_country else ""
    kind = "organization" if term.category == "body" else "generic"
    mention = state.emit(
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


def _named_by_modifier(state: ArticleState, head: Token) -> bool:
    """True when a capitalised word other than a country qualifies the office noun
    ("Middle Eastern leaders", "Kurdish fighters"): it names who they are."""
    return any(
        c.dep_ in ("amod", "compound")
        and c.text[:1].isupper()
        and not c.is_sent_start
        and c.i not in state.country_by_token
        for c in head.children
    )


def _office_words(state: ArticleState, office_atoms: list[Atom], term: Term) -> str:
    """How an unnamed office or group of people is named: a body by its label, else by
    the office words as written ("rebel leaders", "hostages", "riot police")."""
    if term.category == "body":
        return term.label
    span = state.doc[office_atoms[0].start : office_atoms[-1].end]
    # in a title-case headline the office words are common nouns however capitalised
    # ("Security Forces Arrest Protesters"); elsewhere a capital is kept ("Christian
    # missionary", "Houthi fighters")
    terms = {i for a in office_atoms for i in range(a.start, a.end)} if _title_case(span) else ()
    return " ".join(
        t.lower_ if t.i in terms or t.is_sent_start or t.pos_ not in ("PROPN", "ADJ") else t.text
        for t in span
        if not t.is_space and t.text != "-"
    )


def _title_case(span: Span) -> bool:
    """Whether the sentence of ``span`` capitalises (nearly) all its longer words."""
    words = [t for t in span.sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


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


def _possessor(state: ArticleState, phrase: Phrase, head: Token) -> Mention | None:
    """The resolved possessive pronoun before an office ("its leader", "their envoy")."""
    candidates = [c for c in head.children if c.dep_ == "poss"]
    if phrase.start > 0:
        candidates.append(state.doc[phrase.start - 1])
    for token in candidates:
        if token.lower_ not in state.kb.pronouns or token.tag_ != "PRP$":
            continue
        for mention in reversed(state.mentions):
            if mention.head == token.i and mention.ref.country is not None:
                return mention
    return None


def _may_stand_alone(head: Token) -> bool:
    """A bare office word is an actor only as a noun heading its own phrase."""
    return head.pos_ in ("NOUN", "PROPN") and head.dep_ not in ("compound", "amod")


def _opens_headline(state: ArticleState, start: int, head: Token) -> bool:
    """A bare office word opening a headline the parser took for one noun phrase: "Police
    fire tear gas at protesters", "Security Forces Arrest Protesters In Tehran". The line
    ends without a full stop and has no verb with a subject; the office word is its first
    word, read as a modifier of the next one. It is the headline's subject (the event coder
    reads such a line again, see :mod:`dragoman.events.headlines`)."""
    if head.pos_ not in ("NOUN", "PROPN") or head.dep_ not in ("compound", "amod"):
        return False
    sentence = head.sent
    words = [t for t in sentence if not t.is_space]
    if not words or words[0].i != start or head.head.i <= head.i:
        return False
    if words[-1].text in _SENTENCE_ENDS:
        return False
    return not any(
        t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJECT_DEPS for c in t.children)
        for t in words
    )


def _country_from_context(
    state: ArticleState, head: Token, use_salience: bool, start: int
) -> str | None:
    """Country of an unqualified office: "police in Egypt", "Algeria's leading activist",
    else the recent government."""
    found = _country_at(state, head.i)
    if found:
        return found
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found = _country_at(state, obj.i)
                    if found:
                        return found
    if use_salience:
        recent = state.recent(start, lambda m: m.ref.country is not None and m.ref.sector == "GOV")
        if recent:
            return recent[0].ref.country
    return None


def _country_at(state: ArticleState, token_index: int) -> str | None:
    """Country named by the token or by a country word modifying it."""
    token = state.doc[token_index]
    for candidate in (token, *token.children):
        if candidate.i == token_index or candidate.dep_ in ("amod", "compound", "poss"):
            country = state.country_by_token.get(candidate.i)
            if country:
                return country
    return None
