"""Main text and metadata of an HTML page through trafilatura."""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from dataclasses import dataclass

import html_text
import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import metadata as tm
from trafilatura.settings import Document, use_config
from trafilatura.utils import load_html

from .line_rules import words


@dataclass
class HtmlExtract:
    text: str
    title: str | None
    date: str | None
    sitename: str | None
    author: str | None
    url: str | None
    page_text: str = ""  # all visible text of the page, when asked for


def _config():  # type: ignore[no-untyped-def]
    config = use_config()
    # No per-page time limit: signals do not work off the main thread (web app, workers).
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _config()
# trafilatura logs ERROR for fragments it cannot parse; newsfuse falls back and says so itself
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def html_to_text(html: str | HtmlElement, consume: bool = False) -> str:
    """All visible text of a page, one block a line (html-text: scripts and styles dropped,
    inline elements joined; a parsed tree is left as it is, unless `consume` says no one reads
    it after: then it is cleaned where it is, without the copy of the whole tree html-text
    makes). What the text cleaner reads when the extractor finds too little:
    fragments too short for it (feed summaries, snippets), or a page where it kept only a part
    of the article."""
    try:
        if consume and isinstance(html, HtmlElement):
            with suppress(AssertionError):  # an lxml bug html-text also steps around
                html_text.cleaner(html)
            return str(html_text.etree_to_text(html, guess_layout=True))
        return str(html_text.extract_text(html, guess_layout=True))
    except (etree.ParserError, ValueError):
        return ""


def extract_html(
    html: str,
    favor_precision: bool = False,
    favor_recall: bool = False,
    page_text: bool = False,
    want_date: bool = True,
) -> HtmlExtract:
    """Extract with trafilatura (in its fast mode). The page is parsed once: its metadata is
    read from the tree, trafilatura prunes a copy of its own, and then (with `page_text`) the
    visible text is read from the tree itself. The date is looked for only when the source
    gave none."""
    tree = load_html(html)
    if tree is None:
        return HtmlExtract("", None, None, None, None, None)
    meta = _metadata(tree, want_date)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        deduplicate=False,
        # trafilatura's own fallbacks (readability, jusText) cost a third of its time; the
        # whole-page check below catches what they catch (HTML F1 0.964 with fast, 0.963
        # without: benchmarks/clean.py)
        fast=True,
        config=_CONFIG,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    page = html_to_text(tree, consume=True) if page_text else ""

    def field(value: object) -> str | None:
        return str(value) if value else None

    return HtmlExtract(
        text=str(text or ""),
        title=field(meta.title),
        date=field(meta.date),
        sitename=field(meta.sitename),
        author=field(meta.author),
        url=field(meta.url),
        page_text=page,
    )


def _metadata(tree: HtmlElement, want_date: bool) -> Document:
    """Title, URL, site name, author and date from the page's meta tags, JSON-LD and markup,
    as trafilatura's `extract_metadata` finds them, less what newsfuse does not use
    (categories, tags, licence) and the markup scan for an author (newsfuse finds bylines in the
    text itself). Read-only: the tree is left as it is."""
    meta = tm.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    with suppress(Exception):  # trafilatura's JSON-LD reader has its own bugs
        meta = tm.extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = tm.extract_title(tree)
    if not meta.url:
        meta.url = tm.extract_url(tree, None)
    if want_date:
        meta.date = find_date(tree, **{**tm.set_date_params(True), "url": meta.url})
    if not meta.sitename:
        meta.sitename = tm.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := tm.META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


# The extractor kept only a part of the article when the text cleaner, reading the whole page,
# keeps at least twice as much and nearly all of what the extractor kept: a page whose article
# is split in blocks the extractor takes for boilerplate. (trafilatura itself falls back to
# other extractors when they find much more than it does.)
WHOLE_PAGE_RATIO = 2.0
CONTAINED = 0.9
_TOKEN = re.compile(r"\w+")


def _shingles(lines: list[str]) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(" ".join(lines).lower())
    return set(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


PROSE_LINE_WORDS = 10


def cannot_keep_more(extracted: list[str], page_text: str) -> bool:
    """Whether the page holds too little prose for the text cleaner to keep twice the
    extract: what the cleaner keeps is, all but a few short lines, the page's prose lines (of
    PROSE_LINE_WORDS words or more). Then it need not read the page at all."""
    needed = WHOLE_PAGE_RATIO * sum(len(words(line)) for line in extracted)
    prose = 0
    for line in page_text.split("\n"):
        if prose >= needed:  # enough already: the rest need not be counted
            return False
        n = len(words(line))
        if n >= PROSE_LINE_WORDS:
            prose += n
    return prose < needed


def kept_too_little(extracted: list[str], whole_page: list[str]) -> bool:
    """Whether the text cleaner's article from the whole page holds the extractor's and much
    more (word 4-grams)."""
    ours, theirs = _shingles(whole_page), _shingles(extracted)
    return len(ours) >= WHOLE_PAGE_RATIO * len(theirs) and len(ours & theirs) >= CONTAINED * len(
        theirs
    )
