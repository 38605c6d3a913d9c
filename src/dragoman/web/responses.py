"""What the JSON API answers, declared for its OpenAPI document.

The endpoints build plain dicts (from the store) and return them as they are; these
models only describe them, so the document can say what every status code carries
and a client (or a schema-driven test) can check it. Every field the API always sends
is required; objects allow further fields, so adding one later breaks no client.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from dragoman.formats import format_names, get_format


class _Open(BaseModel):
    """An object that may carry more fields than those listed."""

    model_config = ConfigDict(extra="allow")


# -- errors ------------------------------------------------------------------------------


class Error(_Open):
    """Every error of the API: its status code and a one-line message."""

    error: int = Field(description="The HTTP status code")
    message: str = Field(description="What went wrong, on one line")
    parameter: str | None = Field(
        default=None, description="The query parameter at fault (400 errors)"
    )


class Problem(_Open):
    """One thing wrong with a request that did not match its declared shape."""

    location: list[str | int] = Field(description='Where, e.g. ["body", "text"]')
    message: str


class InvalidRequest(_Open):
    """A request whose body or parameters do not have the declared shape (422)."""

    error: int
    message: str
    problems: list[Problem]


def _error(description: str, model: type[BaseModel] = Error) -> dict[str, Any]:
    return {"description": description, "model": model}


#: The answers any request can get, whatever its path: its URL or body is too long,
#: or the server failed.
ANY_REQUEST: dict[int | str, dict[str, Any]] = {
    413: _error("The request body is larger than the server accepts"),
    414: _error("The path and query string are longer than the server accepts"),
    500: _error("The server failed (the message says no more than that)"),
}
#: The answers of an endpoint with query parameters.
WITH_PARAMETERS: dict[int | str, dict[str, Any]] = {
    **ANY_REQUEST,
    400: _error("A query parameter is not valid (named in `parameter`)"),
    422: _error("The request does not have the declared shape", InvalidRequest),
}
#: The answers of an endpoint that looks up one stored thing by id.
BY_ID: dict[int | str, dict[str, Any]] = {
    **ANY_REQUEST,
    404: _error("Nothing is stored with this id"),
    422: WITH_PARAMETERS[422],
}


# -- what is stored ----------------------------------------------------------------------


class Actor(_Open):
    """An actor as mentioned in the text, resolved to the knowledge base."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str
    code: str
    country: str | None
    sector: str | None
    kind: str
    actor_id: str | None


class Mention(Actor):
    """An actor mention of an article (``antecedent``: the name a pronoun stands for)."""

    antecedent: str | None = None


class Place(_Open):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature: str | None


class TimeExpression(_Open):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    type: str
    value: str | None
    date_start: str | None = Field(json_schema_extra={"format": "date"})
    date_end: str | None = Field(json_schema_extra={"format": "date"})
    precision: str | None


class Evidence(_Open):
    """The sentence an event was read from and its trigger, with offsets in the text."""

    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    trigger: str
    trigger_start: int = Field(ge=0)
    trigger_end: int = Field(ge=0)


class Event(_Open):
    """An event (``Event.to_dict()`` plus ``event_id``; see docs/output.md)."""

    event_id: str
    article_id: str
    source: list[Actor]
    target: list[Actor]
    cameo: str | None
    cameo_label: str | None
    plover: str | None
    plover_mode: str | None
    quad_class: int | None
    goldstein: float | None
    date: str | None
    date_start: str | None = Field(json_schema_extra={"format": "date"})
    date_end: str | None = Field(json_schema_extra={"format": "date"})
    date_precision: str | None
    location: Place | None
    modality: str
    attribution: list[Actor]
    evidence: Evidence
    confidence: float | None
    reports: int | None = Field(default=None, description="With merge=true: reports of its incident")
    report_articles: list[str] | None = Field(
        default=None, description="With merge=true: the ids of its articles"
    )


class EventPage(_Open):
    total: int = Field(ge=0, description="Events matching the filters")
    limit: int = Field(ge=0)
    offset: int = Field(ge=0)
    filters: dict[str, Any] = Field(description="The filters applied, as given")
    events: list[Event]


class ActorCount(_Open):
    code: str | None
    name: str | None
    country: str | None
    sector: str | None
    kind: str | None
    events: int = Field(ge=0)
    as_source: int = Field(ge=0)
    as_target: int = Field(ge=0)
    mentions: int = Field(ge=0)


class ActorPage(_Open):
    total: int = Field(ge=0)
    limit: int = Field(ge=0)
    offset: int = Field(ge=0)
    actors: list[ActorCount]


