"""Who said what in a story: the quotes of each article (`quote_finding`), each given its
speaker (`attribution`), merged across outlets and translations: one quote per speaker and
statement, each outlet's wording kept as a variant. Wordings of one language merge on shared
words; in a story that mixes languages, a translation merges with the quote of the same speaker
whose first wording it means (the claims' sentence encoder and bar)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..index import stem, tokens
from ..model import Article, Quote, QuoteVariant
from .alignment import MEANING_SIMILARITY
from .attribution import resolve_speakers
from .meaning import SentenceMeaning, mixes_languages
from .quote_finding import Found, find_quotes
from .speakers import People, find_people

MERGE_OVERLAP = 0.5
MERGE_MIN_SHARED = 4


def _content(text: str, language: str | None) -> set[str]:
    return {stem(t, language) for t in tokens(text) if len(t) > 3 or t.isdigit()}


@dataclass
class _Group:
    speaker: str | None
    language: str | None  # of the first wording
    words: set[str]
    meaning: np.ndarray | None  # the first wording's encoder vector, in a mixed story
    items: list[Found] = field(default_factory=list)

    def takes(self, words: set[str], language: str | None, meaning: np.ndarray | None) -> bool:
        """A wording of this quote: the same words, or across languages the same meaning."""
        if words and self.words:
            shared = len(words & self.words)
            if (
                shared >= MERGE_MIN_SHARED
                and shared / min(len(words), len(self.words)) >= MERGE_OVERLAP
            ):
                return True
        return (
            language != self.language
            and meaning is not None
            and self.meaning is not None
            and float(meaning @ self.meaning) >= MEANING_SIMILARITY
        )


def story_quotes(
    articles: Sequence[Article],
    people: People | None = None,
    meaning: SentenceMeaning | None = None,
) -> list[Quote]:
    """Quotes of a story, merged across articles: one `Quote` per speaker and statement."""
    people = people or find_people(articles)
    found: list[tuple[Found, str | None, Article]] = []
    for article in articles:
        quoted = find_quotes(article)
        for item, speaker in zip(quoted, resolve_speakers(article, quoted, people), strict=True):
            if speaker is not None or item.kind == "direct":
                found.append((item, speaker, article))
    vectors: list[np.ndarray | None] = [None] * len(found)
    if meaning is not None and mixes_languages(articles) and found:
        vectors = list(meaning.vectors([item.text for item, _, _ in found]))
    groups: list[_Group] = []
    for (item, speaker, article), vector in zip(found, vectors, strict=True):
        words = _content(item.text, article.language)
        target = next(
            (
                g
                for g in groups
                if g.speaker == speaker and g.takes(words, article.language, vector)
            ),
            None,
        )
        if target is None:
            target = _Group(speaker, article.language, set(words), vector)
            groups.append(target)
        else:
            target.words.update(words)
        target.items.append(item)
    quotes = []
    for group in groups:
        direct = [f for f in group.items if f.kind == "direct"] or group.items
        main = max(direct, key=lambda f: (len(f.text), f.article_id))
        quotes.append(
            Quote(
                speaker=group.speaker,
                text=main.text.strip(),
                kind=main.kind,
                variants=[
                    QuoteVariant(article_id=f.article_id, text=f.text, start=f.start, end=f.end)
                    for f in group.items
                ],
            )
        )
    quotes.sort(key=lambda q: (-len({v.article_id for v in q.variants}), q.speaker or "~", q.text))
    return quotes
