from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from newsfuse.config import Settings
from newsfuse.group import Grouper
from newsfuse.index import index_article
from newsfuse.ingest import (
    StoreGrouper,
    ingest_articles,
    ingest_documents,
    refresh_reports,
)
from newsfuse.model import Article
from newsfuse.pipeline import build_stories, iter_inputs
from newsfuse.store import Store

from .conftest import EXAMPLES


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
    grouper = StoreGrouper(store, Settings())
    result, written = ingest_articles(store, articles, grouper)
    assert (result.added, written) == (5, 1)
    assert ingest_articles(store, articles, grouper)[1] == 0
    assert grouper.seq == store.grouping_seq() == 1  # nothing new: nothing grouped
    [row] = store.story_listing()
    assert row.articles == 5
    assert store.story(row.id) == build_stories(articles, Settings())[0]


def test_incremental_ingest_extends_the_story(store, articles):
    first, rest = articles[:2], articles[2:]
    ingest_articles(store, first, StoreGrouper(store, Settings()))
    [before] = store.story_listing()
    # a new process: the grouping state comes back from the store
    ingest_articles(store, rest, StoreGrouper(store, Settings()))
    [after] = store.story_listing()
    assert after.id == before.id and after.articles == 5


def test_batches_grouped_as_one_after_another(store, articles):
    """Storing and indexing batch k+1 while batch k is grouped changes nothing: the stories and
    copies are those of grouping the batches in turn, in memory."""
    later = [
        a.model_copy(
            update={
                "id": f"{a.id}-later",
                "url": None,
                "published_at": a.published_at + timedelta(days=60),
            }
        )
        for a in articles[:2]
    ]
    copy = articles[0].model_copy(update={"id": "copy-of-first", "url": None})
    batches = [articles[:3], [articles[2], *later], [copy, *articles[3:]]]
    synced = StoreGrouper(store, Settings())
    results = [ingest_articles(store, batch, synced, reports=False) for batch in batches]
    assert [result.added for result, _ in results] == [3, 2, 3]

    reference, expected, seen = Grouper(Settings()), {}, set()
    for batch in batches:
        pending = [a for a in batch if a.id not in seen]
        seen |= {a.id for a in pending}
        placements = reference.place(pending, [index_article(a) for a in pending])
        expected |= {item.article_id: (item.story_id, item.duplicate_of) for item in placements}
    members = store.members(store.members_of(expected))
    stored = {a.id: (story, a.duplicate_of) for story, found in members.items() for a in found}
    assert stored == expected
    assert expected["copy-of-first"][1] == articles[0].id


def test_killed_between_storing_and_grouping(store, articles):
    store.add_articles(articles)  # the run died before grouping
    assert len(store.ungrouped_articles()) == 5
    ingest_articles(store, [], StoreGrouper(store, Settings()))
    assert store.ungrouped_articles() == []
    assert store.story_listing()[0].articles == 5


def test_two_ingesters_group_as_one(store, articles):
    """Two ingesters, each with the grouping state it read at its start: the second one's
    save finds that the first grouped meanwhile, takes that in, and places its articles into
    the first one's story instead of opening a second one."""
    settings = Settings()
    first, second = StoreGrouper(store, settings), StoreGrouper(store, settings)
    for synced in (first, second):
        synced.place([], None)  # both have read the (empty) store
    ingest_articles(store, articles[:2], first, reports=False)
    ingest_articles(store, articles[2:], second, reports=False)
    assert len(store.story_listing()) == 1
    ingest_articles(store, articles, second, reports=False)  # all stored, all placed: nothing
    (placed,) = store.members_of(a.id for a in articles).values()
    assert sorted(placed) == sorted(a.id for a in articles)
    assert second.seq == store.grouping_seq() == 2


