"""The first pass of the line classifier (`lines`): what one line of scraped text looks like
on its own. `good` is prose (long, sentence-shaped), `bad` a known kind of chrome (copyright
and credit lines, captions, bylines and time stamps, counters, breadcrumbs, links, interface
and legal boilerplate, short lines in another script), `short` could be either (a headline, a
subheading, a caption) and is left to the second pass, which reads the line's context.

All signals are about the shape of the text and its script, never about one outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice
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
SENTENCE_END = re.compile(
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
# A reader's post that opens with its time and author ("At 15:18 26th Apr 2009, Y wrote: Why
# is it ...", "Alex, 6:34 pm, writes: ...", "15h18, Marie a écrit :"): a time of day (not
# "3.50", a number), then the verb of posting.
_COMMENT_POST = re.compile(
    r"^.{0,40}?\b\d{1,2}[:h]\d{2}\b.{0,50}?\b(?:wrote|writes|schreibt|a écrit|escribió|"
    r"scrive|schreef|пишет|написал\w*)\s*:",
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
    r"подпис\w+|реклам\w+|коммент\w+|коментар\w+|войти|вход)\b"
)  # read in the lowered line: several times faster than matching case-blind


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


def has_words(text: str, n: int) -> bool:
    """Whether `text` holds at least `n` words, read no further than the n-th (a whole
    article's words are not listed to learn that it has five)."""
    return sum(1 for _ in islice(_WORD.finditer(text), n)) >= n


def classify_line(text: str, article_script: str | None) -> tuple[Label, str]:
    """First pass: what one line looks like on its own (remembered for lines of a usual
    length: a page's lines are read again when the whole page is cleaned after its extract)."""
    if len(text) > MEMO_LINE_CHARS:
        return _classify_line(text, article_script)
    return _classify_line_memo(text, article_script)


@lru_cache(maxsize=1 << 14)
def _classify_line_memo(text: str, article_script: str | None) -> tuple[Label, str]:
    return _classify_line(text, article_script)


COMMENT_HEADING = "comment section heading"
COMMENT_AUTHOR_WORDS = 12


def _opens_comments(stripped: str, n: int | None = None) -> bool:
    """Whether a line heads readers' comments or a post of theirs (`n`: its word count, counted
    here only when the author's pattern asks for it)."""
    if _COMMENTS_HEADING.match(stripped) or _COMMENT_POST.match(stripped):
        return True
    if not _COMMENT_AUTHOR.match(stripped):
        return False
    return (len(words(stripped)) if n is None else n) <= COMMENT_AUTHOR_WORDS


def may_open_comments(text: str) -> bool:
    """Whether `classify_line` could call the line a comment heading: when this says no, it
    does not (an earlier rule may still take a line this says yes to)."""
    return _opens_comments(text.strip())


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
    if _opens_comments(stripped, n):
        return "bad", COMMENT_HEADING
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
    if n <= 20 and len(_BREADCRUMB.findall(stripped)) >= 2 and not SENTENCE_END.search(stripped):
        return "bad", "breadcrumb or menu"
    script = main_script(stripped) if article_script and n < 12 else None
    if script and script != article_script:
        return "bad", f"short line in another script ({script.lower()})"
    if n < 15 and _URL_OR_MAIL.search(stripped):
        return "bad", "link or address"
    if (
        "@" in stripped
        and _MAIL.search(stripped)
        and len(_phone_numbers(stripped)) >= CONTACT_PHONES
    ):
        return "bad", "contact details"
    terminal = bool(SENTENCE_END.search(stripped))
    boilerplate = len(_BOILERPLATE.findall(stripped.lower()))
    if (boilerplate and (not terminal or n < 6)) or (boilerplate >= 2 and n < 40):
        return "bad", "interface or legal boilerplate"
    if boilerplate >= 4 and boilerplate * 15 >= n:
        return "bad", "interface or legal boilerplate"
    # Unspaced scripts count a word per character, so length alone makes a headline of theirs
    # look like a paragraph: there only a sentence ending makes prose.
    long_enough = n >= 30 and len(_UNSPACED_CHAR.findall(stripped)) * 2 < n
    if (n >= 10 and terminal) or long_enough or (n >= 15 and _SENTENCE_INSIDE.search(stripped)):
        if headline_case(tokens[:HEADLINE_WORDS]):
            return "short", "headline glued to its teaser"
        return "good", "prose"
    if n <= 3 and stripped.isupper() and not terminal:
        return "bad", "short all-caps label"
    return "short", "headline-like"


HEADLINE_WORDS = 8


def _phone_numbers(text: str) -> list[str]:
    return [m for m in _PHONE.findall(text) if sum(c.isdigit() for c in m) >= 7]


def headline_case(tokens: Sequence[str]) -> bool:
    """Nearly every word capitalised, as headlines are written and sentences are not."""
    cased = [t for t in tokens if t[0].isupper() or t[0].islower()]
    if len(cased) < HEADLINE_WORDS:
        return False
    return sum(1 for t in cased if t[0].isupper()) >= len(cased) - 1


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence (a time stamp ends in "a.m." without being one)."""
    return bool(SENTENCE_END.search(text)) and not re.search(r"\b[ap]\.m\.$", text, re.I)
