"""The web explorer and HTTP API over the event store.

``create_app(db_path, write_token=None)`` builds the FastAPI application;
``serve(db_path, host, port, write_token)`` runs it with uvicorn.
"""

from dragoman.web.app import create_app, serve

__all__ = ["create_app", "serve"]
