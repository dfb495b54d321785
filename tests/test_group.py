from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from newsfuse.config import Settings
from newsfuse.encoders import EncoderUnavailable, WordLlamaEncoder, load_encoder
from newsfuse.group.cluster import StoryIndex, StoryState
from newsfuse.group.dedupe import DuplicateIndex, containment
from newsfuse.index import index_article, name_key
from newsfuse.pipeline import build_stories, clean_documents, read_inputs

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
        assert index.add(article.id, index_article(article)) is None  # five different reports
    original = max(articles, key=lambda a: len(a.text))
    words = original.text.split(" ")
    lightly_edited = " ".join(w.upper() if i == 40 else w for i, w in enumerate(words))
    probes = {
        "exact": edited(original, id="exact"),
        "edited": edited(original, id="edited", text=lightly_edited),
        "first half": edited(original, id="half", text=original.text[: len(original.text) // 2]),
    }
    for name, probe in probes.items():
        assert index.find(index_article(probe)) == original.id, name


def test_containment_from_jaccard():
    assert containment(0.5, 50, 100) == pytest.approx(1.0)
    assert containment(0.0, 50, 100) == 0.0


def test_time_decay_keeps_far_apart_stories_apart(articles):
    first = articles[0]
    later = edited(first, id="later", published_at=first.published_at + timedelta(days=60))
    same_day = edited(first, id="same-day", published_at=first.published_at + timedelta(hours=3))
    index = StoryIndex(threshold=0.25, half_life_days=7)
    terms = index_article(first).terms
    story = index.add(first.id, first.published_at, terms)
    assert index.add(same_day.id, same_day.published_at, terms) == story
    assert index.add(later.id, later.published_at, terms) != story


def test_story_state_round_trip(articles):
    index = StoryIndex(threshold=0.25, half_life_days=7)
    for article in articles:
        index.add(article.id, article.published_at, index_article(article).terms)
    for state in index.stories.values():
        again = StoryState.from_dict(state.to_dict())
        assert again.article_ids == state.article_ids and again.first == state.first
        assert again.norm2 == pytest.approx(state.norm2)


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
