"""Direct quotations: who is speaking, and who "we" is inside the quote.

A quotation may run over several sentences, with its speaker named only at the
end ("..., vowed Abu Marzouk.") or at the start ("noted, “We are ..."). Events
inside a quotation are attributed to its speaker, and first-person pronouns in it
refer to the speaker.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dragoman.events.arguments import MentionIndex, subject_of
from dragoman.nlp_text import doc_text
from dragoman.records import ActorRef

_QUOTE = re.compile(r"“[^“”]{2,}?”|\"[^\"]{2,}?\"|«[^«»]{2,}?»")
# Grammar, not knowledge: the first-person pronouns of English.
FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my"})
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SPEAKER_KINDS = frozenset({"speech", "control", "denial"})


@dataclass
class Quotation:
    start: int
    end: int
    speakers: list[ActorRef]

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def find_quotations(doc: Doc, lexicon, index: MentionIndex) -> list[Quotation]:
    """Quoted passages of ``doc`` with the actors who speak them (possibly none)."""
    quotations = []
    for match in _QUOTE.finditer(doc_text(doc)):
        quotation = Quotation(match.start(), match.end(), [])
        if _is_speech_quotation(doc, quotation):
            quotation.speakers = _speakers(doc, quotation, lexicon, index)
        quotations.append(quotation)
    return quotations


def _is_speech_quotation(doc: Doc, quotation: Quotation) -> bool:
    """Quoted words are speech when they hold a finite verb; a quoted phrase
    ("a “good friend”") is only a phrase."""
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="contract")
    return span is not None and any(t.tag_ in FINITE_VERB_TAGS for t in span)


def _speakers(doc: Doc, quotation: Quotation, lexicon, index: MentionIndex) -> list[ActorRef]:
    first = doc.char_span(quotation.start, quotation.start + 1, alignment_mode="expand")
    last = doc.char_span(quotation.end - 1, quotation.end, alignment_mode="expand")
    if first is None or last is None:
        return []
    # the sentence that closes the quote first ("..., the ministry added."), then the one opening it
    for sentence in (last[0].sent, first[0].sent):
        verbs = [
            token
            for token in sentence
            if not quotation.covers(token.idx, token.idx + len(token))
            and token.pos_ in ("VERB", "AUX")
            and _is_speech(token, lexicon)
        ]
        verbs.sort(key=lambda t: min(abs(t.idx - quotation.end), abs(t.idx - quotation.start)))
        for verb in verbs:
            subject, passive = subject_of(verb)
            if subject is not None and not passive:
                actors = index.actors_of(subject)
                if actors:
                    return actors
    return []


def _is_speech(token: Token, lexicon) -> bool:
    entry = lexicon.modality(token.lemma_.lower())
    return entry is not None and entry.kind in SPEAKER_KINDS


def first_person_mentions(
    doc: Doc, quotations: list[Quotation], known: list[ActorRef], text: str | None = None
) -> list[ActorRef]:
    """Mentions for "we", "our", "I" inside quotations whose speaker is known; their text
    is read from ``text`` (the article's own characters) when given."""
    taken = {(m.start, m.end) for m in known}
    added = []
    for quotation in quotations:
        if not quotation.speakers:
            continue
        speaker = quotation.speakers[0]
        span = doc.char_span(quotation.start, quotation.end, alignment_mode="contract")
        if span is None:
            continue
        for token in span:
            if token.lower_ in FIRST_PERSON and token.pos_ == "PRON":
                key = (token.idx, token.idx + len(token))
                if key in taken:
                    continue
                added.append(
                    dataclasses.replace(
                        speaker,
                        text=text[key[0] : key[1]] if text is not None else token.text,
                        start=key[0],
                        end=key[1],
                        antecedent=speaker.text,
                    )
                )
    return added
