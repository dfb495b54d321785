"""publish: render the report contract as JSON, Markdown and a self-contained HTML page."""

from .html import render_html
from .json import render_json
from .markdown import render_markdown

RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html}

__all__ = ["RENDERERS", "render_html", "render_json", "render_markdown"]