def test_batch_placed_by_another_ingester_meanwhile(store, articles):
    """This ingester stored the batch, another one placed it before this one saved: saving
    fails, this one takes the other's work in, and nothing is placed twice."""
    settings = Settings()
    mine = StoreGrouper(store, settings)
    mine.place([], None)
    store.add_articles(articles)
    ingest_articles(store, articles, StoreGrouper(store, settings), reports=False)
    assert mine.place(articles) == 0
    assert store.ungrouped_articles() == []
    (placed,) = store.members_of(a.id for a in articles).values()
    assert sorted(placed) == sorted(a.id for a in articles)


def test_story_analysed_once_per_ingest(store, articles, monkeypatch):
    """A story that grows over several batches gets its report built once, after the last."""
    from newsfuse import ingest

    built = []
    assemble = ingest.assemble_story
    monkeypatch.setattr(ingest, "assemble_story", lambda s, *a: built.append(s) or assemble(s, *a))
    settings = Settings(ingest_batch=2)
    summary = ingest_documents(store, iter_inputs([EXAMPLES], settings), settings)
    [row] = store.story_listing()
    assert (summary.added, summary.reports_written, built) == (5, 1, [row.id])
    assert store.stale_stories() == []
    # the story opened with the earliest article of the first batch, not of all five
    whole = build_stories(articles, settings)[0].model_copy(update={"id": row.id})
    assert store.story(row.id) == whole


def test_killed_before_reports(store, articles):
    ingest_articles(store, articles, StoreGrouper(store, Settings()), reports=False)
    [(_, story_id)] = store.stale_stories()  # the run died here: grouped, not yet reported
    pending = store.story(story_id)  # shown all the same: its articles and a title
    assert len(pending.articles) == 5 and pending.title and not pending.summary
    [row] = store.story_listing()
    assert (row.id, row.articles) == (story_id, 5) and row.title == pending.title
    assert ingest_documents(store, [], Settings()).reports_written == 1
    assert store.stale_stories() == []
    assert store.story(story_id).articles == build_stories(articles, Settings())[0].articles


def test_report_of_fewer_members_stays_stale(store, articles):
    """Another ingester added members while this report was built: it is written (better
    than none) and stays stale, so the next rebuild sees every member."""
    grouper = StoreGrouper(store, Settings())
    ingest_articles(store, articles[:4], grouper, reports=False)
    [(_, story_id)] = store.stale_stories()
    ingest_articles(store, articles[4:], grouper, reports=False)
    partial = build_stories(articles[:4], Settings())[0].model_copy(update={"id": story_id})
    assert store.save_reports([partial]) == 1
    assert store.stale_stories() == [store.stale_stories()[0]] and store.story(story_id)
    assert refresh_reports(store, Settings()) == 1
    assert store.stale_stories() == []
    assert len(store.story(story_id).articles) == 5


def test_reports_written_in_transactions_bounded_by_size(store, articles, monkeypatch):
    """Big reports (a months-long story's) go to the store a few at a time, not fifty."""
    from newsfuse.store import store as store_module
    from newsfuse.store.grouping import StoryReport

    ingest_articles(store, articles, StoreGrouper(store, Settings()), reports=False)
    [(_, story_id)] = store.stale_stories()
    report = StoryReport.of(
        build_stories(articles, Settings())[0].model_copy(update={"id": story_id})
    )
    transactions = []
    save = store.save_reports
    monkeypatch.setattr(
        store, "save_reports", lambda rows: transactions.append(len(rows)) or save(rows)
    )
    monkeypatch.setattr(store_module, "REPORT_BYTES_PER_TRANSACTION", 2 * len(report.report))
    assert store.save_report_stream(iter([report] * 5)) == 1  # written once, then unchanged
    assert transactions == [2, 2, 1] and store.stale_stories() == []


def test_reopen_keeps_data(db_url, articles):
    url = db_url
    with Store(url) as store:
        store.add_articles(articles)
    with Store(url) as store:  # migrations are a no-op on an existing database
        assert store.article_count() == 5


