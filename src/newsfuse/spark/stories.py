"""Stories on the driver, from compact features streamed in publication order.

Why the driver: the grouping rules are sequential (an article joins what the articles before
it built, weighed by the stream so far), and `newsfuse run` is the contract. The executors do
the costly, parallel work (cleaning, indexing, banding, reports); the driver receives each
article's grouping head, features and copy candidates, partition by partition in time order
(`toLocalIterator`), places them in batches with the same `Grouper` as `newsfuse ingest`, and
writes where each went in slices. Its memory is the active window (stories, originals, stream
statistics) plus one partition and one slice, whatever the number of articles.

Limit: one core places every article (about 1,500 articles/s on this project's benchmark
machine, copy candidates given; cleaning text runs at about 175 a core, raw HTML at 30), so
past about 9 executor cores of text, or 50 of HTML, this stage is what bounds a run.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import SparkSession
from pyspark.sql.types import BinaryType, StringType, StructField, StructType

from ..group import Grouper, Placement
from ..index import Features
from ..model import Article
from .cleaning import unpacked

SLICE_ROWS = 50_000  # rows the driver holds before it writes them out

ASSIGNED = StructType(
    [
        StructField("id", StringType(), False),
        StructField("story_id", StringType(), False),
        StructField("duplicate_of", StringType(), True),
    ]
)
CENTROIDS = StructType(
    [
        StructField("story_id", StringType(), False),
        StructField("centroid", BinaryType(), True),  # pickled SparseVector
    ]
)

Placer = Callable[
    [Sequence[Article], Sequence[Features], dict[str, list[tuple[str, float]]]], list[Placement]
]


@dataclass
class Sink:
    """Rows written as Parquet parts as they come: the driver holds one slice, never the run."""

    spark: SparkSession
    path: str
    schema: StructType
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    written: int = 0

    def __post_init__(self) -> None:
        self.spark.createDataFrame([], self.schema).write.mode("overwrite").parquet(self.path)

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= SLICE_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            frame = self.spark.createDataFrame(self.rows, self.schema)
            frame.coalesce(1).write.mode("append").parquet(self.path)
            self.written += len(self.rows)
            self.rows = []


def _centroids(states: Iterable[Any]) -> list[tuple[str, bytes | None]]:
    return [
        (s.id, None if s.centroid is None else pickle.dumps(s.centroid, pickle.HIGHEST_PROTOCOL))
        for s in states
    ]


def group_rows(
    rows: Iterable[Any],
    grouper: Grouper,
    batch: int,
    assigned: Sink,
    centroids: Sink,
    place: Placer | None = None,
) -> int:
    """Place the streamed rows (time order; columns head, features, id, near) batch by batch,
    as `ingest` does: what is older than a batch's window is forgotten before it, each story's
    final centroid written as it leaves memory. `place` stands in for `grouper.place` (a run
    that also writes the store). Returns the number of articles placed."""
    placed = 0
    pending: list[Any] = []

    def flush() -> None:
        nonlocal placed
        articles = [unpacked(r.head) for r in pending]
        features = [pickle.loads(r.features) for r in pending]
        near = {r.id: [(c.id, c.score) for c in r.near] for r in pending if r.near}
        cutoff = grouper.batch_window_start(articles)
        centroids.add(_centroids(grouper.stories.ending_before(cutoff)))
        grouper.forget_old(before=cutoff)
        if place is None:
            placements = grouper.place(articles, features, near=near)
            grouper.saved()
        else:
            placements = place(articles, features, near)
        assigned.add((p.article_id, p.story_id, p.duplicate_of) for p in placements)
        placed += len(placements)
        pending.clear()

    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    centroids.add(_centroids(grouper.stories.stories.values()))
    assigned.flush()
    centroids.flush()
    return placed
