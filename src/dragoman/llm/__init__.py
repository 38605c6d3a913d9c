"""A second coder: any language model behind an OpenAI-compatible API, its every answer
checked against the text and Dragoman's own knowledge before it is kept.

``LLMCoder`` asks the model about the sentences of an article and combines its checked
events with the rules' (see ``combine``); ``wiring`` connects it to the command line.
The coder is imported on first use: the command line imports ``options`` from here
without loading the parser or the HTTP client.
"""

from typing import Any

from dragoman.llm.config import CODERS, POLICIES, LLMConfigError, LLMSettings

__all__ = ["CODERS", "POLICIES", "LLMCoder", "LLMConfigError", "LLMSettings"]


def __getattr__(name: str) -> Any:
    if name == "LLMCoder":
        from dragoman.llm.coder import LLMCoder

        return LLMCoder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
