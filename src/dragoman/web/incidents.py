"""Incidents and commitment threads: ``/api/incidents``, ``/api/threads`` and their pages.

The explorer's store is read-only, so incidents are grouped in memory from the store's
public reads and kept on the application until the number of stored events changes (a
posted article); see docs/incidents.md.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict

from dragoman.incidents import IncidentIndex, store_incidents
from dragoman.incidents.listing import THREAD_STATUSES, incident_list, thread_list
from dragoman.incidents.threads import DEFAULT_LAPSE_DAYS
from dragoman.store import Store
from dragoman.web import responses as answers
from dragoman.web.api import get_store
from dragoman.web.params import (
    MAX_PAGE,
    TEXT,
    BadParameter,
    domain,
    integer_domain,
    page,
    parse_date,
    parse_int,
)
from dragoman.web.templating import templates
from dragoman.web.urls import incident_url, thread_url

api_router = APIRouter(prefix="/api", tags=["api"])
pages_router = APIRouter(include_in_schema=False)
StoreDep = Annotated[Store, Depends(get_store)]
_LOCK = threading.Lock()
PAGE_SIZE = 50
#: The largest ``min_reports`` and ``lapse_days`` taken.
MAX_COUNT = 1_000_000
templates.env.globals.update(incident_url=incident_url, thread_url=thread_url)

ActorParam = Annotated[
    str | None,
    Query(description="Only incidents of this side or actor: a side code (RUS) or an actor's "
          "name, code or mention text (Hamas)"),
    domain(TEXT),
]  # fmt: skip
MinReportsParam = Annotated[
    str | None,
    Query(description="Only incidents with at least this many reports (default 1)"),
    domain(integer_domain(1, MAX_COUNT)),
]
LimitParam = Annotated[
    str | None, Query(description="Page size (default 50)"), domain(integer_domain(0, MAX_PAGE))
]
OffsetParam = Annotated[str | None, Query(description="Items to skip"), domain(integer_domain(0))]
StatusParam = Annotated[
    str | None,
    Query(description="Only threads in this status: " + ", ".join(THREAD_STATUSES)),
    domain({"type": "string", "enum": list(THREAD_STATUSES)}),
]
LapseParam = Annotated[
    str | None,
    Query(description="Days without a step after which an open thread has lapsed "
          f"(default {DEFAULT_LAPSE_DAYS})"),
    domain(integer_domain(0, MAX_COUNT)),
]  # fmt: skip
AsOfParam = Annotated[
    str | None,
    Query(description="Judge lapses on this day, YYYY-MM-DD (default: the latest event date)"),
    domain({"type": "string", "format": "date"}),
]


class _Open(BaseModel):
    """An object that may carry more fields than those listed."""

    model_config = ConfigDict(extra="allow")


class IncidentSummary(_Open):
    """One incident without its reports."""

    incident_id: str
    cameo: str
    sides: list[str]
    date_start: str | None
    date_end: str | None
    reports: int
    articles: list[str]
    outlets: list[str]
    confidence: float


class IncidentPage(_Open):
    """A page of incidents and how many match."""

    total: int
    limit: int
    offset: int
    incidents: list[IncidentSummary]


class IncidentDetail(IncidentSummary):
    """One incident with every report."""

    report_list: list[dict[str, Any]]


class ThreadAnswer(_Open):
    """One commitment thread with its steps."""

    thread_id: str
    parties: list[str]
    object: str
    status: str
    chain: list[str]
    steps: list[dict[str, Any]]


class ThreadPage(_Open):
    """Every matching thread, and the day and lapse their status was judged with."""

    total: int
    as_of: str | None
    lapse_days: int
    threads: list[ThreadAnswer]


def _ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": "Success", "model": model}}


_LIST_ANSWERS = answers.WITH_PARAMETERS
_ONE_ANSWERS = {**answers.WITH_PARAMETERS, 404: answers.BY_ID[404]}


def incident_index(request: Request, store: StoreDep) -> IncidentIndex:
    """The store's incidents, grouped once and again only when the stored events change."""
    count = store.count_events()
    with _LOCK:
        cached = getattr(request.app.state, "incident_index", None)
        if cached is not None and cached[0] == count:
            return cached[1]
        index = store_incidents(store)
        request.app.state.incident_index = (count, index)
        return index


IndexDep = Annotated[IncidentIndex, Depends(incident_index)]


def _incidents(index: IncidentIndex, actor: str | None, min_reports: str | None, limit, offset):
    size, skip = page(limit, offset, PAGE_SIZE, MAX_PAGE)
    least = parse_int("min_reports", min_reports, 1, MAX_COUNT) or 1
    total, items = incident_list(index, actor=(actor or "").strip() or None,
                                 min_reports=least, limit=size, offset=skip)  # fmt: skip
    return {"total": total, "limit": size, "offset": skip, "incidents": items}


