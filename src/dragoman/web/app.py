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
from starlette.types import ASGIApp

from dragoman.store import StoreLocation, open_store, parse_location, store_exists
from dragoman.web import api, incidents, pages
from dragoman.web.security import (
    MAX_URL_BYTES,
    FailedAttempts,
    RequestLimitsMiddleware,
    SecurityHeadersMiddleware,
)
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


class _Explorer(FastAPI):
    """FastAPI with the security middlewares outermost.

    ``add_middleware`` would place them inside Starlette's error middleware, whose
    500 answers would then go out without the security headers.
    """

    def __init__(self, *, max_url_bytes: int, max_body_bytes: int, **settings: Any) -> None:
        super().__init__(**settings)
        self.max_url_bytes = max_url_bytes
        self.max_body_bytes = max_body_bytes

    def build_middleware_stack(self) -> ASGIApp:
        limited = RequestLimitsMiddleware(
            super().build_middleware_stack(), self.max_url_bytes, self.max_body_bytes
        )
        return SecurityHeadersMiddleware(limited)


def body_limit(max_article_bytes: int) -> int:
    """The largest request body accepted by default.

    Room for any article text within ``max_article_bytes`` even when JSON escapes
    every character (a control character's six-byte escape stands for one byte),
    plus 64 KiB for the other fields.
    """
    return 6 * max_article_bytes + 64 * 1024


def create_app(
    db_path: str | Path | StoreLocation,
    write_token: str | None = None,
    annotate: Annotator | None = None,
    *,
    max_url_bytes: int = MAX_URL_BYTES,
    max_body_bytes: int | None = None,
    write_failures: FailedAttempts | None = None,
) -> FastAPI:
    """The web explorer and API over the store at ``db_path``: a DuckDB file or a
    PostgreSQL URL (see ``dragoman.store.open_store``).

    Without ``write_token`` the store is opened read-only and ``POST /api/articles``
    answers 403. ``annotate`` replaces the default ``Pipeline().annotate`` used for
    posted articles (e.g. a pipeline built with other settings).

    Requests whose path and query string exceed ``max_url_bytes`` get 414, bodies
    over ``max_body_bytes`` (default :func:`body_limit` of the article size limit)
    413. ``write_failures`` counts wrong write tokens per client (default: 5 within
    60 seconds, then 429 until the window has passed).
    """
    token = write_token or None
    location = parse_location(db_path)
    if token is None and not store_exists(location):
        # A read-only server over a new store: create the empty schema first.
        open_store(location).close()
    store = open_store(location, read_only=token is None)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    writer = ArticleWriter(annotate)
    app = _Explorer(
        max_url_bytes=max_url_bytes,
        max_body_bytes=body_limit(writer.max_bytes) if max_body_bytes is None else max_body_bytes,
        title="Dragoman",
        summary="Political event data from news text, each event tied to its evidence.",
        version="1",
        docs_url=None,  # the stock docs pages load scripts from a CDN; /docs is served locally
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.write_token = token
    app.state.writer = writer
    app.state.write_failures = write_failures or FailedAttempts()
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(incidents.api_router)
    app.include_router(incidents.pages_router)

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
