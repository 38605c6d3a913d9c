"""Markup removed from the HTML fragments feeds carry in their summaries and contents:
text only, paragraphs kept apart by a blank line, scripts and styles dropped."""

from __future__ import annotations

import html

#: Elements whose end is the end of a paragraph (or of a line, for ``br``).
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
        "address",
        "hr",
    ]
)
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment (or of plain text with character references)."""
    if "<" not in fragment:
        return _tidy(html.unescape(fragment))
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(html.unescape(fragment))
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()
    for element in root.iter(lxml.etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    """Spaces collapsed inside each line; paragraphs separated by one blank line."""
    paragraphs = []
    for block in text.replace("\r", "").split("\n\n"):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)
