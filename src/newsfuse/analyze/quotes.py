"""Who said what in a story: the quotes of each article (`quote_finding`), each given its
speaker (`attribution`), merged across outlets and translations: one quote per speaker and
statement, each outlet's wording kept as a variant."""

from __future__ import annotations

from collections.abc import Sequence

from ..index import stem, tokens
from ..model import Article, Quote, QuoteVariant
from .attribution import resolve_speakers
from .quote_finding import Found, find_quotes
from .speakers import People, find_people

MERGE_OVERLAP = 0.5
MERGE_MIN_SHARED = 4


def _content(text: str, language: str | None) -> set[str]:
    return {stem(t, language) for t in tokens(text) if len(t) > 3 or t.isdigit()}


def story_quotes(articles: Sequence[Article], people: People | None = None) -> list[Quote]:
    """Quotes of a story, merged across articles: one `Quote` per speaker and statement."""
    people = people or find_people(articles)
    groups: list[tuple[str | None, set[str], list[tuple[Found, Article]]]] = []
    for article in articles:
        found = find_quotes(article)
        for item, speaker in zip(found, resolve_speakers(article, found, people), strict=True):
            if speaker is None and item.kind != "direct":
                continue
            words = _content(item.text, article.language)
            target = None
            for group in groups:
                if group[0] != speaker or not words or not group[1]:
                    continue
                shared = len(words & group[1])
                if (
                    shared >= MERGE_MIN_SHARED
                    and shared / min(len(words), len(group[1])) >= MERGE_OVERLAP
                ):
                    target = group
                    break
            if target is None:
                groups.append((speaker, set(words), [(item, article)]))
            else:
                target[1].update(words)
                target[2].append((item, article))
    quotes = []
    for speaker, _, items in groups:
        direct = [f for f, _ in items if f.kind == "direct"] or [f for f, _ in items]
        main = max(direct, key=lambda f: (len(f.text), f.article_id))
        quotes.append(
            Quote(
                speaker=speaker,
                text=main.text.strip(),
                kind=main.kind,
                variants=[
                    QuoteVariant(article_id=f.article_id, text=f.text, start=f.start, end=f.end)
                    for f, _ in items
                ],
            )
        )
    quotes.sort(key=lambda q: (-len({v.article_id for v in q.variants}), q.speaker or "~", q.text))
    return quotes