def test_the_revision_a_store_is_opened_at_without_alembic_is_alembics_head(tmp_path):
    """A store at HEAD_REVISION is opened without running Alembic: it must be the newest
    migration, and a new store must end there."""
    from sqlalchemy import create_engine

    from newsfuse.store.engine import HEAD_REVISION, _revision, alembic_head

    assert alembic_head() == HEAD_REVISION
    with Store(f"sqlite:///{tmp_path}/new.db"):
        pass
    engine = create_engine(f"sqlite:///{tmp_path}/new.db")
    assert _revision(engine) == HEAD_REVISION
    engine.dispose()


def test_search_on_both_databases(store, articles):
    ingest_articles(store, articles, StoreGrouper(store, Settings()))
    found = store.search("Vienna January")
    assert len(found["articles"]) == 2
    assert all(a["story_id"] for a in found["articles"])


def test_full_text_rows_survive_the_schema_upgrade_and_follow_their_story(tmp_path, articles):
    from sqlalchemy import create_engine, text

    from newsfuse.store.engine import migrate

    url = f"sqlite:///{tmp_path}/old.db"
    with Store(url) as store:
        ingest_articles(store, articles, StoreGrouper(store, Settings()))
    engine = create_engine(url)
    migrate(engine, "0004", downgrade=True)  # the id columns unindexed, as stores had them
    migrate(engine)
    engine.dispose()
    with Store(url) as store:
        assert len(store.search("Vienna January")["articles"]) == 2
        (story,) = [row.id for row in store.story_listing()]
        with store.engine.begin() as db:
            db.execute(text("UPDATE stories SET report = '{}' WHERE id = :id"), {"id": story})
            counts = db.execute(
                text("SELECT story_id, count(*) FROM stories_fts GROUP BY story_id")
            ).all()
            found = db.scalar(
                text("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH :q"),
                {"q": f'story_id : "{story}"'},
            )
        assert counts == [(story, 1)]  # the rewritten report replaced its row, no other
        assert found == 1  # and the id is found through the index
        assert store.search(story.split("-")[-1])["stories"] == []  # ids are not text
        with store.engine.begin() as db:
            db.execute(text("DELETE FROM articles WHERE id = :id"), {"id": articles[0].id})
            left = db.scalar(text("SELECT count(*) FROM articles_fts"))
        assert left == len(articles) - 1


BASE = datetime(2022, 1, 12, 9, tzinfo=UTC)


def _moved(article, days, suffix, order=reversed):
    """The article `days` later, its words put in another `order` (so it copies nothing)."""
    text = " ".join(order(article.text.split(" ")))
    return article.model_copy(
        update={
            "id": f"{article.id}-{suffix}",
            "url": None,
            "text": text,
            "published_at": (article.published_at or BASE) + timedelta(days=days),
        }
    )


def test_memory_holds_the_active_window_and_the_store_the_rest(store, articles):
    """Stories older than the window leave memory as the stream moves on; an exact copy of an
    old article still goes to its story (through the store); an article of an old time brings
    that time's stories back and joins them."""
    settings = Settings()
    synced = StoreGrouper(store, settings)
    articles = [a.model_copy(update={"published_at": a.published_at or BASE}) for a in articles]
    ingest_articles(store, articles, synced, reports=False)
    [old_story] = store.members_of(a.id for a in articles)
    later = [_moved(a, 90, "later") for a in articles]
    ingest_articles(store, later, synced, reports=False)
    in_memory = synced.grouper.stories.stories
    assert old_story not in in_memory and len(in_memory) == 1  # only the recent story
    assert articles[0].id not in synced.grouper.duplicates
    copy = articles[0].model_copy(update={"id": "exact-copy", "url": None, "outlet": "Other"})
    late = _moved(articles[1], 1, "late", sorted)  # a day after the old story, read 90 later
    ingest_articles(store, [copy, late], synced, reports=False)
    stories = store.members_of(["exact-copy", late.id])
    assert {k: sorted(v) for k, v in stories.items()} == {
        old_story: sorted(["exact-copy", late.id])
    }
    assert store.members([old_story])[old_story][0].duplicate_of is None
    duplicates = {a.id: a.duplicate_of for a in store.members([old_story])[old_story]}
    assert duplicates["exact-copy"] == articles[0].id


