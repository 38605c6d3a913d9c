"""Article metadata written into the text itself, and boilerplate spans.

News dumps often carry a line such as `` date 2024-05-31 Photo Credit: ...`` at the
top and ``Copyright 2023,`` at the bottom. These lines tell us the publication
date but are not news: they are kept in ``Article.text`` (so offsets stay true)
and listed as boilerplate spans that analysis skips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A metadata line: optional "Copyright YYYY," then "date YYYY-MM-DD", optionally
# followed by a photo credit. Matched against a whole line.
_DATE_LINE = re.compile(
    r"^\s*(?:copyright\s+(?P<copy_year>\d{4}),?\s*)?"
    r"date\s+(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:\s+(?:photo|image|picture)\s+credit\s*:.*)?\s*$",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(r"^\s*(?:photo|image|picture)\s+credit\s*:.*$", re.IGNORECASE)
_COPYRIGHT_LINE = re.compile(
    r"^\s*(?:copyright|\(c\)|©)\s*(?P<year>\d{4})?[^\n]{0,80}$", re.IGNORECASE
)
# A dangling dateline opener left by scrapers, such as "( – " at the start of a paragraph.
_DANGLING_DATELINE = re.compile(r"^\(\s*[–—-]\s*", re.MULTILINE)
# A wire dateline opening a paragraph: the filing place, optionally its country or state, a
# date and the agency, then a dash or a colon: "KYIV, May 30 (Reuters) - ", "BEIRUT, Lebanon
# (AP) — ", "GAZA CITY — ", "NEW DELHI: ". It says where and by whom the story was filed, not
# what happened, and the parser reads it as part of the first sentence. Any case is matched
# here (text copied in lower case keeps its datelines: "kabul, may 3 (reuters) - ");
# ``_is_dateline`` decides, asking more of a place not written in capitals.
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_PLACE_WORD = r"[A-Za-z][A-Za-z'’.\-]+"
_REGION_WORD = r"[A-Za-z][A-Za-z.'’\-]+"
_WIRE_DATELINE = re.compile(
    rf"^[ \t]*(?P<place>{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,3}})"
    rf"(?:,[ \t]*(?P<region>{_REGION_WORD}(?:[ \t]+{_REGION_WORD}){{0,2}}))?"
    rf"(?:,[ \t]*(?P<date>{_MONTH}[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?))?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z .&'’\-]{0,30})\))?"
    r"[ \t]*(?P<dash>--|[-–—]|:)[ \t]+",
    re.MULTILINE,
)
#: Words a sentence may open with but a place name does not ("The talks (which ...) - ").
_FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "in", "on", "at", "as", "by", "for", "from", "of", "to", "with",
        "and", "but", "or", "if", "when", "while", "after", "before", "this", "that", "these",
        "those", "it", "its", "he", "she", "they", "we", "i", "there", "here",
    }
)  # fmt: skip


@dataclass
class TextMetadata:
    """What the text says about itself."""

    published: date | None
    copyright_year: int | None
    title: str | None
    boilerplate: list[tuple[int, int]]
    #: Span of the headline (first line), which is analysed for actors but not events.
    title_span: tuple[int, int] | None


def _lines(text: str):
    """Yield (start, end, line) for each line of text, end excluding the newline."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        yield pos, pos + len(stripped), stripped
        pos += len(line)


