"""Tell article body from page chrome in scraped plain text, line by line.

Scraped text keeps what the page showed around the article: navigation and breadcrumbs, lists of
related headlines with their timestamps, tag lines, share and comment forms, loading and ad
placeholders, photo captions and credits, page counters. None of it looks like running prose.
The classifier works in two passes, as jusText does for HTML blocks:

1. each line alone is `good` (prose: long, sentence-shaped), `bad` (a known kind of chrome) or
   `short` (could be either: a headline, a subheading, a caption): `line_rules`;
2. context decides the short ones: prose lines close to each other form regions; the region with
   the most prose (and neighbours nearly as rich) is the article, and its short lines stay as
   subheadings, list items and captions; everything outside it is chrome. Teasers in a list
   of cards (headline, byline, one-paragraph teaser, again and again) weigh little in that
   choice and never join an article that is not such a list itself; a paragraph printed twice
   on the page (a notice, a footer) weighs nothing. Prose after a comment heading or the site's
   copyright notice weighs little (the article has ended). A list or table a sentence
   introduces ("The standings after 36 races:") belongs to its region; short sentences at
   either edge of the article, and a table right after it (rows of one shape with numbers),
   are kept.

All signals are about the shape of the text and its script, never about one outlet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .line_rules import (
    COMMENT_HEADING,
    SENTENCE_END,
    Label,
    classify_line,
    headline_case,
    may_open_comments,
    words,
)
from .scripts import main_script

MAX_SHORT_RUN = 3
# "— Jane D." under a quote or a post: the source of what precedes, not a card's headline.
_ATTRIBUTION = re.compile(r"^\s*[-–—―]\s*\w")
# Regions of prose after the article's end (a comment heading, the copyright notice) are
# readers' words, legal text or a bio, not the article's.
AFTER_END_WEIGHT = 0.2
# ... once that much prose came before it (a comment count beside the byline opens nothing).
PROSE_BEFORE_END = 20


@dataclass
class Line:
    """One line of the text with its first- and second-pass labels."""

    text: str
    label: Label
    reason: str
    keep: bool = False
    card: bool = False  # prose in a list of cards: weighs little in the choice of the article
    listed: bool = False  # a list or table a sentence introduced ("Results:"): part of its text


def trim_edges(texts: list[str]) -> tuple[list[Line], list[str]]:
    """The gentle second pass for text an extractor already chose: drop chrome only before the
    first and after the last line of prose, where share bars, credits and counters are left,
    and readers' comments from the first comment heading or post on (a source's text may carry
    its page's comments). Returns the lines up to the first line of prose, classified (where a
    title and a date line stand), and the texts kept.

    Only the lines that decide are classified (the first pass is most of what cleaning an
    extract costs): from the top to the first prose and the words before it that let a comment
    heading end the article (`_article_end`), in between only a line a comment heading's
    patterns match, and from the comments (or the end) back to the last prose."""
    script = article_script(texts)
    found: dict[int, tuple[Label, str]] = {}

    def label(i: int) -> tuple[Label, str]:
        if i not in found:
            found[i] = classify_line(texts[i], script)
        return found[i]

    prose, first_good, i = 0, None, 0
    # at the top no comment heading can end the article: too little prose came before it
    while i < len(texts) and (first_good is None or prose < PROSE_BEFORE_END):
        if label(i)[0] == "good":
            prose += len(words(texts[i]))
            first_good = i if first_good is None else first_good
        i += 1
    if first_good is None:  # no prose: every line was read
        return [Line(text, *label(k)) for k, text in enumerate(texts)], [
            text for k, text in enumerate(texts) if label(k)[0] != "bad"
        ]
    comments = (k for k in range(i, len(texts)) if may_open_comments(texts[k]))
    end = next((k for k in comments if label(k)[1] == COMMENT_HEADING), len(texts))
    last_good = next(k for k in range(end - 1, first_good - 1, -1) if label(k)[0] == "good")
    head = [Line(texts[k], *label(k)) for k in range(first_good + 1)]
    kept = [
        text
        for k, text in enumerate(texts[:end])
        if first_good <= k <= last_good or label(k)[0] != "bad"
    ]
    return head, kept


def article_script(texts: list[str]) -> str | None:
    """The script of the page's prose-length lines: a short line in another is chrome."""
    return main_script(" ".join(text for text in texts if len(words(text)) >= 10))


