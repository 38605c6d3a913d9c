"""Server-rendered pages: timeline, network, event table, article view, API docs."""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from dragoman.formats import export_formats
from dragoman.store import EventFilter, Store, browse
from dragoman.web import charts
from dragoman.web.api import get_store
from dragoman.web.highlight import segments
from dragoman.web.params import BadParameter, event_filter, page, parse_int, required_id
from dragoman.web.templating import templates

router = APIRouter(include_in_schema=False)

Filters = Annotated[EventFilter, Depends(event_filter)]
StoreDep = Annotated[Store, Depends(get_store)]
Text = Annotated[str | None, Query()]
TABLE_PAGE = 50
#: Most nodes the network draws (the most active entities) and most links among them.
NODE_LIMIT = 60
MAX_NODES = 200
EDGE_LIMIT = 300


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


def _choice(name: str, value: str | None, allowed: tuple[str, ...], default: str) -> str:
    """One of ``allowed`` (``default`` when blank), else a 400 naming the parameter."""
    value = (value or "").strip()
    if not value:
        return default
    if value not in allowed:
        raise BadParameter(name, f"{name} must be one of {', '.join(allowed)}; got {value[:40]!r}")
    return value


def _grouping(by: str | None) -> str:
    return _choice("by", by, browse.GROUPINGS, "entity")


