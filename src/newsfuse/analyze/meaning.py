"""Sentence meaning for claim alignment across languages: a dense encoder's vector per sentence.

Terms align a claim's wordings when they share names and content words; a translation shares
only the names and numbers. A multilingual sentence encoder places a sentence and its
translation near each other (MEANTIME's translations: cosine 0.83 at the median). Within one
language terms decide: there the encoder scores sentences on one topic about as high as
sentences that state one thing. Vectors are remembered by sentence text (bounded), because a
growing story's report is rebuilt batch after batch from mostly the same sentences.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..config import Settings
from ..encoders import Encoder, encoder_named
from ..model import Article

SENTENCE_CHARS = 300  # what a sentence states is in its first 50 words (the grouping reads 200)
REMEMBERED_SENTENCES = 20_000  # about 40 MB of vectors per process


class SentenceMeaning:
    """Unit vectors of sentences from the encoder `load` gives, loaded when first asked (a
    process that sees one language never needs it), remembered by text."""

    def __init__(self, load: Callable[[], Encoder], remembered: int = REMEMBERED_SENTENCES) -> None:
        self._load = load
        self._encoder: Encoder | None = None
        self.remembered = remembered
        self._known: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self._load()
        return self._encoder

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text, in order; texts seen before are not encoded again."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            for text, row in zip(missing, self.encoder.encode(missing), strict=True):
                self._known[text] = row
        rows = []
        for text in texts:
            self._known.move_to_end(text)
            rows.append(self._known[text])
        while len(self._known) > max(self.remembered, len(texts)):
            self._known.popitem(last=False)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(rows)


def sentence_meaning(settings: Settings) -> SentenceMeaning | None:
    """The configured claim encoder (`claim_encoder`), loaded once per process; None for terms
    only."""
    return _loaded(settings.claim_encoder, settings.encoder_model)


@lru_cache(maxsize=2)
def _loaded(kind: str, model: str | None) -> SentenceMeaning | None:
    if kind == "none":
        return None
    return SentenceMeaning(lambda: _required(encoder_named(kind, model, SENTENCE_CHARS)))


def _required(encoder: Encoder | None) -> Encoder:
    assert encoder is not None
    return encoder


def mixes_languages(articles: Sequence[Article]) -> bool:
    """Whether a story's articles are in more than one language: only then is anything of it
    encoded (across languages terms cannot meet; within one they decide)."""
    return len({article.language for article in articles if article.language}) > 1
