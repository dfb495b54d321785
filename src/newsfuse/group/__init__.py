"""group: near-duplicates (syndication), then stories; both grow one article at a time.
The names below load with their modules when first read (the store reads stories without
the MinHash and word-frequency libraries grouping needs)."""

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

if TYPE_CHECKING:
    from .cluster import StoryIndex
    from .dedupe import DuplicateIndex, find_duplicates
    from .grouper import Grouper, Placement, StoredOriginal
    from .story import StoryState

__getattr__ = lazy_attributes(
    __name__,
    {
        "DuplicateIndex": ".dedupe",
        "Grouper": ".grouper",
        "Placement": ".grouper",
        "StoredOriginal": ".grouper",
        "StoryIndex": ".cluster",
        "StoryState": ".story",
        "find_duplicates": ".dedupe",
    },
)

__all__ = [
    "DuplicateIndex",
    "Grouper",
    "Placement",
    "StoredOriginal",
    "StoryIndex",
    "StoryState",
    "find_duplicates",
]
