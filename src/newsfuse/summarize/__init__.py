"""summarize: a headline and a short summary per story; every sentence cites its sources.

Extractive by default (nothing invented). The optional abstractive mode rewrites the chosen
claims through an OpenAI-compatible endpoint and keeps only sentences it can trace back.
"""

from .abstractive import LLMError, rewrite_summary
from .extractive import extractive_summary
from .title import story_title

__all__ = ["LLMError", "extractive_summary", "rewrite_summary", "story_title"]
