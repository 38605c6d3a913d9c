"""The command-line options of the model coder, apart from the coder itself so that
importing the command line stays light (no HTTP client, no parser)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Coder(StrEnum):
    rules = "rules"
    llm = "llm"
    both = "both"


class Policy(StrEnum):
    union = "union"
    intersection = "intersection"
    rules_first = "rules-first"


CoderOption = Annotated[
    Coder | None,
    typer.Option(
        "--coder",
        help="rules (the default, or $DRAGOMAN_CODER), llm (a language model behind an "
        "OpenAI-compatible API at $DRAGOMAN_LLM_URL, every answer checked against the text) "
        "or both. See docs/llm.md.",
    ),
]
PolicyOption = Annotated[
    Policy | None,
    typer.Option(
        "--policy",
        help="With --coder both: union (the rules' events plus the model's new ones; the "
        "default, or $DRAGOMAN_LLM_POLICY), intersection (the events both found) or "
        "rules-first (the model's only in sentences where the rules found none).",
    ),
]
