"""`newsfuse spark --db URL`: the run's articles, stories and reports also go into the store,
so `newsfuse serve` shows them. The driver stores each batch and places it as `newsfuse
ingest` does (`StoreGrouper`: stories already in the store are joined, another ingester's
work is respected); reports built in the executors are saved after, and a story that also
holds articles stored before this run stays stale until it is rebuilt from all its members."""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame

from ..config import Settings
from ..group import Grouper, Placement
from ..index import Features
from ..ingest import StoreGrouper, ingest_articles, refresh_reports
from ..model import Article, Report
from ..store import Store, StoryReport
from .stories import Placer


def store_placer(store: Store, settings: Settings, grouper: Grouper) -> Placer:
    """Store a batch (whole articles: the stream carries them in this mode) and place it."""
    synced = StoreGrouper(store, settings, grouper)
    synced.placed = []

    def place(
        articles: Sequence[Article],
        features: Sequence[Features],
        near: dict[str, list[tuple[str, float]]],
    ) -> list[Placement]:
        ingest_articles(store, articles, synced, reports=False, features=features, near=near)
        placements = synced.placed or []
        synced.placed = []
        return placements

    return place


def save_reports(store: Store, settings: Settings, reports: DataFrame) -> int:
    """Save the executors' reports, then rebuild those the store holds more members for."""
    written = store.save_report_stream(
        StoryReport.of(Report.model_validate_json(row.report).stories[0])
        for row in reports.select("report").toLocalIterator()
    )
    return written + refresh_reports(store, settings, parallel=False)
