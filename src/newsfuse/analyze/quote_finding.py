"""Quotes as one article states them: direct quotes in every quote style (“ ” " " « » „ “
‘ ’), over several paragraphs and unclosed at a paragraph's end, each with the mention of its
speaker the sentence around it gives ("…,” X said / X said: “…” / X: “…"); then, in the
sentences no direct quote holds, reported speech (`reported_speech`). Short quoted phrases
(scare quotes) are not quotes unless someone is said to have said them; titles never are.
Who a mention is, is `attribution`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Article
from .reported_speech import reported_quotes
from .speakers import NAME_WORD, PERSON
from .speech_words import (
    MIN_REPORTED_WORDS,
    SPEAKER,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    Found,
    is_full_name,
)

MIN_QUOTE_WORDS = 5
CONTINUATION_GAP = 40  # characters between a quote and the next one that goes on from it

_PAIRS = {"“": "”", "«": "»", "„": "“”", '"': '"', "‘": "’"}
_AFTER = [  # text right after the closing mark
    # the verb in any case, the speaker as written ("…,” said Smith on Monday: Smith)
    re.compile(rf"^[\s,.]*(?:{SPEECH_VERBS})\s+{SPEAKER}", re.IGNORECASE),
    re.compile(rf"^[\s,.]*{SPEAKER}\s+(?:(?:also|once again|later|then)\s+)?(?:{SPEECH_VERBS})\b"),
    # a name and who they are: "…,” Guenther Schuh, e.GO's founder, said inside his factory.
    re.compile(
        rf"^[\s,.]*(?P<speaker>{PERSON.pattern}),\s[^!?“”\"«»\n]{{1,120}}?,\s+"
        rf"(?:(?:also|once again|later|then)\s+)?(?:{SPEECH_VERBS})\b"
    ),
    # a role in front of the name: "…,” University of Toronto historian Jane Doe said.
    re.compile(
        rf"^[\s,.]*[^.!?“”\"«»\n]{{0,100}}?\s(?P<speaker>{NAME_WORD}(?:\s{NAME_WORD}){{1,2}})"
        rf"\s+(?:(?:also|once again|later|then)\s+)?(?:{SPEECH_VERBS})\b"
    ),
]
_SPEAKER_REACH = 160  # characters a speaker and a speech verb take at most
# The text of the sentence before the opening mark, each pattern with the last character the
# text must end in, and how much of its end the pattern reads (a search from every position
# of a long text is the costly part)
_BEFORE: list[tuple[Callable[[str], bool], re.Pattern[str], int | None]] = [
    (
        lambda last: last in ",:",
        re.compile(
            rf"{SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{SPEECH_VERBS})\b"
            rf"[^“”\"«»]{{0,120}}[:,]\s*$"
        ),
        None,
    ),
    (lambda last: last == ":", re.compile(rf"{SPEAKER}\s*:\s*$"), _SPEAKER_REACH),
    # no mark between: But Na'moks said "we're not there yet."
    (
        str.isalpha,
        re.compile(rf"{SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{SPEECH_VERBS})\s*$"),
        _SPEAKER_REACH,
    ),
]
# A quotation that ends a reported clause: X said in a statement that juice “is a source …”
# (only a long one: a short one inside reported speech is a phrase the reported quote holds)
_CLAUSE_BEFORE = re.compile(
    rf"{SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{SPEECH_VERBS})\b"
    rf"[^“”\"«».!?]{{0,40}}?\s+that\s+[^“”\"«».!?]{{0,120}}$"
)
_CLAUSE_REACH = 280
_STARTS_WITH_VERB = re.compile(rf"^(?:{SPEECH_VERBS})\b")
_NAME_JUST_BEFORE = re.compile(rf"{SPEAKER}\s*$")


_OPENERS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
_CLOSERS = {
    opener: re.compile("[" + re.escape(closers) + "]") for opener, closers in _PAIRS.items()
}


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation, paragraph-aware; unclosed quotes run to the
    end of their paragraph, and a quote continued in the next paragraph is joined to it."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while (opener := _OPENERS.search(text, i)) is not None:
        i = opener.start()
        ch = text[i]
        opening_ok = i == 0 or not text[i - 1].isalnum()
        if ch == "‘" and (i + 1 >= n or not text[i + 1].isalpha()):
            opening_ok = False
        if not opening_ok:
            i += 1
            continue
        paragraph_end = text.find("\n\n", i)
        paragraph_end = n if paragraph_end < 0 else paragraph_end
        closer = None
        j = i + 1
        while (mark := _CLOSERS[ch].search(text, j, paragraph_end)) is not None:
            j = mark.start()
            if j + 1 >= n or not text[j + 1].isalnum():
                closer = j
                break
            j += 1
        if closer is not None:
            spans.append((i + 1, closer))
            i = closer + 1
            continue
        # unclosed: does the next paragraph go on with an opening mark?
        nxt = paragraph_end + 2
        if nxt < n and text[nxt] == ch:
            spans.append((i + 1, paragraph_end))
            i = nxt
            continue
        spans.append((i + 1, paragraph_end))
        i = paragraph_end
    return spans


def _mention(match: re.Match[str] | None) -> str | None:
    return match.group("speaker") if match else None


# After a quote and its attribution, a participle adds a reported statement ("…,” he said,
# adding that police fired back.")
_ADDING_AFTER = re.compile(
    rf"^[^“”\"«»\n]{{0,120}}?(?:{SPEECH_VERBS})\b[^“”\"«»\n]{{0,60}}?,\s+(?:{SPEECH_PARTICIPLES})"
    rf"\s+(?:that\s+)?(?P<quote>[^“”\"«»\n]{{15,}}?)(?=[.!?]\s|[.!?]?$)"
)
_REPORTS_ON = re.compile(r"\s+that\b")
_APPOSED_NAME = re.compile(rf",\s+(?P<name>{PERSON.pattern})\s*(?:[,.;]|$)")


def _named_after(match: re.Match[str] | None) -> str | None:
    """The speaker after a quote, or the name set beside it ("…,” says Campbell’s partner,
    Jason Louth.")."""
    if match is None:
        return None
    named = _APPOSED_NAME.match(match.string, match.end())
    speaker = match.group("speaker")
    if named and is_full_name(named.group("name")) and not is_full_name(speaker):
        return named.group("name")  # a full name, not "D-Mass." after "Rep. Jim McGovern"
    return speaker


TITLE_WORDS = 12


def _is_title(inner: str) -> bool:
    """A short quotation whose every longer word is capitalised names a work, not speech."""
    words = re.findall(r"[^\W\d_][\w’'-]*", inner)
    longer = [w for w in words if len(w) > 3]
    return (
        2 <= len(words) <= TITLE_WORDS and len(longer) >= 2 and all(w[0].isupper() for w in longer)
    )


def find_quotes(article: Article) -> list[Found]:
    """Every quote in one article, with the speaker as written (resolved later)."""
    text = article.text
    found: list[Found] = []
    covered: list[tuple[int, int]] = []
    for start, end in _quote_spans(text):
        inner = text[start:end].strip(" ,.")
        words = len(inner.split())
        if not words:
            continue
        after = text[end + 1 : end + 200].split("\n", 1)[0]
        before = re.split(r"[.!?]\s|\n", text[max(0, start - 250) : max(0, start - 1)])[-1]
        mention = None
        ended = text[start:end].rstrip().endswith((".", "!", "?"))
        for pattern in _AFTER:
            if (
                mention is None
                and (match := pattern.search(after)) is not None
                # “… today.” The statement also said that …: a new sentence, not its attribution
                and not (ended and _REPORTS_ON.match(after, match.end()))
            ):
                mention = _named_after(match)
        before = before.rstrip()
        last = before[-1:]
        for ends_right, pattern, reach in _BEFORE:
            if mention is None and last and ends_right(last):
                mention = _mention(pattern.search(before[-reach:] if reach else before))
        if (
            mention is None
            and last.isalpha()
            and words >= MIN_QUOTE_WORDS
            and " that " in before[-_CLAUSE_REACH:]
        ):
            mention = _mention(_CLAUSE_BEFORE.search(before[-_CLAUSE_REACH:]))
        if mention is None and last.isalpha() and _STARTS_WITH_VERB.match(inner):
            # Sherman “stressed …”
            mention = _mention(_NAME_JUST_BEFORE.search(before[-_SPEAKER_REACH:]))
        # a short quotation is a quote only when someone is said to have said it ("“One!”
        # says X") or when it goes on from a quote just before ("…,” X said. “It got worse.”);
        # else it is a scare quote, a title, a term
        goes_on = bool(covered) and 0 <= start - covered[-1][1] <= CONTINUATION_GAP
        if words < MIN_QUOTE_WORDS and mention is None and not (goes_on and words >= 3):
            continue
        if _is_title(inner):  # “The Kid Who Would Be King”: a film, a book, a campaign
            continue
        found.append(Found(article.id, start, end, text[start:end], mention, "direct"))
        covered.append((start - 1, end + 1))
        added = _ADDING_AFTER.match(after)
        if mention and added and len(added.group("quote").split()) >= MIN_REPORTED_WORDS:
            # "…,” he said, adding that police fired back.
            at = end + 1 + added.start("quote")
            found.append(
                Found(
                    article.id,
                    at,
                    at + len(added.group("quote")),
                    added.group("quote"),
                    mention,
                    "reported",
                )
            )
    for span in article.sentences:
        if not any(a < span.end and span.start < b for a, b in covered):
            found += reported_quotes(article, span.start, span.end)
    found.sort(key=lambda f: f.start)
    return found
