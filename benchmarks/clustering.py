"""Grouping quality: the measures (B-cubed, pairwise), the labelled sets and the systems
compared (newsfuse online as `ingest` runs it, batch average-link agglomerative and a
single-pass online baseline over the same term vectors), each with a threshold chosen on the
set's dev part."""

from __future__ import annotations

import json
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import normalize

from newsfuse.config import Settings
from newsfuse.encoders import load_encoder
from newsfuse.group import Grouper
from newsfuse.group.order import time_order
from newsfuse.index import Features, article_terms, index_article, index_articles
from newsfuse.model import Article, RawDocument
from newsfuse.pipeline import clean_documents

CONFIG = Path(__file__).resolve().parent / "grouping_sets.toml"
Labels = dict[str, str]


def bcubed(gold: Labels, predicted: Labels) -> dict[str, float]:
    """B-cubed precision, recall and F1, averaged over items."""
    gold_sets: dict[str, set[str]] = defaultdict(set)
    pred_sets: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        gold_sets[label].add(item)
    for item, label in predicted.items():
        pred_sets[label].add(item)
    precision = recall = 0.0
    for item in gold:
        overlap = len(pred_sets[predicted[item]] & gold_sets[gold[item]])
        precision += overlap / len(pred_sets[predicted[item]])
        recall += overlap / len(gold_sets[gold[item]])
    p, r = precision / len(gold), recall / len(gold)
    return {"b3_p": p, "b3_r": r, "b3_f1": 2 * p * r / (p + r) if p + r else 0.0}


def pairwise(gold: Labels, predicted: Labels) -> dict[str, float]:
    """Precision, recall and F1 over the pairs of items put in one story."""

    def pairs(labels: Labels) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {tuple(sorted(pair)) for g in groups.values() for pair in combinations(g, 2)}  # type: ignore[misc]

    truth, found = pairs(gold), pairs(predicted)
    both = len(truth & found)
    p = both / len(found) if found else 1.0
    r = both / len(truth) if truth else 1.0
    return {"pair_p": p, "pair_r": r, "pair_f1": 2 * p * r / (p + r) if p + r else 0.0}


def scores(gold: Labels, predicted: Labels) -> dict[str, float]:
    largest_gold = max(Counter(gold.values()).values())
    largest = max(Counter(predicted.values()).values())
    return (
        bcubed(gold, predicted)
        | pairwise(gold, predicted)
        | {
            "stories": len(set(predicted.values())),
            "gold_stories": len(set(gold.values())),
            "largest": largest,
            "largest_gold": largest_gold,
        }
    )


@dataclass
class LabelledSet:
    name: str
    articles: list[Article]
    gold: Labels
    part: dict[str, str]  # article id -> "dev" or "test"
    note: str

    def of(self, part: str) -> list[Article]:
        return [a for a in self.articles if self.part[a.id] == part]


def record_document(source: str, record: dict, outlet: str | None = None) -> RawDocument:
    """A JSON Lines record (article text, title, date, outlet) as `newsfuse ingest` reads it."""
    return RawDocument(
        source=source,
        kind="text",
        extracted=True,
        content=str(record["text"]),
        title=record.get("title"),
        published=record.get("published") or record.get("date"),
        outlet=outlet or record.get("outlet"),
    )


def records_set(
    name: str, records: Sequence[dict], label: str, parts: Callable[[dict], str], note: str
) -> LabelledSet:
    """Clean records (article text, title, date, outlet) as `newsfuse ingest` would read them
    from JSON Lines, with their gold story label and their part."""
    documents = [record_document(f"{name}:{n}", r) for n, r in enumerate(records)]
    articles, _ = clean_documents(documents, Settings())
    by_source = {a.source: a for a in articles}
    gold, part = {}, {}
    for n, record in enumerate(records):
        article = by_source.get(f"{name}:{n}")
        if article is not None and article.id not in gold:
            gold[article.id] = str(record[label])
            part[article.id] = parts(record)
    kept = [a for a in articles if a.id in gold]
    return LabelledSet(name, kept, gold, part, note)


