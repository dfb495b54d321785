"""Clean and index in the executors: each document becomes one row of the `cleaned` table,
an article with what grouping and reports need of it, or a skipped input with its reason."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
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
from .inputs import Located

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
        StructField("head", StringType(), True),  # the article as grouping reads it (JSON)
        StructField("article", StringType(), True),  # the whole article (JSON)
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


def _skipped_row(where: tuple[int, str, int], skipped: Skipped) -> tuple[Any, ...]:
    return ("skipped", skipped.source, skipped.reason, *where) + (None,) * 10


def clean_rows(
    rows: Iterable[Located], settings: Settings, clean: Cleaner = clean_and_index
) -> Iterator[tuple[Any, ...]]:
    """One partition's documents cleaned and indexed, in the `CLEANED` layout."""
    bands = DuplicateIndex(settings.duplicate_threshold)
    for number, file, record, document in rows:
        where = (number, file, record)
        if isinstance(document, Skipped):
            yield _skipped_row(where, document)
            continue
        result = clean((document, settings))
        if isinstance(result, Skipped):
            yield _skipped_row(where, result)
            continue
        article, features = result
        moment = article.published_at
        values = signature_bytes(features.signature)
        yield (
            "article",
            article.source,
            None,
            *where,
            article.id,
            moment is None,
            moment.timestamp() if moment is not None else 0.0,
            features.exact_hash,
            features.shingle_count,
            values,
            bands.band_keys(np.asarray(features.signature.hashvalues, dtype=np.uint32)).tolist(),
            pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL),
            grouping_head(article).model_dump_json(),
            article.model_dump_json(),
        )
