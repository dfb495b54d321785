"""Opening a store: the URL checked, the driver found, the schema brought up to date under a
lock. Everything that can go wrong here is a `StoreError` with one line that says what is
wrong and what to do; the command line prints it and exits 2."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

_HERE = Path(__file__).parent
# The newest migration (a test checks it is Alembic's head): a store already there is opened
# without Alembic, whose import and reading of its scripts every command paid (about 0.2 s).
HEAD_REVISION = "0009"
SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_TIMEOUT_SECONDS = 30
# Any constant key: every newsfuse process that migrates a PostgreSQL store takes this lock.
_PG_MIGRATION_LOCK = 7_311_905_417


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers go on while a writer commits
    # WAL's recommended setting: a commit survives the process being killed (not a power cut
    # in the same instant, where the last batches roll back and a re-run ingests them again)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def shown(url: str | URL) -> str:
    """A URL as it may be printed: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(str(url))


def open_engine(url: str, *, create: bool = True) -> Engine:
    """An engine on an up-to-date schema. With `create=False` a SQLite file that does not exist
    is an error instead of a new empty store (commands that only read must not make one)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"not a database URL: {url!r} (use e.g. sqlite:///newsfuse.db or "
            "postgresql+psycopg://user:password@host/db)"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed, create)
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError as exc:
        raise StoreError(
            f"no database support for {parsed.drivername!r} in {shown(parsed)} "
            "(newsfuse stores into sqlite:// or postgresql+psycopg://)"
        ) from exc
    except ImportError as exc:
        extra = " (pip install 'newsfuse[postgresql]')" if "postgres" in parsed.drivername else ""
        raise StoreError(
            f"the database driver for {parsed.drivername!r} is not installed: "
            f"{exc.name or exc}{extra}"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(describe(exc, engine.url)) from exc
    return engine


def _check_sqlite_path(url: URL, create: bool) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise StoreError(f"{str(path)!r} is a folder, not a SQLite database file")
    if not path.exists():
        if not create:
            raise StoreError(
                f"no database at {str(path)!r} (newsfuse ingest creates one; check --db)"
            )
        if not path.parent.is_dir():
            raise StoreError(f"cannot create {str(path)!r}: folder {str(path.parent)!r} is missing")
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{str(path)!r} is not a SQLite database (another kind of file)")


def describe(exc: DBAPIError, url: URL) -> str:
    """One line for a database error at open or during a run."""
    message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    where = shown(url)
    if "locked" in message or "busy" in message:
        return (
            f"the database {where} is locked by another process (waited "
            f"{LOCK_TIMEOUT_SECONDS} s); what was committed is kept: try again when it is done"
        )
    if isinstance(exc, OperationalError):
        return f"cannot use the database {where}: {message}"
    return f"database error in {where}: {message}"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    return config


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _revision(engine: Engine) -> str | None:
    """The store's schema revision, as Alembic records it (None: a new store)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Bring the schema to an Alembic revision, the newest by default (quietly: it runs on
    every open); `downgrade` goes back to an older one. Two processes opening a new store at
    once do not both create it: the migration runs under the database's write lock (SQLite's
    BEGIN IMMEDIATE, a PostgreSQL advisory lock), and the second finds the work done."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        try:
            if not downgrade and revision == "head" and _revision(engine) == HEAD_REVISION:
                return  # the common case: nothing to do, no lock taken
            from alembic import command

            config = _alembic_config()
            with engine.begin() as connection:
                if engine.dialect.name == "sqlite":
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                elif engine.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                    )
                config.attributes["connection"] = connection
                (command.downgrade if downgrade else command.upgrade)(config, revision)
            return
        except OperationalError as exc:
            # SQLite may refuse at once, without its busy wait, while another process creates
            # a new store: try again for as long as a held lock is waited for (with retries
            # that ended after a second, two ingesters starting on a new store failed now and
            # then on a busy machine)
            if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
