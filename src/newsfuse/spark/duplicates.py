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

from ..group.dedupe import DuplicateIndex, copy_score
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


def _scored(
    batches: Iterable[pa.RecordBatch], threshold: float, min_containment: float
) -> Iterator[pa.RecordBatch]:
    """Candidate pairs scored by the copy rule, a batch at a time: the signatures of a batch
    compared in one array operation (row by row, Spark's pickling cost more than the work)."""
    for batch in batches:
        if not batch.num_rows:
            continue
        pairs = batch.to_pydict()
        later = np.stack([signature_values(b) for b in pairs["sig_l"]])
        earlier = np.stack([signature_values(b) for b in pairs["sig_e"]])
        jaccards = (later == earlier).mean(axis=1)
        kept: dict[str, list[Any]] = {"later": [], "earlier": [], "score": []}
        for i, jaccard in enumerate(jaccards.tolist()):
            score = copy_score(
                jaccard, pairs["size_l"][i], pairs["size_e"][i], threshold, min_containment
            )
            if score is not None:
                kept["later"].append(pairs["later"][i])
                kept["earlier"].append(pairs["earlier"][i])
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
    scored = joined.select("later", "earlier", "sig_l", "sig_e", "size_l", "size_e").mapInArrow(
        partial(_scored, threshold=threshold, min_containment=min_containment), SCORED
    )
    near = scored.groupBy("later").agg(
        F.collect_list(F.struct(F.col("earlier").alias("id"), "score")).alias("near")
    )
    return (
        first.select("id", "first")
        .join(near, F.col("first") == F.col("later"))
        .select("id", "near")
    )