def classify_lines(lines: list[str], max_gap: int = 4, neighbour_share: float = 0.2) -> list[Line]:
    """Label every line and decide which to keep; see the module docstring.

    Prose lines separated by at most `max_gap` other lines form one region. The article is the
    region with the most prose, joined by neighbouring regions that hold at least
    `neighbour_share` of its prose (an article split by an inline ad or a gallery). Regions
    further away are comments, teasers or footers, however well written.
    """
    script = article_script(lines)
    result = [Line(text, *classify_line(text, script)) for text in lines]
    _mark_card_lists(result)
    _mark_introduced_lists(result)
    good = [i for i, line in enumerate(result) if line.label == "good" or line.listed]
    if not good:
        # No long prose: a short item still counts when it has a sentence; a menu does not.
        usable = [line for line in result if line.label != "bad"]
        sentence = any(SENTENCE_END.search(line.text.strip()) for line in usable)
        if sentence and sum(len(words(line.text)) for line in usable) >= 8:
            for line in usable:
                line.keep = True
        return result
    ended_at = _article_end(result)
    regions: list[list[int]] = [[good[0]]]
    for previous, index in pairwise(good):
        crosses_end = ended_at is not None and previous < ended_at < index
        enters_cards = result[previous].card != result[index].card
        if index - previous - 1 > max_gap or crosses_end or enters_cards:
            regions.append([])
        regions[-1].append(index)
    after_end = [ended_at is not None and region[0] > ended_at for region in regions]
    # A paragraph printed twice on one page is a footer or a notice, not the article's words.
    seen = Counter(line.text.strip() for line in result)

    def weight(i: int) -> float:
        if seen[result[i].text.strip()] > 1:
            return 0.0
        return _prose_weight(result[i].text) * (CARD_WEIGHT if result[i].card else 1)

    weights = [
        sum(weight(i) for i in region) * (AFTER_END_WEIGHT if after else 1.0)
        for region, after in zip(regions, after_end, strict=True)
    ]
    best = max(range(len(regions)), key=lambda r: (weights[r], -r))

    cards = [all(result[i].card for i in region) for region in regions]

    def joins(r: int) -> bool:
        same_side = after_end[r] == after_end[best]
        more_cards = cards[r] and not cards[best]
        return same_side and not more_cards and weights[r] >= neighbour_share * weights[best]

    first = last = best
    while first > 0 and joins(first - 1):
        first -= 1
    while last + 1 < len(regions) and joins(last + 1):
        last += 1
    chosen = regions[first : last + 1]
    for region in chosen:
        for previous, index in pairwise(region):
            gap = [i for i in range(previous + 1, index) if result[i].label != "bad"]
            if len(gap) <= MAX_SHORT_RUN:
                for i in gap:
                    result[i].keep = True
        for i in region:
            result[i].keep = True
    start, end = chosen[0][0], chosen[-1][-1]
    start, end = _extend_edges(result, start, end)
    for i, line in enumerate(result):
        if line.keep or line.label == "bad":
            continue
        if i < start or i > end:
            line.reason = f"{line.label} line outside the article body"
        else:
            line.reason = "between regions of prose"
    return result


def _sentence(line: Line) -> bool:
    text = line.text.strip()
    tokens = words(text)
    return (
        line.label != "bad"
        and len(tokens) >= 3
        and bool(SENTENCE_END.search(text))
        and not headline_case(tokens)
    )


# The speaker label of an interview or a transcript line: "Q:", "A:", "Prof. Doe:".
_SPEAKER = re.compile(r"^\s*([^\W\d_][\w.'’ -]{0,24}):\s+\S")
SPEAKER_TURNS = 2


def _speakers(lines: list[Line]) -> set[str]:
    """Speaker labels that open at least SPEAKER_TURNS of the kept lines."""
    counts = Counter(
        match.group(1).lower()
        for line in lines
        if line.keep and (match := _SPEAKER.match(line.text))
    )
    return {label for label, n in counts.items() if n >= SPEAKER_TURNS}


def _closing(line: Line, speakers: set[str]) -> bool:
    """A short sentence, the source of the quote just before it ("— Jane D."), or one more
    turn of the interview the article is ("Q: Favourite book?")."""
    if line.label == "bad":
        return False
    turn = _SPEAKER.match(line.text)
    return (
        _sentence(line)
        or bool(_ATTRIBUTION.match(line.text))
        or (turn is not None and turn.group(1).lower() in speakers)
    )


