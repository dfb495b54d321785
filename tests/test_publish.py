"""Outputs render article-borne text as text: a hostile page's URL, title, outlet or quote
becomes nothing active in HTML or Markdown."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from newsfuse.model import Article, Quote, QuoteVariant, Report, Span, Story
from newsfuse.publish import render_html, render_markdown
from newsfuse.publish.escape import http_url, markdown_text

HOSTILE_URLS = [
    "javascript:alert(document.domain)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://",
    "http://[::1",
]
HOSTILE_TEXT = "<svg onload=alert(1)> <img src=x onerror=alert(2)> [click](javascript:alert(3))"


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_are_links(url):
    assert http_url(url) is None


def test_http_urls_stay_links():
    assert http_url("https://news.example/a?b=1#c") == "https://news.example/a?b=1#c"
    assert http_url("HTTP://news.example") == "HTTP://news.example"


def hostile_story(url: str) -> Story:
    text = f"The minister said “{HOSTILE_TEXT} was never the plan” on Monday in Geneva."
    article = Article(
        id="a1",
        source=f"{HOSTILE_TEXT}.txt",
        url=url,
        outlet=HOSTILE_TEXT,
        title=HOSTILE_TEXT,
        text=text,
        sentences=[Span(start=0, end=len(text))],
    )
    start = text.index("“") + 1
    end = text.index("”")
    quote = Quote(
        speaker=HOSTILE_TEXT,
        text=text[start:end],
        variants=[QuoteVariant(article_id="a1", text=text[start:end], start=start, end=end)],
    )
    return Story(
        id="s-a1",
        title=HOSTILE_TEXT,
        articles=[article],
        quotes=[quote],
        summary=[],
        claims=[],
    )


class _Active(HTMLParser):
    """Collects what a browser would treat as active: tags other than the page's own, event
    handler attributes, and links that are not http(s) or in-page anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("svg", "img", "iframe", "object", "embed"):
            self.found.append(tag)
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and not re.match(r"^(https?://|#|/)", value):
                self.found.append(f"{tag}[{name}={value}]")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_html_report_renders_nothing_active(url):
    page = render_html(Report(generator="test", stories=[hostile_story(url)]))
    parser = _Active()
    parser.feed(page)
    assert parser.found == [] and parser.scripts == 1  # the page's own, allowed by its hash
    assert "script-src 'sha256-" in html.unescape(page)


def test_markdown_renders_nothing_active():
    text = render_markdown(Report(generator="test", stories=[hostile_story(HOSTILE_URLS[0])]))
    text = re.sub(r"`[^`]*`", "", text)  # code spans show their content as it is
    assert not re.search(r"(?<!\\)<(?:svg|img)", text)  # no tag unescaped
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # no link syntax unescaped
    assert "\\<svg onload=alert(1)\\>" in text  # shown, as text


def test_markdown_text_keeps_plain_text_readable():
    assert markdown_text("NATO and Russia meet in Geneva.") == "NATO and Russia meet in Geneva."
    assert markdown_text("a\n# heading\n<b>") == "a # heading \\<b\\>"
