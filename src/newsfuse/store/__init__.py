"""store: articles, stories and their reports in SQLite (default) or any SQLAlchemy database."""

from .engine import StoreError
from .grouping import GroupingConflict, StoryReport
from .store import IngestResult, Store, StoryListing

__all__ = [
    "GroupingConflict",
    "IngestResult",
    "Store",
    "StoreError",
    "StoryListing",
    "StoryReport",
]
