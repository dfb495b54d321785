"""The grouping encoder's vectors, computed in the executors before the driver places the
stream. Grouping encodes a batch that mixes languages (the dense vector is what links articles
across languages); left to the driver, that encoding was about three quarters of its time on a
mixed stream, one core working while the executors wait. Computed here it runs on every core,
and the driver only reads the vectors (`Features.dense`).

A stream of one language is not encoded at all, as on the driver: no batch of it needs it.
(With `--db`, stories already stored may be of another language; the driver then encodes those
batches itself.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache, partial

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import BinaryType, StringType, StructField, StructType

from ..config import Settings
from ..encoders import Encoder, encoder_named
from ..group.grouper import encoding_text
from .arrow import arrow_schema
from .cleaning import unpacked

DENSE = StructType(
    [
        StructField("id", StringType(), False),
        StructField("dense", BinaryType(), False),  # float32, as the encoder returns it
    ]
)
_DENSE = arrow_schema(DENSE)


@lru_cache(maxsize=2)
def _encoder(kind: str, model: str | None) -> Encoder | None:
    """One encoder per executor process, whatever the number of its tasks (a model loads
    once)."""
    return encoder_named(kind, model)


def needs_encoding(cleaned: DataFrame, settings: Settings) -> bool:
    """Whether grouping will encode: an encoder is configured and the articles hold more
    than one language."""
    if _encoder(settings.encoder, settings.encoder_model) is None:
        return False
    found = cleaned.where((F.col("kind") == "article") & F.col("language").isNotNull())
    return found.select("language").distinct().limit(2).count() > 1


def dense_vector(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)


def _encoded(batches: Iterable[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    encoder = _encoder(settings.encoder, settings.encoder_model)
    assert encoder is not None
    for batch in batches:
        heads = [unpacked(head) for head in batch.column("head").to_pylist()]
        vectors = encoder.encode([encoding_text(head) for head in heads])
        yield pa.RecordBatch.from_pydict(
            {
                "id": batch.column("id").to_pylist(),
                "dense": [np.asarray(v, dtype=np.float32).tobytes() for v in vectors],
            },
            schema=_DENSE,
        )


def encodings(articles: DataFrame, settings: Settings) -> DataFrame:
    """(id, dense): each article's encoder vector, from the head grouping reads."""
    return articles.select("id", "head").mapInArrow(partial(_encoded, settings=settings), DENSE)
