"""The JSON API under ``/api`` (read-only unless the server has a write token)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field, field_validator

from dragoman.formats import ExportContext, format_names, get_format, store_articles
from dragoman.store import EventFilter, Store, browse
from dragoman.store.sql import INTERVALS
from dragoman.web import responses as answers
from dragoman.web.params import (
    ISO_DATE,
    MAX_EXPORT,
    MAX_PAGE,
    TEXT,
    BadParameter,
    domain,
    event_filter,
    integer_domain,
    page,
    parse_bool,
    parse_int,
    required_id,
)
from dragoman.web.security import FailedAttempts, token_matches

router = APIRouter(prefix="/api", tags=["api"])

Filters = Annotated[EventFilter, Depends(event_filter)]
LimitParam = Annotated[
    str | None, Query(description="Page size"), domain(integer_domain(0, MAX_PAGE))
]
OffsetParam = Annotated[str | None, Query(description="Items to skip"), domain(integer_domain(0))]
ExportLimit = Annotated[
    str | None,
    Query(
        description=f"Page size: at most {MAX_PAGE} for format=json (default 100), "
        f"{MAX_EXPORT} for an export (default 10000)"
    ),
    domain(integer_domain(0, MAX_EXPORT)),
]


ByParam = Annotated[
    str | None,
    Query(
        description="entity (default): a country with its government and ministries is one "
        "actor, a person is themselves; code: one per actor code (a state's sectors apart)"
    ),
    domain({"type": "string", "enum": list(browse.GROUPINGS)}),
]
ActorsByParam = Annotated[
    str | None,
    Query(
        description="entity (default): actors gathered as in the network; code: one per "
        "actor code; actor: each stored actor (code and name), with those only mentioned"
    ),
    domain({"type": "string", "enum": [*browse.GROUPINGS, "actor"]}),
]


def _grouping(by: str | None, allowed: tuple[str, ...] = browse.GROUPINGS) -> str:
    value = (by or "").strip() or "entity"
    if value not in allowed:
        raise BadParameter("by", f"by must be one of {', '.join(allowed)}; got {value[:40]!r}")
    return value


def get_store(request: Request) -> Store:
    """The app's open store."""
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


@router.get(
    "/events",
    summary="Events matching filters, paginated or exported",
    response_model=None,
    responses={
        200: {
            "description": "A page of events (format=json), a PLOVER JSON array "
            "(format=plover), or an export file",
            "model": answers.EventsAnswer,
            "content": answers.export_content(),
        },
        **answers.WITH_PARAMETERS,
    },
)
def list_events(
    request: Request,
    store: StoreDep,
    filters: Filters,
    limit: ExportLimit = None,
    offset: OffsetParam = None,
    format: Annotated[
        str,
        Query(
            description="json (a page of events) or an export format: "
            + ", ".join(format_names("web"))
        ),
        domain({"type": "string", "enum": ["json", *format_names("web")]}, blank=False),
    ] = "json",
    merge: Annotated[
        str | None,
        Query(
            description=(
                "true: one row per incident (the reports of one event across articles) "
                "with a report passing the filters: that report, with the incident's "
                "reports, report_sources, report_articles, matched_reports, incident_id "
                "and days (also 1/0, yes/no, on/off, in any case; empty is false)"
            ),
        ),
        domain({"type": "boolean"}, blank=False),
    ] = None,
) -> Any:
    """Events, each as ``Event.to_dict()`` plus ``event_id``, ordered by date.

    ``format=json`` (default) pages with ``limit`` (≤ 1000) and ``offset`` and
    reports the total; an export format (``csv``, ``jsonl``, ``gdelt``, ``parquet``...:
    the formats of ``dragoman.formats`` offered on the web, see docs/output.md)
    downloads up to ``limit`` (≤ 100000, default 10000) events. ``merge=true`` gives one
    row per incident with a report passing the filters, with the incident's counts
    (``dragoman.incidents.merge``; ``limit`` and ``offset`` count rows).
    """
    export = get_format(format, surface="web")
    if format != "json" and export is None:
        allowed = ", ".join(["json", *format_names("web")])
        raise BadParameter("format", f"format must be one of {allowed}; got {format!r}")
    merged = parse_bool("merge", merge) or False
    incidents = _merged_incidents(request, store, filters) if merged else None
    if format == "json":
        size, skip = page(limit, offset, 100, MAX_PAGE)
        if incidents is not None:
            events = list(incidents.rows(limit=size, offset=skip))
            total = len(incidents)
        else:
            events = store.query_events(filters, limit=size, offset=skip)
            total = store.count_events(**filters.__dict__)
        return {
            "total": total,
            "limit": size,
            "offset": skip,
            "filters": filters.to_params(),
            "events": events,
        }
    size, skip = page(limit, offset, 10_000, MAX_EXPORT)
    if incidents is not None:
        events = incidents.rows(limit=size, offset=skip)
    else:
        # Streamed from the store in batches, on a cursor of its own: memory stays flat.
        events = store.iter_events(filters, limit=size, offset=skip)
    if export.counts_reports and not merged:
        # GDELT's mention, source and article counts: those of each event's incident
        from dragoman.incidents import iter_with_incident_counts
        from dragoman.web.incidents import incident_index  # it reads this module's store

        events = iter_with_incident_counts(events, incident_index(request, store))
    context = ExportContext(merged=merged)
    if export.uses_articles:
        context.article = store_articles(store)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return StreamingResponse(
        export.chunks(events, context), media_type=export.media_type, headers=headers
    )


