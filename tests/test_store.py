from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from newsfuse.config import Settings
from newsfuse.pipeline import build_stories, clean_documents, read_inputs
from newsfuse.store import Store

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def articles():
    settings = Settings()
    documents, _ = read_inputs([EXAMPLES], settings)
    return clean_documents(documents, settings)[0]


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        yield store


def test_ingest_is_idempotent(store, articles):
    assert store.add_articles(articles).added == 5
    again = store.add_articles(articles)
    assert (again.added, again.already_stored) == (0, 5)
    assert store.article_count() == 5


def test_same_url_stored_once(store, articles):
    first = articles[0].model_copy(update={"url": "https://x.example/a"})
    edited = articles[1].model_copy(update={"url": "https://x.example/a"})
    store.add_articles([first])
    assert store.add_articles([edited]).added == 0
    assert [a.id for a in store.articles()] == [first.id]


def test_failed_batch_leaves_committed_data(store, articles):
    store.add_articles(articles[:2])
    broken = articles[2].model_copy(update={"source": None})  # violates NOT NULL
    with pytest.raises(IntegrityError):
        store.add_articles([articles[3], broken])
    assert store.article_count() == 2  # the broken batch is not half-written
    store.add_articles(articles)  # a re-run completes it
    assert store.article_count() == 5


def test_stories_round_trip_and_rewrite_only_changes(store, articles):
    store.add_articles(articles)
    stories = build_stories(store.articles(), Settings())
    assert store.replace_stories(stories) == 1
    assert store.replace_stories(stories) == 0
    [row] = store.story_rows()
    assert row.article_count == 5
    assert store.story(row.id) == stories[0]


def test_reopen_keeps_data(tmp_path, articles):
    url = f"sqlite:///{tmp_path / 'keep.db'}"
    with Store(url) as store:
        store.add_articles(articles)
    with Store(url) as store:  # migrations are a no-op on an existing database
        assert store.article_count() == 5
