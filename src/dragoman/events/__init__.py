"""Event coding: predicates from the lexicon, roles from the parse, modality, attribution, dates."""

from dragoman.events.coder import EventCoder, Verdict

__all__ = ["EventCoder", "Verdict"]
