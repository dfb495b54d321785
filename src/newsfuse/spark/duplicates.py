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
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

from ..group.dedupe import DuplicateIndex, copy_scores
from ..index import signature_values
from .arrow import arrow_schema

SCORED = StructType(
    [
        StructField("later", StringType(), False),
        StructField("earlier", StringType(), False),
        StructField("score", DoubleType(), False),
    ]
)
_SCORED = arrow_schema(SCORED)
# buckets up to this size are paired in one array operation (n^2/2 pairs of 128 values)
_WHOLE_BUCKET = 256


def _pairs(n: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every (earlier, later) pair of a bucket of n members in time order, as index arrays, a
    block at a time: a bucket of thousands of near-alike articles stays in bounded memory."""
    if n <= _WHOLE_BUCKET:
        yield np.triu_indices(n, k=1)
        return
    for i in range(n - 1):
        later = np.arange(i + 1, n)
        yield np.full(len(later), i), later


def _scored(
    batches: Iterable[pa.RecordBatch], threshold: float, min_containment: float
) -> Iterator[pa.RecordBatch]:
    """Each shared band's pairs scored by the copy rule, a bucket at a time: the bucket's
    signatures compared in array operations and the rule applied by `copy_scores` (comparing
    pairs row by row in Spark, or shipping a signature per pair, cost more)."""
    for batch in batches:
        kept: dict[str, list[Any]] = {"later": [], "earlier": [], "score": []}
        for members in batch.column("members").to_pylist():
            members.sort(key=lambda m: (m["undated"], m["ts"], m["id"]))
            ids = [m["id"] for m in members]
            signatures = np.stack([signature_values(m["signature"]) for m in members])
            sizes = np.asarray([m["shingles"] for m in members], dtype=np.int64)
            for earlier, later in _pairs(len(members)):
                jaccards = (signatures[later] == signatures[earlier]).mean(axis=1)
                for i, score in copy_scores(
                    jaccards, sizes[later], sizes[earlier], threshold, min_containment
                ):
                    kept["later"].append(ids[later[i]])
                    kept["earlier"].append(ids[earlier[i]])
                    kept["score"].append(score)
        if kept["score"]:
            yield pa.RecordBatch.from_pydict(kept, schema=_SCORED)


def near_candidates(articles: DataFrame, threshold: float) -> DataFrame:
    """(id, near): each article's candidate originals among earlier articles, with their
    scores, for the articles that have any. `articles` has the `cleaned` columns."""
    order = ["undated", "ts", "id"]
    first = articles.select(
        "id", *order[:2], "exact_hash", "shingles", "signature", "bands"
    ).withColumn("first", F.first("id").over(Window.partitionBy("exact_hash").orderBy(*order)))
    firsts = first.where(F.col("id") == F.col("first"))
    # most band keys are one article's alone: the buckets are found on ids, and only the
    # members of a shared one carry their signature to it
    shared = (
        firsts.select("id", F.explode("bands").alias("band"))
        .groupBy("band")
        .agg(F.collect_list("id").alias("ids"))
        .where(F.size("ids") > 1)
        .select("band", F.explode("ids").alias("id"))
    )
    buckets = (
        shared.join(firsts.select("id", *order[:2], "shingles", "signature"), "id")
        .groupBy("band")
        .agg(F.collect_list(F.struct("id", *order[:2], "shingles", "signature")).alias("members"))
    )
    min_containment = DuplicateIndex(threshold).min_containment
    scored = (
        buckets.select("members")
        .mapInArrow(partial(_scored, threshold=threshold, min_containment=min_containment), SCORED)
        .dropDuplicates(["later", "earlier"])
    )
    near = scored.groupBy("later").agg(
        F.collect_list(F.struct(F.col("earlier").alias("id"), "score")).alias("near")
    )
    return (
        first.select("id", "first")
        .join(near, F.col("first") == F.col("later"))
        .select("id", "near")
    )