def _merged_incidents(request: Request, store: Store, filters: EventFilter) -> Any:
    """The incidents with a report passing ``filters`` (``merge=true``), from the app's
    grouping of the store (kept until the stored events change)."""
    from dragoman.incidents.merge import MergedEvents
    from dragoman.web.incidents import incident_index  # it reads this module's store

    return MergedEvents(store, filters, incident_index(request, store))


@router.get(
    "/events/{event_id:path}",
    summary="One event",
    response_model=None,
    responses={**answers.ok(answers.Event), **answers.BY_ID},
)
def get_event(event_id: str, store: StoreDep) -> dict[str, Any]:
    """One event by id (404 if unknown); the id percent-encoded, ``/`` too."""
    found = store.event(event_id)
    if found is None:
        raise HTTPException(404, detail={"message": f"no event {event_id!r}"})
    return found


@router.get(
    "/actors",
    summary="Actors with event counts",
    response_model=None,
    responses={**answers.ok(answers.ActorPage), **answers.WITH_PARAMETERS},
)
def list_actors(
    store: StoreDep,
    q: Annotated[
        str | None, Query(description="Substring of name or code"), domain(TEXT, blank=False)
    ] = None,
    limit: LimitParam = None,
    offset: OffsetParam = None,
    by: ActorsByParam = None,
) -> dict[str, Any]:
    """Actors, most active first, with mention and event counts: by entity (default), by
    code, or each stored actor (``by=actor``)."""
    size, skip = page(limit, offset, 100, MAX_PAGE)
    query = (q or "").strip() or None
    grouping = _grouping(by, (*browse.GROUPINGS, "actor"))
    if grouping != "actor":
        actors, total = browse.entity_actors(store, grouping, query, size, skip)
        return {"total": total, "limit": size, "offset": skip, "by": grouping, "actors": actors}
    return {
        "total": store.count_actors(query),
        "limit": size,
        "offset": skip,
        "by": grouping,
        "actors": store.actors(limit=size, offset=skip, q=query),
    }


def _article(store: Store, article_id: str) -> dict[str, Any]:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, detail={"message": f"no article {article_id!r}"})
    return article


@router.get(
    "/articles/{article_id:path}",
    summary="One article with its annotations and events",
    response_model=None,
    responses={**answers.ok(answers.Article), **answers.BY_ID},
)
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """Text, metadata, actor mentions, time expressions, places and events of an article.

    The id is percent-encoded into the path, ``/`` included (``a%2Fb`` for ``a/b``).
    """
    return _article(store, article_id)


