"""Paragraphs and sentences as character spans into the cleaned text."""

from __future__ import annotations

from sentencex import get_sentence_boundaries

from ..model import Paragraph, Span


def paragraph_spans(text: str) -> list[Span]:
    """Paragraphs are separated by blank lines in cleaned text."""
    spans: list[Span] = []
    start = 0
    for block in text.split("\n\n"):
        stripped = block.strip()
        if stripped:
            offset = start + block.index(stripped)
            spans.append(Span(start=offset, end=offset + len(stripped)))
        start += len(block) + 2
    return spans


def sentence_spans(text: str, paragraphs: list[Paragraph], language: str | None) -> list[Span]:
    """Sentences never cross a paragraph; each is trimmed of surrounding space."""
    spans: list[Span] = []
    for para in paragraphs:
        chunk = text[para.start : para.end]
        lang = para.language or language or "en"
        for bound in get_sentence_boundaries(lang, chunk):
            if bound.get("is_paragraph_break"):
                continue
            piece = chunk[bound["start_index"] : bound["end_index"]]
            stripped = piece.strip()
            if not stripped:
                continue
            start = para.start + bound["start_index"] + piece.index(stripped)
            spans.append(Span(start=start, end=start + len(stripped)))
    return spans
