"""Durability and concurrency of ingest, on SQLite and PostgreSQL, with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from newsfuse.store import Store
from newsfuse.store.tables import ArticleRow, StoryArticleRow, StoryRow

from .conftest import EXAMPLES

ARTICLES = 80


def _write_corpus(folder, count):
    folder.mkdir()
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    for n in range(count):
        text = texts[n % len(texts)]
        body = max(text.splitlines(), key=len)  # the longest paragraph is the article's
        closing = f" Correspondent {n} filed this report from desk number {n * 7 + 3} on the day."
        (folder / f"{n:04d}.txt").write_text(text.replace(body, body + closing, 1))
    return folder


@pytest.fixture
def corpus(tmp_path):
    """Distinct real-looking articles: the sample texts, each with its own closing sentence."""
    return _write_corpus(tmp_path / "in", ARTICLES)


def _ingest(folder, db_url, batch=10) -> subprocess.Popen:
    env = {**os.environ, "NEWSFUSE_INGEST_BATCH": str(batch)}
    return subprocess.Popen(
        [sys.executable, "-m", "newsfuse.cli", "ingest", str(folder), "--db", db_url, "-q"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _counts(db_url):
    with Store(db_url) as store, store.session() as session:
        articles = session.scalar(select(func.count()).select_from(ArticleRow))
        members = session.scalar(select(func.count()).select_from(StoryArticleRow))
        distinct = session.scalar(select(func.count(func.distinct(StoryArticleRow.article_id))))
        stated = session.scalar(select(func.sum(StoryRow.article_count))) or 0
        ungrouped = len(store.ungrouped_articles())
    return articles, members, distinct, stated, ungrouped


def _assert_consistent(db_url):
    articles, members, distinct, stated, ungrouped = _counts(db_url)
    assert articles == ARTICLES  # nothing lost
    assert members == distinct == articles  # each article in exactly one story
    assert stated == articles  # every story's report counts its members
    assert ungrouped == 0


def test_sigkill_mid_ingest_then_rerun(corpus, db_url):
    Store(db_url).close()  # schema first, so the child only ingests
    child = _ingest(corpus, db_url)
    deadline = time.time() + 120
    while time.time() < deadline:
        if _counts(db_url)[0] >= 20:  # a few batches committed
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    stored = _counts(db_url)[0]
    assert 0 < stored < ARTICLES, "the kill must land mid-ingest"
    rerun = _ingest(corpus, db_url, batch=30)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    _assert_consistent(db_url)


def test_two_ingesters_at_once(corpus, db_url):
    Store(db_url).close()
    first, second = _ingest(corpus, db_url), _ingest(corpus, db_url)
    for child in (first, second):
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode()
    _assert_consistent(db_url)


def test_reads_while_an_ingest_writes(corpus, db_url):
    Store(db_url).close()
    child = _ingest(corpus, db_url)
    reads = 0
    with Store(db_url) as reader:
        while child.poll() is None:
            for row in reader.story_listing()[:3]:
                # a story shows its articles and a title from its first grouping on, before
                # its report is ready
                story = reader.story(row.id)
                assert story is not None and story.articles and row.title and row.articles
            reader.search("NATO")
            reads += 1
    assert child.returncode == 0, child.stderr.read().decode() if child.stderr else ""
    assert reads > 0
    _assert_consistent(db_url)


def test_two_ingesters_on_a_new_database(corpus, db_url):
    """Neither finds the schema there: one creates it under the lock, the other waits and
    finds it done (it used to die on 'table alembic_version already exists')."""
    first, second = _ingest(corpus, db_url), _ingest(corpus, db_url)
    for child in (first, second):
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode()
    _assert_consistent(db_url)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
def test_index_workers_die_with_a_killed_ingest(tmp_path):
    from newsfuse.workers import PARALLEL_MIN

    corpus = _write_corpus(tmp_path / "many", 2 * PARALLEL_MIN)
    db_url = f"sqlite:///{tmp_path / 'k.db'}"
    Store(db_url).close()
    child = _ingest(corpus, db_url, batch=2 * PARALLEL_MIN)  # large enough for the workers
    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and not workers:
        workers = [pid for pid in _children(child.pid) if _alive(pid)]
        time.sleep(0.02)
    assert workers, "the ingest never started its index workers"
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _frozen_objects(_: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_workers_leave_what_they_inherit_out_of_their_collections():
    """A worker's collections skip the objects it inherited (gc.freeze): walking them would
    copy every page it shares with its parent."""
    from newsfuse import workers

    if workers.worker_count() == 1:
        pytest.skip("one core: no worker processes")
    counts = list(workers.imap(_frozen_objects, range(workers.PARALLEL_MIN)))
    assert min(counts) > 10_000  # the interpreter's and newsfuse's modules at least


def _square(n: int) -> int:
    return n * n


def test_small_items_go_further_ahead_and_large_ones_do_not():
    """With the items' sizes, the workers get more chunks ahead while those stay small (cheap
    texts ran out of work while the main process stored a batch), and no more than CHUNKS_AHEAD
    of large ones; the results come in order either way."""
    from newsfuse import workers

    if workers.worker_count() == 1:
        pytest.skip("one core: no worker processes")
    n, chunk = 4_000, 50  # chunks larger than what imap reads before it starts (PARALLEL_MIN)
    chunks = workers.worker_count() * workers.CHUNKS_AHEAD
    # (what went ahead, and the chunk that took the place of the first done)
    for item_size, drawn_at_first in (
        (10, (4 * chunks + 1) * chunk),
        (workers.AHEAD_SIZE, (chunks + 1) * chunk),
    ):
        drawn = 0

        def items(count: int = n):
            nonlocal drawn
            for k in range(count):
                drawn += 1
                yield k

        results = workers.imap(
            _square,
            items(),
            chunk=chunk,
            size=lambda _, s=item_size: s,
            most_ahead=4 * workers.CHUNKS_AHEAD,
        )
        assert next(results) == 0
        assert drawn == drawn_at_first
        assert list(results) == [k * k for k in range(1, n)]
