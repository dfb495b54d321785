"""The command line. Exit codes: 0 all good, 1 some inputs skipped (listed), 2 usage error.

Everything that comes from inputs (file names, titles, reasons) is printed as data: quoted and
escaped, never read as Rich markup or terminal control sequences.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import DBAPIError

from . import __version__, workers
from .config import ConfigError, Settings
from .encoders import EncoderUnavailable
from .model import Skipped, make_report, report_json_schema
from .store import Store, StoreError
from .store.engine import describe

# The commands that read, clean, group and analyse import that work when they run, before
# they start their workers (which inherit it); one that lists or shows stories goes without
# (about a second of imports).

app = typer.Typer(
    name="newsfuse",
    help="Turn news articles from many outlets and languages into sourced story accounts.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # help texts are plain text: "[newsfuse]" is a TOML table, not markup
)
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)
out = Console(markup=False, emoji=False, highlight=False)

PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders (.txt .html .json .jsonl feeds .warc, also .gz); - for stdin."
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy URL of the store (default sqlite:///newsfuse.db)."),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML file with a [newsfuse] table.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the result.")]


def quoted(value: str) -> str:
    """A name from the inputs as it is printed: quoted, with newlines, control characters and
    anything unprintable escaped (a file name cannot forge a line of output)."""
    return repr(value)


def printable(value: str) -> str:
    """Text from the inputs without quotes, its unprintable characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)


def _fail(message: str) -> NoReturn:
    err.print(f"error: {message}", style="red")
    raise typer.Exit(2)


def _settings(config: Path | None, **overrides: object) -> Settings:
    try:
        return Settings.load(config, **overrides)
    except ConfigError as exc:  # a bad config file or variable is a usage error
        _fail(str(exc))


def _quiet_libraries(quiet: bool) -> None:
    """Libraries' own warnings are not the user's business; with --quiet nothing but errors
    and the result is printed."""
    if quiet:
        warnings.simplefilter("ignore")
        logging.getLogger().setLevel(logging.ERROR)


@contextmanager
def _store(url: str, *, create: bool = True) -> Iterator[Store]:
    """The store, or one clear line and exit 2 when it cannot be used (a bad URL, a missing
    driver or file, a lock held too long)."""
    try:
        store = Store(url, create=create)
    except StoreError as exc:
        _fail(str(exc))
    try:
        yield store
    except DBAPIError as exc:
        _fail(describe(exc, store.engine.url))
    finally:
        store.close()


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    with progress:
        yield progress


def _read_and_clean(
    paths: list[str], settings: Settings, quiet: bool
) -> tuple[list, list[Skipped]]:
    from .pipeline import clean_documents, read_inputs

    documents, skipped = read_inputs(paths, settings)
    with _progress(quiet) as progress:
        task = progress.add_task("cleaning", total=len(documents))
        articles, not_cleaned = clean_documents(
            documents, settings, lambda _stage, done, _total: progress.update(task, completed=done)
        )
    return articles, skipped + not_cleaned


@contextmanager
def _usage_errors() -> Iterator[None]:
    """Configuration that cannot work here (a missing optional model) is a usage error."""
    from .summarize import LLMError

    try:
        yield
    except (EncoderUnavailable, LLMError) as exc:
        _fail(str(exc))


def _report_skipped(skipped: list[Skipped]) -> None:
    for item in skipped:
        err.print(f"skipped {quoted(item.source)}: {item.reason}", style="yellow")
    if skipped:
        err.print(f"{len(skipped)} input(s) skipped", style="yellow")


def _writable_folder(folder: Path) -> None:
    """Check where the reports go before the work starts (not after it)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".newsfuse-check-"):
            pass
    except FileExistsError:
        _fail(f"--out {quoted(str(folder))} is a file, not a folder")
    except OSError as exc:
        _fail(f"cannot write reports into {quoted(str(folder))}: {exc.strerror or exc}")


@app.command()
def run(
    paths: PathsArg,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.json/.md/.html.")
    ] = Path("out"),
    db: DbOpt = None,
    config: ConfigOpt = None,
    summary_words: Annotated[
        int | None, typer.Option(help="Summary length budget in words.")
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole pipeline over PATHS and write report.json, report.md and report.html."""
    from .ingest import StoreGrouper, ingest_articles
    from .pipeline import build_stories
    from .publish import render_html, render_json, render_markdown

    _quiet_libraries(quiet)
    settings = _settings(config, summary_words=summary_words)
    _writable_folder(out_dir)
    workers.pool()  # forked before any database is opened
    articles, skipped = _read_and_clean(paths, settings, quiet)
    with _usage_errors():
        if db:
            with _store(db) as store:
                ingest_articles(store, articles, StoreGrouper(store, settings))
        stories = build_stories(articles, settings)
    report = make_report(stories, skipped)
    for name, render in (
        ("report.json", render_json),
        ("report.md", render_markdown),
        ("report.html", render_html),
    ):
        try:
            _write_atomic(out_dir / name, render(report))
        except OSError as exc:
            _fail(f"cannot write {quoted(str(out_dir / name))}: {exc.strerror or exc}")
    _report_skipped(skipped)
    if not quiet:
        err.print(
            f"{len(articles)} articles, {len(report.stories)} stories -> "
            f"{out_dir / 'report.json'}, report.md, report.html"
        )
    out.print(str((out_dir / "report.html").resolve()))
    raise typer.Exit(1 if skipped else 0)


