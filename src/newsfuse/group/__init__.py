"""group: near-duplicates (syndication), then stories; both grow one article at a time."""

from .cluster import StoryIndex
from .dedupe import DuplicateIndex, find_duplicates
from .grouper import Grouper, Placement, StoredOriginal
from .story import StoryState

__all__ = [
    "DuplicateIndex",
    "Grouper",
    "Placement",
    "StoredOriginal",
    "StoryIndex",
    "StoryState",
    "find_duplicates",
]
