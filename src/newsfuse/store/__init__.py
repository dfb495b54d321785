"""store: articles, stories and their reports in SQLite (default) or any SQLAlchemy database."""

from .store import Store

__all__ = ["Store"]
