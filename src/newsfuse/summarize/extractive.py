"""Extractive summary: the story's best-supported, most central claims, without repeats.

Claims are scored by independent support, centrality (similarity to the whole story) and how
early their sentence stands in its article; MMR removes redundancy; a sentence that opens with a
pronoun or a connective ("However, he …") is replaced by another outlet's wording of the same
claim when one names its subject, or else penalised. The chosen sentences are ordered by the date
of what they report, then by importance, within a word budget. Each cites every supporting
article, not only the one whose wording was chosen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..analyze.claims import sentence_refs
from ..analyze.timeline import article_mentions, iso
from ..index import unit_vector
from ..model import Article, Citation, Claim, SummarySentence

MMR_LAMBDA = 0.7
MAX_POOL = 200  # claims considered, best first: MMR is quadratic in them
MIN_WORDS = 8
MAX_WORDS = 45
_DANGLING = re.compile(
    r"^\W*(?:he|she|it|they|this|that|these|those|his|her|their|its|however|but|and|also|"
    r"meanwhile|moreover|therefore|thus|still|yet|so|then|in addition|at the same time|"
    r"according to (?:him|her|them)|on the other hand|conversely|earlier|later|"
    r"er|sie|es|il|elle|ils|elles|él|ella|ellos|он|она|они|это|однако|но)\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    claim: Claim
    citation: Citation
    text: str
    vector: dict[str, float]
    score: float
    when: str


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _wording(
    claim: Claim,
    articles: dict[str, Article],
    language: str | None,
) -> tuple[Citation, str]:
    """The claim's best sentence: in the summary language, naming its subject, of fair length."""

    def badness(citation: Citation) -> tuple[int, int, int, int]:
        article = articles[citation.article_id]
        text = article.text[citation.start : citation.end]
        n = len(text.split())
        return (
            int(language is not None and article.language != language),
            int(bool(_DANGLING.match(text))),
            int(n < MIN_WORDS or n > MAX_WORDS),
            abs(n - 25),
        )

    best = min(claim.citations, key=lambda c: (badness(c), c.article_id, c.start))
    article = articles[best.article_id]
    return best, article.text[best.start : best.end]


def summary_language(articles: Sequence[Article]) -> str | None:
    """The story's language, or the majority language of a mixed story."""
    counts = Counter(a.language for a in articles if a.language)
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else None


def extractive_summary(
    articles: Sequence[Article], claims: Sequence[Claim], word_budget: int
) -> list[SummarySentence]:
    if not claims or word_budget <= 0:
        return []
    by_id = {a.id: a for a in articles}
    language = summary_language(articles)
    vectors: dict[tuple[str, int], dict[str, float]] = {}
    positions: dict[tuple[str, int], int] = {}
    dates: dict[tuple[str, int], str] = {}
    centroid: dict[str, float] = {}
    for article in articles:
        for index, ref in enumerate(sentence_refs(article)):
            vectors[(article.id, ref.start)] = ref.vector
            positions[(article.id, ref.start)] = index
            for term, weight in ref.vector.items():
                centroid[term] = centroid.get(term, 0.0) + weight
        published = article.published_at.date().isoformat() if article.published_at else "9999"
        for start, _, mentions in article_mentions(article):
            days = [iso(m.value, m.precision) for m in mentions if m.precision == "day"]
            dates[(article.id, start)] = days[0] if days else published
    centroid = unit_vector(centroid)
    candidates = []
    for claim in claims:
        citation, text = _wording(claim, by_id, language)
        key = (citation.article_id, citation.start)
        vector = vectors.get(key, {})
        n = len(text.split())
        if n < MIN_WORDS or text.endswith("?"):
            continue
        support = math.log1p(claim.independent_outlets)
        centrality = _cosine(vector, centroid)
        position = 1.0 / (1.0 + positions.get(key, 10))
        penalty = 0.5 if _DANGLING.match(text) else 0.0
        score = support + centrality + 0.5 * position - penalty
        article = by_id[citation.article_id]
        published = article.published_at.date().isoformat() if article.published_at else "9999"
        candidates.append(
            Candidate(claim, citation, text, vector, score, dates.get(key, published))
        )
    chosen: list[Candidate] = []
    words = 0
    pool = sorted(candidates, key=lambda c: (-c.score, c.text))[:MAX_POOL]
    # each candidate's highest similarity to the sentences chosen so far, kept up to date
    redundancy = dict.fromkeys(range(len(pool)), 0.0)
    while redundancy:
        i = max(
            redundancy,
            key=lambda j: (
                MMR_LAMBDA * pool[j].score - (1 - MMR_LAMBDA) * redundancy[j],
                pool[j].text,
            ),
        )
        del redundancy[i]
        best = pool[i]
        n = len(best.text.split())
        if words + n > word_budget and chosen:
            continue
        chosen.append(best)
        words += n
        if words >= word_budget:
            break
        for j, value in redundancy.items():
            redundancy[j] = max(value, _cosine(pool[j].vector, best.vector))
    chosen.sort(key=lambda c: (c.when, -c.score))
    return [SummarySentence(text=c.text, citations=list(c.claim.citations)) for c in chosen]
