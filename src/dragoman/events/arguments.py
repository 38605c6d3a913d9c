"""From parse tokens to actors: who fills an argument slot of a predicate.

The parse says which token heads the subject or object; the actor recogniser
says which spans are actors. This module joins the two: it walks an argument's
subtree, stopping at clause boundaries, and returns the actors it finds there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from spacy.tokens import Doc, Token

from dragoman.nlp_text import doc_text
from dragoman.records import ActorRef

# Children that open another clause or a side remark: actors under them are not
# part of this argument ("relatives of the Russian Israelis who are held by Hamas").
CLAUSE_BOUNDARIES = frozenset(
    {
        "relcl",
        "advcl",
        "ccomp",
        "xcomp",
        "parataxis",
        "csubj",
        "appos",
        "acl:relcl",
        "punct",
        "mark",
    }
)
# Prepositions whose objects are members of the argument, not modifiers of it.
INCLUSIVE_PREPOSITIONS = frozenset({"including", "include", "like", "among"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# Prepositions whose gerund shares the clause's subject ("responded by barring", "after
# meeting", "was involved in lobbing grenades", "resorted to throwing stones"); not "for", whose gerund may be anyone's ("ordered him to appear for questioning").
GERUND_CONTROL_PREPOSITIONS = frozenset(
    {"by", "after", "before", "while", "without", "upon", "since", "through", "in", "to"}
)
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
RELATIVE_PRONOUN_TAGS = frozenset({"WP", "WDT", "WP$"})


class MentionIndex:
    """Actor mentions of one document, looked up by token."""

    def __init__(
        self,
        doc: Doc,
        mentions: list[ActorRef],
        text: str | None = None,
        places: list[ActorRef] | None = None,
    ) -> None:
        self.doc = doc
        #: The article's own characters (the parse may have read a case-restored copy of
        #: the same length): actors the coder names itself take their text from here.
        self.text = doc_text(doc) if text is None else text
        self._by_token: dict[int, list[ActorRef]] = defaultdict(list)
        self.add(mentions)
        #: Places standing for their country where an actor is expected ("shelled Kharkiv").
        self.places = MentionIndex(doc, places, self.text) if places is not None else None

    def add(self, mentions: list[ActorRef]) -> None:
        """Index more mentions of the same document."""
        for mention in mentions:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                self._by_token[token.i].append(mention)

    def at(self, token: Token) -> list[ActorRef]:
        """Mentions covering ``token``."""
        return self._by_token.get(token.i, [])

    def actors_of(self, head: Token | None) -> list[ActorRef]:
        """Actors filling the argument headed by ``head``.

        First the argument's own words (with coordination, compounds and
        possessors); only when that finds nothing, its prepositional modifiers
        too ("a statement from the ministry", "members of Hamas").
        """
        if head is None:
            return []
        head = resolve_relative_pronoun(head)
        found = self._collect(head, through_prepositions=False)
        if not found or all(_unplaced(m) for m in found):
            # "leaders of Romania's new government": the modifier names who they are
            wider = self._collect(head, through_prepositions=True)
            placed = [m for m in wider if not _unplaced(m)]
            found = placed or found or wider
        return self._per_owner(head, found)

    def _per_owner(self, head: Token, found: list[ActorRef]) -> list[ActorRef]:
        """ "The foreign ministers of Egypt, Jordan and Qatar": an office or body of several
        coordinated states is one actor per state."""
        if len(found) != 1 or found[0].actor_id or found[0].kind not in ("generic", "organization"):
            return found
        office = found[0]
        owners: list[ActorRef] = []
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for token in [pobj, *(c for c in pobj.subtree if c.dep_ == "conj")]:
                    owners += [m for m in self.at(token) if m.kind == "state" and m.country]
        first: dict[str, ActorRef] = {}
        for owner in owners:
            first.setdefault(owner.country, owner)
        if len(first) < 2:
            return found
        return [
            replace(
                office,
                code=f"{owner.country}{office.sector or ''}",
                country=owner.country,
                name=f"{office.name} of {owner.name}",
            )
            for owner in first.values()
        ]

    def _collect(self, head: Token, through_prepositions: bool) -> list[ActorRef]:
        seen: dict[tuple, ActorRef] = {}
        stack = [head]
        while stack:
            token = stack.pop()
            for mention in self.at(token):
                seen.setdefault((mention.start, mention.end, mention.code, mention.name), mention)
            for child in token.children:
                if child.dep_ in CLAUSE_BOUNDARIES:
                    continue
                if child.dep_ == "agent":
                    # "hostages released by Hamas": the agent of a participle modifying the
                    # argument is someone else
                    continue
                if child.dep_ == "prep":
                    if child.lower_ in INCLUSIVE_PREPOSITIONS or through_prepositions:
                        stack.append(child)
                    continue
                stack.append(child)
        return sorted(seen.values(), key=lambda m: (m.start, m.code))


def _unplaced(mention: ActorRef) -> bool:
    """An unnamed actor of no known country ("leaders", "officials")."""
    return mention.kind == "generic" and not mention.country


def resolve_relative_pronoun(token: Token) -> Token:
    """'who' in "Abu Marzouk, who said ..." stands for the noun the clause modifies."""
    if token.tag_ in RELATIVE_PRONOUN_TAGS and token.head.dep_ in ("relcl", "acl"):
        return token.head.head
    return token


def listed_gerund(token: Token) -> Token:
    """ "accused X of violating rights, ignoring the law and ...": a gerund that follows a
    verb's "of"/"for" gerund after only a comma is the next item of that list, though the
    parser may hang it on the verb as an adverbial clause. Returns the list's first gerund
    for such a token, else the token itself."""
    if (
        token.dep_ != "advcl"
        or token.tag_ != "VBG"
        or any(c.dep_ == "mark" for c in token.children)
    ):
        return token
    for prep in token.head.children:
        if prep.dep_ != "prep" or prep.i > token.i:
            continue
        gerund = next((c for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
        if gerund is None:
            continue
        between = token.doc[gerund.right_edge.i + 1 : token.i]
        if len(between) and all(t.text == "," for t in between):
            return gerund
    return token


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """The token heading the subject of ``verb`` and whether the clause is passive.

    Subjects are inherited along control (``vowed to release``), coordination
    (``visited ... and met``) and purpose clauses, as a reader would.
    """
    seen = set()
    current = listed_gerund(verb)
    while current.i not in seen:
        seen.add(current.i)
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                return child, current is not verb and _is_passive(verb)
            if child.dep_ in PASSIVE_SUBJECT_DEPS:
                if current is verb or _is_passive(verb):
                    return child, True
                # "was attacked by militiamen, killing 156 people": the active verb's
                # subject is the passive's agent; "was indicted ... and will resign": the
                # passive's subject
                if verb.dep_ == "advcl":
                    return agent_of(current), False
                return child, False
        if current.dep_ == "ROOT":
            # "Turkey hosted talks ...": a sentence-initial name the parser took for an
            # adverbial noun is the subject of a root verb that has none
            first = next((c for c in current.children if c.dep_ == "npadvmod"), None)
            if (
                first is not None
                and first.i < current.i
                and first.pos_ == "PROPN"
                and first.ent_type_ not in ("DATE", "TIME")
                and not any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in current.children)
            ):
                return first, current is not verb and _is_passive(verb)
            stranded = _stranded_subject(current)
            if stranded is not None:
                return stranded, current is not verb and _is_passive(verb)
        if (
            current.dep_ == "acl"
            and current.tag_ == "VBG"
            and current.head.pos_ in ("NOUN", "PROPN")
            and current.head.dep_ not in ("dobj", "obj")
        ):
            # "demonstrators protesting the results": the noun does the act
            return current.head, False
        if current.dep_ == "relcl":
            return current.head, _is_passive(current)
        if noun_rooted_predicate(current):
            return current.sent.root, False
        head = current.head
        if current.dep_ in ("xcomp", "conj", "advcl", "acl") and head.pos_ in ("VERB", "AUX"):
            current = head
            continue
        if (
            current.dep_ == "pcomp"
            and current.tag_ == "VBG"
            and head.dep_ == "prep"
            and head.lower_ in GERUND_CONTROL_PREPOSITIONS
            and head.head.pos_ in ("VERB", "AUX")
        ):
            # "Moscow responded by barring ...", "before leaving": the gerund's subject is
            # the clause's
            current = head.head
            continue
        if current.dep_ == "acomp" and head.pos_ in ("VERB", "AUX"):
            # "Iran is committed to the agreement": the copula's subject
            current = head
            continue
        if current.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ in ("acomp", "xcomp"):
            # "Syria is willing to withdraw": the adjective's subject is the actor
            current = head.head
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and head.dep_ in ("dobj", "obj"):
            # "issued a declaration demanding ...": whoever issued it demands
            current = head.head
            continue
        break
    return None, False


#: Words between a subject and its verb: auxiliaries, negation and adverbs.
_BEFORE_VERB_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})


def _stranded_subject(root: Token) -> Token | None:
    """ "With the signing of the accord, the government and the rebels have agreed ...":
    after a long opening phrase the parser may hang the real subject on that phrase (as a
    conjunct or apposition of its last noun) and leave the root verb with none. A noun
    phrase that stands right before the verb, opened by a comma or the sentence start,
    is then the subject."""
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ in SUBJECT_DEPS for c in root.children):
        return None
    i = root.i - 1
    sent_start = root.sent.start
    while (
        i >= sent_start and root.doc[i].head.i == root.i and root.doc[i].dep_ in _BEFORE_VERB_DEPS
    ):
        i -= 1
    if i < sent_start:
        return None
    last = root.doc[i]
    if last.pos_ not in ("NOUN", "PROPN") or last.head.i == root.i:
        return None
    head = last
    while head.dep_ in ("conj", "compound") and head.head.i < head.i:
        parent = head.head
        before = root.doc[head.left_edge.i - 1] if head.left_edge.i > sent_start else None
        if head.dep_ == "conj" and (before is None or before.text == ","):
            break
        head = parent
    if head.dep_ not in ("conj", "appos") or head.pos_ not in ("NOUN", "PROPN"):
        return None
    opening = head.left_edge.i
    if opening > sent_start and root.doc[opening - 1].text != ",":
        return None
    return head


#: Children that only an active verb takes: a participle with one is no passive modifier.
ACTIVE_ONLY_DEPS = frozenset({"dobj", "dative", "ccomp", "oprd"})


def noun_rooted_predicate(verb: Token) -> bool:
    """ "Doctors from two aid groups donated ...": in a sentence the parser rooted on a noun,
    a finite past verb hung on a noun is the root noun's predicate, not a modifier. So is
    the first past participle so hung when it acts as only an active verb can (it has an
    object, or a finite verb joined to it) and has no passive marks ("five soldiers killed
    in an ambush" stays a headline's passive)."""
    if verb.dep_ != "acl" or verb.sent.root.pos_ not in ("NOUN", "PROPN"):
        return False
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ != "VBN" or any(c.dep_ in ("agent", "auxpass") for c in verb.children):
        return False
    active = any(
        c.dep_ in ACTIVE_ONLY_DEPS or (c.dep_ == "conj" and c.tag_ == "VBD") for c in verb.children
    )
    first = next(t for t in verb.sent if t.dep_ == "acl" and t.tag_ in ("VBD", "VBN"))
    return active and first.i == verb.i


def infinitive_clause(token: Token) -> bool:
    """ "called on Arabs to unite", "met X to express thanks": an infinitive hung on a verb
    as an adverbial clause."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    )


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ == "auxpass" for child in verb.children)


def agent_of(verb: Token) -> Token | None:
    """The object of the 'by' phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def object_of(token: Token, deps: tuple[str, ...] = ("dobj", "obj")) -> Token | None:
    """The first child of ``token`` with one of the dependency labels ``deps``."""
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def prepositional_object(token: Token, preposition: str) -> Token | None:
    """The object of the ``preposition`` phrase attached to ``token``."""
    for child in token.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lemma_.lower() == preposition:
            for grandchild in child.children:
                if grandchild.dep_ in ("pobj", "pcomp"):
                    return grandchild
    return None
