"""group: near-duplicates (syndication), then stories."""

from .cluster import StoryCluster, cluster_stories
from .dedupe import find_duplicates

__all__ = ["StoryCluster", "cluster_stories", "find_duplicates"]
