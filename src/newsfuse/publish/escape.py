"""What may become active in an output: only http(s) URLs turn into links, and Markdown gets
no raw HTML or link syntax from the articles (titles, outlets and quotes are the pages' words,
and a hostile page chooses them)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Browsers drop tabs and newlines inside a URL ("java\tscript:") and ignore leading spaces and
# control characters: a URL holding any of them is not made a link at all.
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f]")


def http_url(value: str | None) -> str | None:
    """`value` when it is an absolute http or https URL with a host, else None."""
    if not value or _UNSAFE_CHARACTERS.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


# Characters that open Markdown markup (raw HTML, entities, links, images, emphasis, code,
# tables): escaped so that the text stays text (CommonMark renders a backslash escape as the
# bare character, and reads no tag or entity after it).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|<>&])")


def markdown_text(value: str) -> str:
    """`value` as inert Markdown: markup characters escaped, line breaks made spaces (a line
    of its own could open a heading or a block of raw HTML)."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", " ".join(value.split()))


def markdown_code(value: str) -> str:
    """`value` inside a code span: no backticks of its own can close it early."""
    text = " ".join(value.split()).replace("`", "'")
    return f"`{text}`"
