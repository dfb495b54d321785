"""Claims: sentences of different articles that state the same thing, with their support.

Sentences are compared by their weighted content lemmas, names and numbers (the same features as
grouping, so paraphrase and machine-translated wording still meet on the words that matter). A
claim takes at most one sentence per article; its support counts independent outlets, where a
copy counts as its original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..group.dedupe import time_order
from ..index import unit_vector, weighted_terms
from ..model import Article, Citation, Claim
from .coverage import outlet_name
from .seeds import SeedIndex, dot
from .speakers import TITLE_ABBREVIATIONS

MIN_WORDS = 5  # a claim states something; shorter lines (list items, captions) are not claims
MIN_ALIGN_WORDS = 3  # but they are still aligned, so that conflicts in them are found
CLAIM_SIMILARITY = 0.35


@dataclass
class SentenceRef:
    article: Article
    start: int
    end: int
    vector: dict[str, float]

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


@dataclass
class ClaimGroup:
    members: list[SentenceRef] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)

    def add(self, ref: SentenceRef) -> None:
        self.members.append(ref)
        self.article_ids.add(ref.article.id)

    def similarity(self, vector: dict[str, float]) -> float:
        """Cosine with the claim's first sentence: a centroid of many sentences drifts towards
        the story's common words and would swallow every sentence."""
        return dot(vector, self.members[0].vector)


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
_INNER_END = re.compile(r"(\w*)([.!?…][\"”»’]?)\s+(?=[\"“«„‘]?(\w))")
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


def _sentence_vectors(
    text: str, language: str | None, spans: tuple[tuple[int, int], ...]
) -> list[tuple[int, int, int, dict[str, float]]]:
    """Each sentence's words and vector, computed once per article (`_span_vectors`): claims,
    timeline, conflicts and the summary all ask."""
    known = _span_vectors(text, language)
    found = []
    for start, end in spans:
        if (start, end) not in known:
            sentence = text[start:end]
            terms = weighted_terms(sentence, language)
            known[start, end] = (len(sentence.split()), unit_vector(terms) if terms else None)
        words, vector = known[start, end]
        if vector is not None:
            found.append((start, end, words, vector))
    return found


@lru_cache(maxsize=STORY_CACHE)
def _span_vectors(
    text: str, language: str | None
) -> dict[tuple[int, int], tuple[int, dict[str, float] | None]]:
    """Each sentence's words and vector by span, filled as asked: an article read as
    sentences and as statements (a long quoted passage cut in its sentences) shares all but
    the cut ones."""
    return {}


EXACT_SCORES = 8  # candidates scored exactly, best first by their summed dot products
CANDIDATE_SHARE = 0.5


def align_sentences(articles: Sequence[Article]) -> list[ClaimGroup]:
    """Greedy alignment in publication order: each sentence joins the claim whose first
    sentence it is most like (cosine at least CLAIM_SIMILARITY, one sentence per article per
    claim), or opens a claim of its own. Work per sentence is bounded (see `seeds`), so
    alignment is linear in the story's size."""
    groups: list[ClaimGroup] = []
    seeds = SeedIndex()
    for index in time_order(articles):
        article = articles[index]
        for ref in sentence_refs(article, MIN_ALIGN_WORDS, statements=True):
            # a claim whose first sentence shares less than half the needed weight with this
            # one (as far as the postings tell) is not worth scoring
            ranked = sorted(
                (
                    (g, value)
                    for g, value in seeds.dot_products(ref.vector).items()
                    if value >= CANDIDATE_SHARE * CLAIM_SIMILARITY
                    and article.id not in groups[g].article_ids
                ),
                key=lambda kv: (-kv[1], kv[0]),
            )
            best, best_score = -1, CLAIM_SIMILARITY
            for g, _ in ranked[:EXACT_SCORES]:
                score = groups[g].similarity(ref.vector)
                if score > best_score or (score == best_score and g > best):
                    best, best_score = g, score
            if best >= 0:
                groups[best].add(ref)
                continue
            groups.append(ClaimGroup())
            groups[-1].add(ref)
            seeds.add(len(groups) - 1, ref.vector)
    return groups


def independent_outlets(articles: Sequence[Article], by_id: dict[str, Article]) -> list[str]:
    """Outlets of the originals behind `articles`: a copy counts as the article it copies."""
    return sorted({outlet_name(by_id.get(a.duplicate_of or a.id, a)) for a in articles})


def story_claims(
    articles: Sequence[Article], groups: list[ClaimGroup] | None = None
) -> list[Claim]:
    """Every claim of the story, best supported first; single-outlet claims included."""
    groups = groups if groups is not None else align_sentences(articles)
    by_id = {a.id: a for a in articles}
    claims = []
    for group in groups:
        members = group.members
        first = members[0]
        if len(first.text.split()) < MIN_WORDS:
            continue
        supporting = [m.article for m in members]
        claims.append(
            Claim(
                text=first.text,
                article_ids=[a.id for a in supporting],
                outlets=sorted({outlet_name(a) for a in supporting}),
                independent_outlets=len(independent_outlets(supporting, by_id)),
                citations=[
                    Citation(article_id=m.article.id, start=m.start, end=m.end) for m in members
                ],
            )
        )
    claims.sort(
        key=lambda c: (
            -c.independent_outlets,
            -len(c.article_ids),
            c.article_ids[0],
            c.citations[0].start,
        )
    )
    return claims
