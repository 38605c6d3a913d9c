"""Query parameters shared by the API and the pages, checked into clear 400 errors.

Parameters arrive as text so that an empty form field means "no condition"
rather than a validation error; each is then parsed here with a message that
names the parameter. The OpenAPI document declares each parameter's exact domain
(:func:`domain`): the values accepted are those the schema allows, no more and no
fewer, so a schema-driven client or test can rely on it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Query
from pydantic import WithJsonSchema

from dragoman.store import EventFilter
from dragoman.store.filters import MAX_OFFSET, check_page, modality_names, plover_type_names

#: Largest page of events the JSON API returns; exports may ask for more.
MAX_PAGE = 1000
MAX_EXPORT = 100_000


class BadParameter(HTTPException):
    """A 400 error naming the parameter at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(status_code=400, detail={"parameter": parameter, "message": message})


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


#: A value that is empty or only white space: the parameter is not given.
BLANK: dict[str, Any] = {"type": "string", "pattern": r"^\s*$"}
#: Free text: any string.
TEXT: dict[str, Any] = {"type": "string"}

_INTEGER = re.compile(r"-?[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The CAMEO roots a filter takes: two digits 01-20, or one digit 1-9 (``4`` is ``04``).
CAMEO_ROOTS = (
    *(f"{n:02d}" for n in range(1, 21)),
    *(str(n) for n in range(1, 10)),
)


def domain(schema: dict[str, Any], blank: bool = True) -> WithJsonSchema:
    """The JSON Schema a parameter is declared with: ``schema``, or blank if ``blank``."""
    return WithJsonSchema({"anyOf": [schema, BLANK]} if blank else schema)


def integer_domain(low: int, high: int = MAX_OFFSET) -> dict[str, Any]:
    """An integer from ``low`` to ``high``."""
    return {"type": "integer", "minimum": low, "maximum": high}


def any_case(words: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """One of ``words`` in any mix of case, e.g. ``assault`` or ``Assault`` for ``ASSAULT``,
    white space around it allowed.

    Spelled with character classes rather than a case-insensitive flag, which not every
    regular-expression dialect a client uses has.
    """

    def letters(word: str) -> str:
        return "".join(
            f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else re.escape(c) for c in word
        )

    return {
        "type": "string",
        "pattern": r"^\s*(" + "|".join(letters(w) for w in words) + r")\s*$",
        "examples": list(words),
    }


def parse_date(name: str, value: str | None) -> date | None:
    """An ISO date (``YYYY-MM-DD``) or None."""
    if _text(value) is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            name, f"{name} must be a date as YYYY-MM-DD, got {value[:40]!r}"
        ) from None


def _integer(name: str, value: str) -> int:
    """Decimal ASCII digits with an optional minus sign, nothing else (not ``+1``, ``1_0``,
    ``١`` or `` 1``, all of which Python's ``int()`` would take)."""
    try:
        if not _INTEGER.fullmatch(value):
            raise ValueError(value)
        return int(value)
    except ValueError:
        # Also a number too long to convert: it could never be in range anyway.
        raise BadParameter(name, f"{name} must be an integer, got {value[:40]!r}") from None


def parse_int(name: str, value: str | None, low: int, high: int = MAX_OFFSET) -> int | None:
    """An integer within [low, high], or None.

    ``high`` defaults to the largest integer the database takes (BIGINT), so that
    no number from a request can overflow in SQL.
    """
    if _text(value) is None:
        return None
    number = _integer(name, value)
    if not low <= number <= high:
        raise BadParameter(name, f"{name} must be from {low} to {high}, got {number}")
    return number


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def parse_bool(name: str, value: str | None) -> bool | None:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``), or None."""
    if _text(value) is None:
        return None
    value = value.strip()
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise BadParameter(name, f"{name} must be true or false, got {value!r}")


def _described(description: str, schema: dict[str, Any] = TEXT, blank: bool = True) -> Any:
    return Query(description=description), domain(schema, blank)


_PLOVER = any_case(plover_type_names())
_MODALITY = any_case(modality_names())


def parse_choice(name: str, value: str | None, schema: dict[str, Any]) -> str | None:
    """A value matching the ``pattern`` of ``schema`` (an :func:`any_case` list), or None."""
    if _text(value) is None:
        return None
    if not re.fullmatch(schema["pattern"], value):
        allowed = ", ".join(schema["examples"])
        raise BadParameter(name, f"{name} must be one of {allowed}; got {value[:40]!r}")
    return value


def event_filter(
    actor: Annotated[
        str | None,
        *_described(
            "Source or target actor: code or mention text (whole), or name or a run of "
            "whole words of it (case-insensitive)"
        ),
    ] = None,
    country: Annotated[str | None, *_described("Country code of a source or target actor")] = None,
    plover: Annotated[
        str | None,
        *_described(
            f"PLOVER event type (case-insensitive): {', '.join(plover_type_names())}", _PLOVER
        ),
    ] = None,
    cameo_root: Annotated[
        str | None,
        *_described(
            "CAMEO root code 01-20 (one digit is read with a leading zero: 4 is 04)",
            {"type": "string", "enum": list(CAMEO_ROOTS)},
        ),
    ] = None,
    quad_class: Annotated[str | None, *_described("QuadClass 1-4", integer_domain(1, 4))] = None,
    since: Annotated[
        str | None,
        *_described(
            "Events whose date starts on or after (YYYY-MM-DD; not after until)",
            {"type": "string", "format": "date"},
        ),
    ] = None,
    until: Annotated[
        str | None,
        *_described(
            "Events whose date starts on or before (YYYY-MM-DD)",
            {"type": "string", "format": "date"},
        ),
    ] = None,
    modality: Annotated[
        str | None,
        *_described(f"Modality (case-insensitive): {', '.join(modality_names())}", _MODALITY),
    ] = None,
    source: Annotated[str | None, *_described("Source actor (name, code or text)")] = None,
    target: Annotated[str | None, *_described("Target actor (name, code or text)")] = None,
    text: Annotated[str | None, *_described("Words in the evidence sentence")] = None,
    article_id: Annotated[str | None, *_described("Only events of this article")] = None,
) -> EventFilter:
    """The event filters of a request, checked (a FastAPI dependency).

    Raises :class:`BadParameter` (400) naming the parameter at fault. A blank value
    (empty or white space) means "no condition"; any other value is taken only in the
    form its declared domain gives (no white space around a number or a date).
    """
    if _text(cameo_root) is not None and cameo_root not in CAMEO_ROOTS:
        raise BadParameter(
            "cameo_root",
            f"cameo_root must be a CAMEO root from 01 to 20, got {cameo_root[:40]!r}",
        )
    values = {
        "actor": _text(actor),
        "country": _text(country),
        "plover": parse_choice("plover", plover, _PLOVER),
        "cameo_root": _text(cameo_root),
        "quad_class": parse_int("quad_class", quad_class, 1, 4),
        "since": parse_date("since", since),
        "until": parse_date("until", until),
        "modality": parse_choice("modality", modality, _MODALITY),
        "source": _text(source),
        "target": _text(target),
        "text": _text(text),
        # An id is matched as stored: only a blank one means "no condition".
        "article_id": article_id if _text(article_id) else None,
    }
    try:
        return EventFilter(**values)
    except ValueError as error:
        message = str(error)
        raise BadParameter(message.split(" ", 1)[0], message) from None


def required_id(value: str | None, name: str = "id") -> str:
    """The id given in the query string, exactly as given (400 if there is none)."""
    if value is None:
        raise BadParameter(name, f"{name} is required, e.g. ?{name}=a1")
    return value


def page(limit: str | None, offset: str | None, default: int, maximum: int) -> tuple[int, int]:
    """``(limit, offset)`` from query text, checked by the store's own ``check_page``.

    Every endpoint and page that takes ``limit``/``offset`` goes through here, so a
    page the store would refuse is a 400 naming the parameter, never a 500.
    """
    size = default if _text(limit) is None else _integer("limit", limit)
    skip = 0 if _text(offset) is None else _integer("offset", offset)
    try:
        check_page(size, skip, maximum)
    except ValueError as error:
        message = str(error)
        raise BadParameter(message.split(" ", 1)[0], message) from None
    return size, skip
