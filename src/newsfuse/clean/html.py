"""Main text and metadata of an HTML page through trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import html_text
import trafilatura
from lxml import etree
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


def html_to_text(html: str) -> str:
    """All visible text of a page, one block a line (html-text: scripts and styles dropped,
    inline elements joined). What the text cleaner reads when the extractor finds too little:
    fragments too short for it (feed summaries, snippets), or a page where it kept only a part
    of the article."""
    try:
        return str(html_text.extract_text(html, guess_layout=True))
    except (etree.ParserError, ValueError):
        return ""


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


# The extractor kept only a part of the article when the text cleaner, reading the whole page,
# keeps at least twice as much and nearly all of what the extractor kept: a page whose article
# is split in blocks the extractor takes for boilerplate. (trafilatura itself falls back to
# other extractors when they find much more than it does.)
WHOLE_PAGE_RATIO = 2.0
CONTAINED = 0.9
_TOKEN = re.compile(r"\w+")


def _shingles(lines: list[str]) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(" ".join(lines).lower())
    return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


def kept_too_little(extracted: list[str], whole_page: list[str]) -> bool:
    """Whether the text cleaner's article from the whole page holds the extractor's and much
    more (word 4-grams)."""
    ours, theirs = _shingles(whole_page), _shingles(extracted)
    return len(ours) >= WHOLE_PAGE_RATIO * len(theirs) and len(ours & theirs) >= CONTAINED * len(
        theirs
    )
