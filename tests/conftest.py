from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from newsfuse.config import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "nato-russia-2022-01"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def articles():
    """The five sample articles, cleaned (a module's own copy: a test may edit them)."""
    from newsfuse.pipeline import clean_documents, read_inputs

    settings = Settings()
    documents, _ = read_inputs([EXAMPLES], settings)
    return clean_documents(documents, settings)[0]


@pytest.fixture(scope="session")
def sample_report():
    from newsfuse import fuse

    return fuse([EXAMPLES])


PG_URL = os.environ.get("NEWSFUSE_TEST_PG_URL")


def _fresh_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the test server, and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"nf_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every store test runs on SQLite and on PostgreSQL (NEWSFUSE_TEST_PG_URL; .ci/run starts
    a server). Without that variable the PostgreSQL half is skipped locally and fails in CI."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail(
                "NEWSFUSE_TEST_PG_URL is not set: CI must run the store tests on PostgreSQL"
            )
        pytest.skip("NEWSFUSE_TEST_PG_URL not set")
    url, drop = _fresh_postgres_database(PG_URL)
    yield url
    drop()