@router.get(
    "/articles",
    summary="One article, its id given as a query parameter",
    response_model=None,
    responses={
        **answers.ok(answers.Article),
        **answers.BY_ID,
        400: answers.WITH_PARAMETERS[400],
    },
    # Declared here, as required: read below as optional so that a missing id is a 400
    # naming it, like every other bad parameter.
    openapi_extra={
        "parameters": [
            {
                "name": "id",
                "in": "query",
                "required": True,
                "description": "The article id, whatever characters it has",
                "schema": TEXT,
            }
        ]
    },
)
def get_article_by_query(
    store: StoreDep,
    article_id: Annotated[str | None, Query(alias="id", include_in_schema=False)] = None,
) -> dict[str, Any]:
    """The same as ``/api/articles/{article_id}``, for any id (also ``.`` and ``..``)."""
    return _article(store, required_id(article_id))


@router.get(
    "/timeseries",
    summary="Event counts per period",
    response_model=None,
    responses={**answers.ok(answers.TimeSeries), **answers.WITH_PARAMETERS},
)
def get_timeseries(
    store: StoreDep,
    filters: Filters,
    interval: Annotated[
        str,
        Query(description="day, week, month or year"),
        domain({"type": "string", "enum": list(INTERVALS)}, blank=False),
    ] = "month",
) -> dict[str, Any]:
    """Dated events per period with mean Goldstein score (``source``/``target`` for a dyad)."""
    if interval not in INTERVALS:
        raise BadParameter(
            "interval", f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}"
        )
    return {
        "interval": interval,
        "filters": filters.to_params(),
        "series": store.timeseries(interval, **filters.__dict__),
    }


@router.get(
    "/network",
    summary="Actor network: source→target pairs",
    response_model=None,
    responses={**answers.ok(answers.Network), **answers.WITH_PARAMETERS},
)
def get_network(
    store: StoreDep,
    filters: Filters,
    min_count: Annotated[
        str | None,
        Query(description="Least events per pair (default 1)"),
        domain(integer_domain(1)),
    ] = None,
    limit: Annotated[
        str | None,
        Query(description="Most pairs, busiest first (default 500)"),
        domain(integer_domain(1, 5000)),
    ] = None,
    by: ByParam = None,
) -> dict[str, Any]:
    """Directed pairs of actor entities with event counts and mean Goldstein score, and
    the entities they join (``nodes``). ``by=entity`` (default): a country with its
    government and ministries is one actor, a person is themselves; ``by=code``: one per
    actor code."""
    minimum = parse_int("min_count", min_count, 1) or 1
    size = parse_int("limit", limit, 1, 5000) or 500
    graph = browse.network(store, filters, _grouping(by), minimum, size)
    return {"filters": filters.to_params(), **graph}


@router.get(
    "/facets",
    summary="Counts by PLOVER type, QuadClass, modality and country",
    response_model=None,
    responses={**answers.ok(answers.Facets), **answers.WITH_PARAMETERS},
)
def get_facets(store: StoreDep, filters: Filters) -> dict[str, Any]:
    """Facet values with event counts under the filters."""
    return {"filters": filters.to_params(), "facets": store.facets(**filters.__dict__)}


@router.get(
    "/stats",
    summary="What the store holds",
    response_model=None,
    responses={**answers.ok(answers.Stats), **answers.ANY_REQUEST},
)
def get_stats(store: StoreDep) -> dict[str, Any]:
    """Counts per table, event date range and events per QuadClass."""
    return store.stats()


