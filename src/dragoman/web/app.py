"""The FastAPI application: API, pages, static files and error handling."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dragoman.store import open_store
from dragoman.web import api, pages
from dragoman.web.templating import templates
from dragoman.web.writer import Annotator, ArticleWriter

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


#: Paths whose errors are always JSON (or plain): the API, its schema and static files.
_MACHINE_PATHS = ("/api/", "/static/")
_MACHINE_EXACT = frozenset({"/api", "/static", "/openapi.json"})


def _wants_html(request: Request) -> bool:
    """Whether an error should be an HTML page rather than JSON.

    Errors under ``/api`` (and of the schema and static files) are always JSON.
    Errors of the pages, and of unknown addresses outside the API, are an HTML page
    in the style of the UI, as a browser expects, unless the client's ``Accept``
    asks for JSON and not for HTML.
    """
    path = request.url.path
    if path in _MACHINE_EXACT or path.startswith(_MACHINE_PATHS):
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept or "application/json" not in accept


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "reason": reason, "message": message, "page": "error"},
        status_code=status,
        headers=headers,
    )


def _message(detail: Any) -> str:
    if isinstance(detail, dict):
        return str(detail.get("message", detail))
    return str(detail)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _wants_html(request):
        return _error_page(
            request, exc.status_code, _message(exc.detail), getattr(exc, "headers", None)
        )
    body: dict[str, Any] = {"error": exc.status_code, "message": _message(exc.detail)}
    if isinstance(exc.detail, dict) and "parameter" in exc.detail:
        body["parameter"] = exc.detail["parameter"]
    return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = [
        {"location": list(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()
    ]
    if _wants_html(request):
        details = "; ".join(
            f"{'.'.join(map(str, p['location']))}: {p['message']}" for p in problems
        )
        return _error_page(request, 422, f"the request is not valid: {details}")
    return JSONResponse(
        {"error": 422, "message": "the request is not valid", "problems": problems},
        status_code=422,
    )


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    if _wants_html(request):
        return _error_page(request, 500, "internal error")
    return JSONResponse({"error": 500, "message": "internal error"}, status_code=500)


def create_app(
    db_path: str | Path,
    write_token: str | None = None,
    annotate: Annotator | None = None,
) -> FastAPI:
    """The web explorer and API over the store at ``db_path``.

    Without ``write_token`` the store is opened read-only and ``POST /api/articles``
    answers 403. ``annotate`` replaces the default ``Pipeline().annotate`` used for
    posted articles (e.g. a pipeline built with other settings).
    """
    token = write_token or None
    path = Path(db_path)
    if token is None and not path.exists():
        # A read-only server over a new file: create the empty schema first.
        open_store(path).close()
    store = open_store(path, read_only=token is None)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Dragoman",
        summary="Political event data from news text, each event tied to its evidence.",
        version="1",
        docs_url=None,  # the stock docs pages load scripts from a CDN; /docs is served locally
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.write_token = token
    app.state.writer = ArticleWriter(annotate)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    write_token: str | None = None,
) -> None:
    """Run the explorer with uvicorn until interrupted."""
    run(create_app(db_path, write_token=write_token), host=host, port=port)


def run(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve an application built by :func:`create_app` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port)
