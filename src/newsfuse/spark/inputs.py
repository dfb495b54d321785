"""The documents of a Spark run, read in the executors by the project's own readers.

Local paths (and shared file systems mounted on every node) are expanded on the driver as
`newsfuse run` expands them, so a missing or unreadable path is skipped with the same reason;
each file is then read where its task runs, record files streamed. Paths with a scheme
(hdfs://, s3a://, file://) are listed and read by Spark (`binaryFiles`, folders recursively),
one file's bytes per task. Parquet inputs (a file or folder ending in .parquet) hold one
record per row, with the fields of a JSON Lines record.

Each document carries where it was read (input number, file, record number): the order
`newsfuse run` reads in, which decides which of two reads of one article is kept.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..model import RawDocument, Skipped
from ..read import expand_paths, read_data, read_paths
from ..read.files import KNOWN_SUFFIXES, kind_suffix
from ..read.records import record_document

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

Located = tuple[int, str, int, RawDocument | Skipped]  # input number, file, record, document
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_uri(path: str) -> bool:
    return bool(_SCHEME.match(path))


def is_parquet(path: str) -> bool:
    return path.rstrip("/").lower().endswith(".parquet")


def _visible(path: str) -> bool:
    """Not a hidden or bookkeeping file (".crc", "_SUCCESS"), and of a kind newsfuse reads."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith((".", "_")) and kind_suffix(Path(name)) in KNOWN_SUFFIXES


def _read_local(item: tuple[int, str], settings: Settings) -> Iterator[Located]:
    number, path = item
    for record, document in enumerate(read_paths([path], settings)):
        yield number, "", record, document


def _read_bytes(number: int, item: tuple[str, bytes], settings: Settings) -> Iterator[Located]:
    path, data = item
    for record, document in enumerate(read_data(path, path, data, settings)):
        yield number, path, record, document


def _plain(value: Any) -> Any:
    """A Parquet value as JSON would hold it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _row_document(number: int, path: str, pair: tuple[Any, int], settings: Settings) -> Located:
    row, index = pair
    where = f"{path}#{index + 1}"
    try:
        document = record_document(where, _plain(row.asDict(recursive=True)), settings)
    except Exception as exc:  # one odd row must not end the run
        document = Skipped(source=where, reason=f"could not be read ({type(exc).__name__})")
    return number, path, index, document


def hadoop(spark: SparkSession) -> Any:
    """The Hadoop configuration of the session (file systems, input listing)."""
    context: Any = spark.sparkContext
    return context._jsc.hadoopConfiguration()


def read_documents(
    spark: SparkSession, paths: list[str], settings: Settings, partitions: int
) -> tuple[RDD[Located], list[Skipped]]:
    """Every document of `paths` (spread over `partitions` for cleaning), and the inputs the
    driver already knows cannot be read."""
    sc = spark.sparkContext
    hadoop(spark).set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    parts: list[RDD[Located]] = []
    skipped: list[Skipped] = []
    local: list[tuple[int, str]] = []
    number = 0
    for path in paths:
        if is_parquet(path) and (is_uri(path) or Path(path).exists()):
            rows = spark.read.parquet(path).rdd.zipWithIndex()
            parts.append(rows.map(partial(_row_document, number, path, settings=settings)))
            number += 1
        elif is_uri(path):
            files = sc.binaryFiles(path).filter(lambda item: _visible(item[0]))
            parts.append(files.flatMap(partial(_read_bytes, number, settings=settings)))
            number += 1
        else:
            for found in expand_paths([path]):
                if isinstance(found, Skipped):
                    skipped.append(found)
                else:
                    local.append((number, str(found)))
                    number += 1
    if local:
        listed = sc.parallelize(local, max(1, min(len(local), partitions)))
        parts.append(listed.flatMap(lambda item: _read_local(item, settings)))
    if not parts:
        return sc.emptyRDD(), skipped
    documents = parts[0] if len(parts) == 1 else sc.union(parts)
    return documents.keyBy(_spread).partitionBy(
        partitions, partial(_remainder, partitions)
    ).values(), skipped


def _spread(located: Located) -> int:
    """A number that deals documents round robin over the partitions (records of one file,
    files of one folder alike), the same in every process."""
    number, file, record, _ = located
    return number * 1_000_003 + zlib.crc32(file.encode("utf-8", "replace")) + record


def _remainder(partitions: int, key: int) -> int:
    return key % partitions
