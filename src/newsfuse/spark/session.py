"""The Spark session of a run: local mode by default (`local[*]`), the cluster's own master
under `spark-submit`. pyspark is an optional extra; without it (or without Java) the message
says what to install."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing; the message says how to fix it."""


def require_spark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(
            "newsfuse spark needs pyspark: pip install 'newsfuse[spark]'"
        ) from exc
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailable(
            "newsfuse spark needs a Java 17+ runtime "
            "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless)"
        )


def _local_memory_gb() -> int:
    """A quarter of this machine's memory, 1 to 4 GB (the JVM fills what it is given)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2
    return max(1, min(4, total // 4 // 2**30))


def spark_session(
    master: str | None = "local[*]", conf: dict[str, str] | None = None
) -> SparkSession:
    """The active session, or a new one. `master` None keeps what spark-submit chose. In local
    mode the executors' Python is this one (the same newsfuse and dependencies)."""
    require_spark()
    from pyspark.sql import SparkSession

    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.adaptive.enabled": "true",
        # rows are whole articles and reports (megabytes for a large story): read few at once
        "spark.sql.parquet.columnarReaderBatchSize": "256",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "64",
    }
    if master is not None and master.startswith("local"):
        # one JVM is driver and executors: Spark's 1 GB default is too small for reports
        settings["spark.driver.memory"] = f"{_local_memory_gb()}g"
        # the JVM moves rows while Python does the work: its optimising compiler (C2) would
        # spend more CPU compiling Spark than it saves on a run of this machine's size
        quiet = Path(__file__).with_name("log4j2.properties")
        settings["spark.driver.extraJavaOptions"] = (
            f"-XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile={quiet.as_uri()}"
        )
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # one machine: no network lookup
    builder = SparkSession.builder.appName("newsfuse")
    if master is not None:
        builder = builder.master(master)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    context = session.sparkContext
    context.setLogLevel("ERROR")
    chosen = context.getConf().contains("spark.sql.shuffle.partitions")
    if (context.master or "").startswith("local") and not chosen:
        # Spark's 200 shuffle partitions are for clusters: on one machine they are overhead
        # (also when spark-submit chose local mode)
        session.conf.set("spark.sql.shuffle.partitions", str(4 * context.defaultParallelism))
    return session
