"""Tell article body from page chrome in scraped plain text, line by line.

Scraped text keeps what the page showed around the article: navigation and breadcrumbs, lists of
related headlines with their timestamps, tag lines, share and comment forms, loading and ad
placeholders, photo captions and credits, page counters. None of it looks like running prose.
The classifier works in two passes, as jusText does for HTML blocks:

1. each line alone is `good` (prose: long, sentence-shaped), `bad` (a known kind of chrome) or
   `short` (could be either: a headline, a subheading, a caption);
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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from ..calendar_words import MONTHS
from .dates import parse_date_line
from .scripts import main_script

Label = Literal["good", "bad", "short"]

# Chinese and Japanese write without spaces: each Han or kana character counts as a word there
# (a rough rate, but it gives a sentence of theirs the length a sentence has elsewhere).
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])[^\W\d_])+(?:['’-][^\W\d_]+)*")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
# Sentence end, also when an emoji follows it ("… today! 🙂").
_TERMINAL = re.compile(
    r"""(?:[.!?…。！？]["'”»’)\]]*|[:;])(?:\s*[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d])*$"""
)
_SENTENCE_INSIDE = re.compile(r"""[.!?…]["'”»’)]?\s+["'“«‘(]?\w""")
_DIGITS_ONLY = re.compile(r"^[\d\s.,:;/|()+\-–—#*•·]+$")
_BREADCRUMB = re.compile(r"(?:^|\s)(?:/|>|»|›|\|)\s")
_HASHTAGS = re.compile(r"(?:^|\s)#\w+")
_ELLIPSIS_PLACEHOLDER = re.compile(r"^\W*[^\W\d_]+(?:\s[^\W\d_]+)?\s*(?:\.\.\.|…)\W*$")
_CREDIT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
# The site's copyright notice closes the page: "© 2019 X", "Copyright X 2005-2019", "All rights
# reserved" (a photo credit "© Jane Doe" carries no year and reserves nothing).
_COPYRIGHT_YEAR = re.compile(
    r"(?:©|\(c\)|\bcopyright\b)\W*(?:copyright\W*)?(?:19|20)\d\d\b", re.IGNORECASE
)
_COPYRIGHT_NAME_YEAR = re.compile(
    r"^\W*(?:©|\(c\)|copyright\b).*\b(?:19|20)\d\d\W*$", re.IGNORECASE
)
_RIGHTS_RESERVED = re.compile(
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos "
    r"reservados|todos os direitos reservados|tutti i diritti riservati|все права защищены|"
    r"всі права захищені",
    re.IGNORECASE,
)
FOOTER_WORDS = 15
FOOTER_NAME_WORDS = 6
# A photo caption ends with its credit: "(Image: Getty)", "Photo credit: Jane Doe", "(AP Photo)".
_CAPTION_CREDIT = re.compile(
    r"(?:\(\s*|\b)(?:images?|photos?|pictures?|credits?|fotos?|bild|photograph)(?:\s+credit)?"
    r"\s*[:/|]\s*[^:]{1,60}?\)?\s*$|"
    r"\([^()]*\b(?:getty(?: images)?|ap photo|reuters|afp|epa|shutterstock|alamy|istock)\b"
    r"[^()]*\)\s*$",
    re.IGNORECASE,
)
CAPTION_WORDS = 40
# "Image caption …", "Photo by Jane Doe", "Photo courtesy of …" open a caption or a credit.
_CAPTION_START = re.compile(
    r"^\W*(?:(?:image|media|photo|video) caption\b|(?:photos?|images?|pictures?|fotos?)\s+"
    r"(?:by|credit|courtesy)\b)",
    re.IGNORECASE,
)
# A time stamp in a byline ("Jane Doe - Nov 19, 2019, 10:31 pm", "Updated 9:41 AM; Posted …"):
# a clock time with a date, in a short line that is no sentence.
STAMP_WORDS = 12
_CLOCK = re.compile(r"\b(?:[01]?\d|2[0-3])[:.h][0-5]\d\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_MONTH = "|".join(month[:3] for month in MONTHS)
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH})[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(?:{_MONTH})", re.IGNORECASE
)
_YEAR_ANY = re.compile(r"\b(?:19|20)\d\d\b")
# "By Jane Doe", "by Jane Doe | Example Media", "Von Hans Muster", "Par Jeanne Dupont".
BYLINE_WORDS = 10
_BYLINE = re.compile(r"^\s*(?:by|von|par|por)\s+(?-i:[A-ZÀ-Ý])", re.IGNORECASE)
_COUNTER = re.compile(r"^\W*(?:[^\W\d_]+\s+)?\d+\s*(?:of|/|von|de|из|із)\s*\d+\W*$", re.IGNORECASE)
# Teaser and navigation prefixes: "Related: …", "Read more: …", "See also …", "Watch: …".
_TEASER = re.compile(
    r"^\W*(?:related|read (?:more|also)|see also|also read|watch|listen|more on|"
    r"lesen sie auch|mehr zum thema|lire aussi|à lire|leer también|leggi anche|читайте также)"
    r"\b\s*[:\-–—|]?",
    re.IGNORECASE,
)
# The heading that opens a comment section ("12 Comments", "Leave a Reply", "Kommentare (3)").
_COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|leave a (?:reply|comment)|"
    r"join the discussion|discussion|kommentare?|commentaires?|comentarios?|commenti|"
    r"комментари\w*|коментар\w*|оставьте (?:ответ|комментарий))(?:\s*\(\d+\))?\W*$",
    re.IGNORECASE,
)
# A commenter's name line ("joetoronto says:", "Alex on May 2, 2018 at 6:34 am said:").
_COMMENT_AUTHOR = re.compile(
    r"^.{1,80}\b(?:says|said|wrote|writes|schreibt|a écrit|dice|escribió|пишет|написал\w*)\s*:\s*$",
    re.IGNORECASE,
)
# The heading of an author's or the site's self-description ("About the author", "About Us",
# "Über Jane Doe"): what follows is a bio or a blurb, not the article.
_ABOUT_HEADING = re.compile(
    r"^\W*(?:about|über|sobre|à propos de|a proposito di|acerca de|об|про)\s+"
    r"(?:the authors?|(?!this\b|these\b)(?-i:(?:[A-ZÀ-ÝА-Я][\w.'’-]*\s*){1,4}))\W*$|"
    r"^\W*(?:about the authors?|über den autor\w*|sobre o autor|sobre el autor|"
    r"à propos de l'auteur|об авторе)\W*$",
    re.IGNORECASE,
)
MAX_SHORT_RUN = 3
# "— Jane D." under a quote or a post: the source of what precedes, not a card's headline.
_ATTRIBUTION = re.compile(r"^\s*[-–—―]\s*\w")
# Regions of prose after the article's end (a comment heading, the copyright notice) are
# readers' words, legal text or a bio, not the article's.
AFTER_END_WEIGHT = 0.2
# ... once that much prose came before it (a comment count beside the byline opens nothing).
PROSE_BEFORE_END = 20
# An address block: an e-mail address with phone numbers (digits grouped by dashes or spaces).
_MAIL = re.compile(r"\S+@\S+\.\w+")
_PHONE = re.compile(r"\+?\(?\d+\)?(?:[\s-]\(?\d+\)?){1,5}")
CONTACT_PHONES = 2
_URL_OR_MAIL = re.compile(r"https?://|www\.|\S+@\S+\.\w+")
# Words that mark interface and legal boilerplate, in the languages news comes in most. Long lines
# that contain them and little else are chrome (as in C4's line filter).
_BOILERPLATE = re.compile(
    r"\b(?:cookies?|javascript|newsletter|subscribe|subscription|sign[ -]?up|log[ -]?in|"
    r"privacy policy|terms of (?:use|service)|all rights reserved|advertisement|"
    r"share (?:this|on)|follow us|read more|comments?|reply|"
    r"unsubscribe|spam|inbox|affiliate|copyright|trademarks?|(?:this|our) (?:web)?site|"
    r"registering|terms and conditions|e-?mail address|"
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
    card: bool = False  # prose in a list of cards: weighs little in the choice of the article
    listed: bool = False  # a list or table a sentence introduced ("Results:"): part of its text


def forget_lines() -> None:
    """Empty the memos of lines seen (for benchmarks that must not reuse earlier work)."""
    _words.cache_clear()
    _classify_line_memo.cache_clear()
    parse_date_line.cache_clear()


MEMO_LINE_CHARS = 400


def words(text: str) -> tuple[str, ...]:
    """The words of a text (each Han or kana character one word); a line's are remembered, as
    the passes ask for the same lines many times."""
    if len(text) > MEMO_LINE_CHARS:
        return tuple(_WORD.findall(text))
    return _words(text)


@lru_cache(maxsize=1 << 15)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


def classify_line(text: str, article_script: str | None) -> tuple[Label, str]:
    """First pass: what one line looks like on its own (remembered for lines of a usual
    length: a page's lines are read again when the whole page is cleaned after its extract)."""
    if len(text) > MEMO_LINE_CHARS:
        return _classify_line(text, article_script)
    return _classify_line_memo(text, article_script)


@lru_cache(maxsize=1 << 14)
def _classify_line_memo(text: str, article_script: str | None) -> tuple[Label, str]:
    return _classify_line(text, article_script)


def _classify_line(text: str, article_script: str | None) -> tuple[Label, str]:
    stripped = text.strip()
    tokens = words(stripped)
    n = len(tokens)
    if not tokens or _DIGITS_ONLY.match(stripped):
        return "bad", "no words (counter, timestamp or symbols)"
    if (
        _RIGHTS_RESERVED.search(stripped)
        or (n <= FOOTER_WORDS and _COPYRIGHT_YEAR.search(stripped))
        or (n <= FOOTER_NAME_WORDS and _COPYRIGHT_NAME_YEAR.match(stripped))
    ):
        return "bad", "copyright notice"
    if _CREDIT.match(stripped):
        return "bad", "copyright or credit line"
    if (n < CAPTION_WORDS and _CAPTION_CREDIT.search(stripped)) or _CAPTION_START.match(stripped):
        return "bad", "photo caption"
    if _COMMENTS_HEADING.match(stripped) or (n <= 12 and _COMMENT_AUTHOR.match(stripped)):
        return "bad", "comment section heading"
    if _ABOUT_HEADING.match(stripped):
        return "bad", "about heading"
    if _COUNTER.match(stripped):
        return "bad", "page or image counter"
    if _TEASER.match(stripped) and n < 25:
        return "bad", "teaser or navigation prefix"
    if n <= 10 and parse_date_line(stripped) is not None:
        return "bad", "date line"
    if n <= STAMP_WORDS and not _ends_sentence(stripped):
        dated = _MONTH_DAY.search(stripped) or _YEAR_ANY.search(stripped)
        if (dated and _CLOCK.search(stripped)) or (n <= BYLINE_WORDS and _BYLINE.match(stripped)):
            return "bad", "byline or time stamp"
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
    if _MAIL.search(stripped) and len(_phone_numbers(stripped)) >= CONTACT_PHONES:
        return "bad", "contact details"
    terminal = bool(_TERMINAL.search(stripped))
    boilerplate = len(_BOILERPLATE.findall(stripped))
    if (boilerplate and (not terminal or n < 6)) or (boilerplate >= 2 and n < 40):
        return "bad", "interface or legal boilerplate"
    if boilerplate >= 4 and boilerplate * 15 >= n:
        return "bad", "interface or legal boilerplate"
    # Unspaced scripts count a word per character, so length alone makes a headline of theirs
    # look like a paragraph: there only a sentence ending makes prose.
    long_enough = n >= 30 and len(_UNSPACED_CHAR.findall(stripped)) * 2 < n
    if (n >= 10 and terminal) or long_enough or (n >= 15 and _SENTENCE_INSIDE.search(stripped)):
        if _headline_case(tokens[:HEADLINE_WORDS]):
            return "short", "headline glued to its teaser"
        return "good", "prose"
    if n <= 3 and stripped.isupper() and not terminal:
        return "bad", "short all-caps label"
    return "short", "headline-like"


HEADLINE_WORDS = 8


def _phone_numbers(text: str) -> list[str]:
    return [m for m in _PHONE.findall(text) if sum(c.isdigit() for c in m) >= 7]


def _headline_case(tokens: Sequence[str]) -> bool:
    """Nearly every word capitalised, as headlines are written and sentences are not."""
    cased = [t for t in tokens if t[0].isupper() or t[0].islower()]
    if len(cased) < HEADLINE_WORDS:
        return False
    return sum(1 for t in cased if t[0].isupper()) >= len(cased) - 1


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence (a time stamp ends in "a.m." without being one)."""
    return bool(_TERMINAL.search(text)) and not re.search(r"\b[ap]\.m\.$", text, re.I)


def trim_edges(classified: list[Line]) -> list[str]:
    """The gentle second pass for text an extractor already chose: drop chrome only before the
    first and after the last line of prose, where share bars, credits and counters are left."""
    good = [i for i, line in enumerate(classified) if line.label == "good"]
    if not good:
        return [line.text for line in classified if line.label != "bad"]
    return [
        line.text
        for i, line in enumerate(classified)
        if not (line.label == "bad" and (i < good[0] or i > good[-1]))
    ]


def classify_lines(lines: list[str], max_gap: int = 4, neighbour_share: float = 0.2) -> list[Line]:
    """Label every line and decide which to keep; see the module docstring.

    Prose lines separated by at most `max_gap` other lines form one region. The article is the
    region with the most prose, joined by neighbouring regions that hold at least
    `neighbour_share` of its prose (an article split by an inline ad or a gallery). Regions
    further away are comments, teasers or footers, however well written.
    """
    article_script = main_script(" ".join(line for line in lines if len(words(line)) >= 10))
    result = [Line(text, *classify_line(text, article_script)) for text in lines]
    _mark_card_lists(result)
    _mark_introduced_lists(result)
    good = [i for i, line in enumerate(result) if line.label == "good" or line.listed]
    if not good:
        # No long prose: a short item still counts when it has a sentence; a menu does not.
        usable = [line for line in result if line.label != "bad"]
        sentence = any(_TERMINAL.search(line.text.strip()) for line in usable)
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
        and bool(_TERMINAL.search(text))
        and not _headline_case(tokens)
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
            and not _TERMINAL.search(line.text.strip())
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


_PAGE_END = ("comment section heading", "copyright notice", "about heading")


def _article_end(lines: list[Line]) -> int | None:
    """Index of the first line that ends the article (a comment heading, the site's copyright
    notice, an "About the author" heading) once some prose came before it, if any."""
    prose = 0
    for i, line in enumerate(lines):
        if line.label == "good":
            prose += len(words(line.text))
        elif line.reason in _PAGE_END and prose >= PROSE_BEFORE_END:
            return i
    return None


PROSE_OFFSET = 10


def _prose_weight(text: str) -> int:
    """Long paragraphs weigh most: a run of one-line teasers adds up to little."""
    return max(len(words(text)) - PROSE_OFFSET, 1)
