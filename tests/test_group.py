from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from newsfuse.config import Settings
from newsfuse.encoders import EncoderUnavailable, WordLlamaEncoder, load_encoder
from newsfuse.group.cluster import StoryIndex
from newsfuse.group.dedupe import DuplicateIndex, containment
from newsfuse.index import index_article, name_key
from newsfuse.pipeline import build_stories, clean_documents, read_inputs
from newsfuse.vectors import SparseVector, term_id

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def articles():
    settings = Settings()
    documents, _ = read_inputs([EXAMPLES], settings)
    return clean_documents(documents, settings)[0]


def edited(article, **changes):
    return article.model_copy(update=changes)


def test_copies_are_found_and_distinct_articles_are_not(articles):
    index = DuplicateIndex(threshold=0.8)
    for article in articles:
        assert index.add(article.id, index_article(article), 0.0) is None  # five reports
    original = max(articles, key=lambda a: len(a.text))
    words = original.text.split(" ")
    lightly_edited = " ".join(w.upper() if i == 40 else w for i, w in enumerate(words))
    probes = {
        "exact": edited(original, id="exact"),
        "edited": edited(original, id="edited", text=lightly_edited),
        "first half": edited(original, id="half", text=original.text[: len(original.text) // 2]),
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


def test_sparse_vectors():
    a = SparseVector.from_terms({"nato": 0.6, "russia": 0.8})
    b = SparseVector.from_terms({"russia": 1.0, "talks": 1.0})
    assert a.dot(b) == pytest.approx(0.8)
    total = a.plus(b)
    assert total.dot(SparseVector.from_terms({"russia": 1.0})) == pytest.approx(1.8)
    again = SparseVector.from_bytes(total.to_bytes())
    assert again.ids.tolist() == total.ids.tolist() and again.dot(a) == pytest.approx(total.dot(a))
    assert term_id("nato") == term_id("nato") != term_id("Nato")
    assert [int(t) for t in total.top_ids(1)] == [term_id("russia")]


def test_containment_from_jaccard():
    assert containment(0.5, 50, 100) == pytest.approx(1.0)
    assert containment(0.0, 50, 100) == 0.0


def test_time_decay_keeps_far_apart_stories_apart(articles):
    first = articles[0]
    later = edited(first, id="later", published_at=first.published_at + timedelta(days=60))
    same_day = edited(first, id="same-day", published_at=first.published_at + timedelta(hours=3))
    index = StoryIndex(threshold=0.25, half_life_days=7)
    f = index_article(first)
    story = index.add(first.id, first.published_at, f.vector, f.top)
    assert index.add(same_day.id, same_day.published_at, f.vector, f.top) == story
    assert index.add(later.id, later.published_at, f.vector, f.top) != story


def test_stories_older_than_the_window_leave_memory(articles):
    """Past the horizon the time decay alone keeps an article below the threshold, so such a
    story may leave memory: placing an article then gives the same story with or without it."""
    first = articles[0]
    f = index_article(first)
    index = StoryIndex(threshold=0.3, half_life_days=7)
    old = index.add(first.id, first.published_at, f.vector, f.top, now=0.0)
    index.changed.clear()
    assert index.horizon_days == pytest.approx(7 * 1.737, rel=1e-3)
    assert index.forget_before(1.0) == [old] and index.stories == {}
    later = first.published_at + timedelta(days=index.horizon_days + 1)
    new = index.add("later", later, f.vector, f.top, now=1.0)
    assert new != old


def test_names_meet_across_scripts():
    assert name_key("Столтенберг") == name_key("Stoltenberg")


def test_grouping_is_deterministic(articles):
    first = build_stories(articles, Settings())
    second = build_stories(list(reversed(articles)), Settings())
    assert [s.model_dump_json() for s in first] == [s.model_dump_json() for s in second]


def test_wordllama_encoder_loads_bundled_model(articles):
    encoder = WordLlamaEncoder()
    vectors = encoder.encode([a.text for a in articles])
    assert vectors.shape == (5, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    stories = build_stories(articles, Settings(encoder="wordllama"))
    assert len(stories) == 1


def test_missing_sentence_transformer_model_is_a_clear_error():
    with pytest.raises(EncoderUnavailable, match=r"encoder_model|optional extra|not available"):
        load_encoder(Settings(encoder="sentence-transformers"))
    with pytest.raises(EncoderUnavailable):
        load_encoder(Settings(encoder="sentence-transformers", encoder_model="/no/such/model"))


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
