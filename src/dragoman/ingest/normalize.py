"""The text the NLP stages read: the article text with boilerplate blanked out and
exotic spaces made plain, character for character, so every offset into it is an
offset into the original text.

A run of more than :data:`MAX_RUN` characters without whitespace (no word is that long;
a row of brackets, symbols or ``'s`` is) has every ``MAX_RUN + 1``-th character made a space:
the tokenizer's time grows with the square of such a run's length. A run of more than
:data:`MAX_REPEAT` copies of one symbol ("((((((", "------", "!!!!!!!") keeps its first
copies and has the rest made spaces: each copy would be a token of its own, and a parse of
tens of thousands of them runs past any time budget, while a run of spaces is one token."""

from __future__ import annotations

import re

from dragoman.records import Article

# Spaces the tagger and parser mistake for words (no-break, thin, zero-width...).
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\u200b\ufeff]")
#: Longest run of characters without whitespace the tokenizer is given whole.
MAX_RUN = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")
#: Most copies of one symbol in a row kept for the tokenizer ("..." and "!!!" stay whole).
MAX_REPEAT = 5
_REPEATS = re.compile(rf"([^\w\s])\1{{{MAX_REPEAT},}}")


def long_runs(text: str) -> int:
    """How many runs of more than :data:`MAX_RUN` characters without whitespace ``text``
    holds (each is broken up for the tokenizer)."""
    return sum(1 for _ in _LONG_RUN.finditer(text))


def _break_run(match: re.Match) -> str:
    chars = list(match.group())
    for i in range(MAX_RUN, len(chars), MAX_RUN + 1):
        chars[i] = " "
    return "".join(chars)


def _blank_repeats(match: re.Match) -> str:
    run = match.group()
    return run[:MAX_REPEAT] + " " * (len(run) - MAX_REPEAT)


def analysis_text(article: Article, text: str | None = None) -> str:
    """Same length as ``article.text``; boilerplate spans become spaces.

    ``text`` stands in for ``article.text`` when given: a copy of the same length, such as
    its case-restored copy.
    """
    text = _ODD_SPACES.sub(" ", article.text if text is None else text)
    text = _REPEATS.sub(_blank_repeats, text)
    text = _LONG_RUN.sub(_break_run, text)
    if not article.boilerplate:
        return text
    chars = list(text)
    for start, end in article.boilerplate:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
