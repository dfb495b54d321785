"""Statements: an article's sentences as the units claims are made of, with their term vectors.

A long sentence may state several things: a quoted passage the sentence splitter keeps whole
holds several sentences. Claims align statements, so each can find the other outlets that state
it; the summary still quotes whole sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..index import unit_vector, weighted_terms
from ..model import Article
from .speakers import TITLE_ABBREVIATIONS

MIN_WORDS = 5  # a claim states something; shorter lines (list items, captions) are not claims
MIN_ALIGN_WORDS = 3  # but they are still aligned, so that conflicts in them are found


@dataclass
class SentenceRef:
    article: Article
    start: int
    end: int
    vector: dict[str, float]

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def sentence_refs(
    article: Article, min_words: int = MIN_WORDS, statements: bool = False
) -> list[SentenceRef]:
    """The article's sentences of at least `min_words` words with their term vectors (shared:
    read them, do not change them). With `statements`, a quoted passage of several sentences
    (which the sentence splitter keeps whole) comes as its sentences: each states a claim."""
    spans = tuple((span.start, span.end) for span in article.sentences)
    if statements:
        spans = _statement_spans(article.text, spans)
    return [
        SentenceRef(article, start, end, vector)
        for start, end, words, vector in _sentence_vectors(article.text, article.language, spans)
        if words >= min_words
    ]


STATEMENT_WORDS = 20  # shorter sentences are one statement
# A sentence end inside a span: end mark (and closing quote), space, then a capital (after an
# opening quote). The word before must not be an abbreviation or an initial ("Dr.", "J.").
# It is looked for from word boundaries only: tried inside every word as well, `\w*` ran to
# the word's end from each of its letters, and found no more (an end after no word at all,
# "(CLPS). The", is skipped by the caller either way).
_INNER_END = re.compile(r"\b(\w*)([.!?…][\"”»’]?)\s+(?=[\"“«„‘]?(\w))")
_ABBREVIATIONS = frozenset(
    (
        *(title.casefold() for title in TITLE_ABBREVIATIONS),
        *("st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    )
)


def _statement_spans(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Long sentences cut at the sentence ends inside them (quoted passages)."""
    found: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        if len(piece.split()) < STATEMENT_WORDS:
            found.append((start, end))
            continue
        cut = start
        for match in _INNER_END.finditer(piece):
            word, following = match.group(1), match.group(3)
            if (
                not following[0].isupper()
                or len(word) < 2
                or word.casefold() in _ABBREVIATIONS
                or len(text[cut : start + match.end(2)].split()) < MIN_ALIGN_WORDS
                or len(piece[match.end() :].split()) < MIN_ALIGN_WORDS
            ):
                continue
            found.append((cut, start + match.end(2)))
            cut = start + match.end()
        found.append((cut, end))
    return tuple(found)


# Per-article results the analyses share are remembered for one story at a time (emptied by
# `forget_story`), and never for more than this many articles.
STORY_CACHE = 20_000
SENTENCE_CACHE = 200_000


def _sentence_vectors(
    text: str, language: str | None, spans: tuple[tuple[int, int], ...]
) -> list[tuple[int, int, int, dict[str, float]]]:
    """Each sentence's words and vector, computed once per article (`_span_vectors`) and once
    per sentence text in a story (`_sentence_vector`): claims, timeline, conflicts and the
    summary all ask."""
    known = _span_vectors(text, language)
    found = []
    for start, end in spans:
        if (start, end) not in known:
            known[start, end] = _sentence_vector(text[start:end], language)
        words, vector = known[start, end]
        if vector is not None:
            found.append((start, end, words, vector))
    return found


@lru_cache(maxsize=SENTENCE_CACHE)
def _sentence_vector(sentence: str, language: str | None) -> tuple[int, dict[str, float] | None]:
    """A sentence's words and vector, computed once per story: the copies of a wire story
    and the outlets that quote one statement repeat its sentences word for word."""
    terms = weighted_terms(sentence, language)
    return len(sentence.split()), unit_vector(terms) if terms else None


@lru_cache(maxsize=STORY_CACHE)
def _span_vectors(
    text: str, language: str | None
) -> dict[tuple[int, int], tuple[int, dict[str, float] | None]]:
    """Each sentence's words and vector by span, filled as asked: an article read as
    sentences and as statements (a long quoted passage cut in its sentences) shares all but
    the cut ones."""
    return {}