class Article(_Open):
    """An article with its annotations and events."""

    id: str
    text: str
    title: str | None
    url: str | None
    source: str | None
    language: str | None = Field(
        description="ISO 639-1 code of the article's language (en), when known",
        pattern="^[a-z]{2}$",
    )
    published: str | None = Field(json_schema_extra={"format": "date"})
    published_estimated: bool | None
    origin: str | None
    boilerplate: list[list[int]]
    mentions: list[Mention]
    times: list[TimeExpression]
    places: list[Place]
    events: list[Event]


class Period(_Open):
    period: str = Field(json_schema_extra={"format": "date"}, description="First day of it")
    count: int = Field(ge=0)
    goldstein_mean: float | None


class TimeSeries(_Open):
    interval: str
    filters: dict[str, Any]
    series: list[Period]


class Edge(_Open):
    source: str | None
    source_code: str | None
    source_country: str | None
    target: str | None
    target_code: str | None
    target_country: str | None
    count: int = Field(ge=0)
    goldstein_mean: float | None


class Network(_Open):
    filters: dict[str, Any]
    edges: list[Edge]


class FacetValue(_Open):
    value: str | int | None
    count: int = Field(ge=0)


class Facets(_Open):
    filters: dict[str, Any]
    facets: dict[str, list[FacetValue]]


class Stats(_Open):
    counts: dict[str, int]
    undated_events: int = Field(ge=0)
    first_date: str | None = Field(json_schema_extra={"format": "date"})
    last_date: str | None = Field(json_schema_extra={"format": "date"})
    by_quad_class: list[dict[str, Any]]


class Stored(_Open):
    """The answer to a posted article."""

    id: str
    stored: bool = Field(description="false: the same article was already stored")
    events: int | None = Field(description="Events coded from it (null if it was not coded)")


class EventsAnswer(RootModel[EventPage | list[dict[str, Any]]]):
    """A page of events, or with ``format=plover`` the PLOVER JSON array of the events
    (each record as ``dragoman/data/formats/plover.schema.json`` describes)."""


def export_content() -> dict[str, Any]:
    """The other media types ``/api/events`` answers with: one per export format."""
    content: dict[str, Any] = {}
    for name in format_names("web"):
        media_type = get_format(name, "web").media_type.split(";")[0].strip()
        if media_type != "application/json":
            content.setdefault(media_type, {"schema": {"type": "string", "format": "binary"}})
    return content


# -- what may be posted ------------------------------------------------------------------

#: Characters an article may not hold (as ``dragoman.ingest.checks`` refuses them):
#: control characters but tab and line breaks, DEL and the C1 controls, bidi controls.
_NOT_IN_TEXT = r"\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
#: ... and in an id, every control character and the line and paragraph separators.
_NOT_IN_ID = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
#: Some character that is not white space, and none of the refused ones.
ID_PATTERN = rf"^[^{_NOT_IN_ID}]*[^\s{_NOT_IN_ID}][^{_NOT_IN_ID}]*$"
TEXT_PATTERN = rf"^[^{_NOT_IN_TEXT}]*[^\s{_NOT_IN_TEXT}][^{_NOT_IN_TEXT}]*$"
#: A metadata field may be empty, but holds none of the refused characters.
FIELD_PATTERN = rf"^[^{_NOT_IN_TEXT}]*$"
ID_RULE = (
    "Up to 500 characters, not all white space, with no control character "
    "(tab and line breaks neither) and no bidirectional-text control"
)
TEXT_RULE = (
    "Not all white space; no control character but tab and line breaks, no "
    "bidirectional-text control; at most DRAGOMAN_MAX_ARTICLE_BYTES (2 MB) as UTF-8 (413)"
)


class NotStored(RootModel[InvalidRequest | Error]):
    """Why a posted article was not taken: its shape, or its annotation failed."""


POST_ARTICLE: dict[int | str, dict[str, Any]] = {
    201: {"description": "Annotated and stored", "model": Stored},
    200: {"description": "Already stored with the same text; nothing added", "model": Stored},
    403: _error("The server is read-only, or the token is missing or wrong"),
    409: _error("The id is already stored with a different text"),
    413: _error("The text or the request body is larger than the server accepts"),
    414: ANY_REQUEST[414],
    422: {
        "description": "The body does not have the declared shape (with `problems`), or "
        "the article could not be annotated (its one-line reason)",
        "model": NotStored,
    },
    429: {
        **_error("Too many wrong tokens from this client; try again later"),
        "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        },
    },
    500: ANY_REQUEST[500],
    503: _error("The NLP pipeline is not available on this server"),
}


def ok(model: type[BaseModel], description: str = "Success") -> dict[int | str, dict[str, Any]]:
    """The 200 answer of an endpoint: ``model`` as JSON."""
    return {200: {"description": description, "model": model}}
