"""analyze: inside one story — claims, quotes and speakers, entities, timeline, conflicts.
Every item points at source spans (citations). Coverage (`coverage.story_coverage`) is
counted over every member, also when the analysis reads only some (`selection`).
The analysis loads with its modules when first used (the store reads stories without it)."""

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

if TYPE_CHECKING:
    from .analysis import Analysis, analyze_story, forget_story

__getattr__ = lazy_attributes(
    __name__, dict.fromkeys(["Analysis", "analyze_story", "forget_story"], ".analysis")
)

__all__ = ["Analysis", "analyze_story", "forget_story"]
