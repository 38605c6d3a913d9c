"""A small report document written both as Markdown and as a self-contained HTML page.

Reports are built from a few block types (headings, paragraphs, tables, lists,
preformatted text, figures); figures are PNG files beside ``report.md`` and are
embedded in ``report.html`` as data URIs, so the page can be mailed or archived alone.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.8em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f3f7} td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f6f6f6;padding:.8em;overflow-x:auto} img{max-width:100%}
li{margin:.3em 0}
</style></head><body>
<h1>{{ title }}</h1>
{% for block in blocks %}
{% if block.kind == "heading" %}<h2>{{ block.text }}</h2>
{% elif block.kind == "paragraph" %}<p>{{ block.text }}</p>
{% elif block.kind == "pre" %}<pre>{{ block.text }}</pre>
{% elif block.kind == "list" %}<ul>
{% for item in block.items %}<li>{{ item }}</li>
{% endfor %}</ul>
{% elif block.kind == "table" %}<table>
<tr>{% for h in block.headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in block.rows %}<tr>
{%- for cell in row %}<td{% if cell is number %} class="num"{% endif %}>{{ cell }}</td>
{%- endfor %}</tr>
{% endfor %}</table>
{% elif block.kind == "figure" %}<figure>
<img alt="{{ block.text }}" src="data:image/png;base64,{{ block.data }}">
<figcaption>{{ block.text }}</figcaption></figure>
{% endif %}{% endfor %}
</body></html>
"""


@dataclass
class Block:
    """One piece of a report: heading, paragraph, pre, list, table or figure."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    #: For figures: the PNG file name, relative to the report folder.
    image: str = ""
    data: str = ""


@dataclass
class Document:
    """A report: a title and blocks, written to a folder as Markdown and HTML."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(Block("heading", text))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Block("paragraph", text))

    def pre(self, text: str) -> None:
        self.blocks.append(Block("pre", text))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(Block("list", items=list(items)))

    def table(self, headers: list[str], rows: list[list[Any]]) -> None:
        self.blocks.append(Block("table", headers=list(headers), rows=[list(r) for r in rows]))

    def figure(self, image: str, caption: str) -> None:
        self.blocks.append(Block("figure", caption, image=image))

    def to_markdown(self) -> str:
        """The document as Markdown (figures as relative image links)."""
        lines = [f"# {self.title}", ""]
        for block in self.blocks:
            if block.kind == "heading":
                lines += [f"## {block.text}", ""]
            elif block.kind == "paragraph":
                lines += [block.text, ""]
            elif block.kind == "pre":
                lines += ["```", block.text, "```", ""]
            elif block.kind == "list":
                lines += [f"- {_md_cell(item)}" for item in block.items] + [""]
            elif block.kind == "table":
                lines.append("| " + " | ".join(block.headers) + " |")
                lines.append("|" + "---|" * len(block.headers))
                lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
                lines.append("")
            elif block.kind == "figure":
                lines += [f"![{block.text}]({block.image})", ""]
        return "\n".join(lines)

    def to_html(self, folder: Path) -> str:
        """The document as one HTML page, figures read from ``folder`` and embedded."""
        for block in self.blocks:
            if block.kind == "figure":
                block.data = base64.b64encode((folder / block.image).read_bytes()).decode()
        environment = Environment(autoescape=True)
        return environment.from_string(_HTML).render(title=self.title, blocks=self.blocks)

    def write(self, folder: Path) -> list[Path]:
        """Write ``report.md`` and ``report.html`` into ``folder`` (figures already there)."""
        folder.mkdir(parents=True, exist_ok=True)
        markdown, html = folder / "report.md", folder / "report.html"
        markdown.write_text(self.to_markdown(), encoding="utf-8")
        html.write_text(self.to_html(folder), encoding="utf-8")
        return [markdown, html]


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
