"""The web explorer and HTTP API over the event store.

``create_app(db_path, write_token=None)`` builds the FastAPI application;
``run(app, host, port)`` serves it with uvicorn, and
``serve(db_path, host, port, write_token)`` does both.
"""

from dragoman.web.app import create_app, run, serve

__all__ = ["create_app", "run", "serve"]
