"""A whole run on Spark: read, clean and index in the executors; copies by banding; stories on
the driver (`stories`); each story's analysis and summary in the executors; Parquet tables and
one report per story (the report.json contract) under `out`.

Working data goes to `out/_work` (written by Spark's committer: a retried task's output
replaces the failed attempt's, it is never added twice) and is removed when the run ends.
"""

from __future__ import annotations

import math
import pickle
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from ..config import Settings
from ..encoders import load_encoder
from ..group import Grouper
from ..model import Skipped, make_report
from ..pipeline import assemble_story, clean_and_index
from ..publish import render_json
from .arrow import arrow_schema, batches_of, rows_in
from .cleaning import CLEANED, Cleaner, clean_batches, unpacked
from .duplicates import near_candidates
from .inputs import read_documents
from .stories import ASSIGNED, CENTROIDS, Placer, Sink, group_rows
from .tables import SKIPPED, STORY_OUTPUTS, STORY_TABLES, story_rows

if TYPE_CHECKING:
    from ..store import Store

SKIPPED_SHOWN = 50  # skipped inputs the summary lists; the table holds them all
STORIES_PER_BATCH = 4  # a row holds a whole story's articles
_STORY_OUTPUTS = arrow_schema(STORY_OUTPUTS)
_FIELDS = {table: schema.fieldNames() for table, schema in STORY_TABLES.items()}
# Stories run from one article to thousands: in a few large tasks the last one runs on alone
# (100k texts on two cores: the longest of 8 took 86 s, their mean 60 s); in many small ones
# the cores stay busy to the end.
REPORT_TASKS_PER_CORE = 8
STREAM_ROWS = 10_000  # articles the driver receives at once (about 10 KB each)


@dataclass
class SparkSummary:
    articles: int = 0
    stories: int = 0
    skipped: int = 0
    skipped_shown: list[Skipped] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _timed(summary: SparkSummary, stage: str, start: float) -> float:
    now = time.perf_counter()
    summary.seconds[stage] = round(now - start, 2)
    return now


def _story_outputs(rows: Iterable[dict[str, Any]], settings: Settings) -> Iterator[dict]:
    """Each story analysed and summarised: its rows of every output table, each in the
    column of its table (`STORY_OUTPUTS`)."""
    for row in rows:
        members = [
            unpacked(m["article"]).model_copy(update={"duplicate_of": m["duplicate_of"]})
            for m in row["members"]
        ]
        centroid = pickle.loads(row["centroid"]) if row["centroid"] is not None else None
        story = assemble_story(row["story_id"], members, centroid, settings)
        for table, values in story_rows(story, render_json(make_report([story], []))):
            yield {"table": table, table: dict(zip(_FIELDS[table], values, strict=True))}


def _story_batches(
    batches: Iterable[pa.RecordBatch], settings: Settings
) -> Iterator[pa.RecordBatch]:
    return batches_of(_story_outputs(rows_in(batches), settings), _STORY_OUTPUTS)


def _work_table(frame: DataFrame, path: str) -> None:
    """Working data, written uncompressed: its articles are compressed already, and Spark's
    codec on top cost the JVM about a sixth of its CPU (10k texts: 25 -> 21 s) for nothing."""
    frame.write.mode("overwrite").option("compression", "none").parquet(path)


def _first_reads(cleaned: DataFrame) -> DataFrame:
    """One row per article id: the one read first, as `newsfuse run` keeps it. Only the few
    ids read more than once are sorted out; the articles themselves are not shuffled."""
    where = ["id", "input", "file", "record"]
    found = cleaned.where(F.col("kind") == "article")
    repeated = found.groupBy("id").count().where(F.col("count") > 1).select("id")
    first = Window.partitionBy("id").orderBy(*where[1:])
    later = (
        found.select(*where)
        .join(repeated, "id")
        .withColumn("read", F.row_number().over(first))
        .where(F.col("read") > 1)
        .drop("read")
    )
    return found.join(later, where, "left_anti")  # small: Spark broadcasts it itself