def _parse_iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def read_text_metadata(text: str) -> TextMetadata:
    """Find metadata lines, boilerplate spans and a headline in ``text``."""
    published: date | None = None
    copyright_year: int | None = None
    boilerplate: list[tuple[int, int]] = []
    lines = list(_lines(text))
    for start, end, line in lines:
        if not line.strip():
            continue
        match = _DATE_LINE.match(line)
        if match:
            published = published or _parse_iso(match.group("date"))
            if match.group("copy_year"):
                copyright_year = int(match.group("copy_year"))
            boilerplate.append((start, end))
            continue
        if _CREDIT_LINE.match(line):
            boilerplate.append((start, end))
            continue
        match = _COPYRIGHT_LINE.match(line)
        if match and len(line) < 100:
            if match.group("year"):
                copyright_year = int(match.group("year"))
            boilerplate.append((start, end))
    for match in _DANGLING_DATELINE.finditer(text):
        boilerplate.append((match.start(), match.end()))
    for match in _WIRE_DATELINE.finditer(text):
        if _is_dateline(match, opens_story=False):
            boilerplate.append((match.start("place"), match.end()))

    title, title_span = _headline(lines, boilerplate)
    opening = _story_opening(lines, boilerplate, title_span)
    if opening is not None:
        match = _WIRE_DATELINE.match(text, opening)
        if match and _is_dateline(match, opens_story=True):
            span = (match.start("place"), match.end())
            if span not in boilerplate:
                boilerplate.append(span)
    return TextMetadata(
        published=published,
        copyright_year=copyright_year,
        title=title,
        boilerplate=sorted(boilerplate),
        title_span=title_span,
    )


def _is_dateline(match: re.Match, opens_story: bool) -> bool:
    """Whether a paragraph opener matched by ``_WIRE_DATELINE`` is a dateline.

    A place in capitals is one when it carries a date, an agency or a region, or when it is
    several words ("GAZA CITY - ") or one long word before a long dash or a colon ("MOSCOW —
    "), not a short acronym actor ("NATO - the alliance met"). A place in lower case or
    with initial capitals, or in a paragraph written all in capitals, needs stronger signs,
    as any sentence may open with words: a date ("kabul, may 3 - "); an agency, a region
    before a long dash or colon, or (in text written in one case) a colon at the opening of
    the story ("kabul: "), each after a place of at most three words that opens with no
    function word ("The talks (which ...) - ").
    """
    place = match.group("place")
    dash = match.group("dash")
    if match.group("date"):
        return True
    line_end = match.string.find("\n", match.end())
    rest = match.string[match.end() : None if line_end < 0 else line_end]
    # in a paragraph written all in capitals, capitals set the place apart from nothing
    caseless = not any(c.islower() for c in rest)
    if place.isupper() and not caseless:
        if match.group("agency") or match.group("region"):
            return True
        return " " in place or (len(place) >= 5 and dash in "—–:")
    words = place.split()
    if len(words) > 3 or words[0].lower() in _FUNCTION_WORDS:
        return False
    if match.group("agency"):
        return True
    if match.group("region") and dash in "—–:":
        return True
    # "kabul: " opening a story written in one case; with both, "Putin: We will..." is far
    # likelier than a dateline so written
    return dash == ":" and opens_story and (place.islower() or caseless)


def _story_opening(lines, boilerplate, title_span) -> int | None:
    """Where the story's first paragraph starts: the first line that is neither blank,
    wholly boilerplate nor the headline."""
    for start, end, line in lines:
        first = start + len(line) - len(line.lstrip())
        if not line.strip() or any(
            b_start <= first and end <= b_end for b_start, b_end in boilerplate
        ):
            continue
        if title_span is not None and start <= title_span[0] < max(end, start + 1):
            continue
        return start
    return None


def _headline(lines, boilerplate) -> tuple[str | None, tuple[int, int] | None]:
    """The first line is a headline when it is short, unpunctuated and followed by a blank line."""
    first = next(
        (
            (i, s, e, line)
            for i, (s, e, line) in enumerate(lines)
            if line.strip() and not any(s < b_end and e > b_start for b_start, b_end in boilerplate)
        ),
        None,
    )
    if first is None:
        return None, None
    index, start, end, line = first
    followed_by_blank = index + 1 < len(lines) and not lines[index + 1][2].strip()
    words = line.split()
    looks_like_headline = (
        followed_by_blank and 2 <= len(words) <= 20 and not line.rstrip().endswith((".", "”", '"'))
    )
    if not looks_like_headline:
        return None, None
    offset = len(line) - len(line.lstrip())
    return line.strip(), (start + offset, end)
