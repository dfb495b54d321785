"""Grouping quality and speed: near-duplicates and stories.

Quality (B-cubed precision/recall/F1, number of stories) on real labelled articles: the five
NATO–Russia reports (one story) mixed with the 181 unrelated pages of the article-extraction
benchmark (each its own story); newsfuse against agglomerative clustering over the same TF-IDF
vectors and HDBSCAN, in this process. Near-duplicates: each page's HTML extraction against its
plain-text rendering, and against its own first half, must be found; different pages must not.
Speed: articles per second for grouping in memory and for ingest + grouping into SQLite at
growing sizes (real articles repeated with light perturbation), with peak memory.
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
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import HDBSCAN, AgglomerativeClustering
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean import load_pages, render_everything
from common import ROOT, full_ingest, parse_args, print_table

from newsfuse.config import Settings
from newsfuse.group import Grouper
from newsfuse.group.dedupe import DuplicateIndex
from newsfuse.index import article_terms, index_article, index_articles
from newsfuse.model import Article, RawDocument
from newsfuse.pipeline import build_stories, clean_documents, read_inputs
from newsfuse.store import Store

SAMPLE = ROOT / "examples" / "nato-russia-2022-01"


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """B-cubed precision and recall averaged over items."""
    gold_sets: dict[str, set[str]] = {}
    pred_sets: dict[str, set[str]] = {}
    for item, label in gold.items():
        gold_sets.setdefault(label, set()).add(item)
    for item, label in predicted.items():
        pred_sets.setdefault(label, set()).add(item)
    precision = recall = 0.0
    for item in gold:
        same_pred = pred_sets[predicted[item]]
        same_gold = gold_sets[gold[item]]
        overlap = len(same_pred & same_gold)
        precision += overlap / len(same_pred)
        recall += overlap / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def labelled_articles(quick: bool, settings: Settings) -> tuple[list[Article], dict[str, str]]:
    documents, _ = read_inputs([SAMPLE], settings)
    sample, _ = clean_documents(documents, settings)
    pages = load_pages(quick)
    raws = [RawDocument(source=key, kind="html", content=html) for key, html, _ in pages]
    others, _ = clean_documents(raws, settings)
    gold = {a.id: "nato" for a in sample} | {a.id: a.source for a in others}
    return sample + others, gold


def tfidf_matrix(articles: list[Article]) -> csr_matrix:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        [article_terms(a.title, a.text, a.language) for a in articles]
    )
    return normalize(csr_matrix(matrix))


def cosine_distances(matrix: csr_matrix) -> np.ndarray:
    """All pairwise cosine distances of L2-normalised sparse rows (n² memory: the baselines')."""
    distances = 1.0 - (matrix @ matrix.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances


def agglomerative_labels(matrix: csr_matrix, threshold: float) -> np.ndarray:
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    )
    return np.asarray(model.fit_predict(cosine_distances(matrix)))


def cluster_rows(articles: list[Article], gold: dict[str, str], settings: Settings) -> list[dict]:
    rows = []
    systems: dict[str, Callable[[], dict[str, str]]] = {}

    def newsfuse_labels(encoder: str) -> dict[str, str]:
        stories = build_stories(articles, settings.model_copy(update={"encoder": encoder}))
        return {a.id: s.id for s in stories for a in s.articles}

    systems["newsfuse (terms)"] = lambda: newsfuse_labels("tfidf")
    systems["newsfuse (terms + wordllama)"] = lambda: newsfuse_labels("wordllama")
    matrix = tfidf_matrix(articles)

    def agglomerative() -> dict[str, str]:
        labels = agglomerative_labels(matrix, settings.story_threshold)
        return {a.id: str(label) for a, label in zip(articles, labels, strict=True)}

    def hdbscan() -> dict[str, str]:
        labels = HDBSCAN(min_cluster_size=2, metric="precomputed", copy=True).fit_predict(
            cosine_distances(matrix)
        )
        # noise points (-1) are stories of their own
        return {
            a.id: (f"noise-{a.id}" if label < 0 else str(label))
            for a, label in zip(articles, labels, strict=True)
        }

    systems["agglomerative (average, same TF-IDF)"] = agglomerative
    systems["HDBSCAN (cosine, same TF-IDF)"] = hdbscan
    sample_ids = {i for i, label in gold.items() if label == "nato"}
    for name, run in systems.items():
        start = time.perf_counter()
        predicted = run()
        elapsed = time.perf_counter() - start
        nato_stories = {predicted[i] for i in sample_ids}
        merged = sum(
            1 for i, label in predicted.items() if label in nato_stories and i not in sample_ids
        )
        row = {"system": name, "articles": len(articles)}
        row |= bcubed(gold, predicted)
        row |= {
            "stories": len(set(predicted.values())),
            "sample_stories": len(nato_stories),
            "merged_unrelated": merged,
            "articles_per_s": len(articles) / elapsed,
        }
        rows.append(row)
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
    """At every size: grouping alone in memory, and the ingest into SQLite (store + group,
    the changed stories' reports deferred, as `newsfuse ingest` runs them after the last
    batch). The full ingest with every changed story's report at 1k only (it analyses every
    story: see benchmarks/store.py)."""
    rows = []
    warm = articles[:200]
    Grouper(settings).place(warm, [index_article(a) for a in warm])  # load word lists, tables
    for n in sizes:
        data = perturbed(articles, n)
        gc.collect()
        grouper = Grouper(settings)
        start = time.perf_counter()
        grouper.place(data, list(index_articles(data)))
        elapsed = time.perf_counter() - start
        rows.append(
            {
                "system": "newsfuse index + group (memory)",
                "articles": n,
                "stories": len(grouper.stories.stories),
                "articles_per_s": n / elapsed,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
        del grouper
        gc.collect()
        for reports in [False, True] if n <= 1_000 else [False]:
            with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/b.db") as store:
                speed = full_ingest(store, data, settings, settings.ingest_batch, reports)
                count = len(store.story_listing())
            label = "+ analysis" if reports else "(reports deferred)"
            rows.append(
                {
                    "system": f"newsfuse ingest + group {label} (SQLite)",
                    "articles": n,
                    "stories": count,
                    "articles_per_s": speed,
                    "peak_rss_mb": peak_rss_mb(),
                }
            )
        if n <= 10_000:  # n² distances: 100k would need 80 GB
            start = time.perf_counter()
            agglomerative_labels(tfidf_matrix(data), settings.story_threshold)
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
    articles, gold = labelled_articles(args.quick, settings)
    rows = cluster_rows(articles, gold, settings)
    rows += duplicate_rows(args.quick, settings)
    sizes = [1_000] if args.quick else [1_000, 10_000, 100_000]
    rows += speed_rows(articles, sizes, settings)
    counts = Counter(gold.values())
    title = (
        f"grouping: {len(articles)} labelled articles ({counts['nato']} in the sample story)"
        + (" (quick)" if args.quick else "")
    )
    print_table(rows, args.json, title)


if __name__ == "__main__":
    main()
