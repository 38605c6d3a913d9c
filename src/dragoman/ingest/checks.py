"""Characters no article should hold: control characters (terminal escapes, NUL bytes),
the bidirectional-text controls that make text display differently from what it says,
and unpaired surrogates (which cannot be written as UTF-8). An article holding one is
refused, with where it is, rather than stored and shown."""

from __future__ import annotations

import re
import unicodedata

#: Control characters other than tab, line feed, vertical tab, form feed and carriage
#: return; DEL and the C1 controls; the bidi embeddings, overrides and isolates; surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: In an id every control character is refused, line breaks and tabs too.
_FORBIDDEN_IN_ID = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
#: Longest article id accepted (the HTTP API's limit too).
MAX_ID_CHARS = 500

_CONTROL_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x0A: "line feed",
                  0x0D: "carriage return", 0x09: "tab"}  # fmt: skip


def describe(char: str) -> str:
    """What a refused character is, for a message: ``a control character (ESC, U+001B)``."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X})"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        name = unicodedata.name(char, "").lower() or "bidirectional control"
        return f"a bidirectional-text control ({name}, U+{code:04X})"
    if code == 0:
        return "a NUL character (U+0000)"
    if code in (0x2028, 0x2029):
        return f"a line or paragraph separator (U+{code:04X})"
    name = _CONTROL_NAMES.get(code)
    return (
        f"a control character ({name}, U+{code:04X})"
        if name
        else (f"a control character (U+{code:04X})")
    )


def first_forbidden(text: str) -> int | None:
    """Index of the first character of ``text`` an article may not hold, or None."""
    match = _FORBIDDEN.search(text)
    return match.start() if match else None


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]`` (lines end at line feeds)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def text_problem(text: str, what: str = "the text") -> str | None:
    """Why ``text`` (a field's value) is refused, or None: ``'title' contains a
    control character (ESC, U+001B) at character 12``."""
    index = first_forbidden(text)
    if index is None:
        return None
    return f"{what} contains {describe(text[index])} at character {index + 1}{why(text[index])}"


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an article id, or None."""
    if not value.strip():
        return "'id' is empty"
    if len(value) > MAX_ID_CHARS:
        return f"'id' is {len(value):,} characters long; the limit is {MAX_ID_CHARS}"
    match = _FORBIDDEN_IN_ID.search(value)
    if match:
        return f"'id' contains {describe(match.group())} at character {match.start() + 1}"
    return None


def why(char: str) -> str:
    """Why a refused character matters, or what may have put it there ('' if nothing to say)."""
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return " (it can make text display differently from what it says)"
    if 0x80 <= code <= 0x9F:
        return " (Windows-1252 text read as Latin-1? name its encoding: --encoding cp1252)"
    return ""
