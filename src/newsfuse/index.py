"""index: per-article features for grouping (weighted terms) and a MinHash signature.

Pure functions over one article, so a batch engine can run them per partition.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import Stemmer
from anyascii import anyascii
from datasketch import LeanMinHash, MinHash
from wordfreq import zipf_frequency

from .model import Article
from .vectors import SparseVector, term_ids
from .workers import imap

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
# wordfreq warns on every call for a language it only approximates ("la"); newsfuse knows
logging.getLogger("wordfreq").setLevel(logging.ERROR)
# Snowball stemmers (PyStemmer): algorithms, no dictionaries, so a stream in twenty languages
# costs no memory per language (dictionary lemmatisers hold ~80 MB a language in every worker)
_SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian",
    "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian",
    "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
# wordfreq's small lists: words down to one in a million (a Zipf frequency of 3); rarer words
# all weigh the most anyway, and the large lists cost ~45 MB a language in every worker
WORDLIST = "small"
RARE_ZIPF = 2.0  # what a word the small list does not hold counts as


@dataclass(frozen=True)
class Features:
    """What grouping needs of one article (compact: it travels from the worker processes)."""

    article_id: str
    vector: SparseVector  # weighted terms, unit length
    signature: LeanMinHash
    shingle_count: int
    exact_hash: str
    top: np.ndarray  # ids of the TOP_TERMS strongest terms, strongest first
    names: np.ndarray  # ids of the name terms (names, places, organisations: "~name" keys)


TOP_TERMS = 30  # an article's strongest terms: what stories are indexed and looked up by


def summed(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    """The sum of sparse term vectors (a centroid before it is made a unit vector)."""
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return total


def unit_vector(terms: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in terms.values())) or 1.0
    return {t: v / norm for t, v in terms.items()}


def word_zipf(word: str, language: str | None) -> float | None:
    """wordfreq's Zipf frequency of a word (RARE_ZIPF for one too rare for its small lists), or
    None where the language needs a segmenter (MeCab, jieba) that is not installed."""
    if language in _NEEDS_SEGMENTER:
        return None
    try:
        zipf = float(zipf_frequency(word, language or "en", wordlist=WORDLIST))
    except (LookupError, ValueError):
        zipf = float(zipf_frequency(word, "en", wordlist=WORDLIST))
    return zipf if zipf > 0 else RARE_ZIPF


def background_idf(term: str, language: str | None) -> float:
    """How informative a term is, from word frequencies of the language (wordfreq, bundled).

    A background corpus instead of the batch: five articles about one event share their key
    words, and a batch IDF would call those words common. Per-article weights also make features
    independent of the rest of the corpus, so indexing stays a pure function and stories can be
    extended online.
    """
    zipf = word_zipf(term, language)
    return DEFAULT_IDF if zipf is None else max(MAX_ZIPF - zipf, 0.5)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


_stemmers: dict[str, Any] = {}


def stem(token: str, language: str | None) -> str:
    """The token's Snowball stem in its language (the token itself where there is none)."""
    algorithm = _SNOWBALL.get(language or "")
    if algorithm is None or token[0].isdigit():
        return token
    stemmer = _stemmers.get(algorithm)
    if stemmer is None:
        stemmer = _stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return str(stemmer.stemWord(token))


def name_key(part: str) -> str:
    """A name in Latin letters, so "Шольц" and "Scholz" meet across scripts."""
    return "~" + anyascii(part).casefold()


class _Memo(dict[str, Any]):
    """A per-language memo of a pure function of one token; emptied when it grows too big.
    (Grouping calls these millions of times: a dict lookup is what keeps it fast.)"""

    LIMIT = 200_000

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> Any:
        if len(self) > self.LIMIT:
            self.clear()
        value = self[key] = self.compute(key)
        return value


_stems: dict[str | None, _Memo] = {}
_idfs: dict[str | None, _Memo] = {}
_names = _Memo(name_key)
_token_hashes = _Memo(lambda token: zlib.crc32(token.encode()))


def _memo(
    table: dict[str | None, _Memo], language: str | None, compute: Callable[[str, str | None], Any]
) -> _Memo:
    memo = table.get(language)
    if memo is None:
        memo = table[language] = _Memo(lambda key: compute(key, language))
    return memo


# A clitic glued to a word by an apostrophe: the English possessive ("NATO's", "Russia’s") and
# the French and Italian elided articles and prepositions ("l'OTAN", "d’Ukraine",
# "dell'Ucraina"). The word carries the link between texts: "NATO's" must meet "NATO".
_CLITIC = re.compile(
    r"['’]s$|^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|[dn]ell|dall|sull|all|coll|un|quest|quell)['’](?=\w)",
    re.IGNORECASE,
)


def bare_word(word: str) -> str:
    """The word without the clitic an apostrophe glues to it (`_CLITIC`)."""
    return _CLITIC.sub("", word) if "'" in word or "’" in word else word


def word_parts(word: str) -> list[str]:
    """The words a hyphen joins, each a word in its own right: "NATO-Russia" meets "NATO" and
    "Russia", "4.6-magnitude" and "26-year-old" carry their numbers. A run of numbers ("2-1",
    "2021-22", "2022-01-14") is one value and stays whole."""
    if "-" not in word:
        return [word]
    parts = [part for part in word.split("-") if len(part) > 1 or part.isdigit()]
    if not parts or all(part[0].isdigit() for part in parts):
        return [word]
    return parts


