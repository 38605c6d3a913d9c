"""The JSON API under ``/api`` (read-only unless the server has a write token)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from dragoman.formats import ExportContext, format_names, get_format, store_articles
from dragoman.store import EventFilter, Store
from dragoman.store.sql import INTERVALS
from dragoman.web.params import (
    MAX_EXPORT,
    MAX_PAGE,
    BadParameter,
    event_filter,
    page,
    parse_bool,
    parse_int,
    required_id,
)
from dragoman.web.security import FailedAttempts, token_matches

router = APIRouter(prefix="/api", tags=["api"])

Filters = Annotated[EventFilter, Depends(event_filter)]
LimitParam = Annotated[
    str | None, Query(description="Page size", json_schema_extra={"type": "integer"})
]
OffsetParam = Annotated[
    str | None, Query(description="Items to skip", json_schema_extra={"type": "integer"})
]


def get_store(request: Request) -> Store:
    """The app's open store."""
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


@router.get("/events", summary="Events matching filters, paginated or exported")
def list_events(
    store: StoreDep,
    filters: Filters,
    limit: LimitParam = None,
    offset: OffsetParam = None,
    format: Annotated[
        str,
        Query(
            description="json (a page of events) or an export format: "
            + ", ".join(format_names("web"))
        ),
    ] = "json",
    merge: Annotated[
        str | None,
        Query(
            description=(
                "true: each event once, however many articles report it (same CAMEO root, "
                "source and target actors and day), with reports and report_articles"
            ),
            json_schema_extra={"type": "boolean"},
        ),
    ] = None,
) -> Any:
    """Events, each as ``Event.to_dict()`` plus ``event_id``, ordered by date.

    ``format=json`` (default) pages with ``limit`` (≤ 1000) and ``offset`` and
    reports the total; an export format (``csv``, ``jsonl``, ``gdelt``, ``parquet``...:
    the formats of ``dragoman.formats`` offered on the web, see docs/output.md)
    downloads up to ``limit`` (≤ 100000, default 10000) events. ``merge=true`` merges
    reports of the same event (after filtering) and adds ``reports`` and ``report_articles``.
    """
    export = get_format(format, surface="web")
    if format != "json" and export is None:
        allowed = ", ".join(["json", *format_names("web")])
        raise BadParameter("format", f"format must be one of {allowed}; got {format!r}")
    merged = parse_bool("merge", merge) or False
    if format == "json":
        size, skip = page(limit, offset, 100, MAX_PAGE)
        events = store.query_events(filters, limit=size, offset=skip, merge_duplicates=merged)
        total = store.count_events(merge_duplicates=merged, **filters.__dict__)
        return {
            "total": total,
            "limit": size,
            "offset": skip,
            "filters": filters.to_params(),
            "events": events,
        }
    size, skip = page(limit, offset, 10_000, MAX_EXPORT)
    events = store.query_events(filters, limit=size, offset=skip, merge_duplicates=merged)
    context = ExportContext(merged=merged)
    if export.uses_articles:
        context.article = store_articles(store)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return StreamingResponse(
        export.chunks(events, context), media_type=export.media_type, headers=headers
    )


@router.get("/events/{event_id:path}", summary="One event")
def get_event(event_id: str, store: StoreDep) -> dict[str, Any]:
    """One event by id (404 if unknown); the id percent-encoded, ``/`` too."""
    found = store.event(event_id)
    if found is None:
        raise HTTPException(404, detail={"message": f"no event {event_id!r}"})
    return found


@router.get("/actors", summary="Actors with event counts")
def list_actors(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Substring of name or code")] = None,
    limit: LimitParam = None,
    offset: OffsetParam = None,
) -> dict[str, Any]:
    """Canonical actors (code + name), most active first, with mention and event counts."""
    size, skip = page(limit, offset, 100, MAX_PAGE)
    query = (q or "").strip() or None
    return {
        "total": store.count_actors(query),
        "limit": size,
        "offset": skip,
        "actors": store.actors(limit=size, offset=skip, q=query),
    }


def _article(store: Store, article_id: str) -> dict[str, Any]:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, detail={"message": f"no article {article_id!r}"})
    return article


@router.get("/articles/{article_id:path}", summary="One article with its annotations and events")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """Text, metadata, actor mentions, time expressions, places and events of an article.

    The id is percent-encoded into the path, ``/`` included (``a%2Fb`` for ``a/b``).
    """
    return _article(store, article_id)


@router.get("/articles", summary="One article, its id given as a query parameter")
def get_article_by_query(
    store: StoreDep,
    article_id: Annotated[
        str | None, Query(alias="id", description="The article id, whatever characters it has")
    ] = None,
) -> dict[str, Any]:
    """The same as ``/api/articles/{article_id}``, for any id (also ``.`` and ``..``)."""
    return _article(store, required_id(article_id))


@router.get("/timeseries", summary="Event counts per period")
def get_timeseries(
    store: StoreDep,
    filters: Filters,
    interval: Annotated[str, Query(description="day, week, month or year")] = "month",
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


@router.get("/network", summary="Actor network: source→target pairs")
def get_network(
    store: StoreDep,
    filters: Filters,
    min_count: Annotated[
        str | None,
        Query(description="Least events per pair", json_schema_extra={"type": "integer"}),
    ] = None,
    limit: LimitParam = None,
) -> dict[str, Any]:
    """Directed actor pairs with event counts and mean Goldstein score."""
    minimum = parse_int("min_count", min_count, 1) or 1
    size = parse_int("limit", limit, 1, 5000) or 500
    return {
        "filters": filters.to_params(),
        "edges": store.network(min_count=minimum, limit=size, **filters.__dict__),
    }


@router.get("/facets", summary="Counts by PLOVER type, QuadClass, modality and country")
def get_facets(store: StoreDep, filters: Filters) -> dict[str, Any]:
    """Facet values with event counts under the filters."""
    return {"filters": filters.to_params(), "facets": store.facets(**filters.__dict__)}


@router.get("/stats", summary="What the store holds")
def get_stats(store: StoreDep) -> dict[str, Any]:
    """Counts per table, event date range and events per QuadClass."""
    return store.stats()


class ArticleIn(BaseModel):
    """An article to annotate and store."""

    id: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1)
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None


def require_write_token(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> None:
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
    if not token_matches(authorization, token):
        failures.record(client)
        raise HTTPException(
            403, detail={"message": "a valid 'Authorization: Bearer' token is required"}
        )
    failures.clear(client)


@router.post(
    "/articles",
    summary="Annotate and store an article (needs the write token)",
    dependencies=[Depends(require_write_token)],
    status_code=201,
    responses={
        200: {"description": "Already stored with the same text; nothing added"},
        409: {"description": "The id is already stored with a different text"},
        422: {"description": "The article could not be annotated (its one-line reason)"},
    },
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
