"""web: the FastAPI app — story pages, search and a REST API over the store."""

from .app import create_app

__all__ = ["create_app"]
