"""Schemathesis hooks for the API conformance run (loaded through ``SCHEMATHESIS_HOOKS``).

OpenAPI declares each parameter's domain on its own; two rules of the API tie two
parameters together and cannot be said there: ``since`` may not be after ``until``,
and a JSON page (``format=json``, the default) holds at most 1000 events while an
export takes up to 100000. Generated requests that the schema allows but these rules
refuse are dropped from the positive cases (where a refusal would count as a failure);
both rules are tested directly in tests/test_web_api.py.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[0-9]+")
MAX_PAGE = 1000


def _breaks_a_joint_rule(query: dict[str, Any]) -> bool:
    since, until = str(query.get("since", "")), str(query.get("until", ""))
    if _DATE.fullmatch(since) and _DATE.fullmatch(until) and since > until:
        return True
    limit = str(query.get("limit", ""))
    is_json = query.get("format", "json") == "json"
    return is_json and bool(_INTEGER.fullmatch(limit)) and int(limit) > MAX_PAGE


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Keep a case unless it is meant to be valid and breaks a rule joining two parameters."""
    meta = getattr(case, "meta", None)
    positive = meta is None or not meta.generation.mode.is_negative
    if not positive or case.operation.path not in (
        "/api/events",
        "/api/timeseries",
        "/api/network",
        "/api/facets",
    ):
        return True
    return not _breaks_a_joint_rule(dict(case.query or {}))
