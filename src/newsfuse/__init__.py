"""newsfuse: many articles in, one sourced account per story out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsfuse")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

from .config import Settings
from .model import Article, RawDocument, Report, Story
from .pipeline import build_stories, clean_documents, fuse, read_inputs

__all__ = [
    "Article",
    "RawDocument",
    "Report",
    "Settings",
    "Story",
    "__version__",
    "build_stories",
    "clean_documents",
    "fuse",
    "read_inputs",
]
