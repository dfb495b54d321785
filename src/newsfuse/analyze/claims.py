"""Claims: sentences of different articles that state the same thing, with their support.

The sentences are aligned by `alignment`; a claim's support counts independent outlets, where a
copy counts as its original.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Citation, Claim
from .alignment import ClaimGroup, align_sentences
from .coverage import outlet_name
from .statements import MIN_WORDS


def independent_outlets(articles: Sequence[Article], by_id: dict[str, Article]) -> list[str]:
    """Outlets of the originals behind `articles`: a copy counts as the article it copies."""
    return sorted({outlet_name(by_id.get(a.duplicate_of or a.id, a)) for a in articles})


def story_claims(
    articles: Sequence[Article], groups: list[ClaimGroup] | None = None
) -> list[Claim]:
    """Every claim of the story, best supported first; single-outlet claims included."""
    groups = groups if groups is not None else align_sentences(articles)
    by_id = {a.id: a for a in articles}
    claims = []
    for group in groups:
        members = group.members
        first = members[0]
        if len(first.text.split()) < MIN_WORDS:
            continue
        supporting = [m.article for m in members]
        claims.append(
            Claim(
                text=first.text,
                article_ids=[a.id for a in supporting],
                outlets=sorted({outlet_name(a) for a in supporting}),
                independent_outlets=len(independent_outlets(supporting, by_id)),
                citations=[
                    Citation(article_id=m.article.id, start=m.start, end=m.end) for m in members
                ],
            )
        )
    claims.sort(
        key=lambda c: (
            -c.independent_outlets,
            -len(c.article_ids),
            c.article_ids[0],
            c.citations[0].start,
        )
    )
    return claims
