"""index: per-article features for grouping (weighted terms) and a MinHash signature.

Pure functions over one article, so a batch engine can run them per partition.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import simplemma
from anyascii import anyascii
from datasketch import LeanMinHash, MinHash
from wordfreq import zipf_frequency

from .model import Article

NUM_PERM = 128
SHINGLE_WORDS = 5
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 1.5
# wordfreq needs MeCab or jieba for these; without them every term weighs the same.
_NEEDS_SEGMENTER = {"ja", "ko", "zh"}
DEFAULT_IDF = 6.0
MAX_ZIPF = 9.0  # zipf = log10 of frequency per billion words; 9 - zipf is an IDF in log10 units

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w’'-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w’'-]+)*")
_SCHEME = MinHash(num_perm=1).scheme
_DTYPE = MinHash(num_perm=1).hashvalues.dtype.newbyteorder("<")
_SIMPLEMMA_LANGS = set(simplemma.strategies.dictionaries.dictionary_factory.SUPPORTED_LANGUAGES)


@dataclass(frozen=True)
class Features:
    """What grouping needs of one article."""

    article_id: str
    terms: dict[str, float]
    signature: LeanMinHash
    shingle_count: int
    exact_hash: str


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


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


@lru_cache(maxsize=500_000)
def lemma(token: str, language: str | None) -> str:
    if language in _SIMPLEMMA_LANGS and not token[0].isdigit():
        return str(simplemma.lemmatize(token, lang=language))
    return token


@lru_cache(maxsize=200_000)
def name_key(part: str) -> str:
    """A name in Latin letters, so "Столтенберг" and "Stoltenberg" meet across scripts."""
    return "~" + anyascii(part).casefold()


def weighted_terms(
    text: str, language: str | None, words: list[str] | None = None
) -> dict[str, float]:
    """Lemmas of content words; name-like spans (transliterated) and numbers weighted up: they
    carry the link between articles, also across languages."""
    counts: defaultdict[str, float] = defaultdict(float)
    for token in words if words is not None else tokens(text):
        if len(token) > 2 or token.isdigit():
            counts[lemma(token, language)] += NUMBER_WEIGHT if token[0].isdigit() else 1.0
    for match in _NAME.finditer(text):
        for part in match.group(0).split():
            counts[name_key(part)] += NAME_WEIGHT - 1.0
    return {
        term: (1.0 + math.log(tf)) * background_idf(term.lstrip("~"), language)
        for term, tf in counts.items()
        if tf >= 1.0
    }


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(shingle_set: set[bytes]) -> LeanMinHash:
    """MinHash over word shingles; crc32 as the base hash (fast, the same on every machine)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    minhash.update_batch(sorted(shingle_set))
    return LeanMinHash(minhash)


def signature_bytes(sig: LeanMinHash) -> bytes:
    """The signature as it is stored: its hash values, little-endian."""
    return bytes(np.asarray(sig.hashvalues, dtype=_DTYPE).tobytes())


def signature_from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(data, dtype=_DTYPE)
    return LeanMinHash(seed=1, hashvalues=values, scheme=_SCHEME)


def index_article(article: Article) -> Features:
    words = tokens(article.text)
    title = f"{article.title}\n" if article.title else ""
    title_words = tokens(title)
    shingle_set = shingles(words)
    return Features(
        article_id=article.id,
        terms=weighted_terms(title + article.text, article.language, title_words + words),
        signature=signature(shingle_set),
        shingle_count=len(shingle_set),
        exact_hash=hashlib.sha1(" ".join(words).encode()).hexdigest(),
    )
