"""Grouping quality and speed: stories and near-duplicates.

Stories, on every labelled grouping set in ../shared/data (benchmarks/grouping_sets.toml says
where each one's label is and how it splits into dev and test), on a dense synthetic stream of
same-kind events (benchmarks/dense_stream.py) and on the five sample reports mixed with the
181 unrelated article-extraction pages: B-cubed and pairwise precision/recall/F1, the number
of stories and the largest one, for newsfuse online as `newsfuse ingest` runs it (publication
order, batches of 200; default settings, and with the threshold chosen on the dev part) beside
batch average-link agglomerative and a single-pass online baseline over the same term vectors,
each with its threshold chosen on the dev part and scored on the test part.
Near-duplicates: each page's HTML extraction against its plain-text rendering and its own first
half. Speed: articles per second for grouping in memory and for ingest + grouping into SQLite
at growing sizes, with peak memory.
Run: python benchmarks/group.py [--quick] [--json]
"""

from __future__ import annotations

import gc
import hashlib
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean import load_pages, render_everything
from clustering import (
    FeatureCache,
    LabelledSet,
    agglomerative,
    newsfuse_online,
    records_set,
    scores,
    shared_sets,
    single_pass,
    tuned,
)
from common import ROOT, SHARED_DATA, full_ingest, parse_args, print_table
from dense_stream import dense_stream

from newsfuse.config import Settings
from newsfuse.group import Grouper
from newsfuse.group.dedupe import DuplicateIndex
from newsfuse.index import index_article
from newsfuse.model import Article, RawDocument
from newsfuse.pipeline import clean_documents, read_inputs
from newsfuse.store import Store

SAMPLE = ROOT / "examples" / "nato-russia-2022-01"


def sample_and_pages(quick: bool, settings: Settings) -> LabelledSet:
    """The five sample reports (one story) among the 181 article-extraction pages (each its
    own story): the sample must stay whole and merge with nothing. No dev part: every system
    uses the threshold it chose on ECB+."""
    documents, _ = read_inputs([SAMPLE], settings)
    sample, _ = clean_documents(documents, settings)
    pages = load_pages(quick)
    raws = [RawDocument(source=key, kind="html", content=html) for key, html, _ in pages]
    others, _ = clean_documents(raws, settings)
    articles = sample + others
    gold = {a.id: "sample" for a in sample} | {a.id: a.source for a in others}
    return LabelledSet(
        "sample + 181 pages",
        articles,
        gold,
        dict.fromkeys(gold, "test"),
        "the sample story among unrelated pages; thresholds as chosen on ECB+",
    )


