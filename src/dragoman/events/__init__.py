"""Event coding: predicates from the lexicon, roles from the parse, modality, attribution, dates."""

from dragoman.events.coder import EventCoder

__all__ = ["EventCoder"]