def _extend_edges(lines: list[Line], start: int, end: int) -> tuple[int, int]:
    """Lines at the article's edges that are its own, not chrome: short sentences right before
    the first or after the last paragraph ("He denied it."), then closing lines (a quote's
    source, interview turns) and a table that follows it."""
    while start > 0 and _sentence(lines[start - 1]):
        start -= 1
        lines[start].keep = True
    speakers = _speakers(lines)
    while end + 1 < len(lines) and _closing(lines[end + 1], speakers):
        end += 1
        lines[end].keep = True
    for heading in (0, 1):  # a table may have a heading line of its own ("Tour dates")
        rows = _table_rows(lines, end + 1 + heading)
        if rows and (not heading or lines[end + 1].label == "short"):
            for line in lines[end + 1 : end + 1 + heading + rows]:
                line.keep = True
            return start, end + heading + rows
    return start, end


TABLE_MIN_ROWS = 4


def _skeleton(text: str) -> str:
    """A row's shape: its numbers and punctuation without the words ("June 9 – Tampa, FL" and
    "July 2 – Denver, CO" are both "9–,")."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+|\s+", "", text))


def _table_rows(lines: list[Line], first: int) -> int:
    """How many rows of one shape with numbers (a table, a list of dates or results) start at
    `first`; 0 when fewer than TABLE_MIN_ROWS."""
    shape = None
    count = 0
    for line in lines[first:]:
        skeleton = _skeleton(line.text)[:3]
        # a number and something more (another number, a dash, a comma): "Section 3" is a link
        if line.label != "short" or "9" not in skeleton or len(skeleton) < 2:
            break
        if shape and skeleton != shape:
            break
        shape = skeleton
        count += 1
    return count if count >= TABLE_MIN_ROWS else 0


LIST_INTRO_WORDS = 4


def _mark_introduced_lists(lines: list[Line]) -> None:
    """A sentence ending in a colon ("The final standings after 36 races:") introduces a list or
    a table; its short items belong to the text as much as its paragraphs do, so they count as
    members of its region. The list ends at the first line of chrome or of prose."""
    i = 0
    while i < len(lines):
        intro = lines[i]
        text = intro.text.strip()
        if intro.label == "bad" or not text.endswith(":") or len(words(text)) < LIST_INTRO_WORDS:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].label == "short":
            lines[j].listed = True
            j += 1
        if j > i + 1:
            intro.listed = True
        i = j


CARD_MIN = 4
CARD_WEIGHT = 0.2
CARD_TEASER_WORDS = 80


def _mark_card_lists(lines: list[Line]) -> None:
    """Mark the teasers in a list of cards (headline, byline or section, one-paragraph teaser,
    again and again): each card's prose stands alone between headline lines, where an
    article's paragraphs follow each other. An article may be such a list too (scores,
    recipes), so marked lines still count, only for less."""

    def isolated(i: int) -> bool:
        return lines[i].label == "good" and all(
            not 0 <= j < len(lines) or lines[j].label != "good" for j in (i - 1, i + 1)
        )

    def headline_between(a: int, b: int) -> bool:
        gap = lines[a + 1 : b]
        return 1 <= len(gap) <= MAX_SHORT_RUN and any(
            line.label != "good"
            and not SENTENCE_END.search(line.text.strip())
            and not _ATTRIBUTION.match(line.text)
            for line in gap
        )

    chain: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and not isolated(i):
            continue
        short_teaser = i < len(lines) and len(words(lines[i].text)) <= CARD_TEASER_WORDS
        if chain and short_teaser and headline_between(chain[-1], i):
            chain.append(i)
            continue
        if len(chain) >= CARD_MIN:
            for j in chain:
                lines[j].card = True
        chain = [i] if short_teaser else []


_PAGE_END = (COMMENT_HEADING, "copyright notice", "about heading")


def _article_end(lines: list[Line], ends: tuple[str, ...] = _PAGE_END) -> int | None:
    """Index of the first line that ends the article (a comment heading, the site's copyright
    notice, an "About the author" heading: reasons in `ends`) once some prose came before it,
    if any."""
    prose = 0
    for i, line in enumerate(lines):
        if line.label == "good":
            prose += len(words(line.text))
        elif line.reason in ends and prose >= PROSE_BEFORE_END:
            return i
    return None


PROSE_OFFSET = 10


def _prose_weight(text: str) -> int:
    """Long paragraphs weigh most: a run of one-line teasers adds up to little."""
    return max(len(words(text)) - PROSE_OFFSET, 1)
