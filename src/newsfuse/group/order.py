"""The order articles are placed and listed in: by publication time."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article


def time_order(articles: Sequence[Article]) -> list[int]:
    """Indices by publication time (undated last), then id: the original comes first."""

    def key(i: int) -> tuple[bool, float, str]:
        moment = articles[i].published_at
        return (moment is None, moment.timestamp() if moment else 0.0, articles[i].id)

    return sorted(range(len(articles)), key=key)
