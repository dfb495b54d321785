"""Rows between Python and the JVM as Arrow batches (`mapInArrow`): columnar and cheap, where
Spark's row-by-row pickling of Python rows costs the JVM more CPU than the work itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import StructType

from ..workers import settle

BATCH_ROWS = 64  # rows are whole documents, articles or stories


def arrow_schema(schema: StructType) -> pa.Schema:
    return to_arrow_schema(schema, timezone="UTC")


def rows_in(batches: Iterable[pa.RecordBatch]) -> Iterator[dict[str, Any]]:
    settle()  # a Python worker runs task after task
    for batch in batches:
        yield from batch.to_pylist()


def batches_of(rows: Iterable[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """Rows (dicts by column name) as batches of BATCH_ROWS."""
    pending: list[dict[str, Any]] = []
    for row in rows:
        pending.append(row)
        if len(pending) >= BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(pending, schema=schema)
            pending = []
    if pending:
        yield pa.RecordBatch.from_pylist(pending, schema=schema)
