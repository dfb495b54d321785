"""Exact and near copies as DataFrame operations, never all pairs: articles that share an
exact hash stand behind the first of them; those firsts are banded by the same LSH keys as the
local duplicate index, pairs come only from a shared band, and each pair is scored by the same
rule (`copy_score`). What is an original is decided on the driver, in time order, within the
window (`DuplicateIndex.choose`), exactly as a local run decides it; the candidates come from
here.

Limit: an article that repeats an earlier one word for word takes that earlier article's
candidates, so a near copy published between the two is not among them (a local run could
pick it when the earlier one is itself a copy)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

from ..group.dedupe import DuplicateIndex, copy_score
from ..index import signature_values

SCORED = StructType(
    [
        StructField("later", StringType(), False),
        StructField("earlier", StringType(), False),
        StructField("score", DoubleType(), False),
    ]
)


def _scored(rows: Iterable[Any], threshold: float, min_containment: float) -> Iterator[tuple]:
    for row in rows:
        jaccard = float((signature_values(row.sig_l) == signature_values(row.sig_e)).mean())
        score = copy_score(jaccard, row.size_l, row.size_e, threshold, min_containment)
        if score is not None:
            yield row.later, row.earlier, score


def near_candidates(articles: DataFrame, threshold: float) -> DataFrame:
    """(id, near): each article's candidate originals among earlier articles, with their
    scores, for the articles that have any. `articles` has the `cleaned` columns."""
    order = ["undated", "ts", "id"]
    first = articles.select(
        "id", *order[:2], "exact_hash", "shingles", "signature", "bands"
    ).withColumn("first", F.first("id").over(Window.partitionBy("exact_hash").orderBy(*order)))
    firsts = first.where(F.col("id") == F.col("first"))
    keyed = firsts.select("id", F.struct(*order).alias("key"), F.explode("bands").alias("band"))
    pairs = (
        keyed.alias("a")
        .join(keyed.alias("b"), "band")
        .where(F.col("a.key") < F.col("b.key"))
        .select(F.col("a.id").alias("earlier"), F.col("b.id").alias("later"))
        .distinct()
    )
    signatures = firsts.select("id", "signature", "shingles")
    joined = pairs.join(
        signatures.select(
            F.col("id").alias("earlier"),
            F.col("signature").alias("sig_e"),
            F.col("shingles").alias("size_e"),
        ),
        "earlier",
    ).join(
        signatures.select(
            F.col("id").alias("later"),
            F.col("signature").alias("sig_l"),
            F.col("shingles").alias("size_l"),
        ),
        "later",
    )
    min_containment = DuplicateIndex(threshold).min_containment
    scored = articles.sparkSession.createDataFrame(
        joined.rdd.mapPartitions(lambda rows: _scored(rows, threshold, min_containment)), SCORED
    )
    near = scored.groupBy("later").agg(
        F.collect_list(F.struct(F.col("earlier").alias("id"), "score")).alias("near")
    )
    return (
        first.select("id", "first")
        .join(near, F.col("first") == F.col("later"))
        .select("id", "near")
    )
