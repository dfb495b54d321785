"""Which members a story's analysis reads: all of them, or for a story that runs for months
(thousands of articles, or pages of great length) a bounded number, and text, spread over its
span, so that a report's time and memory do not grow with the story. Originals come before
copies: a copy repeats what its original says, and a claim it states is stated by the original
too."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Article


def spread(count: int, wanted: int) -> list[int]:
    """`wanted` indices of `count` items in order, evenly spaced, first and last included."""
    if wanted >= count:
        return list(range(count))
    if wanted <= 1:
        return [0][:wanted]
    return sorted(set(np.linspace(0, count - 1, wanted).round().astype(int).tolist()))


def members_to_analyse(
    ordered: Sequence[Article], limit: int, max_chars: int | None = None
) -> list[Article]:
    """At most `limit` of the story's articles (given in time order), still in time order:
    originals spread over the span, then copies spread over it while room is left. With
    `max_chars`, as many as this rule picks whose texts fit in that many characters (at least
    one): an analysis' time and memory grow with the text it reads, and a story of very long
    pages would otherwise take gigabytes however few its articles."""
    chosen = _by_count(ordered, limit)
    if max_chars is None or text_chars(chosen) <= max_chars:
        return chosen
    fits, too_many = 1, len(chosen)
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if text_chars(_by_count(chosen, middle)) <= max_chars:
            fits = middle
        else:
            too_many = middle
    return _by_count(chosen, fits)


def text_chars(articles: Sequence[Article]) -> int:
    """Characters of the articles' texts: what an analysis' time and memory grow with."""
    return sum(len(article.text) for article in articles)


def _by_count(ordered: Sequence[Article], limit: int) -> list[Article]:
    if len(ordered) <= limit:
        return list(ordered)
    originals = [i for i, a in enumerate(ordered) if a.duplicate_of is None]
    copies = [i for i, a in enumerate(ordered) if a.duplicate_of is not None]
    chosen = [originals[k] for k in spread(len(originals), limit)]
    chosen += [copies[k] for k in spread(len(copies), limit - len(chosen))]
    return [ordered[i] for i in sorted(chosen)]