def dense_set(quick: bool) -> LabelledSet:
    records = dense_stream(incidents=600 if quick else 2400, days=30 if quick else 120)
    cut = records[len(records) // 3]["date"]
    return records_set(
        "dense stream",
        records,
        "story",
        lambda r: "dev" if r["date"] < cut else "test",
        "synthetic shooting incidents, 1-4 outlets each; dev: the first third of the stream",
    )


def quality_rows(sets: list[LabelledSet], settings: Settings) -> list[dict]:
    features = FeatureCache()
    rows: list[dict] = []
    chosen: dict[str, float] = {}

    def newsfuse(articles: Sequence[Article], threshold: float) -> dict[str, str]:
        return newsfuse_online(
            articles, settings.model_copy(update={"story_threshold": threshold}), features
        )

    systems = {
        "newsfuse online (as ingest runs)": newsfuse,
        "agglomerative (average link)": agglomerative,
        "single-pass (centroid cosine)": single_pass,
    }
    terms_only = settings.model_copy(update={"encoder": "tfidf"})
    for labelled in sets:
        test = labelled.of("test")
        gold = {a.id: labelled.gold[a.id] for a in test}
        default = newsfuse_online(test, settings, features)
        rows.append(
            {
                "set": labelled.name,
                "system": "newsfuse (default settings)",
                "threshold": settings.story_threshold,
                **scores(gold, default),
            }
        )
        rows.append(
            {
                "set": labelled.name,
                "system": "newsfuse, terms only (encoder tfidf)",
                "threshold": settings.story_threshold,
                **scores(gold, newsfuse_online(test, terms_only, features)),
            }
        )
        for name, run in systems.items():
            if labelled.of("dev"):
                threshold, labels = tuned(run, labelled)
                chosen.setdefault(name, threshold)
            else:
                threshold = chosen.get(name, settings.story_threshold)
                labels = run(test, threshold)
            rows.append(
                {
                    "set": labelled.name,
                    "system": f"{name}, threshold chosen on dev",
                    "threshold": threshold,
                    **scores(gold, labels),
                }
            )
    return rows


def duplicate_rows(quick: bool, settings: Settings) -> list[dict]:
    pages = load_pages(quick)
    html_docs = [RawDocument(source=k, kind="html", content=h) for k, h, _ in pages]
    html_articles, _ = clean_documents(html_docs, settings)
    text_docs = [
        RawDocument(source=k, kind="text", content=render_everything(h)) for k, h, _ in pages
    ]
    text_articles, _ = clean_documents(text_docs, settings)
    index = DuplicateIndex(settings.duplicate_threshold)
    by_source = {}
    for article in html_articles:
        index.add_original(article.id, index_article(article), 0.0)
        by_source[article.source] = article.id
    rows = []
    checks = {
        "plain-text rendering": text_articles,
        "first half": [
            a.model_copy(update={"id": a.id + "-half", "text": a.text[: len(a.text) // 2]})
            for a in html_articles
        ],
    }
    for name, probes in checks.items():
        found = wrong = 0
        for probe in probes:
            hit = index.find(index_article(probe))
            original = hit.article_id if hit else None
            if original == by_source.get(probe.source):
                found += 1
            elif original is not None:
                wrong += 1
        rows.append(
            {
                "system": f"newsfuse duplicates: {name}",
                "pairs": len(probes),
                "recall": found / len(probes),
                "wrong_original": wrong,
            }
        )
    # different pages must not be taken for copies of each other
    fresh = DuplicateIndex(settings.duplicate_threshold)
    false_pairs = sum(
        1 for a in html_articles if fresh.add(a.id, index_article(a), 0.0) is not None
    )
    rows.append(
        {
            "system": "newsfuse duplicates: distinct pages",
            "pairs": len(html_articles),
            "false_duplicates": false_pairs,
        }
    )
    return rows


def perturbed(articles: list[Article], n: int, seed: int = 7) -> list[Article]:
    """`n` articles made from real ones: round k of copies is moved 9·k days later (so rounds
    form separate stories) and has a fifth of its words swapped for words of other articles
    (so copies are related, not duplicates), with new ids."""
    rng = random.Random(seed)
    vocabulary = sorted({w for a in articles for w in a.text.split(" ")})
    base = datetime(2022, 1, 1, tzinfo=UTC)
    out = []
    for k in range(n):
        original = articles[k % len(articles)]
        round_ = k // len(articles)
        words = [
            w if rng.random() > 0.2 else vocabulary[rng.randrange(len(vocabulary))]
            for w in original.text.split(" ")
        ]
        moment = (original.published_at or base) + timedelta(days=9 * round_)
        out.append(
            original.model_copy(
                update={
                    "id": hashlib.sha256(f"{original.id}-{k}".encode()).hexdigest()[:16],
                    "text": " ".join(words),
                    "published_at": moment,
                    "url": None,
                }
            )
        )
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_rows(articles: list[Article], sizes: list[int], settings: Settings) -> list[dict]:
    """At every size, on a one-language stream (the English pages: the multilingual encoder
    never runs): indexing and grouping in memory, and the ingest into SQLite (store + group,
    the changed stories' reports deferred, as `newsfuse ingest` runs them after the last
    batch). The full ingest with every changed story's report at 1k only (it analyses every
    story: see benchmarks/store.py). Up to 10k, the ingest of the stream mixing languages
    too, with the multilingual encoder (every batch is encoded)."""
    rows = []
    mixed = articles
    multilingual = settings.model_copy(update={"encoder": "use-multilingual"})
    articles = [a for a in articles if a.language == "en"]
    warm = articles[:200]
    Grouper(settings).place(warm, [index_article(a) for a in warm])  # load word lists, tables
    for n in sizes:
        data = perturbed(articles, n)
        gc.collect()
        labels = FeatureCache()
        start = time.perf_counter()
        labels.prefetch(data)
        grouped = newsfuse_online(data, settings, labels)
        elapsed = time.perf_counter() - start
        rows.append(
            {
                "system": "newsfuse index + group (memory, batches of 200), one language",
                "articles": n,
                "stories": len(set(grouped.values())),
                "articles_per_s": n / elapsed,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
        del grouped, labels
        gc.collect()
        runs = [(data, False, "one language", settings)]
        runs += [(data, True, "one language", settings)] if n <= 1_000 else []
        if n <= 10_000:
            runs.append((perturbed(mixed, n), False, "mixed languages, encoded", multilingual))
        for inputs, reports, kind, chosen in runs:
            with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/b.db") as store:
                speed = full_ingest(store, inputs, chosen, chosen.ingest_batch, reports)
                count = len(store.story_listing())
            label = "+ analysis" if reports else "(reports deferred)"
            rows.append(
                {
                    "system": f"newsfuse ingest + group {label} (SQLite), {kind}",
                    "articles": n,
                    "stories": count,
                    "articles_per_s": speed,
                    "peak_rss_mb": peak_rss_mb(),
                }
            )
        if n <= 10_000:  # n² distances: 100k would need 80 GB
            start = time.perf_counter()
            agglomerative(data, settings.story_threshold)
            elapsed = time.perf_counter() - start
            rows.append(
                {
                    "system": "agglomerative (same TF-IDF incl. vectors)",
                    "articles": n,
                    "articles_per_s": n / elapsed,
                    "peak_rss_mb": peak_rss_mb(),
                }
            )
    return rows


def main() -> None:
    args = parse_args(__doc__ or "")
    settings = Settings()
    extra = [dense_set(args.quick), sample_and_pages(args.quick, settings)]
    sets = [*shared_sets(SHARED_DATA), *extra]
    quality = quality_rows(sets, settings)
    if not args.json:
        print_table(quality, False, "stories: labelled sets (scored on each set's test part)")
        print("\n".join(f"{s.name}: {len(s.articles)} articles; {s.note}" for s in sets))
    rows = duplicate_rows(args.quick, settings)
    sample = sets[-1].articles
    sizes = [1_000] if args.quick else [1_000, 10_000, 100_000]
    rows += speed_rows(sample, sizes, settings)
    if args.json:  # one JSON list, as every benchmark prints (its rows differ in columns)
        print_table(quality + rows, True)
        return
    print_table(rows, False, "duplicates and speed")


if __name__ == "__main__":
    main()