def weighted_terms(
    text: str, language: str | None, words: list[str] | None = None
) -> dict[str, float]:
    """Stems of content words; name-like spans (transliterated) and numbers weighted up: they
    carry the link between articles, also across languages. Words written with a capital are
    not stemmed (a stemmer for English makes "Boeing" "boe", one for Spanish leaves it), and a
    stem weighs as its most common word does (word frequencies know "stories", not "stori").
    A word glued to a clitic or to another word ("NATO's", "l'OTAN", "NATO-Russia") counts as
    the words it holds (`bare_word`, `word_parts`); among the text's words only those holding a
    glue mark are looked at, so a text without one costs no call per word (this runs per
    sentence of every story analysed)."""
    stems = _memo(_stems, language, stem)
    idfs = _memo(_idfs, language, background_idf)
    name_parts = [
        part
        for span in _NAME.findall(text)
        for word in span.split()
        for part in word_parts(bare_word(word))
    ]
    capitalised = {word.casefold() for word in name_parts}
    counts: defaultdict[str, float] = defaultdict(float)
    idf: dict[str, float] = {}
    counted = Counter(words if words is not None else tokens(text))
    if words is not None or "-" in text or "'" in text or "’" in text:
        for word in [w for w in counted if "-" in w or "'" in w or "’" in w]:
            n = counted.pop(word)
            for part in word_parts(bare_word(word)):
                counted[part] += n
    for token, n in counted.items():
        if len(token) > 2 or token.isdigit():
            term = token if token in capitalised else stems[token]
            counts[term] += n * (NUMBER_WEIGHT if token[0].isdigit() else 1.0)
            weight = idfs[token]
            if weight < idf.get(term, math.inf):
                idf[term] = weight
    weights = {term: (1.0 + math.log(tf)) * idf[term] for term, tf in counts.items()}
    for part, n in Counter(name_parts).items():
        key = _names[part]
        weights[key] = (1.0 + math.log(n * (NAME_WEIGHT - 1.0))) * idfs[key[1:]]
    return weights


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of the distinct word `size`-grams, computed with NumPy from token hashes."""
    if not words:
        return np.zeros(1, dtype=np.uint32)
    hashed = np.fromiter(map(_token_hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    if len(hashed) < size:
        size = len(hashed)
    mixed = np.zeros(len(hashed) - size + 1, dtype=np.uint64)
    for offset in range(size):  # polynomial mix; uint64 arithmetic wraps, the low 32 bits stay
        mixed = mixed * np.uint64(0x9E3779B1) + hashed[offset : offset + len(mixed)]
    return np.unique((mixed ^ (mixed >> np.uint64(29))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)


def signature(hashes: np.ndarray) -> LeanMinHash:
    """MinHash over precomputed 32-bit shingle hashes (datasketch applies the permutations)."""
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=1,
        hashfunc=int,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    minhash.update_batch(hashes.tolist())
    return LeanMinHash(minhash)


def signature_bytes(sig: LeanMinHash) -> bytes:
    """The signature as it is stored: its hash values, little-endian."""
    return bytes(np.asarray(sig.hashvalues, dtype=_DTYPE).tobytes())


def signature_values(data: bytes) -> np.ndarray:
    """A stored signature's hash values (as the duplicate index keeps them)."""
    return np.frombuffer(data, dtype=_DTYPE).astype(np.uint32)


def signature_from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(data, dtype=_DTYPE)
    return LeanMinHash(seed=1, hashvalues=values, scheme=_SCHEME)


TERM_WORDS = 400


def _char_limit(text: str, words: list[str]) -> int:
    """Roughly where the first TERM_WORDS words end (names are looked for up to there)."""
    if len(words) <= TERM_WORDS:
        return len(text)
    return int(len(text) * TERM_WORDS / len(words)) + 1


def index_article(article: Article) -> Features:
    return _index_fields((article.id, article.title, article.text, article.language))


def article_terms(
    title: str | None, text: str, language: str | None, words: list[str] | None = None
) -> dict[str, float]:
    """An article's weighted terms (unit length): its title and opening carry the topic; a
    long tail adds cost and noise, not signal. `words`: the text's `tokens`, when known."""
    if words is None:
        words = tokens(text)
    title_line = f"{title}\n" if title else ""
    opening = text[: _char_limit(text, words)]
    return unit_vector(
        weighted_terms(title_line + opening, language, tokens(title_line) + words[:TERM_WORDS])
    )


def _index_fields(fields: tuple[str, str | None, str, str | None]) -> Features:
    """The work of `index_article` on the four fields it reads (cheap to send to a worker)."""
    article_id, title, text, language = fields
    words = tokens(text)
    hashes = shingle_hashes(words)
    terms = article_terms(title, text, language, words)
    vector = SparseVector.from_terms(terms)
    return Features(
        article_id=article_id,
        vector=vector,
        signature=signature(hashes),
        shingle_count=len(hashes),
        exact_hash=hashlib.sha1(" ".join(words).encode()).hexdigest(),
        top=vector.top_ids(TOP_TERMS),
        names=np.sort(term_ids(t for t in terms if t.startswith("~"))),
    )


def index_articles(articles: Sequence[Article]) -> Iterator[Features]:
    """Index a batch, yielding features in order as they are ready; large batches are spread
    over the cores (indexing is pure per article)."""
    fields = ((a.id, a.title, a.text, a.language) for a in articles)
    return imap(_index_fields, fields, chunk=64)
