"""The Jinja2 environment of the pages, with a few helpers for templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates

from dragoman.web.charts import QUAD_CLASS_LABELS, goldstein_colour
from dragoman.web.urls import api_article_url, article_url, http_link

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _missing_as_blank(value: Any) -> Any:
    """A missing value (None) prints as nothing, never as the word "None"."""
    return "" if value is None else value


templates.env.finalize = _missing_as_blank


def actor_names(actors: list[dict[str, Any]]) -> str:
    """``"Egypt + Qatar"`` for a compound actor; ``"—"`` when there is none."""
    return " + ".join(a["name"] for a in actors) or "—"


def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from ``params`` with ``changes`` applied (None removes a key)."""
    merged = {k: v for k, v in params.items() if v not in (None, "")}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


templates.env.globals.update(
    quad_labels=QUAD_CLASS_LABELS,
    goldstein_colour=goldstein_colour,
    actor_names=actor_names,
    query=query,
    article_url=article_url,
    api_article_url=api_article_url,
    http_link=http_link,
)
