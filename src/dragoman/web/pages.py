"""Server-rendered pages: timeline, network, event table, article view, API docs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from dragoman.formats import export_formats
from dragoman.store import EventFilter, Store
from dragoman.web import charts
from dragoman.web.api import get_store
from dragoman.web.highlight import segments
from dragoman.web.params import event_filter, page, parse_int, required_id
from dragoman.web.templating import templates

router = APIRouter(include_in_schema=False)

Filters = Annotated[EventFilter, Depends(event_filter)]
StoreDep = Annotated[Store, Depends(get_store)]
#: Most events drawn on the timeline at once.
TIMELINE_MAX = 3000
TABLE_PAGE = 50


def _context(store: Store, filters: EventFilter, **extra: Any) -> dict[str, Any]:
    # The PLOVER menu lists every type the other filters allow, not just the chosen one.
    facets = store.facets(names=("plover",), **{**filters.__dict__, "plover": None})
    return {
        "params": filters.to_params(),
        "plover_types": sorted(v["value"] for v in facets["plover"] if v["value"]),
        "stats": store.stats(),
        # The export links: every format registered for the web (dragoman.formats).
        "export_formats": export_formats("web"),
        **extra,
    }


@router.get("/", response_class=HTMLResponse)
def timeline_page(request: Request, store: StoreDep, filters: Filters) -> HTMLResponse:
    """Events on a time axis, one lane per QuadClass; each point links to its evidence."""
    events = store.query_events(filters, limit=TIMELINE_MAX)
    total = store.count_events(**filters.__dict__)
    chart = charts.timeline(events)
    series = store.timeseries("month", **filters.__dict__)
    context = _context(
        store,
        filters,
        chart=chart,
        total=total,
        series=series,
        truncated=total > len(events),
        page="timeline",
    )
    return templates.TemplateResponse(request, "timeline.html", context)


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    store: StoreDep,
    filters: Filters,
    min_count: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """Actors as nodes sized by activity, edges coloured by mean Goldstein score."""
    minimum = parse_int("min_count", min_count, 1) or 1
    edges = store.network(min_count=minimum, limit=400, **filters.__dict__)
    for edge in edges:
        edge["colour"] = charts.goldstein_colour(edge["goldstein_mean"])
    graph = {"nodes": charts.network_nodes(edges), "edges": edges}
    context = _context(store, filters, graph=graph, min_count=minimum, page="network")
    return templates.TemplateResponse(request, "network.html", context)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    store: StoreDep,
    filters: Filters,
    offset: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """The event table with facets and export links."""
    size, skip = page(None, offset, TABLE_PAGE, TABLE_PAGE)
    events = store.query_events(filters, limit=size, offset=skip)
    total = store.count_events(**filters.__dict__)
    facets = store.facets(**filters.__dict__)
    context = _context(
        store,
        filters,
        events=events,
        total=total,
        offset=skip,
        size=size,
        facets=facets,
        page="events",
    )
    return templates.TemplateResponse(request, "events.html", context)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    """The article with its annotations highlighted and its events listed.

    The id is percent-encoded into the path, ``/`` included; see ``urls.article_url``.
    """
    return _article_page(request, store, article_id)


@router.get("/articles", response_class=HTMLResponse)
def article_page_by_query(
    request: Request,
    store: StoreDep,
    article_id: Annotated[str | None, Query(alias="id")] = None,
) -> HTMLResponse:
    """The same page for ``/articles?id=...``: any id, also ``.`` and ``..``."""
    return _article_page(request, store, required_id(article_id))


def _article_page(request: Request, store: Store, article_id: str) -> HTMLResponse:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, detail={"message": f"no article {article_id!r}"})
    context = {"article": article, "segments": segments(article), "page": "article"}
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The API reference, rendered from the OpenAPI document (no external scripts)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description")
                    or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": parameters,
                }
            )
    return templates.TemplateResponse(
        request, "docs.html", {"operations": operations, "page": "docs"}
    )
