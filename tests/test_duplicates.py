"""Copies: exact and near-duplicate articles found by MinHash LSH, in a window that forgets."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.group.dedupe import DuplicateIndex, containment
from newsfuse.index import index_article


def test_copies_are_found_and_distinct_articles_are_not(articles):
    index = DuplicateIndex(threshold=0.8)
    for article in articles:
        assert index.add(article.id, index_article(article), 0.0) is None  # five reports
    original = max(articles, key=lambda a: len(a.text))
    words = original.text.split(" ")
    lightly_edited = " ".join(w.upper() if i == 40 else w for i, w in enumerate(words))
    probes = {
        "exact": original.model_copy(update={"id": "exact"}),
        "edited": original.model_copy(update={"id": "edited", "text": lightly_edited}),
        "first half": original.model_copy(
            update={"id": "half", "text": original.text[: len(original.text) // 2]}
        ),
    }
    for name, probe in probes.items():
        assert index.find(index_article(probe)).article_id == original.id, name


def test_duplicate_index_forgets_what_is_older_than_the_window(articles):
    index = DuplicateIndex(threshold=0.8)
    for n, article in enumerate(articles):
        index.add(article.id, index_article(article), float(n))
    assert index.forget_before(2.0) == 2 and len(index) == 3
    assert index.find(index_article(articles[0])) is None  # forgotten
    assert index.find(index_article(articles[4])).article_id == articles[4].id
    index.add("again", index_article(articles[0]), 9.0)  # its slot is reused
    assert index.find(index_article(articles[0])).article_id == "again"


def test_containment_from_jaccard():
    assert containment(0.5, 50, 100) == pytest.approx(1.0)
    assert containment(0.0, 50, 100) == 0.0


def test_duplicate_index_stays_correct_through_merges_and_compaction():
    """Band keys move from the recent dict to the sorted arrays and the arrays are rebuilt
    once most originals are forgotten: every live original stays findable, none forgotten is."""
    from newsfuse.group.dedupe import BandIndex

    rng = np.random.default_rng(3)
    signatures = rng.integers(0, 2**32, size=(6000, 128), dtype=np.uint64).astype(np.uint32)
    index = DuplicateIndex(threshold=0.8)
    BandIndex.MERGE_AT, old_merge = 20_000, BandIndex.MERGE_AT
    try:
        half = 3000
        index.add_stored_many(
            [f"a{n}" for n in range(half)],
            signatures[:half],
            [100] * half,
            [f"h{n}" for n in range(half)],
            [float(n) for n in range(half)],
            ["s"] * half,
        )
        for n in range(half, 6000):
            index.add_stored(f"a{n}", signatures[n], 100, f"h{n}", float(n), "s")
        assert index.forget_before(4500.0) == 4500 and len(index) == 1500

        class Probe:
            def __init__(self, n):
                self.signature = type("S", (), {"hashvalues": signatures[n]})()
                self.exact_hash = "none"
                self.shingle_count = 100

        for n in (0, 2999, 4499):
            assert index.find(Probe(n)) is None
        for n in (4500, 5000, 5999):
            assert index.find(Probe(n)).article_id == f"a{n}"
    finally:
        BandIndex.MERGE_AT = old_merge
