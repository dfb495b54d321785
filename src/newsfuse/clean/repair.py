"""Repair broken text: spaced or double-escaped entities, leftover tags, mojibake, spacing."""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

# "& # 171;" / "&# 187 ;" / "& #x201C;" / "& quot ;": entities broken by a tokenizer or a translator
_SPACED_NUMERIC = re.compile(r"&\s*#\s*([xX]?[0-9a-fA-F]{1,6})\s*;")
_SPACED_NAMED = re.compile(r"&\s+([a-zA-Z]{2,8})\s*;|&([a-zA-Z]{2,8})\s+;")
# "< p>", "</ p >", "<br/>", "< /div>": markup left in text, with or without stray spaces
_TAG = re.compile(
    r"<\s*/?\s*(p|br|div|span|b|i|em|strong|a|li|ul|ol|h[1-6]|blockquote|figure|figcaption|"
    r"img|iframe|script|style|section|article|header|footer|nav|tr|td|th|table|tbody|u|sup|sub)"
    r"\b[^<>]{0,300}?/?\s*>",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(r"^(p|br|div|li|h[1-6]|blockquote|tr|section|article)$", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def repair_entities(text: str) -> str:
    """Unescape entities, including spaced and double-escaped forms."""

    def numeric(match: re.Match[str]) -> str:
        return f"&#{match.group(1)};"

    def named(match: re.Match[str]) -> str:
        return f"&{match.group(1) or match.group(2)};"

    text = _SPACED_NUMERIC.sub(numeric, text)
    text = _SPACED_NAMED.sub(named, text)
    for _ in range(2):  # "&amp;quot;" needs two rounds
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def strip_tags(text: str) -> str:
    """Remove stray markup; block-level tags become line breaks."""

    def replace(match: re.Match[str]) -> str:
        return "\n" if _BLOCK_TAG.match(match.group(1)) else ""

    return _TAG.sub(replace, text)


def normalize_space(text: str) -> str:
    """One space between words, paragraphs separated by one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


# Signs that ftfy has work to do: control characters, or the marks UTF-8 leaves when it is read
# as Latin-1 or Windows-1252 ("Ã©", "â€™", "Ð¿"), or as Windows-1251 ("Р С"). ftfy's own
# checks cost more than an extraction; text without these signs only gets NFC.
_NEEDS_FTFY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufffd]"
    "|[ÂÃÄÅÐÑâ][\xa0-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122]"
    "|[РС][\u0400-\u040f\u0452-\u045f\u0490\u0491\xa0-\xbf]"
)


def repair_text(text: str) -> str:
    """The whole repair pass, in the order that lets each step see clean input."""
    if _NEEDS_FTFY.search(text):
        text = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, normalization="NFC")
    elif not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = repair_entities(text)
    text = strip_tags(text)
    return normalize_space(text)
