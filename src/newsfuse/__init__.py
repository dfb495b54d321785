"""newsfuse: many articles in, one sourced account per story out."""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("newsfuse")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

from .config import Settings
from .lazy import lazy_attributes
from .model import Article, RawDocument, Report, Story

if TYPE_CHECKING:
    from .pipeline import build_stories, clean_documents, fuse, read_inputs

# the pipeline (and the libraries it reads, cleans and groups with) loads when first used
_PIPELINE = ["build_stories", "clean_documents", "fuse", "read_inputs"]
__getattr__ = lazy_attributes(__name__, dict.fromkeys(_PIPELINE, ".pipeline"))

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
