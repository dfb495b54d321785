"""store: articles, stories and their reports in SQLite (default) or any SQLAlchemy database."""

from .store import Assignment, IngestResult, Store

__all__ = ["Assignment", "IngestResult", "Store"]