def _write_atomic(path: Path, text: str) -> None:
    """Write beside, then rename: a killed run never leaves half a report."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    timings: Annotated[
        Path | None,
        typer.Option("--timings", help="Write the seconds spent per stage as JSON to this file."),
    ] = None,
) -> None:
    """Add the articles in PATHS to the store and update its stories."""
    from .ingest import ingest_documents
    from .pipeline import iter_inputs

    _quiet_libraries(quiet)
    settings = _settings(config, db_url=db)
    workers.pool()  # forked before any database is opened
    with _usage_errors(), _store(settings.db_url) as store, _progress(quiet) as progress:
        tasks = {"ingest": progress.add_task("ingesting", total=None)}

        def show(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"updating {stage}", total=total)
            progress.update(tasks[stage], completed=done, total=total)

        documents = iter_inputs(paths, settings)  # read as the ingest goes
        summary = ingest_documents(store, documents, settings, show)
        total = store.article_count()
    if timings is not None:
        import resource

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        record = {"seconds": summary.seconds, "peak_rss_main_mb": round(peak_mb, 1)}
        _write_atomic(timings, json.dumps(record, indent=2) + "\n")
    skipped = summary.skipped
    added, already, written = summary.added, summary.already_stored, summary.reports_written
    _report_skipped(skipped)
    if not quiet:
        err.print(
            f"{added} added, {already} already stored, {total} in store; {written} stories updated"
        )
    raise typer.Exit(1 if skipped else 0)


@app.command()
def watch(
    paths: PathsArg,
    every: Annotated[float, typer.Option("--every", help="Seconds between looks.", min=0.0)] = 60.0,
    once: Annotated[bool, typer.Option(help="Look once and stop (for cron and tests).")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Keep ingesting new files and new feed entries from PATHS, in batches."""
    from .watch import Watcher

    _quiet_libraries(quiet)
    settings = _settings(config, db_url=db)
    workers.pool()  # forked before any database is opened
    with _usage_errors(), _store(settings.db_url) as store:
        watcher = Watcher(store, settings, paths)
        while True:
            summary = watcher.poll()
            _report_skipped(summary.skipped)
            if not quiet and (summary.added or summary.skipped):
                err.print(f"{summary.added} added, {summary.reports_written} stories updated")
            if once:
                break
            time.sleep(every)


@app.command()
def stories(
    db: DbOpt = None,
    config: ConfigOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON list instead of a table.")
    ] = False,
) -> None:
    """List the stories in the store."""
    settings = _settings(config, db_url=db)
    with _store(settings.db_url, create=False) as store:
        rows = store.story_listing()
    if as_json:
        items = [
            {
                "id": r.id,
                "title": r.title,
                "articles": r.articles,
                "first_published": r.first_published.isoformat() if r.first_published else None,
            }
            for r in rows
        ]
        sys.stdout.write(json.dumps(items, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("id", "articles", "first published", "title")
    for row in rows:
        first = row.first_published.date().isoformat() if row.first_published else ""
        table.add_row(Text(row.id), str(row.articles), first, Text(printable(row.title)))
    out.print(table)


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(help="Story id, as `newsfuse stories` lists it.")],
    fmt: Annotated[str, typer.Option("--format", help="json, md or html.")] = "md",
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print one story from the store as JSON, Markdown or HTML."""
    from .publish import RENDERERS

    if fmt not in RENDERERS:
        _fail(f"--format must be one of {', '.join(RENDERERS)}, not {quoted(fmt)}")
    settings = _settings(config, db_url=db)
    with _store(settings.db_url, create=False) as store:
        story = store.story(story_id)
    if story is None:
        _fail(f"no story {quoted(story_id)} in {settings.db_url}")
    report = make_report([story], [])
    sys.stdout.write(RENDERERS[fmt](report))


@app.command()
def serve(
    db: DbOpt = None,
    config: ConfigOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
) -> None:
    """Serve the story pages, search and the REST API over the store."""
    import uvicorn

    from .web import create_app

    settings = _settings(config, db_url=db)
    try:
        application = create_app(settings.db_url, settings)
    except StoreError as exc:
        _fail(str(exc))
    # a request still running at shutdown is given this long, then the server stops anyway
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_graceful_shutdown=10)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    sys.stdout.write(json.dumps(report_json_schema(), indent=2) + "\n")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"newsfuse {__version__}")


from .spark import command as _spark_command  # noqa: E402,F401  (registers `newsfuse spark`)

if __name__ == "__main__":
    app()
