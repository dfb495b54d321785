"""Claim alignment across languages, on every grouping set whose stories are translations of one
text line by line (grouping_sets.toml: `parallel = "<language field>"`, e.g. meantime-dev).

Each story's versions (one per language) are analysed as one story; the gold says line i of one
version states what line i of every other version states. Only stories whose versions have the
same number of lines are scored (a translator who merged or split a sentence shifts the rest).
Scored: pairs of lines of different versions that one claim holds (a line that holds several
statements counts once per pair), precision and recall against the gold pairs. Systems: the
claim aligner with terms only, and with the multilingual sentence encoder (the default).
Quotes: pairs of wordings in two languages that one merged quote holds, and the share of them
on the same line (quotes have no gold here; a translator who split a line shifts a few).
Conflicts: faithful translations disagree on nothing, so every conflict found between a
story's versions (a number written the language's way, "5.000" / "5,000") is a false alarm.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

from clustering import CONFIG, record_document
from common import SHARED_DATA

from newsfuse.analyze import analyze_story
from newsfuse.analyze.alignment import align_sentences
from newsfuse.analyze.meaning import sentence_meaning
from newsfuse.analyze.quotes import story_quotes
from newsfuse.config import Settings
from newsfuse.model import Article
from newsfuse.pipeline import clean_documents

Pair = tuple[tuple[str, int], tuple[str, int]]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@lru_cache(maxsize=2)
def parallel_stories(quick: bool) -> dict[str, list[list[Article]]]:
    """Per set, each story's versions as cleaned articles (source = the version's language),
    cleaned once for claims and quotes."""
    config = tomllib.loads(CONFIG.read_text())
    found: dict[str, list[list[Article]]] = {}
    for name, entry in config.items():
        path = SHARED_DATA / entry["file"]
        if "parallel" not in entry or not path.exists():
            continue
        versions: defaultdict[str, list[dict]] = defaultdict(list)
        for line in path.open(encoding="utf-8"):
            if line.strip():
                record = json.loads(line)
                versions[str(record[entry["label"]])].append(record)
        stories = [
            records
            for _, records in sorted(versions.items())
            if len(records) > 1 and len({len(_lines(r["text"])) for r in records}) == 1
        ]
        stories = stories[:8] if quick else stories
        cleaned = [
            clean_documents(
                [
                    record_document(
                        f"{r[entry['parallel']]}:{n}", r, f"{name} {r[entry['parallel']]}"
                    )
                    for n, r in enumerate(records)
                ],
                Settings(),
            )[0]
            for records in stories
        ]
        # cleaning must keep every line for the line numbers to hold
        found[name] = [s for s in cleaned if len({len(_lines(a.text)) for a in s}) == 1]
    return found


def _systems() -> list[tuple[str, Settings]]:
    """The claim aligner with terms only and with the multilingual sentence encoder."""
    return [
        ("terms only", Settings(claim_encoder="none")),
        ("terms + sentence encoder", Settings(claim_encoder="use-multilingual")),
    ]


def _line_of(article: Article, start: int) -> int:
    """Index of the non-empty line of the article's text that holds offset `start`."""
    return (
        len(_lines(article.text[:start].rsplit("\n", 1)[0])) if "\n" in article.text[:start] else 0
    )


def predicted_pairs(versions: Sequence[Article], settings: Settings) -> set[Pair]:
    found: set[Pair] = set()
    for group in align_sentences(versions, sentence_meaning(settings)):
        lines = sorted({(m.article.source, _line_of(m.article, m.start)) for m in group.members})
        found.update((a, b) for a, b in combinations(lines, 2) if a[0] != b[0])
    return found


def gold_pairs(versions: Sequence[Article]) -> set[Pair]:
    count = len(_lines(versions[0].text))
    sources = sorted(a.source for a in versions)
    return {((a, i), (b, i)) for i in range(count) for a, b in combinations(sources, 2) if a != b}


def claim_alignment_rows(quick: bool) -> list[dict]:
    rows = []
    for name, stories in parallel_stories(quick).items():
        for system, settings in _systems():
            right = predicted = gold = 0
            for versions in stories:
                found, truth = predicted_pairs(versions, settings), gold_pairs(versions)
                right += len(found & truth)
                predicted += len(found)
                gold += len(truth)
            p = right / predicted if predicted else 0.0
            r = right / gold if gold else 0.0
            rows.append(
                {
                    "system": f"newsfuse claim alignment across languages, {system}",
                    "set": name,
                    "precision": p,
                    "recall": r,
                    "f1": 2 * p * r / (p + r) if p + r else 0.0,
                    "predicted": predicted,
                    "gold": gold,
                    "stories": len(stories),
                }
            )
    return rows


def quote_merge_rows(quick: bool) -> list[dict]:
    rows = []
    for name, stories in parallel_stories(quick).items():
        for system, settings in _systems():
            pairs = same_line = 0
            for versions in stories:
                by_id = {a.id: a for a in versions}
                for quote in story_quotes(versions, None, sentence_meaning(settings)):
                    places = [
                        (by_id[v.article_id].source, _line_of(by_id[v.article_id], v.start))
                        for v in quote.variants
                    ]
                    for a, b in combinations(places, 2):
                        if a[0] != b[0]:
                            pairs += 1
                            same_line += int(a[1] == b[1])
            rows.append(
                {
                    "system": f"newsfuse quotes merged across languages, {system}",
                    "set": name,
                    "pairs": pairs,
                    "same_line": same_line / pairs if pairs else 0.0,
                    "stories": len(stories),
                }
            )
    return rows


def translation_conflict_rows(quick: bool) -> list[dict]:
    rows = []
    for name, stories in parallel_stories(quick).items():
        for system, settings in _systems():
            found = sum(
                len(analyze_story(versions, sentence_meaning(settings)).conflicts)
                for versions in stories
            )
            rows.append(
                {
                    "system": f"newsfuse conflicts between translations (false alarms), {system}",
                    "set": name,
                    "stories": len(stories),
                    "false_alarms_per_story": found / len(stories) if stories else 0.0,
                }
            )
    return rows
