"""The JSON Schema of a model's answer: Dragoman's event shape, one sentence at a time.

The schema is sent to the server (for structured output, where it has it) and every
answer is validated against it in any case. The answer is checked in two steps, the
envelope and then each event, so that one malformed event costs only itself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from dragoman.ontology import plover_types

#: What a model may say of an event's reality (the values of ``Event.modality``).
MODALITIES = ("asserted", "reported", "alleged", "intended", "hypothetical", "negated")

_TEXT = {"type": "string", "minLength": 1, "maxLength": 300}
_OPTIONAL_TEXT = {"anyOf": [_TEXT, {"type": "null"}]}


@lru_cache(maxsize=1)
def event_schema() -> dict[str, Any]:
    """The schema of one event in an answer."""
    types = sorted(plover_types())
    modes = sorted({mode for modes in plover_types().values() for mode in modes})
    return {
        "type": "object",
        "properties": {
            "trigger": _TEXT,
            "source": _TEXT,
            "target": _OPTIONAL_TEXT,
            "plover": {"type": "string", "enum": types},
            "plover_mode": {"anyOf": [{"type": "string", "enum": modes}, {"type": "null"}]},
            # any code shape: whether the code exists is a check of its own, counted apart
            "cameo": {"type": "string", "pattern": "^[0-9]{2,4}$"},
            "modality": {"type": "string", "enum": list(MODALITIES)},
            "date": _OPTIONAL_TEXT,
            "place": _OPTIONAL_TEXT,
        },
        "required": [
            "trigger",
            "source",
            "target",
            "plover",
            "plover_mode",
            "cameo",
            "modality",
            "date",
            "place",
        ],
        "additionalProperties": False,
    }


@lru_cache(maxsize=1)
def answer_schema() -> dict[str, Any]:
    """The schema of a whole answer: ``{"events": [event, ...]}``."""
    return {
        "type": "object",
        "properties": {"events": {"type": "array", "items": event_schema(), "maxItems": 20}},
        "required": ["events"],
        "additionalProperties": False,
    }


_ENVELOPE = Draft202012Validator(
    {
        "type": "object",
        "properties": {"events": {"type": "array"}},
        "required": ["events"],
    }
)


class MalformedAnswer(ValueError):
    """An answer that is not JSON, or not an object with a list of events."""


def parse_answer(content: str) -> list[Any]:
    """The events of an answer's text, not yet validated one by one.

    Raises :class:`MalformedAnswer` (one line) when the text is not JSON or not an
    object with an ``events`` list. A JSON text wrapped in a Markdown code fence, as
    some servers return without structured output, is read too."""
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`")
        text = text[text.find("\n") + 1 :] if "\n" in text else text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedAnswer(f"not JSON ({exc.msg} at character {exc.pos})") from None
    error = next(iter(_ENVELOPE.iter_errors(data)), None)
    if error is not None:
        raise MalformedAnswer(f"not an object with an events list ({error.message})")
    return data["events"]


def event_errors(item: Any) -> str | None:
    """Why ``item`` is not a valid event of the schema (one line), or None."""
    validator = _event_validator()
    error = next(iter(validator.iter_errors(item)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


@lru_cache(maxsize=1)
def _event_validator() -> Draft202012Validator:
    return Draft202012Validator(event_schema())
