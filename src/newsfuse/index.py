"""index: per-article features for grouping (weighted terms) and a MinHash signature.

Pure functions over one article, so a batch engine can run them per partition.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from datasketch import LeanMinHash, MinHash
from wordfreq import zipf_frequency

from .model import Article

NUM_PERM = 128
SHINGLE_WORDS = 5
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 1.5

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w’'-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w’'-]+)*")
_SIMPLEMMA_LANGS = set(simplemma.strategies.dictionaries.dictionary_factory.SUPPORTED_LANGUAGES)


# wordfreq needs MeCab or jieba for these; without them every term weighs the same.
_NEEDS_SEGMENTER = {"ja", "ko", "zh"}
DEFAULT_IDF = 6.0
MAX_ZIPF = 9.0  # zipf = log10 of frequency per billion words; 9 - zipf is an IDF in log10 units


@lru_cache(maxsize=200_000)
def background_idf(term: str, language: str | None) -> float:
    """How informative a term is, from word frequencies of the language (wordfreq, bundled).

    A background corpus instead of the batch: five articles about one event share their key
    words, and a batch IDF would call those words common. Per-article weights also make features
    independent of the rest of the corpus, so indexing stays a pure function and stories can be
    extended online.
    """
    if language in _NEEDS_SEGMENTER:
        return DEFAULT_IDF
    try:
        zipf = zipf_frequency(term, language or "en")
    except (LookupError, ValueError):
        zipf = zipf_frequency(term, "en")
    return max(MAX_ZIPF - zipf, 0.5)


@dataclass(frozen=True)
class Features:
    article_id: str
    terms: dict[str, float]
    signature: LeanMinHash
    exact_hash: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def lemma(token: str, language: str | None) -> str:
    if language in _SIMPLEMMA_LANGS and not token[0].isdigit():
        return simplemma.lemmatize(token, lang=language)
    return token


def weighted_terms(text: str, language: str | None) -> dict[str, float]:
    """Lemmas of content words; name-like spans and numbers weighted up (they carry links
    between articles even across languages)."""
    counts: defaultdict[str, float] = defaultdict(float)
    for token in tokens(text):
        if len(token) > 2 or token.isdigit():
            counts[lemma(token, language)] += NUMBER_WEIGHT if token[0].isdigit() else 1.0
    for match in _NAME.finditer(text):
        for part in match.group(0).split():
            counts["~" + part.casefold()] += NAME_WEIGHT - 1.0
    return {
        term: (1.0 + math.log(tf)) * background_idf(term.lstrip("~"), language)
        for term, tf in counts.items()
        if tf >= 1.0
    }


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = tokens(text)
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> LeanMinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch(list(shingles(text)))
    return LeanMinHash(minhash)


def exact_hash(text: str) -> str:
    return hashlib.sha1(" ".join(tokens(text)).encode()).hexdigest()


def index_article(article: Article) -> Features:
    text = f"{article.title or ''}\n{article.text}"
    return Features(
        article_id=article.id,
        terms=weighted_terms(text, article.language),
        signature=signature(article.text),
        exact_hash=exact_hash(article.text),
    )
