"""Normalising place names so that spelling variants share one index key."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[\s\-‐-―_/,;:()\[\]]+")
_DROP = re.compile(r"[.'’‘`ʼʻ\"“”]")
#: Lower-case words separated by single spaces need no further cleaning.
_SIMPLE = re.compile(r"[a-z]+(?: [a-z]+)*\Z")
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,5}\Z")
#: Abbreviations expanded so that "St. Petersburg" and "Saint Petersburg" meet.
_WORD_VARIANTS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBREVIATION = re.compile(r"\b(?:st|ste|mt|ft)\b")


def fold_diacritics(text: str) -> str:
    """Strip combining marks ("Zürich" -> "Zurich"); ASCII text is returned as is."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_name(name: str) -> str:
    """The index key of a place name.

    Case, diacritics, apostrophes and dots are dropped, hyphens and other separators
    become single spaces, a leading "the" is removed and common abbreviations are
    spelled out: "the Nagorno-Karabakh" -> "nagorno karabakh", "St. Petersburg" ->
    "saint petersburg", "U.S." -> "us".
    """
    text = (name if name.isascii() else fold_diacritics(name)).lower()
    if not _SIMPLE.match(text):
        text = _PUNCT.sub(" ", _DROP.sub("", text)).strip()
    text = text.removeprefix("the ")
    if _ABBREVIATION.search(text):
        text = _ABBREVIATION.sub(lambda match: _WORD_VARIANTS[match.group(0)], text)
    return text


def is_acronym(name: str) -> bool:
    """True for names written as capital initials ("UAE", "U.S.", "DRC")."""
    return _ACRONYM.match(name) is not None
