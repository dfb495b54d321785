"""Main text and metadata of an HTML page through trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import use_config


@dataclass
class HtmlExtract:
    text: str
    title: str | None
    date: str | None
    sitename: str | None
    author: str | None
    url: str | None


def _config():  # type: ignore[no-untyped-def]
    config = use_config()
    # No per-page time limit: signals do not work off the main thread (web app, workers).
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _config()
# trafilatura logs ERROR for fragments it cannot parse; newsfuse falls back and says so itself
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def html_to_text(html: str) -> str:
    """All text of an HTML fragment, one block a line: the fallback for fragments too short
    for an extractor (feed summaries, snippets)."""
    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return str(tree.text_content())


def extract_html(
    html: str, favor_precision: bool = False, favor_recall: bool = False
) -> HtmlExtract:
    """Extract with trafilatura; its own fallbacks (readability, jusText) stay on."""
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        deduplicate=False,
        config=_CONFIG,
    )
    if doc is None:
        return HtmlExtract("", None, None, None, None, None)

    def field(name: str) -> str | None:
        value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
        return str(value) if value else None

    return HtmlExtract(
        text=field("text") or "",
        title=field("title"),
        date=field("date"),
        sitename=field("sitename"),
        author=field("author"),
        url=field("url"),
    )
