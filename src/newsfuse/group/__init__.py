"""group: near-duplicates (syndication), then stories; both grow one article at a time."""

from .cluster import StoryIndex, StoryState
from .dedupe import DuplicateIndex, find_duplicates

__all__ = ["DuplicateIndex", "StoryIndex", "StoryState", "find_duplicates"]