def run_spark(
    spark: SparkSession,
    paths: list[str],
    out: str,
    settings: Settings,
    *,
    partitions: int | None = None,
    store: Store | None = None,
    clean: Cleaner = clean_and_index,
) -> SparkSummary:
    """Run the pipeline over `paths` on `spark`, writing the tables under `out` (and, with a
    `store`, its articles, stories and reports there too)."""
    summary = SparkSummary()
    work = f"{out.rstrip('/')}/_work"
    parallelism = spark.sparkContext.defaultParallelism
    partitions = partitions or 3 * parallelism
    start = time.perf_counter()

    documents, skipped_here = read_documents(spark, paths, settings, partitions)
    cleaning = partial(clean_batches, settings=settings, clean=clean)
    _work_table(documents.mapInArrow(cleaning, CLEANED), f"{work}/cleaned")
    cleaned = spark.read.parquet(f"{work}/cleaned")
    articles = _first_reads(cleaned)
    start = _timed(summary, "read, clean, index", start)

    _work_table(near_candidates(articles, settings.duplicate_threshold), f"{work}/near")
    near = spark.read.parquet(f"{work}/near")
    start = _timed(summary, "copy candidates", start)

    # with a store the driver stores whole articles; otherwise it reads their heads only
    head = F.col("article" if store is not None else "head").alias("head")
    # time order in ranges of STREAM_ROWS: the driver holds one range (and the next) at once
    order = ["undated", "ts", "id"]
    ranges = max(1, math.ceil(articles.count() / STREAM_ROWS))
    stream = (
        articles.select("id", *order[:2], head, "features")
        .join(near, "id", "left")
        .repartitionByRange(ranges, *order)
        .sortWithinPartitions(*order)
        .select("id", "head", "features", "near")
    )
    grouper = Grouper(settings, load_encoder(settings), band_duplicates=False)
    assigned = Sink(spark, f"{work}/assigned", ASSIGNED)
    centroids = Sink(spark, f"{work}/centroids", CENTROIDS)
    place: Placer | None = None
    if store is not None:
        from .to_store import store_placer

        place = store_placer(store, settings, grouper)
    summary.articles = group_rows(
        stream.toLocalIterator(prefetchPartitions=True),
        grouper,
        settings.ingest_batch,
        assigned,
        centroids,
        place,
    )
    start = _timed(summary, "stories (driver)", start)

    placed = spark.read.parquet(f"{work}/assigned")
    members = (
        articles.select("id", "article")
        .join(placed, "id")
        .repartition(REPORT_TASKS_PER_CORE * parallelism, "story_id")
        .groupBy("story_id")
        .agg(F.collect_list(F.struct("article", "duplicate_of")).alias("members"))
        .join(spark.read.parquet(f"{work}/centroids"), "story_id", "left")
    )
    analysing = partial(_story_batches, settings=settings)
    outputs = members.mapInArrow(analysing, STORY_OUTPUTS).persist(StorageLevel.MEMORY_AND_DISK)
    batch = "spark.sql.execution.arrow.maxRecordsPerBatch"
    usual = spark.conf.get(batch)
    spark.conf.set(batch, str(STORIES_PER_BATCH))
    try:
        for table in STORY_TABLES:  # each table from the one pass, without Python again
            chosen = outputs.where(F.col("table") == table).select(f"{table}.*")
            chosen.write.mode("overwrite").parquet(f"{out}/{table}")
    finally:
        spark.conf.set(batch, usual or "64")
        outputs.unpersist()
    reports = spark.read.parquet(f"{out}/reports")
    start = _timed(summary, "reports and tables", start)
    skipped = spark.createDataFrame(
        [(s.source, s.reason) for s in skipped_here], SKIPPED
    ).unionByName(cleaned.where(F.col("kind") == "skipped").select("source", "reason"))
    skipped.write.mode("overwrite").parquet(f"{out}/skipped")
    skipped = spark.read.parquet(f"{out}/skipped")
    summary.skipped = skipped.count()
    summary.skipped_shown = [
        Skipped(source=r.source, reason=r.reason)
        for r in skipped.orderBy("source").limit(SKIPPED_SHOWN).collect()
    ]
    summary.stories = reports.count()
    if store is not None:
        from .to_store import save_reports

        save_reports(store, settings, reports)
    _timed(summary, "skipped" if store is None else "skipped, store", start)
    _remove(spark, work)
    return summary


def _remove(spark: SparkSession, path: str) -> None:
    """Delete the working data, on whatever file system it is."""
    jvm: Any = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    context: Any = spark.sparkContext
    hadoop_path.getFileSystem(context._jsc.hadoopConfiguration()).delete(hadoop_path, True)