def _threads(index: IncidentIndex, status: str | None, lapse_days: str | None, as_of: str | None):
    chosen = (status or "").strip() or None
    if chosen is not None and chosen not in THREAD_STATUSES:
        allowed = ", ".join(THREAD_STATUSES)
        raise BadParameter("status", f"status must be one of {allowed}; got {status!r}")
    lapse = parse_int("lapse_days", lapse_days, 0, MAX_COUNT)
    day = parse_date("as_of", as_of)
    found, items = thread_list(
        index, status=chosen, lapse_days=DEFAULT_LAPSE_DAYS if lapse is None else lapse, as_of=day
    )
    return {
        "total": len(items),
        "as_of": found.as_of.isoformat() if found.as_of else None,
        "lapse_days": found.lapse_days,
        "threads": items,
    }


@api_router.get(
    "/incidents",
    summary="Incidents: the reports, across articles, of one event",
    response_model=None,
    responses={**_ok(IncidentPage), **_LIST_ANSWERS},
)
def list_incidents(
    index: IndexDep,
    actor: ActorParam = None,
    min_reports: MinReportsParam = None,
    limit: LimitParam = None,
    offset: OffsetParam = None,
) -> dict[str, Any]:
    """Incidents by first day, each with its sides, date range, reports, articles, outlets,
    first and latest report and confidence (see docs/incidents.md)."""
    return _incidents(index, actor, min_reports, limit, offset)


@api_router.get(
    "/incidents/{incident_id}",
    summary="One incident with every report",
    response_model=None,
    responses={**_ok(IncidentDetail), **answers.BY_ID},
)
def get_incident(incident_id: str, index: IndexDep) -> dict[str, Any]:
    """One incident with every report: article, outlet, evidence and offsets, attribution."""
    found = index.incidents.get(incident_id)
    if found is None:
        raise HTTPException(404, detail={"message": f"no incident {incident_id!r}"})
    return found.to_dict()


@api_router.get(
    "/threads",
    summary="Commitment threads with their steps and status",
    response_model=None,
    responses={**_ok(ThreadPage), **_LIST_ANSWERS},
)
def list_threads(
    index: IndexDep,
    status: StatusParam = None,
    lapse_days: LapseParam = None,
    as_of: AsOfParam = None,
) -> dict[str, Any]:
    """Requests and promises between two parties about one object, followed to their
    outcome, refusal or lapse, each step with its evidence."""
    return _threads(index, status, lapse_days, as_of)


@api_router.get(
    "/threads/{thread_id}",
    summary="One commitment thread",
    response_model=None,
    responses={**_ok(ThreadAnswer), **_ONE_ANSWERS},
)
def get_thread(
    thread_id: str, index: IndexDep, lapse_days: LapseParam = None, as_of: AsOfParam = None
) -> dict[str, Any]:
    """One thread with its steps and their evidence (404 if unknown)."""
    for item in _threads(index, None, lapse_days, as_of)["threads"]:
        if item["thread_id"] == thread_id:
            return item
    raise HTTPException(404, detail={"message": f"no thread {thread_id!r}"})


@pages_router.get("/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request,
    index: IndexDep,
    actor: Annotated[str | None, Query()] = None,
    min_reports: Annotated[str | None, Query()] = None,
    offset: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """Incidents, most reported first within each day, with links to each."""
    data = _incidents(index, actor, min_reports, None, offset)
    params = {"actor": actor or None, "min_reports": min_reports or None}
    context = {**data, "params": params, "page": "incidents"}
    return templates.TemplateResponse(request, "incidents.html", context)


@pages_router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str, index: IndexDep) -> HTMLResponse:
    """One incident: its date range and sides, and every report with its evidence."""
    incident = get_incident(incident_id, index)
    context = {"incident": incident, "page": "incidents"}
    return templates.TemplateResponse(request, "incident.html", context)


@pages_router.get("/threads", response_class=HTMLResponse)
def threads_page(
    request: Request,
    index: IndexDep,
    status: Annotated[str | None, Query()] = None,
    lapse_days: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """Commitment threads, each as a small timeline of its steps."""
    data = _threads(index, status, lapse_days, None)
    params = {"status": status or None, "lapse_days": lapse_days or None}
    context = {**data, "params": params, "statuses": THREAD_STATUSES, "page": "threads"}
    return templates.TemplateResponse(request, "threads.html", context)


@pages_router.get("/threads/{thread_id}", response_class=HTMLResponse)
def thread_page(request: Request, thread_id: str, index: IndexDep) -> HTMLResponse:
    """One thread: the timeline of its steps, each with the evidence of every report."""
    thread = get_thread(thread_id, index)
    context = {"thread": thread, "page": "threads"}
    return templates.TemplateResponse(request, "thread.html", context)
