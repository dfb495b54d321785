"""Language of an article and of each of its blocks, with lingua's bundled models."""

from __future__ import annotations

from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder


@lru_cache(maxsize=2)
def detector(high_accuracy: bool = False) -> LanguageDetector:
    """Low-accuracy mode by default: a tenth of the memory, and articles are long enough."""
    builder = LanguageDetectorBuilder.from_all_languages()
    if not high_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def detect_language(text: str, high_accuracy: bool = False) -> str | None:
    """ISO 639-1 code of the main language of `text`, or None when it cannot tell."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 3:
        return None
    language = detector(high_accuracy).detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None


def detect_languages(texts: list[str], high_accuracy: bool = False) -> list[str | None]:
    """Languages of many blocks at once (lingua spreads them over the cores)."""
    samples = [text[:2000] for text in texts]
    found = detector(high_accuracy).detect_languages_in_parallel_of(samples)
    return [
        language.iso_code_639_1.name.lower()
        if language and sum(ch.isalpha() for ch in sample) >= 3
        else None
        for sample, language in zip(samples, found, strict=True)
    ]