def shared_sets(data: Path) -> list[LabelledSet]:
    """Every set of grouping_sets.toml whose file is in `data`."""
    config = tomllib.loads(CONFIG.read_text())
    found = []
    for name, entry in config.items():
        path = data / entry["file"]
        if not path.exists():
            continue
        records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        dev, test = set(entry["dev"]), set(entry["test"])
        field = entry["split_field"]
        records = [r for r in records if str(r[field]) in dev | test]

        def parts(record: dict, field: str = field, dev: set[str] = dev) -> str:
            return "dev" if str(record[field]) in dev else "test"

        found.append(records_set(name, records, entry["label"], parts, entry.get("note", "")))
    return found


# --- systems --------------------------------------------------------------------------------


class FeatureCache:
    def __init__(self) -> None:
        self._features: dict[str, Features] = {}

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Index these on every core (as ingest's workers do)."""
        for feature in index_articles(articles):
            self._features[feature.article_id] = feature

    def __call__(self, articles: Sequence[Article]) -> list[Features]:
        for article in articles:
            if article.id not in self._features:
                self._features[article.id] = index_article(article)
        return [self._features[a.id] for a in articles]


def newsfuse_online(
    articles: Sequence[Article], settings: Settings, features: FeatureCache, batch: int = 200
) -> Labels:
    """As `newsfuse ingest` places them: in publication order, batch after batch."""
    ordered = [articles[i] for i in time_order(articles)]
    grouper = Grouper(settings, load_encoder(settings))
    labels: Labels = {}
    for start in range(0, len(ordered), batch):
        chunk = ordered[start : start + batch]
        # as an ingest does before each batch: nothing older than the batch's window
        grouper.forget_old(before=grouper.batch_window_start(chunk))
        for placement in grouper.place(chunk, features(chunk)):
            labels[placement.article_id] = placement.story_id
        grouper.saved()
    return labels


def term_matrix(articles: Sequence[Article]) -> csr_matrix:
    vectorizer = DictVectorizer()
    rows = [article_terms(a.title, a.text, a.language) for a in articles]
    return normalize(csr_matrix(vectorizer.fit_transform(rows)))


def agglomerative(articles: Sequence[Article], threshold: float) -> Labels:
    """Batch average-link clustering over the same term vectors (n² memory)."""
    if len(articles) < 2:
        return {a.id: "0" for a in articles}
    matrix = term_matrix(articles)
    distances = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - threshold
    )
    found = model.fit_predict(distances)
    return {a.id: str(label) for a, label in zip(articles, found, strict=True)}


def single_pass(articles: Sequence[Article], threshold: float) -> Labels:
    """The classic online baseline: each article, in publication order, joins the story whose
    centroid is most similar (cosine at least `threshold`) or opens one; no time decay."""
    order = time_order(articles)
    matrix = term_matrix(articles)
    centroids: list[np.ndarray] = []
    labels: Labels = {}
    for i in order:
        row = matrix[i].toarray()[0]
        best, best_score = -1, threshold
        for c, centroid in enumerate(centroids):
            norm = math.sqrt(float(centroid @ centroid)) or 1.0
            score = float(row @ centroid) / norm
            if score >= best_score:
                best, best_score = c, score
        if best < 0:
            centroids.append(row.copy())
            best = len(centroids) - 1
        else:
            centroids[best] += row
        labels[articles[i].id] = str(best)
    return labels


THRESHOLDS = [round(0.05 * k, 2) for k in range(2, 15)]


def tuned(
    run: Callable[[Sequence[Article], float], Labels], labelled: LabelledSet
) -> tuple[float, Labels]:
    """The threshold with the best B-cubed F1 on the dev part, and the labels it gives the
    test part."""
    dev = labelled.of("dev")
    gold_dev = {a.id: labelled.gold[a.id] for a in dev}
    best = max(THRESHOLDS, key=lambda t: (bcubed(gold_dev, run(dev, t))["b3_f1"], -t))
    return best, run(labelled.of("test"), best)
