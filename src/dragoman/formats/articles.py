"""What the exports read from an event's article: its metadata, its lead, its sentences.

The store keeps each article's text and boilerplate spans but not its sentences, so the
sentence number of an event (ICEWS "Sentence Number", PLOVER ``text_info.sequence``) is
counted here with a plain splitter: body lines are split after ``.``, ``!`` or ``?`` (and
closing quotes) followed by a space and a capital, a digit or a quote, except after a known
abbreviation or a single letter ("Mr.", "U.S."). It agrees with the coder's own sentences on
ordinary news prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dragoman.store import Store

#: The article fields an export reads (``Store.article`` gives more).
ARTICLE_FIELDS = (
    "id", "url", "title", "source", "language", "published", "ingested_at", "text", "boilerplate",
)  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_HAS_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(\s|$)")
_WORD_BEFORE = re.compile(r"(\w+)[.!?]+[\"'”’)\]]*$")
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
        "gov", "sen", "rep", "st", "mt", "jr", "sr", "no", "vs", "etc", "inc", "corp", "ltd",
        "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "rev", "hon", "amb", "pres",
    }
)  # fmt: skip


def store_articles(store: Store, cache_size: int = 4096) -> Callable[[str], dict[str, Any] | None]:
    """A lookup of stored articles by id, keeping only :data:`ARTICLE_FIELDS`, cached."""
    cache: dict[str, dict[str, Any] | None] = {}

    def lookup(article_id: str) -> dict[str, Any] | None:
        if article_id in cache:
            return cache[article_id]
        record = store.article(article_id)
        found = None if record is None else {k: record.get(k) for k in ARTICLE_FIELDS}
        if len(cache) >= cache_size:
            cache.pop(next(iter(cache)))
        cache[article_id] = found
        return found

    return lookup


def _in_boilerplate(start: int, end: int, spans: list[list[int]] | list[tuple[int, int]]) -> bool:
    return any(b_start <= start and end <= b_end for b_start, b_end in spans)


def body_lines(article: dict[str, Any]) -> list[tuple[int, int]]:
    """Spans of the lines of an article that are body text: not blank, not boilerplate
    (date and credit lines), and with at least one sentence end (a headline has none)."""
    text = article.get("text") or ""
    spans = article.get("boilerplate") or []
    lines = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        stripped = line.strip()
        if (
            stripped
            and not _in_boilerplate(start, end, spans)
            and _HAS_SENTENCE_END.search(stripped)
        ):
            lines.append((start, end))
        start = end + 1
    return lines


def lead_span(article: dict[str, Any]) -> tuple[int, int] | None:
    """The article's lead paragraph: its first body line (see :func:`body_lines`)."""
    lines = body_lines(article)
    return lines[0] if lines else None


def in_lead(article: dict[str, Any] | None, offset: int) -> bool:
    """True when the character ``offset`` lies in the article's lead paragraph."""
    if article is None:
        return False
    lead = lead_span(article)
    return lead is not None and lead[0] <= offset < lead[1]


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    ends = []
    for match in _SENTENCE_END.finditer(text, start, end):
        word = _WORD_BEFORE.search(text, start, match.end())
        if word is not None:
            before = word.group(1)
            if before.lower() in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
                continue
        ends.append(match.end())
    return ends


def sentence_number(article: dict[str, Any] | None, offset: int) -> int | None:
    """The 1-based number of the body sentence holding ``offset``, or None when unknown."""
    if article is None:
        return None
    text = article.get("text") or ""
    number = 0
    for start, end in body_lines(article):
        if start > offset:
            break
        number += 1  # the line's first sentence
        for boundary in _sentence_ends(text, start, end):
            if boundary > offset:
                break
            number += 1
        if offset < end:
            return number
    return None