@router.get("/", response_class=HTMLResponse)
def timeline_page(request: Request, store: StoreDep, filters: Filters) -> HTMLResponse:
    """The events of a period on a time axis, one lane per QuadClass; the most recent
    year when no dates are asked for. Each point links to its evidence; when the period
    holds more events than the plot has pixels, they are counted in bins instead."""
    overall = replace(filters, since=None, until=None)
    first, last, dated = browse.date_extent(store, overall)
    window = charts.period(filters.since, filters.until, first, last)
    matching = store.count_events(**overall.__dict__)
    chart: charts.Timeline | charts.BinnedTimeline
    shown = 0
    if window is None:
        chart = charts.timeline([])
    else:
        selected = replace(filters, since=window.start, until=window.end)
        shown = store.count_events(**selected.__dict__)
        if shown <= charts.POINT_BUDGET:
            chart = charts.timeline(store.query_events(selected, limit=shown), window)
        else:
            chart = charts.binned_timeline(browse.day_counts(store, selected), window)
    interval = "month"
    if first and last and (last.year - first.year) * 12 + last.month - first.month > 240:
        interval = "year"
    series = store.timeseries(interval, **overall.__dict__) if window else []
    context = _context(
        store,
        filters,
        chart=chart,
        binned=isinstance(chart, charts.BinnedTimeline),
        window=window,
        controls=window.links() if window else {},
        shown=shown,
        dated=dated,
        undated=matching - dated,
        matching=matching,
        interval=interval,
        overview=charts.overview(series, interval, window) if window else [],
        page="timeline",
    )
    return templates.TemplateResponse(request, "timeline.html", context)


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    store: StoreDep,
    filters: Filters,
    min_count: Text = None,
    by: Text = None,
    top: Text = None,
) -> HTMLResponse:
    """One node per actor entity (a country with its government and ministries, a person
    as themselves; ``by=code`` for the sectors apart), sized by activity; links coloured
    by mean Goldstein score. The most active entities are drawn, and the page says how
    many there are in all."""
    minimum = parse_int("min_count", min_count, 1) or 1
    grouping = _grouping(by)
    size = parse_int("top", top, 2, MAX_NODES) or NODE_LIMIT
    graph = browse.network(store, filters, grouping, minimum, EDGE_LIMIT, node_limit=size)
    for edge in graph["edges"]:
        edge["colour"] = charts.goldstein_colour(edge["goldstein_mean"])
    graph["nodes"] = charts.network_nodes(graph["nodes"])
    drawn = [
        {k: n[k] for k in ("key", "name", "code", "kind", "activity", "r")} for n in graph["nodes"]
    ]
    links = [
        {
            "source": e["source_entity"],
            "target": e["target_entity"],
            "count": e["count"],
            "goldstein_mean": e["goldstein_mean"],
            "colour": e["colour"],
            "label": f"{e['source']} → {e['target']}",
        }
        for e in graph["edges"]
    ]
    context = _context(
        store,
        filters,
        graph=graph,
        drawing={"by": grouping, "nodes": drawn, "edges": links},
        min_count=minimum,
        by=grouping,
        top=size,
        edge_limit=EDGE_LIMIT,
        page="network",
    )
    return templates.TemplateResponse(request, "network.html", context)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    store: StoreDep,
    filters: Filters,
    offset: Text = None,
    sort: Text = None,
    order: Text = None,
    after: Text = None,
    before: Text = None,
    by: Text = None,
    entity: Text = None,
    source_entity: Text = None,
    target_entity: Text = None,
) -> HTMLResponse:
    """The event table: sorted by any column (newest first by default), paged by keyset
    (``after``/``before`` a row), with facets and export links."""
    size, skip = page(None, offset, TABLE_PAGE, TABLE_PAGE)
    column = _choice("sort", sort, tuple(browse.SORT_COLUMNS), "date")
    direction = _choice("order", order, browse.DIRECTIONS, "desc")
    entities = browse.EntityFilter(
        _grouping(by),
        (entity or "").strip() or None,
        (source_entity or "").strip() or None,
        (target_entity or "").strip() or None,
    )
    cursors = {}
    for name, token in (("after", after), ("before", before)):
        if (token or "").strip():
            try:
                cursors[name] = browse.parse_cursor(name, token.strip(), column)
            except ValueError as error:
                raise BadParameter(name, str(error)) from None
    found = browse.event_page(
        store,
        filters,
        column,
        direction,
        size,
        after=cursors.get("after"),
        before=cursors.get("before"),
        entities=entities,
        offset=skip,
    )
    total = browse.count_events(store, filters, entities)
    facets = browse.facets(store, filters, entities)
    keys = [k for k in (entities.entity, entities.source, entities.target) if k]
    names = browse.entity_labels(store, EventFilter(), keys, entities.by) if keys else {}
    table_params = {
        **filters.to_params(),
        **({"by": entities.by} if entities and entities.by != "entity" else {}),
        **{
            k: v
            for k, v in (
                ("entity", entities.entity),
                ("source_entity", entities.source),
                ("target_entity", entities.target),
            )
            if v
        },
    }
    context = _context(
        store,
        filters,
        events=found.events,
        total=total,
        position=found.position,
        previous=found.previous,
        next=found.next,
        size=size,
        sort=column,
        order=direction,
        columns=EVENT_COLUMNS,
        entities=entities,
        entity_names={k: v["name"] for k, v in names.items()},
        table_params={**table_params, "sort": column, "order": direction},
        facet_params=table_params,
        facets=facets,
        page="events",
    )
    return templates.TemplateResponse(request, "events.html", context)


#: The columns of the events table: (sort name, heading).
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", "Date"),
    ("source", "Source"),
    ("target", "Target"),
    ("plover", "PLOVER"),
    ("cameo", "CAMEO"),
    ("goldstein", "Goldstein"),
    ("modality", "Modality"),
    ("evidence", "Evidence"),
)


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


#: CommonMark without raw HTML: a description can format text, never inject markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def as_html(text: str | None) -> Markup:
    """API documentation text (Markdown, as FastAPI reads docstrings) rendered as HTML."""
    # markdown-it escapes the text itself (raw HTML is off), so the result is safe markup.
    return Markup(_MARKDOWN.render(inspect.cleandoc(text or "")))


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The API reference, rendered from the OpenAPI document as HTML (no external scripts)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": as_html(
                        p.get("description") or p.get("schema", {}).get("description", "")
                    ),
                }
                for p in op.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": as_html(op.get("description", "")),
                    "parameters": parameters,
                }
            )
    return templates.TemplateResponse(
        request, "docs.html", {"operations": operations, "page": "docs"}
    )
