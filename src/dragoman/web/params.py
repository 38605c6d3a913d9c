"""Query parameters shared by the API and the pages, checked into clear 400 errors.

Parameters arrive as text so that an empty form field means "no condition"
rather than a validation error; each is then parsed here with a message that
names the parameter.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Query

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


def parse_date(name: str, value: str | None) -> date | None:
    """An ISO date (``YYYY-MM-DD``) or None."""
    value = _text(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def _integer(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        # Also a number too long to convert: it could never be in range anyway.
        raise BadParameter(name, f"{name} must be an integer, got {value[:40]!r}") from None


def parse_int(name: str, value: str | None, low: int, high: int = MAX_OFFSET) -> int | None:
    """An integer within [low, high], or None.

    ``high`` defaults to the largest integer the database takes (BIGINT), so that
    no number from a request can overflow in SQL.
    """
    value = _text(value)
    if value is None:
        return None
    number = _integer(name, value)
    if not low <= number <= high:
        raise BadParameter(name, f"{name} must be from {low} to {high}, got {number}")
    return number


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def parse_bool(name: str, value: str | None) -> bool | None:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``), or None."""
    value = _text(value)
    if value is None:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise BadParameter(name, f"{name} must be true or false, got {value!r}")


def _described(description: str, **extra: Any) -> Any:
    return Query(description=description, json_schema_extra=extra or None)


def event_filter(
    actor: Annotated[
        str | None,
        _described(
            "Source or target actor: code or mention text (whole), or name or a run of "
            "whole words of it (case-insensitive)"
        ),
    ] = None,
    country: Annotated[str | None, _described("Country code of a source or target actor")] = None,
    plover: Annotated[
        str | None,
        _described(
            f"PLOVER event type (case-insensitive): {', '.join(plover_type_names())}",
        ),
    ] = None,
    cameo_root: Annotated[
        str | None, _described("Two-digit CAMEO root code 01-20", pattern=r"^\d{2}$")
    ] = None,
    quad_class: Annotated[str | None, _described("QuadClass 1-4", type="integer")] = None,
    since: Annotated[
        str | None, _described("Events whose date starts on or after (YYYY-MM-DD)", format="date")
    ] = None,
    until: Annotated[
        str | None, _described("Events whose date starts on or before (YYYY-MM-DD)", format="date")
    ] = None,
    modality: Annotated[
        str | None, _described(f"Modality (case-insensitive): {', '.join(modality_names())}")
    ] = None,
    source: Annotated[str | None, _described("Source actor (name, code or text)")] = None,
    target: Annotated[str | None, _described("Target actor (name, code or text)")] = None,
    text: Annotated[str | None, _described("Words in the evidence sentence")] = None,
    article_id: Annotated[str | None, _described("Only events of this article")] = None,
) -> EventFilter:
    """The event filters of a request, checked (a FastAPI dependency).

    Raises :class:`BadParameter` (400) naming the parameter at fault.
    """
    values = {
        "actor": _text(actor),
        "country": _text(country),
        "plover": _text(plover),
        "cameo_root": _text(cameo_root),
        "quad_class": parse_int("quad_class", quad_class, 1, 4),
        "since": parse_date("since", since),
        "until": parse_date("until", until),
        "modality": _text(modality),
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
    limit_text, offset_text = _text(limit), _text(offset)
    size = default if limit_text is None else _integer("limit", limit_text)
    skip = 0 if offset_text is None else _integer("offset", offset_text)
    try:
        check_page(size, skip, maximum)
    except ValueError as error:
        message = str(error)
        raise BadParameter(message.split(" ", 1)[0], message) from None
    return size, skip
