"""Clean and index in the executors: each document becomes one row of the `cleaned` table,
an article with what grouping and reports need of it, or a skipped input with its reason."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql.types import (
    ArrayType,
    BinaryType,
    BooleanType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from ..config import Settings
from ..group.dedupe import DuplicateIndex
from ..index import Features, signature_bytes
from ..model import Article, RawDocument, Skipped
from ..pipeline import clean_and_index
from .arrow import arrow_schema, batches_of, rows_in

Cleaner = Callable[[tuple[RawDocument, Settings]], tuple[Article, Features] | Skipped]
OPENING_CHARS = 1500  # what grouping reads of an article's text (grouper.encoding_text)

CLEANED = StructType(
    [
        StructField("kind", StringType(), False),  # "article" or "skipped"
        StructField("source", StringType(), False),
        StructField("reason", StringType(), True),
        StructField("input", LongType(), False),  # where it was read: the order of `run`
        StructField("file", StringType(), False),
        StructField("record", LongType(), False),
        StructField("id", StringType(), True),
        StructField("undated", BooleanType(), True),
        StructField("ts", DoubleType(), True),  # publication time (0 when undated)
        StructField("exact_hash", StringType(), True),
        StructField("shingles", LongType(), True),
        StructField("signature", BinaryType(), True),
        StructField("bands", ArrayType(LongType()), True),
        StructField("features", BinaryType(), True),  # pickled `Features`
        StructField("head", BinaryType(), True),  # the article as grouping reads it (`packed`)
        StructField("article", BinaryType(), True),  # the whole article (`packed`)
    ]
)


def grouping_head(article: Article) -> Article:
    """What the grouper reads of an article (its title, opening, first sentence, outlet,
    language and time): the rows that travel to the driver stay small."""
    first = article.sentences[:1]
    keep = max(OPENING_CHARS, first[0].end if first else 0)
    return article.model_copy(
        update={"text": article.text[:keep], "paragraphs": [], "sentences": first}
    )


_CLEANED = arrow_schema(CLEANED)


def packed(article: Article) -> bytes:
    """An article as its rows carry it: JSON, compressed (a quick level: the bytes the JVM
    moves, shuffles and writes are about a third, for little of Python's time)."""
    return zlib.compress(article.model_dump_json().encode(), 1)


def unpacked(data: bytes) -> Article:
    return Article.model_validate_json(zlib.decompress(data))


def _skipped_row(where: dict[str, Any], skipped: Skipped) -> dict[str, Any]:
    return where | {"kind": "skipped", "source": skipped.source, "reason": skipped.reason}


def clean_rows(
    rows: Iterable[dict[str, Any]], settings: Settings, clean: Cleaner = clean_and_index
) -> Iterator[dict[str, Any]]:
    """Documents (`DOCUMENTS` rows) cleaned and indexed, as `CLEANED` rows."""
    bands = DuplicateIndex(settings.duplicate_threshold)
    for row in rows:
        where = {"input": row["input"], "file": row["file"], "record": row["record"]}
        if row["document"] is None:
            yield _skipped_row(where, Skipped(source=row["source"], reason=row["reason"]))
            continue
        result = clean((RawDocument.model_validate_json(row["document"]), settings))
        if isinstance(result, Skipped):
            yield _skipped_row(where, result)
            continue
        article, features = result
        moment = article.published_at
        values = np.asarray(features.signature.hashvalues, dtype=np.uint32)
        yield where | {
            "kind": "article",
            "source": article.source,
            "id": article.id,
            "undated": moment is None,
            "ts": moment.timestamp() if moment is not None else 0.0,
            "exact_hash": features.exact_hash,
            "shingles": features.shingle_count,
            "signature": signature_bytes(features.signature),
            "bands": bands.band_keys(values).tolist(),
            "features": pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL),
            "head": packed(grouping_head(article)),
            "article": packed(article),
        }


def clean_batches(
    batches: Iterable[pa.RecordBatch], settings: Settings, clean: Cleaner = clean_and_index
) -> Iterator[pa.RecordBatch]:
    """The cleaning task: Arrow batches of documents in, of `CLEANED` rows out."""
    return batches_of(clean_rows(rows_in(batches), settings, clean), _CLEANED)
