from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from newsfuse.config import Settings
from newsfuse.pipeline import (
    Grouper,
    build_stories,
    clean_documents,
    ingest_articles,
    read_inputs,
)
from newsfuse.store import IngestResult, Store

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def articles():
    settings = Settings()
    documents, _ = read_inputs([EXAMPLES], settings)
    return clean_documents(documents, settings)[0]


@pytest.fixture
def store(db_url):
    with Store(db_url) as store:
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


def test_grouping_round_trip_and_rewrite_only_changes(store, articles):
    grouper = Grouper.from_store(store, Settings())
    result, written = ingest_articles(store, articles, grouper)
    assert (result.added, written) == (5, 1)
    assert ingest_articles(store, articles, grouper) == (IngestResult(0, 5), 0)
    [row] = store.story_rows()
    assert row.article_count == 5
    assert store.story(row.id) == build_stories(articles, Settings())[0]


def test_incremental_ingest_extends_the_story(store, articles):
    first, rest = articles[:2], articles[2:]
    ingest_articles(store, first, Grouper.from_store(store, Settings()))
    [before] = store.story_rows()
    # a new process: the grouping state comes back from the store
    ingest_articles(store, rest, Grouper.from_store(store, Settings()))
    [after] = store.story_rows()
    assert after.id == before.id and after.article_count == 5


def test_killed_between_storing_and_grouping(store, articles):
    store.add_articles(articles)  # the run died before grouping
    assert len(store.ungrouped_articles()) == 5
    ingest_articles(store, [], Grouper.from_store(store, Settings()))
    assert store.ungrouped_articles() == []
    assert store.story_rows()[0].article_count == 5


def test_reopen_keeps_data(db_url, articles):
    url = db_url
    with Store(url) as store:
        store.add_articles(articles)
    with Store(url) as store:  # migrations are a no-op on an existing database
        assert store.article_count() == 5


def test_search_on_both_databases(store, articles):
    ingest_articles(store, articles, Grouper.from_store(store, Settings()))
    found = store.search("Vienna January")
    assert len(found["articles"]) == 2
    assert all(a["story_id"] for a in found["articles"])
