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
# A wire dateline opening a paragraph: the filing place in capitals, optionally its country
# or state, a date and the agency, then a dash: "KYIV, May 30 (Reuters) - ",
# "BEIRUT, Lebanon (AP) — ", "GAZA CITY — ". It says where and by whom the story was filed,
# not what happened, and the parser reads it as part of the first sentence.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WIRE_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.'’\-]+(?:[ \t]+[A-Z][A-Za-z.'’\-]+){0,2}))?"
    rf"(?:,[ \t]*(?P<date>{_MONTH}[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?))?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z .&'’\-]{0,30})\))?"
    r"[ \t]*(?:--|[-–—])[ \t]+",
    re.MULTILINE,
)


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
        if _is_dateline(match):
            boilerplate.append((match.start("place"), match.end()))

    title, title_span = _headline(lines, boilerplate)
    return TextMetadata(
        published=published,
        copyright_year=copyright_year,
        title=title,
        boilerplate=sorted(boilerplate),
        title_span=title_span,
    )


def _is_dateline(match: re.Match) -> bool:
    """A capitalised opener is a dateline when it carries a date or an agency, or when its
    place is several words ("GAZA CITY - ") or one long word before a long dash
    ("MOSCOW — "), not a short acronym actor ("NATO - the alliance met")."""
    if match.group("date") or match.group("agency") or match.group("region"):
        return True
    place = match.group("place")
    dash = match.group(0).rstrip()[-1]
    return " " in place or (len(place) >= 5 and dash in "—–")


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
