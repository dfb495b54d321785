"""The documents of a Spark run, read in the executors by the project's own readers.

Local paths (and shared file systems mounted on every node) are expanded on the driver as
`newsfuse run` expands them, so a missing or unreadable path is skipped with the same reason;
each file is then read where its task runs, record files streamed. Paths with a scheme
(hdfs://, s3a://, file://) are listed and read by Spark (`binaryFile`, folders recursively),
one file's bytes per task. Parquet inputs (a file or folder ending in .parquet) hold one
record per row, with the fields of a JSON Lines record.

Each document carries where it was read (input number, file, record number): the order
`newsfuse run` reads in, which decides which of two reads of one article is kept. Documents
are then spread over the partitions by that place, so one large file is cleaned on every core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType

from ..config import Settings
from ..model import RawDocument, Skipped
from ..read import expand_paths, read_data, read_paths
from ..read.files import KNOWN_SUFFIXES, kind_suffix
from ..read.records import record_document
from .arrow import arrow_schema, batches_of, rows_in

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")

DOCUMENTS = StructType(
    [
        StructField("input", LongType(), False),  # where it was read: the order of `run`
        StructField("file", StringType(), False),
        StructField("record", LongType(), False),
        StructField("document", StringType(), True),  # the RawDocument (JSON), or
        StructField("source", StringType(), True),  # the input skipped, and why
        StructField("reason", StringType(), True),
    ]
)
_DOCUMENTS = arrow_schema(DOCUMENTS)


def is_uri(path: str) -> bool:
    return bool(_SCHEME.match(path))


def is_parquet(path: str) -> bool:
    return path.rstrip("/").lower().endswith(".parquet")


def _visible(path: str) -> bool:
    """Not a hidden or bookkeeping file (".crc", "_SUCCESS"), and of a kind newsfuse reads."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith((".", "_")) and kind_suffix(Path(name)) in KNOWN_SUFFIXES


def _row(number: int, file: str, record: int, found: RawDocument | Skipped) -> dict[str, Any]:
    where = {"input": number, "file": file, "record": record}
    if isinstance(found, Skipped):
        return where | {"document": None, "source": found.source, "reason": found.reason}
    return where | {"document": found.model_dump_json(), "source": None, "reason": None}


def _read_local(batches: Iterable[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    def rows() -> Iterator[dict[str, Any]]:
        for item in rows_in(batches):
            for record, found in enumerate(read_paths([item["path"]], settings)):
                yield _row(item["input"], "", record, found)

    return batches_of(rows(), _DOCUMENTS)


def _read_files(
    batches: Iterable[pa.RecordBatch], number: int, settings: Settings
) -> Iterator[pa.RecordBatch]:
    def rows() -> Iterator[dict[str, Any]]:
        for item in rows_in(batches):
            path = item["path"]
            if not _visible(path):
                continue
            for record, found in enumerate(read_data(path, path, item["content"], settings)):
                yield _row(number, path, record, found)

    return batches_of(rows(), _DOCUMENTS)


def _plain(value: Any) -> Any:
    """A Parquet value as JSON would hold it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_rows(
    batches: Iterable[pa.RecordBatch], number: int, path: str, settings: Settings
) -> Iterator[pa.RecordBatch]:
    def rows() -> Iterator[dict[str, Any]]:
        for item in rows_in(batches):
            record = item.pop("_newsfuse_row")
            where = f"{path}#{record}"
            try:
                found = record_document(where, _plain(item), settings)
            except Exception as exc:  # one odd row must not end the run
                found = Skipped(source=where, reason=f"could not be read ({type(exc).__name__})")
            yield _row(number, path, record, found)

    return batches_of(rows(), _DOCUMENTS)


def read_documents(
    spark: SparkSession, paths: list[str], settings: Settings, partitions: int
) -> tuple[DataFrame, list[Skipped]]:
    """Every document of `paths` (`DOCUMENTS` rows, spread over `partitions`), and the inputs
    the driver already knows cannot be read."""
    parts: list[DataFrame] = []
    skipped: list[Skipped] = []
    local: list[tuple[int, str]] = []
    number = 0
    for path in paths:
        if is_parquet(path) and (is_uri(path) or Path(path).exists()):
            rows = spark.read.parquet(path).withColumn(
                "_newsfuse_row", F.monotonically_increasing_id()
            )
            parts.append(
                rows.mapInArrow(
                    partial(_read_rows, number=number, path=path, settings=settings), DOCUMENTS
                )
            )
            number += 1
        elif is_uri(path):
            files = (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(path)
                .select("path", "content")
            )
            parts.append(
                files.mapInArrow(partial(_read_files, number=number, settings=settings), DOCUMENTS)
            )
            number += 1
        else:
            for found in expand_paths([path]):
                if isinstance(found, Skipped):
                    skipped.append(found)
                else:
                    local.append((number, str(found)))
                    number += 1
    if local:
        listed = spark.createDataFrame(local, "input long, path string")
        listed = listed.repartition(max(1, min(len(local), partitions)))
        parts.append(listed.mapInArrow(partial(_read_local, settings=settings), DOCUMENTS))
    if not parts:
        return spark.createDataFrame([], DOCUMENTS), skipped
    documents = parts[0]
    for part in parts[1:]:
        documents = documents.unionByName(part)
    return documents.repartition(partitions, "input", "file", "record"), skipped
