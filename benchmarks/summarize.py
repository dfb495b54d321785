"""Summary quality: ROUGE-1/2/L of newsfuse against sumy's LexRank, TextRank, LSA, a TF-IDF
centroid baseline and a lead baseline (first sentences of each article in turn), with the
greedy ROUGE oracle as an upper bound, all under the same word budgets (120 words and the set's
mean reference length), on every multi-document set with human reference summaries (folder
format: benchmarks/fixtures/summaries/README.md). Each cluster is summarised as one story (how
articles are grouped is benchmarks/group.py's question). For the sample story it also prints
the share of summary sentences backed by two or more independent outlets and the redundancy
(highest similarity between two summary sentences).
Run: python benchmarks/summarize.py [--quick] [--json]   (--quick: 20 clusters a set)
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer, tokenizers
from sklearn.feature_extraction.text import TfidfVectorizer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SHARED_DATA, parse_args, print_table

from newsfuse.analyze.seeds import dot
from newsfuse.config import Settings
from newsfuse.index import unit_vector, weighted_terms
from newsfuse.model import Article
from newsfuse.pipeline import assemble_story, build_stories, clean_documents, read_inputs

SAMPLE = ROOT / "examples" / "nato-russia-2022-01"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "summaries"
QUICK_CLUSTERS = 20

System = Callable[[list[Article], int, list[str]], str]


class _Words:
    """sumy's tokenizer interface over our own sentence spans (no NLTK data needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"\w+", sentence)


def find_sets() -> tuple[dict[str, list[Path]], bool]:
    """Cluster folders by set from ../shared/data (a set is a folder whose clusters have
    `articles/` and `references/`), else the fixture (flag True)."""
    found: dict[str, list[Path]] = {}
    for set_dir in (
        sorted(p for p in SHARED_DATA.iterdir() if p.is_dir()) if SHARED_DATA.exists() else []
    ):
        clusters = [
            c
            for c in sorted(set_dir.iterdir())
            if (c / "articles").is_dir() and (c / "references").is_dir()
        ]
        if clusters:
            found[set_dir.name] = clusters
    if found:
        return found, False
    return {
        FIXTURES.name: [c for c in sorted(FIXTURES.iterdir()) if (c / "articles").is_dir()]
    }, True


def sentences(articles: list[Article]) -> list[str]:
    return [a.text[s.start : s.end] for a in articles for s in a.sentences]


def within_budget(ranked: list[str], budget: int) -> str:
    """Best first, skipping what does not fit, until the budget is filled: the rule every
    system's selection goes through."""
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


def sumy_system(summarizer_class: type) -> System:
    """sumy ranks every sentence (asked for all of them it keeps document order, so the rank
    is read from its ratings)."""

    def run(articles: list[Article], budget: int, _: list[str]) -> str:
        tokenizer = _Words()
        pool = sentences(articles)
        if not pool:
            return ""
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in pool])])
        summarizer = summarizer_class(Stemmer("english"))
        best = ""
        for k in range(1, len(pool) + 1):
            summary = " ".join(str(s) for s in summarizer(document, k))
            if len(summary.split()) > budget and best:
                break
            best = summary
        return best

    return run


def centroid_system(articles: list[Article], budget: int, _: list[str]) -> str:
    pool = sentences(articles)
    if not pool:
        return ""
    matrix = TfidfVectorizer().fit_transform(pool)
    centre = np.asarray(matrix.mean(axis=0)).ravel()
    scores = matrix @ centre
    ranked = [pool[i] for i in np.argsort(-scores, kind="stable")]
    return within_budget(ranked, budget)


def lead_system(articles: list[Article], budget: int, _: list[str]) -> str:
    """First sentence of each article in turn, then the second of each, and so on."""
    per_article = [[a.text[s.start : s.end] for s in a.sentences] for a in articles]
    depth = max((len(p) for p in per_article), default=0)
    ranked = [p[i] for i in range(depth) for p in per_article if i < len(p)]
    return within_budget(ranked, budget)


_TOKENIZER = tokenizers.DefaultTokenizer(use_stemmer=True)


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, produced: int, wanted: int) -> float:
    return 2 * overlap / (produced + wanted) if produced + wanted else 0.0


def oracle_system(articles: list[Article], budget: int, references: list[str]) -> str:
    """Upper bound: greedily add the sentence that raises ROUGE-1 + ROUGE-2 F1 against the
    (first) reference most, while it fits the budget."""
    pool = sentences(articles)
    reference = _TOKENIZER.tokenize(references[0])
    wanted = [_ngrams(reference, 1), _ngrams(reference, 2)]
    tokens = [_TOKENIZER.tokenize(s) for s in pool]
    chosen: list[int] = []
    summary_tokens: list[list[str]] = []
    words = 0
    current = 0.0
    while True:
        best, best_value = -1, current
        for i, sentence in enumerate(pool):
            n = len(sentence.split())
            if i in chosen or words + n > budget:
                continue
            candidate = [t for part in [*summary_tokens, tokens[i]] for t in part]
            value = 0.0
            for order, target in enumerate(wanted, start=1):
                produced = _ngrams(candidate, order)
                overlap = sum((produced & target).values())
                value += _f1(overlap, sum(produced.values()), sum(target.values()))
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        summary_tokens.append(tokens[best])
        words += len(pool[best].split())
        current = best_value
    return " ".join(pool[i] for i in chosen)


def newsfuse_system(articles: list[Article], budget: int, _: list[str]) -> str:
    story = assemble_story("s", articles, None, Settings(summary_words=budget))
    return " ".join(s.text for s in story.summary)


SYSTEMS: dict[str, System] = {
    "newsfuse (extractive)": newsfuse_system,
    "lead (first sentences in turn)": lead_system,
    "centroid (TF-IDF)": centroid_system,
    "LexRank (sumy)": sumy_system(LexRankSummarizer),
    "TextRank (sumy)": sumy_system(TextRankSummarizer),
    "LSA (sumy)": sumy_system(LsaSummarizer),
    "oracle (greedy ROUGE, upper bound)": oracle_system,
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
        (dot(a, b) for i, a in enumerate(vectors) for b in vectors[i + 1 :]), default=0.0
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
    sets, fixture_only = find_sets()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows: list[dict[str, object]] = []
    for set_name, clusters in sets.items():
        clusters = clusters[:QUICK_CLUSTERS] if args.quick else clusters
        loaded = []
        for cluster in clusters:
            documents, _ = read_inputs([cluster / "articles"], settings)
            articles, _ = clean_documents(documents, settings)
            references = [
                p.read_text(encoding="utf-8") for p in sorted((cluster / "references").iterdir())
            ]
            loaded.append((articles, references))
        mean_reference = round(statistics.mean(len(r.split()) for _, refs in loaded for r in refs))
        label = set_name + (" (fixture: not a quality claim)" if fixture_only else "")
        for budget in sorted({settings.summary_words, mean_reference}):
            for name, system in SYSTEMS.items():
                bucket: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
                for articles, references in loaded:
                    summary = system(articles, budget, references)
                    for key, values in bucket.items():
                        values.append(
                            max(scorer.score(ref, summary)[key].fmeasure for ref in references)
                        )
                rows.append(
                    {
                        "set": label,
                        "budget": budget,
                        "system": name,
                        "clusters": len(loaded),
                        **{key: statistics.mean(v) for key, v in bucket.items()},
                    }
                )
    sample, _ = read_inputs([SAMPLE], settings)
    rows.append(sample_quality(clean_documents(sample, settings)[0]))
    print_table(rows, args.json, "summaries (ROUGE F1 with stemming, best over references)")


if __name__ == "__main__":
    main()
