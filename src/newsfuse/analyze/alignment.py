"""Claim alignment: which sentences of different articles state the same thing.

Sentences are compared by their weighted content lemmas, names and numbers (the same features as
grouping, so machine-translated wording still meets on the words that matter) and, in a story
that mixes languages, by a multilingual sentence encoder's cosine across languages, where terms
cannot meet. A claim takes at most one sentence per article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..group.order import time_order
from ..model import Article
from .meaning import SentenceMeaning, mixes_languages
from .seeds import SeedIndex, dot
from .statements import MIN_ALIGN_WORDS, MIN_WORDS, SentenceRef, sentence_refs

CLAIM_SIMILARITY = 0.35


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


EXACT_SCORES = 8  # candidates scored exactly, best first by their summed dot products
CANDIDATE_SHARE = 0.5
# A sentence encoder's cosine at which two sentences state one thing: 98% of the line-by-line
# professional translations of MEANTIME's stories score above it, 1.4% of the other sentence
# pairs of the same stories (benchmarks/analyze.py). Scores above it count like terms' cosine
# above CLAIM_SIMILARITY, so both kinds of evidence rank on one scale.
MEANING_SIMILARITY = 0.6
MEANING_SEEDS = 2048  # the most recent claims a sentence is compared with by meaning


class _SeedMeanings:
    """Encoder vectors of the claims' first sentences and their languages, in the order the
    claims opened."""

    def __init__(self, width: int) -> None:
        self._rows = np.zeros((64, width), dtype=np.float32)
        self._groups: list[int] = []
        self._languages: list[str | None] = []

    def add(self, group: int, row: np.ndarray, language: str | None) -> None:
        if len(self._groups) == len(self._rows):
            self._rows = np.vstack([self._rows, np.zeros_like(self._rows)])
        self._rows[len(self._groups)] = row
        self._groups.append(group)
        self._languages.append(language)

    def matches(self, rows: np.ndarray, language: str | None) -> list[dict[int, float]]:
        """Per row, the recent claims first stated in another language whose first sentence
        means the same (cosine at least MEANING_SIMILARITY), with that cosine: within one
        language the encoder's cosine rewards a shared topic as much as a shared statement,
        and terms decide there."""
        first = max(0, len(self._groups) - MEANING_SEEDS)
        scores = rows @ self._rows[first : len(self._groups)].T
        other = np.array([lang != language for lang in self._languages[first:]], dtype=bool)
        found = []
        for row_scores in scores:
            hits = np.flatnonzero((row_scores >= MEANING_SIMILARITY) & other)
            found.append({self._groups[first + i]: float(row_scores[i]) for i in hits})
        return found


def align_sentences(
    articles: Sequence[Article], meaning: SentenceMeaning | None = None
) -> list[ClaimGroup]:
    """Greedy alignment in publication order: each sentence joins the claim whose first
    sentence it is most like (terms' cosine above CLAIM_SIMILARITY or, across languages with
    `meaning`, the encoder's cosine at least MEANING_SIMILARITY; one sentence per article per
    claim), or opens a claim of its own. Sentences are encoded only in a story that mixes
    languages. Work per sentence is bounded (see `seeds`, MEANING_SEEDS), so alignment is
    linear in the story's size."""
    ordered = [articles[i] for i in time_order(articles)]
    refs_of = [sentence_refs(article, MIN_ALIGN_WORDS, statements=True) for article in ordered]
    dense = (
        _meanings([ref for refs in refs_of for ref in refs], meaning)
        if meaning is not None and mixes_languages(ordered)
        else None
    )
    seed_meanings = _SeedMeanings(dense.shape[1]) if dense is not None else None
    groups: list[ClaimGroup] = []
    seeds = SeedIndex()
    row = 0
    for article, refs in zip(ordered, refs_of, strict=True):
        rows = dense[row : row + len(refs)] if dense is not None else None
        row += len(refs)
        by_meaning = (
            seed_meanings.matches(rows, article.language)
            if seed_meanings is not None and rows is not None
            else [{} for _ in refs]
        )
        for k, ref in enumerate(refs):
            best = _best_claim(article, ref, groups, seeds, by_meaning[k])
            if best >= 0:
                groups[best].add(ref)
                continue
            groups.append(ClaimGroup())
            groups[-1].add(ref)
            seeds.add(len(groups) - 1, ref.vector)
            if seed_meanings is not None and rows is not None:
                seed_meanings.add(len(groups) - 1, rows[k], article.language)
    return groups


def _best_claim(
    article: Article,
    ref: SentenceRef,
    groups: list[ClaimGroup],
    seeds: SeedIndex,
    by_meaning: dict[int, float],
) -> int:
    """The claim `ref` joins (-1: none): the best of its candidates by terms and by meaning,
    each scored exactly, that the article has not joined yet."""
    # a claim whose first sentence shares less than half the needed weight with this one (as
    # far as the postings tell) is not worth scoring
    products, exact_from = seeds.scores(ref.vector)
    ranked = sorted(
        (
            (g, value)
            for g, value in products.items()
            if value >= CANDIDATE_SHARE * CLAIM_SIMILARITY
            and article.id not in groups[g].article_ids
        ),
        key=lambda kv: (-kv[1], kv[0]),
    )
    meant = {g: v for g, v in by_meaning.items() if article.id not in groups[g].article_ids}
    candidates = [g for g, _ in ranked[:EXACT_SCORES]]
    candidates += sorted(meant, key=lambda g: (-meant[g], g))[:EXACT_SCORES]
    best, best_score = -1, CLAIM_SIMILARITY
    for g in candidates:
        terms = (
            products[g] if g >= exact_from and g in products else groups[g].similarity(ref.vector)
        )
        # the encoder's cosine above its bar ranks like terms' cosine above theirs
        score = max(terms, meant.get(g, 0.0) - MEANING_SIMILARITY + CLAIM_SIMILARITY)
        if score > best_score or (score == best_score and g > best):
            best, best_score = g, score
    return best


def _meanings(refs: list[SentenceRef], meaning: SentenceMeaning) -> np.ndarray | None:
    """Encoder rows of the sentences that can state a claim (MIN_WORDS); zero rows for the
    shorter ones, which terms align alone."""
    stating = [i for i, ref in enumerate(refs) if len(ref.text.split()) >= MIN_WORDS]
    if not stating:
        return None
    found = meaning.vectors([refs[i].text for i in stating])
    rows = np.zeros((len(refs), found.shape[1]), dtype=np.float32)
    rows[stating] = found
    return rows
