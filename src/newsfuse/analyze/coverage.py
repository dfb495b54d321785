"""Coverage: which outlets and languages reported a story, and when."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ..model import Article, Coverage, OutletCoverage


def outlet_name(article: Article) -> str:
    """The outlet, or a label that keeps unknown outlets apart (each counts on its own)."""
    return article.outlet or f"unknown ({article.source.rsplit('/', 1)[-1]})"


def coverage(articles: Sequence[Article]) -> Coverage:
    per_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        per_outlet[outlet_name(article)].append(article)
    languages = Counter(a.language for a in articles if a.language)
    dates = sorted(a.published_at for a in articles if a.published_at is not None)
    return Coverage(
        articles=len(articles),
        independent_articles=sum(1 for a in articles if a.duplicate_of is None),
        outlets=[
            OutletCoverage(
                name=name,
                articles=len(items),
                languages=sorted({a.language for a in items if a.language}),
            )
            for name, items in sorted(per_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        countries=[],
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )


def story_coverage(members: Sequence[Article], analysed: Sequence[Article]) -> Coverage:
    """Coverage counts every member; it says how many the analysis read when not all."""
    found = coverage(members)
    if len(analysed) < len(members):
        found.analysed_articles = len(analysed)
    return found
