"""Timeline summaries of long stories against journalists' timelines: every timeline set in
../shared/data (a folder of tasks, each with `articles/`, `meta.json` giving each article's
date, and `timelines/NNN.json` = [{date, sentences}]), e.g. timeline17-dev.

As in news-tls: for each reference timeline, each system makes a timeline with as many dates as
the reference and its mean number of sentences per date, from the task's articles. Scored by
Date-F1 and alignment ROUGE-1/2 F1 (align+ m:1, benchmarks/timeline_metrics.py), averaged over
timelines. Systems differ only in how they choose the days; each day's sentences are chosen the
same way (newsfuse's `day_summary`), so the rows compare date selection:
- newsfuse: days stated by the most articles plus the articles published on them;
- PUBCOUNT: days on which the most articles were published;
- mention count: days stated in the most sentences (DATEWISE's unsupervised core; the published
  DATEWISE also learns date weights from other tasks);
- random days among those the articles state or were published on.
Run: python benchmarks/timeline.py [--quick] [--json]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SHARED_DATA, parse_args, print_table
from timeline_metrics import Timeline, alignment_rouge, date_f1

from newsfuse.analyze import forget_story
from newsfuse.config import Settings
from newsfuse.model import Article, RawDocument
from newsfuse.pipeline import clean_documents
from newsfuse.summarize.key_dates import DatedSentence, DateRanking, key_dates, rank_days


def timeline_tasks() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    if not SHARED_DATA.exists():
        return found
    for set_dir in sorted(p for p in SHARED_DATA.iterdir() if p.is_dir()):
        tasks = sorted(p.parent.parent for p in set_dir.glob("*/timelines/*.json"))
        if tasks:
            found[set_dir.name] = sorted(set(tasks))
    return found


def load_task(task: Path, settings: Settings) -> tuple[list[Article], list[Timeline]]:
    meta = json.loads((task / "meta.json").read_text(encoding="utf-8"))
    documents = [
        RawDocument(
            source=str(task / item["file"]),
            kind="text",
            extracted=True,  # the article's own text, one sentence a line
            content=(task / item["file"]).read_text(encoding="utf-8"),
            published=item["date"],
        )
        for item in meta["articles"]
    ]
    articles, _ = clean_documents(documents, settings)
    references = []
    for path in sorted((task / "timelines").glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        references.append(
            {date.fromisoformat(e["date"][:10]): list(e["sentences"]) for e in entries}
        )
    return articles, references


def pubcount(articles: Sequence[Article], by_day: dict[str, list[DatedSentence]]) -> list[str]:
    counts = Counter(a.published_at.date().isoformat() for a in articles if a.published_at)
    return sorted(by_day, key=lambda day: (-counts.get(day, 0), day))


def mention_count(articles: Sequence[Article], by_day: dict[str, list[DatedSentence]]) -> list[str]:
    return sorted(by_day, key=lambda day: (-sum(s.stated for s in by_day[day]), day))


def random_days(seed: int) -> DateRanking:
    def ranking(articles: Sequence[Article], by_day: dict[str, list[DatedSentence]]) -> list[str]:
        days = sorted(by_day)
        random.Random(seed).shuffle(days)
        return days

    return ranking


SYSTEMS: dict[str, DateRanking] = {
    "newsfuse key dates": rank_days,
    "PUBCOUNT": pubcount,
    "mention count (DATEWISE-style, unsupervised)": mention_count,
    "random days": random_days(0),
}


def main() -> None:
    args = parse_args(__doc__ or "")
    settings = Settings()
    rows: list[dict[str, object]] = []
    for set_name, tasks in timeline_tasks().items():
        scores: dict[str, dict[str, list[float]]] = {
            name: {"date_f1": [], "ar1_f1": [], "ar2_f1": []} for name in SYSTEMS
        }
        for task in tasks[:2] if args.quick else tasks:
            articles, references = load_task(task, settings)
            for reference in references:
                days = len(reference)
                per_day = max(1, round(statistics.mean(len(s) for s in reference.values())))
                for name, ranking in SYSTEMS.items():
                    predicted: Timeline = {
                        date.fromisoformat(k.date): [s.text for s in k.sentences]
                        for k in key_dates(articles, days, per_day, ranking)
                    }
                    scores[name]["date_f1"].append(date_f1(predicted, reference))
                    scores[name]["ar1_f1"].append(alignment_rouge(predicted, reference, 1)["f1"])
                    scores[name]["ar2_f1"].append(alignment_rouge(predicted, reference, 2)["f1"])
            forget_story()
        for name, values in scores.items():
            rows.append(
                {
                    "set": set_name,
                    "system": name,
                    "timelines": len(values["date_f1"]),
                    **{key: statistics.mean(v) for key, v in values.items() if v},
                }
            )
    print_table(rows, args.json, "timeline summaries (align+ m:1 ROUGE F1, Date-F1)")


if __name__ == "__main__":
    main()
