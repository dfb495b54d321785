"""Summary quality: ROUGE-1/2/L of newsfuse against sumy's LexRank, TextRank, LSA and a TF-IDF
centroid baseline, all under the same word budget, on every multi-document set with human
reference summaries (folder format: benchmarks/fixtures/summaries/README.md). For the sample
story it also prints the share of summary sentences backed by two or more independent outlets
and the redundancy (highest similarity between two summary sentences).
Run: python benchmarks/summarize.py [--quick] [--json]
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer
from sklearn.feature_extraction.text import TfidfVectorizer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SHARED_DATA, parse_args, print_table

from newsfuse.config import Settings
from newsfuse.index import unit_vector, weighted_terms
from newsfuse.model import Article
from newsfuse.pipeline import build_stories, clean_documents, read_inputs

SAMPLE = ROOT / "examples" / "nato-russia-2022-01"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "summaries"
BUDGET = Settings().summary_words


class _Words:
    """sumy's tokenizer interface over our own sentence spans (no NLTK data needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"\w+", sentence)


def find_sets() -> tuple[list[tuple[str, Path]], bool]:
    """(set name, cluster folder) pairs from ../shared/data, else the fixture (flag True)."""
    found = []
    for set_dir in (
        sorted(p for p in SHARED_DATA.iterdir() if p.is_dir()) if SHARED_DATA.exists() else []
    ):
        clusters = [
            c
            for c in sorted(set_dir.iterdir())
            if (c / "articles").is_dir() and (c / "references").is_dir()
        ]
        found += [(set_dir.name, c) for c in clusters]
    if found:
        return found, False
    return [
        (FIXTURES.name, c) for c in sorted(FIXTURES.iterdir()) if (c / "articles").is_dir()
    ], True


def sentences(articles: list[Article]) -> list[str]:
    return [a.text[s.start : s.end] for a in articles for s in a.sentences]


def within_budget(ranked: list[str], budget: int) -> str:
    chosen: list[str] = []
    words = 0
    for sentence in ranked:
        n = len(sentence.split())
        if words + n > budget and chosen:
            continue
        chosen.append(sentence)
        words += n
        if words >= budget:
            break
    return " ".join(chosen)


def sumy_system(summarizer_class: type) -> Callable[[list[Article]], str]:
    """sumy picks the top k sentences; k grows while the summary fits the word budget."""

    def run(articles: list[Article]) -> str:
        tokenizer = _Words()
        pool = sentences(articles)
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in pool])])
        summarizer = summarizer_class(Stemmer("english"))
        best = ""
        for k in range(1, len(pool) + 1):
            summary = " ".join(str(s) for s in summarizer(document, k))
            if len(summary.split()) > BUDGET and best:
                break
            best = summary
        return best

    return run


def centroid_system(articles: list[Article]) -> str:
    pool = sentences(articles)
    matrix = TfidfVectorizer().fit_transform(pool)
    centre = np.asarray(matrix.mean(axis=0)).ravel()
    scores = matrix @ centre
    ranked = [pool[i] for i in np.argsort(-scores, kind="stable")]
    return within_budget(ranked, BUDGET)


def newsfuse_system(articles: list[Article]) -> str:
    stories = build_stories(articles, Settings(summary_words=BUDGET))
    story = max(stories, key=lambda s: len(s.articles))
    return " ".join(s.text for s in story.summary)


SYSTEMS: dict[str, Callable[[list[Article]], str]] = {
    "newsfuse (extractive)": newsfuse_system,
    "LexRank (sumy)": sumy_system(LexRankSummarizer),
    "TextRank (sumy)": sumy_system(TextRankSummarizer),
    "LSA (sumy)": sumy_system(LsaSummarizer),
    "centroid (TF-IDF)": centroid_system,
}


def sample_quality(articles: list[Article]) -> dict[str, object]:
    stories = build_stories(articles, Settings())
    story = max(stories, key=lambda s: len(s.articles))
    multi = 0
    for sentence in story.summary:
        supporting = {c.article_id for c in sentence.citations}
        claim = next((c for c in story.claims if set(c.article_ids) == supporting), None)
        multi += int(claim is not None and claim.independent_outlets >= 2)
    vectors = [unit_vector(weighted_terms(s.text, None)) for s in story.summary]
    redundancy = max(
        (
            sum(w * b.get(t, 0.0) for t, w in a.items())
            for i, a in enumerate(vectors)
            for b in vectors[i + 1 :]
        ),
        default=0.0,
    )
    return {
        "system": "newsfuse on the sample story",
        "summary_sentences": len(story.summary),
        "share_2plus_outlets": multi / len(story.summary) if story.summary else 0.0,
        "redundancy": redundancy,
    }


def main() -> None:
    args = parse_args(__doc__ or "")
    settings = Settings()
    clusters, fixture_only = find_sets()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: dict[tuple[str, str], dict[str, list[float]]] = {}
    for set_name, cluster in clusters[: 5 if args.quick else None]:
        documents, _ = read_inputs([cluster / "articles"], settings)
        articles, _ = clean_documents(documents, settings)
        references = [
            p.read_text(encoding="utf-8") for p in sorted((cluster / "references").iterdir())
        ]
        for name, system in SYSTEMS.items():
            summary = system(articles)
            bucket = scores.setdefault((set_name, name), {"rouge1": [], "rouge2": [], "rougeL": []})
            for key in bucket:
                best = max(scorer.score(ref, summary)[key].fmeasure for ref in references)
                bucket[key].append(best)
    rows = [
        {
            "system": name,
            "set": set_name + (" (fixture: not a quality claim)" if fixture_only else ""),
            "clusters": len(values["rouge1"]),
            **{key: statistics.mean(v) for key, v in values.items()},
        }
        for (set_name, name), values in scores.items()
    ]
    sample, _ = read_inputs([SAMPLE], settings)
    rows.append(sample_quality(clean_documents(sample, settings)[0]))
    title = f"summaries, word budget {BUDGET}"
    if fixture_only:
        title += " — no set with reference summaries in ../shared/data yet: ran on the fixture"
    print_table(rows, args.json, title)


if __name__ == "__main__":
    main()
