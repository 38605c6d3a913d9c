"""Which way a clause points in time: toward the past or the future of the article.

News reports events mostly in the past tense, so an unmarked "on Friday" or
"March 28" is read as the most recent one; a nearby future marker ("will",
"scheduled", "next") turns it forward. The nearest marker in the same sentence wins.
"""

from __future__ import annotations

import re

from .lexicon import load_lexicon

PAST, UNKNOWN, FUTURE = -1, 0, 1

_WORD = re.compile(r"[A-Za-z']+")
#: Sentence boundaries: end punctuation followed by a space, or a line break.
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s|\n")
#: "be completed", "being held": a participle after these is not a past tense.
_PASSIVE_AUXILIARIES = frozenset({"be", "being"})
#: How far from the expression (in characters) a marker may be.
WINDOW = 120


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), at most ``WINDOW`` characters either side."""
    low = max(0, start - WINDOW)
    left = low
    for match in _BOUNDARY.finditer(text, low, start):
        left = match.end()
    right_match = _BOUNDARY.search(text, end, min(len(text), end + WINDOW))
    right = right_match.start() + 1 if right_match else min(len(text), end + WINDOW)
    return left, right


def _is_past_form(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


def clause_direction(text: str, start: int, end: int) -> int:
    """``FUTURE``, ``PAST`` or ``UNKNOWN`` for the expression at [start, end)."""
    lexicon = load_lexicon()
    left, right = sentence_bounds(text, start, end)
    best_distance = None
    best = UNKNOWN
    previous_word = ""
    for match in _WORD.finditer(text, left, right):
        word_before, previous_word = previous_word, match.group(0).lower()
        if start <= match.start() < end:
            continue
        word = previous_word
        if word.startswith("'") and word not in lexicon.future_markers:
            word = word.lstrip("'")
        two = ""
        following = _WORD.match(text, match.end() + 1) if match.end() < right else None
        if following:
            two = f"{word} {following.group(0).lower()}"
        if two in lexicon.future_markers or word in lexicon.future_markers:
            direction = FUTURE
        elif word in lexicon.past_markers or (
            _is_past_form(word) and word_before not in _PASSIVE_AUXILIARIES
        ):
            direction = PAST
        else:
            continue
        distance = start - match.end() if match.end() <= start else match.start() - end
        if best_distance is None or distance < best_distance:
            best_distance, best = distance, direction
    return best
