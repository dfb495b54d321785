"""A whole run on Spark: read, clean and index in the executors; copies by banding; stories on
the driver (`stories`); each story's analysis and summary in the executors; Parquet tables and
one report per story (the report.json contract) under `out`.

Working data goes to `out/_work` (written by Spark's committer: a retried task's output
replaces the failed attempt's, it is never added twice) and is removed when the run ends.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from ..config import Settings
from ..encoders import load_encoder
from ..group import Grouper
from ..model import Article, Skipped
from ..pipeline import assemble_story, clean_and_index, make_report
from ..publish import render_json
from .cleaning import CLEANED, Cleaner, clean_rows
from .duplicates import near_candidates
from .inputs import hadoop, read_documents
from .stories import ASSIGNED, CENTROIDS, Placer, Sink, group_rows
from .tables import ARTICLES, REPORTS, SKIPPED, STORY_TABLES, article_row, story_rows

if TYPE_CHECKING:
    from ..store import Store

SKIPPED_SHOWN = 50  # skipped inputs the summary lists; the table holds them all


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


def _reports(rows: Iterable[Any], settings: Settings) -> Iterator[tuple[str, int, str]]:
    for row in rows:
        members = [
            Article.model_validate_json(m.article).model_copy(
                update={"duplicate_of": m.duplicate_of}
            )
            for m in row.members
        ]
        centroid = pickle.loads(row.centroid) if row.centroid is not None else None
        story = assemble_story(row.story_id, members, centroid, settings)
        yield story.id, len(story.articles), render_json(make_report([story], []))


def _articles(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield article_row(Article.model_validate_json(row.article), row.story_id, row.duplicate_of)


def _of_table(table: str, item: tuple[str, Any]) -> bool:
    return item[0] == table


def _first_reads(cleaned: DataFrame) -> DataFrame:
    """One row per article id: the one read first, as `newsfuse run` keeps it."""
    first = Window.partitionBy("id").orderBy("input", "file", "record")
    return (
        cleaned.where(F.col("kind") == "article")
        .withColumn("read", F.row_number().over(first))
        .where(F.col("read") == 1)
        .drop("read")
    )


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
    cleaned_rows = documents.mapPartitions(lambda part: clean_rows(part, settings, clean))
    spark.createDataFrame(cleaned_rows, CLEANED).write.mode("overwrite").parquet(f"{work}/cleaned")
    cleaned = spark.read.parquet(f"{work}/cleaned")
    _first_reads(cleaned).write.mode("overwrite").parquet(f"{work}/articles")
    articles = spark.read.parquet(f"{work}/articles")
    start = _timed(summary, "read, clean, index", start)

    near = near_candidates(articles, settings.duplicate_threshold)
    # with a store the driver stores whole articles; otherwise it reads their heads only
    head = F.col("article" if store is not None else "head").alias("head")
    stream = (
        articles.select("id", "undated", "ts", head, "features")
        .join(near, "id", "left")
        .orderBy("undated", "ts", "id")
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
    start = _timed(summary, "copies and stories", start)

    placed = spark.read.parquet(f"{work}/assigned")
    members = (
        articles.select("id", "article")
        .join(placed, "id")
        .groupBy("story_id")
        .agg(F.collect_list(F.struct("article", "duplicate_of")).alias("members"))
        .join(spark.read.parquet(f"{work}/centroids"), "story_id", "left")
    )
    built = members.rdd.mapPartitions(lambda rows: _reports(rows, settings))
    spark.createDataFrame(built, REPORTS).write.mode("overwrite").parquet(f"{out}/reports")
    reports = spark.read.parquet(f"{out}/reports")
    start = _timed(summary, "reports", start)

    rows = reports.rdd.flatMap(lambda row: story_rows(row.report)).cache()
    for table, schema in STORY_TABLES.items():
        chosen = rows.filter(partial(_of_table, table)).map(lambda item: item[1])
        spark.createDataFrame(chosen, schema).write.mode("overwrite").parquet(f"{out}/{table}")
    rows.unpersist()
    listed = articles.select("id", "article").join(placed, "id").rdd.mapPartitions(_articles)
    spark.createDataFrame(listed, ARTICLES).write.mode("overwrite").parquet(f"{out}/articles")
    skipped = spark.createDataFrame(
        [(s.source, s.reason) for s in skipped_here], SKIPPED
    ).unionByName(cleaned.where(F.col("kind") == "skipped").select("source", "reason"))
    skipped.write.mode("overwrite").parquet(f"{out}/skipped")
    skipped = spark.read.parquet(f"{out}/skipped")
    summary.skipped = skipped.count()
    summary.skipped_shown = [
        Skipped(source=r.source, reason=r.reason) for r in skipped.limit(SKIPPED_SHOWN).collect()
    ]
    summary.stories = reports.count()
    if store is not None:
        from .to_store import save_reports

        save_reports(store, settings, reports)
    _timed(summary, "tables", start)
    _remove(spark, work)
    return summary


def _remove(spark: SparkSession, path: str) -> None:
    """Delete the working data, on whatever file system it is."""
    jvm: Any = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    hadoop_path.getFileSystem(hadoop(spark)).delete(hadoop_path, True)
