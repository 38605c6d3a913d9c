"""The text the NLP stages read: the article text with boilerplate blanked out and
exotic spaces made plain, character for character, so every offset into it is an
offset into the original text."""

from __future__ import annotations

import re

from dragoman.records import Article

# Spaces the tagger and parser mistake for words (no-break, thin, zero-width...).
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\u200b\ufeff]")


def analysis_text(article: Article, text: str | None = None) -> str:
    """Same length as ``article.text``; boilerplate spans become spaces.

    ``text`` stands in for ``article.text`` when given: a copy of the same length, such as
    its case-restored copy.
    """
    text = _ODD_SPACES.sub(" ", article.text if text is None else text)
    if not article.boilerplate:
        return text
    chars = list(text)
    for start, end in article.boilerplate:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