class ArticleIn(BaseModel):
    """An article to annotate and store."""

    id: str = Field(
        min_length=1, max_length=500, pattern=answers.ID_PATTERN, description=answers.ID_RULE
    )
    text: str = Field(min_length=1, pattern=answers.TEXT_PATTERN, description=answers.TEXT_RULE)
    published: date | None = None
    title: str | None = Field(None, pattern=answers.FIELD_PATTERN)
    url: str | None = Field(None, pattern=answers.FIELD_PATTERN)
    source: str | None = Field(None, pattern=answers.FIELD_PATTERN)
    origin: str | None = Field(None, pattern=answers.FIELD_PATTERN)
    language: str | None = Field(
        None,
        max_length=35,
        pattern=answers.FIELD_PATTERN,
        description="The language the article is written in, a BCP 47 tag (en, en-GB); "
        "stored as its ISO 639-1 code. Without it the language is found from the text. An "
        "article clearly in a language the model does not read is refused (422).",
    )

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """A date as YYYY-MM-DD only, as declared: not a number of seconds, not a time."""
        if value is None or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            return value
        raise ValueError("'published' must be a date as YYYY-MM-DD")


#: Declares the write token in the OpenAPI document; the header itself is read and
#: checked by :func:`require_write_token`.
_BEARER = HTTPBearer(
    auto_error=False, scheme_name="writeToken", description="The server's write token"
)


def require_write_token(request: Request, _declared: Annotated[Any, Depends(_BEARER)]) -> None:
    """Refuse (403) unless the server has a write token and the request carries it.

    The token is compared in constant time. A client with too many failed attempts
    in a row is refused (429, with ``Retry-After``) without its token being looked at.
    """
    token: str | None = request.app.state.write_token
    if token is None:
        raise HTTPException(403, detail={"message": "this server is read-only"})
    failures: FailedAttempts = request.app.state.write_failures
    # The connecting address: forwarded-for headers are not trusted (anyone can send them).
    client = request.client.host if request.client else "unknown"
    wait = failures.retry_after(client)
    if wait:
        raise HTTPException(
            429,
            detail={"message": f"too many wrong write tokens; try again in {wait} s"},
            headers={"Retry-After": str(wait)},
        )
    if not token_matches(request.headers.get("authorization"), token):
        failures.record(client)
        raise HTTPException(
            403, detail={"message": "a valid 'Authorization: Bearer' token is required"}
        )
    failures.clear(client)


@router.api_route(
    "/articles", methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"], include_in_schema=False
)
def articles_other_methods() -> None:
    """405 naming both methods of ``/api/articles``: left to routing, the answer would
    name only those of the first route with this path (GET)."""
    raise HTTPException(405, detail={"message": "Method Not Allowed"}, headers={"Allow": "GET, POST"})


@router.post(
    "/articles",
    summary="Annotate and store an article (needs the write token)",
    dependencies=[Depends(require_write_token)],
    status_code=201,
    response_model=None,
    responses=answers.POST_ARTICLE,
)
def post_article(body: ArticleIn, request: Request, store: StoreDep) -> JSONResponse:
    """Run the pipeline on the article and store it; storing the same id twice adds nothing."""
    writer = request.app.state.writer
    size = len(body.text.encode("utf-8"))
    if size > writer.max_bytes:
        raise HTTPException(
            413, detail={"message": f"article is {size} bytes; the limit is {writer.max_bytes}"}
        )
    stored_text = store.article_text(body.id)
    if stored_text == body.text:
        return JSONResponse({"id": body.id, "stored": False, "events": None}, status_code=200)
    if stored_text is not None:
        raise HTTPException(
            409,
            detail={
                "message": f"article id {body.id!r} is already stored with a different text; "
                "give the article another id"
            },
        )
    try:
        annotations = writer.annotate(body.model_dump())
    except ValueError as error:
        # the pipeline's one-line reason: out of its time budget, or unreadable
        reason = getattr(error, "reason", None) or str(error)
        raise HTTPException(
            422, detail={"message": f"article {body.id!r} was not annotated: {reason}"}
        ) from None
    stored = store.save(annotations)
    return JSONResponse(
        {"id": body.id, "stored": stored, "events": len(annotations.events)},
        status_code=201 if stored else 200,
    )
