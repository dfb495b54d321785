"""store: articles, stories and their reports in SQLite (default) or any SQLAlchemy database."""

from .engine import StoreError
from .store import Assignment, IngestResult, Store, StoryListing

__all__ = ["Assignment", "IngestResult", "Store", "StoreError", "StoryListing"]
