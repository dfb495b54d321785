"""`newsfuse spark`: the command line of a Spark run (registered on the main CLI). pyspark is
imported only when the command runs: the rest of newsfuse works without the extra."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ..cli import (
    ConfigOpt,
    DbOpt,
    QuietOpt,
    _fail,
    _quiet_libraries,
    _report_skipped,
    _settings,
    _store,
    _usage_errors,
    app,
    err,
    out,
)
from .session import SparkUnavailable


def _master(chosen: str | None) -> str | None:
    """What the user chose; else the master spark-submit set up (its driver is started with a
    gateway port), else local mode on every core."""
    if chosen:
        return chosen
    return None if "PYSPARK_GATEWAY_PORT" in os.environ else "local[*]"


@app.command()
def spark(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders or URIs Spark reads (hdfs://, s3a://, file://): the kinds "
            "`run` reads, and Parquet (a .parquet file or folder) with JSON Lines fields."
        ),
    ],
    out_dir: Annotated[
        str, typer.Option("--out", help="Folder or URI for the Parquet tables.")
    ] = "spark-out",
    master: Annotated[
        str | None,
        typer.Option(help="Spark master (default local[*], or spark-submit's own)."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Partitions to clean in (default 3 per core)."),
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run the pipeline on Apache Spark: Parquet tables (articles, stories, claims, quotes,
    timeline, skipped) and one report per story (reports) under --out."""
    _quiet_libraries(quiet)
    settings = _settings(config, db_url=db) if db else _settings(config)
    try:
        from .run import run_spark
        from .session import spark_session

        session = spark_session(_master(master))
    except SparkUnavailable as exc:
        _fail(str(exc))
    with _usage_errors():
        if db:
            with _store(settings.db_url) as store:
                summary = run_spark(
                    session, paths, out_dir, settings, partitions=partitions, store=store
                )
        else:
            summary = run_spark(session, paths, out_dir, settings, partitions=partitions)
    _report_skipped(summary.skipped_shown)
    if summary.skipped > len(summary.skipped_shown):
        err.print(f"{summary.skipped} input(s) skipped in all: {out_dir}/skipped", style="yellow")
    if not quiet:
        err.print(f"{summary.articles} articles, {summary.stories} stories -> {out_dir}")
        err.print("seconds: " + ", ".join(f"{k} {v}" for k, v in summary.seconds.items()))
    out.print(out_dir)
    raise typer.Exit(1 if summary.skipped else 0)
