"""Tell article body from page chrome in scraped plain text, line by line.

Scraped text keeps what the page showed around the article: navigation and breadcrumbs, lists of
related headlines with their timestamps, tag lines, share and comment forms, loading and ad
placeholders, photo captions and credits, page counters. None of it looks like running prose.
The classifier works in two passes, as jusText does for HTML blocks:

1. each line alone is `good` (prose: long, sentence-shaped), `bad` (a known kind of chrome) or
   `short` (could be either: a headline, a subheading, a caption);
2. context decides the short ones: a short line between good lines is a subheading and stays; runs
   of short lines, and anything before the first or after the last good line, are chrome.

All signals are about the shape of the text and its script, never about one outlet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Label = Literal["good", "bad", "short"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TERMINAL = re.compile(r"""[.!?…。！？]["'”»’)\]]*$|[:;]$""")
_SENTENCE_INSIDE = re.compile(r"""[.!?…]["'”»’)]?\s+["'“«‘(]?\w""")
_DIGITS_ONLY = re.compile(r"^[\d\s.,:;/|()+\-–—#*•·]+$")
_BREADCRUMB = re.compile(r"(?:^|\s)(?:/|>|»|›|\|)\s")
_HASHTAGS = re.compile(r"(?:^|\s)#\w+")
_ELLIPSIS_PLACEHOLDER = re.compile(r"^\W*[^\W\d_]+(?:\s[^\W\d_]+)?\s*(?:\.\.\.|…)\W*$")
_CREDIT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_URL_OR_MAIL = re.compile(r"https?://|www\.|\S+@\S+\.\w+")
# Words that mark interface and legal boilerplate, in the languages news comes in most. Long lines
# that contain them and little else are chrome (as in C4's line filter).
_BOILERPLATE = re.compile(
    r"\b(?:cookies?|javascript|newsletter|subscribe|subscription|sign[ -]?up|log[ -]?in|"
    r"privacy policy|terms of (?:use|service)|all rights reserved|advertisement|"
    r"share (?:this|on)|follow us|read more|comments?|reply|"
    r"abonnieren|anmelden|datenschutz|werbung|kommentar\w*|"
    r"s'abonner|abonnez|connexion|publicité|commentaires?|"
    r"suscr[ií]b\w*|publicidad|comentarios?|iscriviti|pubblicit\w+|commenti|"
    r"подпис\w+|реклам\w+|коммент\w+|коментар\w+|войти|вход)\b",
    re.IGNORECASE,
)


@dataclass
class Line:
    """One line of the text with its first- and second-pass labels."""

    text: str
    label: Label
    reason: str
    keep: bool = False


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def main_script(text: str) -> str | None:
    """The writing system most letters of `text` use (LATIN, CYRILLIC, ARABIC, CJK …)."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            counts[name.split(" ")[0] if name else "?"] += 1
    return counts.most_common(1)[0][0] if counts else None


def classify_line(text: str, article_script: str | None) -> tuple[Label, str]:
    """First pass: what one line looks like on its own."""
    stripped = text.strip()
    tokens = words(stripped)
    n = len(tokens)
    if not tokens or _DIGITS_ONLY.match(stripped):
        return "bad", "no words (counter, timestamp or symbols)"
    if _CREDIT.match(stripped):
        return "bad", "copyright or credit line"
    if _ELLIPSIS_PLACEHOLDER.match(stripped):
        return "bad", "placeholder ending in an ellipsis"
    if n <= 12 and len(_HASHTAGS.findall(stripped)) >= 2:
        return "bad", "tag line"
    if n <= 20 and len(_BREADCRUMB.findall(stripped)) >= 2 and not _TERMINAL.search(stripped):
        return "bad", "breadcrumb or menu"
    script = main_script(stripped)
    if article_script and script and script != article_script and n < 12:
        return "bad", f"short line in another script ({script.lower()})"
    if _URL_OR_MAIL.search(stripped) and n < 15:
        return "bad", "link or address"
    terminal = bool(_TERMINAL.search(stripped))
    boilerplate = len(_BOILERPLATE.findall(stripped))
    if (boilerplate and (not terminal or n < 6)) or (boilerplate >= 2 and n < 40):
        return "bad", "interface or legal boilerplate"
    if (n >= 10 and terminal) or n >= 30 or (n >= 15 and _SENTENCE_INSIDE.search(stripped)):
        return "good", "prose"
    if n <= 3 and stripped.isupper() and not terminal:
        return "bad", "short all-caps label"
    return "short", "headline-like"


def classify_lines(lines: list[str], max_subheading_gap: int = 2) -> list[Line]:
    """Label every line and decide which to keep; see the module docstring."""
    article_script = main_script(" ".join(line for line in lines if len(words(line)) >= 10))
    counts = Counter(line.strip().casefold() for line in lines if line.strip())
    result: list[Line] = []
    for text in lines:
        label, reason = classify_line(text, article_script)
        if label != "bad" and counts[text.strip().casefold()] > 1 and label == "short":
            label, reason = "bad", "repeated headline-like line"
        result.append(Line(text=text, label=label, reason=reason))
    good = [i for i, line in enumerate(result) if line.label == "good"]
    if not good:
        # No long prose: a short item still counts when it has a sentence; a menu does not.
        usable = [line for line in result if line.label != "bad"]
        sentence = any(_TERMINAL.search(line.text.strip()) for line in usable)
        if sentence and sum(len(words(line.text)) for line in usable) >= 8:
            for line in usable:
                line.keep = True
        return result
    for i, line in enumerate(result):
        if line.label == "good":
            line.keep = True
        elif line.label == "short" and good[0] < i < good[-1]:
            line.keep = _between_good(result, i, max_subheading_gap)
            if not line.keep:
                line.reason = "run of headline-like lines"
        elif line.label == "short":
            line.reason = "headline-like line outside the article body"
    return result


def _between_good(lines: list[Line], index: int, gap: int) -> bool:
    """A short line is a subheading when prose follows it closely and no long run surrounds it."""
    run_start = index
    while run_start > 0 and lines[run_start - 1].label != "good":
        run_start -= 1
    run_end = index
    while run_end + 1 < len(lines) and lines[run_end + 1].label != "good":
        run_end += 1
    shorts = sum(1 for line in lines[run_start : run_end + 1] if line.label == "short")
    return shorts <= gap