def test_a_new_process_reads_only_the_active_window(store, articles):
    settings = Settings()
    articles = [a.model_copy(update={"published_at": a.published_at or BASE}) for a in articles]
    ingest_articles(store, articles, StoreGrouper(store, settings), reports=False)
    later = [_moved(a, 90, "later") for a in articles]
    ingest_articles(store, later, StoreGrouper(store, settings), reports=False)
    fresh = StoreGrouper(store, settings)
    ingest_articles(store, [_moved(articles[0], 91, "next", sorted)], fresh, reports=False)
    assert len(fresh.grouper.stories.stories) == 1
    loaded = next(iter(fresh.grouper.stories.stories.values()))
    assert loaded.size == 6  # the later story, grown by one


def _incident_reports(count: int) -> list:
    """Short reports of many similar incidents over a few weeks (same genre words, different
    names, places and numbers), enough for the stream's term frequencies to count."""
    from newsfuse.clean import article_id

    streets = ["Oak Street", "Mill Road", "Shore Drive", "Hill Street", "Park Avenue"]
    people = ["Ana Lopez", "Ben Okafor", "Chen Wei", "Dara Patel", "Eli Brooks", "Farah Khan"]
    found = []
    for n in range(count):
        street, person = streets[n % 5], people[(n // 5) % 6]
        text = (
            f"A {20 + n % 40}-year-old was shot on {street} on Tuesday night, police said. "
            f"Officers found {person} with a wound to the leg at about {n % 12 + 1}:15 p.m. "
            f"and took the victim to hospital. Incident number {1000 + n} is under review."
        )
        outlet = f"Outlet {n % 3}"
        found.append(
            Article(
                id=article_id(text, outlet),
                source=f"r{n}",
                outlet=outlet,
                title=f"Shooting on {street}",
                text=text,
                published_at=BASE + timedelta(hours=7 * n),
                language="en",
            )
        )
    return found


def test_stream_statistics_survive_a_new_process(store, tmp_path):
    """The stream's term frequencies are read back with the window: placing batch after batch
    with a new ingester each time gives the stories of one grouper placing them all in memory
    (forgetting, before each batch, what is older than the batch's window, as an ingest
    does), and of one ingester placing them all."""
    reports = _incident_reports(120)
    batches = [reports[i : i + 30] for i in range(0, 120, 30)]
    batches[0] = batches[0] + batches[1][:30]
    del batches[1]
    one = Grouper(Settings())
    expected = {}
    for batch in batches:
        one.forget_old(before=one.batch_window_start(batch))
        for placement in one.place(batch, [index_article(a) for a in batch]):
            expected[placement.article_id] = placement.story_id
        assert len(one.stream) >= 50  # the frequencies are in use from the second batch on
        one.saved()
    for batch in batches:
        ingest_articles(store, batch, StoreGrouper(store, Settings()), reports=False)
    stored = {a: s for s, found in store.members_of(expected).items() for a in found}
    assert stored == expected
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as other:
        ingester = StoreGrouper(other, Settings())
        for batch in batches:
            ingest_articles(other, batch, ingester, reports=False)
        by_one = {a: s for s, found in other.members_of(expected).items() for a in found}
    assert by_one == expected


def test_join_scores_are_stored_with_the_story(store):
    """The bar a story's members set (their join scores) is read back by the next ingest."""
    reports = _incident_reports(60)
    grouper = StoreGrouper(store, Settings())
    ingest_articles(store, reports, grouper, reports=False)
    in_memory = {s.id: s for s in grouper.grouper.stories.stories.values()}
    joined = [s for s in in_memory.values() if s.joins]
    assert joined
    stored = {s.id: s for s in store.grouping_states([s.id for s in joined])}
    for story in joined:
        assert stored[story.id].joins == story.joins
        assert stored[story.id].join_sum == pytest.approx(story.join_sum)
