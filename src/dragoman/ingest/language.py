"""The language an article is written in, told by Lingua (its language models ship inside
its package: nothing is downloaded), so that articles the configured spaCy model cannot
read are skipped with a note rather than coded into nonsense.

The decision is cautious: a text too short to tell (a headline, a one-line test), or one
whose language is not clearly another, is kept. An identifier names some language for any
string, noise and names included, so a text in the Latin script is only taken to be in
another language when that language's common words (spaCy's stop words for it) make up
a fair share of its words.

Every article knows its language (``Article.language``, an ISO 639-1 code): the one its
source declares (a page's ``<html lang>``, a feed's ``<language>``, a record's
``language`` field), normalised by :func:`normalize_language`, else the identifier's
verdict when it is sure (the same test that skips an article), else None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from dragoman.ingest.errors import IngestError
from dragoman.records import Article

#: The languages told apart: the ones news in a language other than English is most often
#: written in (fewer languages, less memory and time; any other scores under one of these).
LANGUAGES = (
    "ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "RUSSIAN",
    "UKRAINIAN", "ARABIC", "TURKISH", "PERSIAN", "CHINESE", "JAPANESE", "KOREAN", "POLISH",
    "HEBREW", "HINDI", "URDU", "INDONESIAN", "SWEDISH", "GREEK", "ROMANIAN", "SERBIAN",
    "VIETNAMESE", "THAI", "CZECH", "HUNGARIAN",
)  # fmt: skip
#: Least share of a Latin-script text's words that must be common words of the language
#: found (in English news about a fifth of the words are "the", "of", "in", "and"...).
MIN_COMMON_WORDS = 0.12
#: Fewer letters than this and the text is kept whatever it looks like.
MIN_LETTERS = 60
#: How sure the identifier must be that a text is in another language to skip it.
MIN_CONFIDENCE = 0.9
#: Characters looked at: the opening of an article says its language (the identifier's time
#: grows with the sample: 3,000 characters cost about 5 ms an article, a tenth of its analysis).
SAMPLE_CHARS = 1000


#: Where a language tag's primary subtag ends: ``en-US``, ``en_GB``, ``en-us; q=0.8``, ``fr, en``.
_SUBTAG_END = re.compile(r"[-_,;.\s]")
#: Tags that name no one language: undetermined, several, none, the default of a page.
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis", "x", "i", "*"})


@lru_cache(maxsize=1)
def _lingua_codes() -> dict[str, str]:
    """ISO 639-3 codes and English names (lower case) of Lingua's 75 languages -> their
    ISO 639-1 code: ``eng`` and ``english`` -> ``en``."""
    from lingua import Language

    codes: dict[str, str] = {}
    for language in Language.all():
        code = language.iso_code_639_1.name.lower()
        codes[language.iso_code_639_3.name.lower()] = code
        codes[language.name.lower()] = code
    return codes


def normalize_language(value: object) -> str | None:
    """The ISO 639-1 code (lower case) a declared language tag names, or None when it names
    none: ``"en-US"``, ``"en_GB"``, ``"EN"``, ``"eng"`` and ``"English"`` are ``"en"``;
    ``"x-default"``, ``"und"``, ``""`` and anything not a language are None."""
    if not isinstance(value, str):
        return None
    tag = value.strip().lower()
    primary = _SUBTAG_END.split(tag, maxsplit=1)[0] if tag else ""
    if not primary.isascii() or not primary.isalpha() or primary in _NO_LANGUAGE:
        return None
    if len(primary) == 2:
        return primary
    return _lingua_codes().get(primary) or _lingua_codes().get(tag)


def model_language(model: str) -> str:
    """The ISO 639-1 code of a spaCy pipeline's language, from its name (spaCy names its
    pipelines ``lang_type_genre_size``: ``en_core_web_sm``, ``de_core_news_md``)."""
    prefix = model.split("_", 1)[0].lower()
    return prefix if prefix.isalpha() and 2 <= len(prefix) <= 3 else "en"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(text: str) -> tuple[str, str, float] | None:
    """(ISO 639-1 code, English name, confidence) of the language of ``text``, or None
    when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for char in sample if char.isalpha()) < MIN_LETTERS:
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), best.language.name.title(), best.value


def _latin(text: str) -> bool:
    """Whether most letters of ``text`` are in the Latin script."""
    letters = [char for char in text if char.isalpha()]
    return sum(1 for char in letters if char < "\u0250") > len(letters) / 2


@lru_cache(maxsize=64)
def _stop_words(code: str) -> frozenset[str]:
    """spaCy's common words of a language (none when spaCy has no list for it)."""
    from spacy.util import get_lang_class

    try:
        return frozenset(get_lang_class(code).Defaults.stop_words)
    except (ImportError, AttributeError, KeyError):
        return frozenset()


def _common_share(text: str, code: str) -> float:
    """The share of the words of ``text`` that are common words of the language ``code``."""
    words = [word.strip(".,;:!?\"'()«»„“”‘’").lower() for word in text[:SAMPLE_CHARS].split()]
    words = [word for word in words if word]
    if not words:
        return 0.0
    common = _stop_words(code)
    return sum(1 for word in words if word in common) / len(words)


def sure_language(text: str) -> tuple[str, str] | None:
    """(ISO 639-1 code, English name) of the language ``text`` is written in, when the
    identifier is sure of it (and, in the Latin script, the language's common words bear
    it out), else None."""
    found = detect(text)
    if found is None:
        return None
    code, name, confidence = found
    if confidence < MIN_CONFIDENCE:
        return None
    if _latin(text[:SAMPLE_CHARS]) and _common_share(text, code) < MIN_COMMON_WORDS:
        return None
    return code, name


def _skip_reason(found: tuple[str, str] | None, language: str) -> str | None:
    if found is None or found[0] == language:
        return None
    code, name = found
    return f"not read: written in {name} ({code}); the configured model reads {language!r} only"


def foreign(article: Article, language: str) -> str | None:
    """Why ``article`` is skipped (it is clearly in another language than ``language``,
    an ISO 639-1 code), or None."""
    return _skip_reason(sure_language(article.text), language)


def readable(items: Iterable[Article | IngestError], model: str) -> Iterator[Article | IngestError]:
    """``items`` with each article in another language than ``model``'s turned into one
    line saying so; an article whose source did not say its language gets the one it was
    found to be in, when the finding is sure."""
    language = model_language(model)
    for item in items:
        if isinstance(item, Article):
            found = sure_language(item.text)
            reason = _skip_reason(found, language)
            if reason is not None:
                yield IngestError(item.origin or item.id, reason)
                continue
            if item.language is None and found is not None:
                item = replace(item, language=found[0])
        yield item
