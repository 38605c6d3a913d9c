"""The text of a parsed Doc, read once.

spaCy builds ``Doc.text`` anew from the tokens on every access (a Python loop over them),
and the stages after the parse read it many times per article: once per event coded, and
in the coder, the headline reader, the quotation finder and the place resolver. The last
component of the pipeline keeps it beside the Doc, and :func:`doc_text` reads it from
there.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

#: Name of the component that keeps the text.
KEEP_TEXT = "dragoman_keep_text"
#: ``doc.user_data`` key: (token count, text) of the finished Doc.
TEXT = "dragoman_text"


@Language.component(KEEP_TEXT)
def keep_text(doc: Doc) -> Doc:
    """Keep the text of the finished Doc beside it, for :func:`doc_text`."""
    remember_text(doc, doc.text)
    return doc


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text`` as the text of ``doc`` (the caller knows they are equal)."""
    doc.user_data[TEXT] = (len(doc), text)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc.

    A Doc without a kept text, or whose tokens no longer fit it (a Doc joined from parts
    carries the user data of its last part), gets it built as spaCy does."""
    kept = doc.user_data.get(TEXT)
    if kept is not None and kept[0] == len(doc):
        text = kept[1]
        last = doc[-1] if len(doc) else None
        if last is None or last.idx + len(last.text_with_ws) == len(text):
            return text
    return doc.text
