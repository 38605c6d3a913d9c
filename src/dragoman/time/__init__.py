"""Temporal tagging: TIMEX3 time expressions with values resolved against the
publication date, and an estimate of that date for undated articles."""

from .anchor import time_expr_range, value_range
from .history import cited_history
from .published import estimate_published
from .tagger import TimeTagger

__all__ = ["TimeTagger", "cited_history", "estimate_published", "time_expr_range", "value_range"]
