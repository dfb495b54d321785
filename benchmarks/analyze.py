"""Story analysis quality on labelled real articles, and conflict detection on planted conflicts.

Labelled stories: every `*.json` in benchmarks/gold/ and every `gold.json` under
../shared/data/ (format: benchmarks/gold/README.md). For each: precision/recall of quotes with
the right speaker, of timeline dates, of claim support (files per claim), and of conflicts.
Parallel sets (grouping sets whose stories are translations line by line, e.g. meantime-dev):
claim alignment, quote merging and false conflicts across languages (benchmarks/claim_sets.py).
Quote sets (every folder of ../shared/data with */quotes.json, e.g. ggt-quotes-dev): quotes
scored as the Gender Gap Tracker scores them (benchmarks/quote_sets.py).
Planted conflicts: copies of real articles (the sample, and pages of the article-extraction
benchmark) in which one date or number was changed, each story made of the original, an
unchanged copy and the changed copy: recall on the changes, false alarms per story.
Run: python benchmarks/analyze.py [--quick] [--json]
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_sets import claim_alignment_rows, quote_merge_rows, translation_conflict_rows
from clean import load_pages
from common import SHARED_DATA, parse_args, print_table
from quote_sets import quote_rows

from newsfuse.analyze import analyze_story
from newsfuse.config import Settings
from newsfuse.model import Article, RawDocument, Story
from newsfuse.pipeline import build_stories, clean_documents, read_inputs

GOLD_DIR = Path(__file__).resolve().parent / "gold"


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.json")) + sorted(SHARED_DATA.glob("*/gold.json"))


def _norm(text: str) -> str:
    return (
        re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"'))
        .strip()
        .casefold()
    )


def _prf(true_positive_p: int, predicted: int, true_positive_r: int, gold: int) -> dict[str, float]:
    p = true_positive_p / predicted if predicted else 0.0
    r = true_positive_r / gold if gold else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "predicted": predicted,
        "gold": gold,
    }


def load_story(gold_path: Path, settings: Settings) -> tuple[Story, dict[str, Article]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folder = (gold_path.parent / gold["articles"]).resolve()
    documents, _ = read_inputs([folder], settings)
    articles, _ = clean_documents(documents, settings)
    stories = build_stories(articles, settings)
    story = max(stories, key=lambda s: len(s.articles))
    by_file = {Path(a.source).name: a for s in stories for a in s.articles}
    return story, by_file


def score_quotes(story: Story, by_file: dict[str, Article], gold: list[dict]) -> dict[str, float]:
    file_of = {a.id: name for name, a in by_file.items()}
    predicted = [
        (file_of[v.article_id], _norm(v.text), q.speaker)
        for q in story.quotes
        for v in q.variants
        if q.speaker
    ]

    def hits(item: tuple[str, str, str | None], g: dict) -> bool:
        return item[0] == g["file"] and (_norm(g["text"]) in item[1] or item[1] in _norm(g["text"]))

    right_p = sum(1 for p in predicted if any(hits(p, g) and p[2] == g["speaker"] for g in gold))
    right_r = sum(1 for g in gold if any(hits(p, g) and p[2] == g["speaker"] for p in predicted))
    return _prf(right_p, len(predicted), right_r, len(gold))


def _sentence_of(article: Article, start: int, end: int) -> str:
    return _norm(article.text[start:end])


def score_timeline(story: Story, by_file: dict[str, Article], gold: list[dict]) -> dict[str, float]:
    file_of = {a.id: name for name, a in by_file.items()}
    articles = {a.id: a for a in story.articles}
    predicted = {
        (file_of[c.article_id], _sentence_of(articles[c.article_id], c.start, c.end), e.date)
        for e in story.timeline
        for c in e.citations
    }

    def hits(p: tuple[str, str, str], g: dict) -> bool:
        return p[0] == g["file"] and _norm(g["text"]) in p[1] and p[2] == g["date"]

    right_p = sum(1 for p in predicted if any(hits(p, g) for g in gold))
    right_r = sum(1 for g in gold if any(hits(p, g) for p in predicted))
    return _prf(right_p, len(predicted), right_r, len(gold))


def score_claims(story: Story, by_file: dict[str, Article], gold: list[dict]) -> dict[str, float]:
    """For each gold claim, the predicted claim holding its first sentence: files found right
    (a file that states the claim twice lists both sentences; either is right)."""
    file_of = {a.id: name for name, a in by_file.items()}
    articles = {a.id: a for a in story.articles}
    found_right = found_total = gold_total = 0
    for item in gold:
        files = {f: [t] if isinstance(t, str) else t for f, t in item["files"].items()}
        first_file, first_texts = next(iter(files.items()))
        claim = next(
            (
                c
                for c in story.claims
                if any(
                    file_of[x.article_id] == first_file
                    and _norm(first_texts[0])
                    in _sentence_of(articles[x.article_id], x.start, x.end)
                    for x in c.citations
                )
            ),
            None,
        )
        gold_total += len(files)
        if claim is None:
            continue
        predicted_files = {
            file_of[x.article_id]: _sentence_of(articles[x.article_id], x.start, x.end)
            for x in claim.citations
        }
        found_total += len(predicted_files)
        found_right += sum(
            1
            for f, sentence in predicted_files.items()
            if any(_norm(text) in sentence for text in files.get(f, []))
        )
    return _prf(found_right, found_total, found_right, gold_total)


def score_conflicts(
    story: Story, by_file: dict[str, Article], gold: list[dict]
) -> dict[str, float]:
    file_of = {a.id: name for name, a in by_file.items()}
    articles = {a.id: a for a in story.articles}

    def matches(conflict, g: dict) -> bool:  # type: ignore[no-untyped-def]
        values = {v.value: v for v in conflict.values}
        for value, where in g["values"].items():
            side = values.get(value)
            if side is None:
                return False
            if not all(
                any(
                    file_of[c.article_id] == f
                    and _norm(t) in _sentence_of(articles[c.article_id], c.start, c.end)
                    for c in side.citations
                )
                for f, t in where.items()
            ):
                return False
        return True

    right_p = sum(1 for c in story.conflicts if any(matches(c, g) for g in gold))
    right_r = sum(1 for g in gold if any(matches(c, g) for c in story.conflicts))
    return _prf(right_p, len(story.conflicts), right_r, len(gold))


# --- planted conflicts ----------------------------------------------------------------------

_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December))\b|\b((?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+)(\d{1,2})\b"
)
_NUMBER = re.compile(r"(?<![\w.,])(\d{2,})(?![\w.,]\d)")


def plant(article: Article, rng: random.Random) -> tuple[Article, str, str] | None:
    """A copy of `article` with one date or number changed: (copy, old value, new value)."""
    text = article.text
    choices = [("date", m) for m in _DAY_MONTH.finditer(text)]
    choices += [
        ("number", m)
        for m in _NUMBER.finditer(text)
        if not re.fullmatch(r"(19|20)\d\d", m.group(1))
    ]
    if not choices:
        return None
    kind, match = choices[rng.randrange(len(choices))]
    if kind == "date":
        day_group = 1 if match.group(1) else 4
        day = int(match.group(day_group))
        new_day = day + 1 if day < 28 else day - 1
        start, end = match.span(day_group)
        old, new = str(day), str(new_day)
    else:
        start, end = match.span(1)
        old = match.group(1)
        new = str(int(old) + max(1, int(old) // 10))
    changed = text[:start] + new + text[end:]
    copy = article.model_copy(
        update={"id": article.id + "-changed", "text": changed, "outlet": "Planted changed copy"}
    )
    return copy, old, new


def planted_rows(quick: bool, settings: Settings) -> list[dict]:
    rng = random.Random(11)
    documents, _ = read_inputs(
        [Path(__file__).resolve().parent.parent / "examples" / "nato-russia-2022-01"], settings
    )
    bases, _ = clean_documents(documents, settings)
    pages = load_pages(quick)
    page_docs = [RawDocument(source=k, kind="html", content=h) for k, h, _ in pages]
    bases += clean_documents(page_docs, settings)[0]
    found = stories = false_alarms = 0
    for base in bases:
        planted = plant(base, rng)
        if planted is None:
            continue
        changed, _old, _new = planted
        unchanged = base.model_copy(
            update={"id": base.id + "-copy", "outlet": "Planted unchanged copy"}
        )
        original = base.model_copy(update={"outlet": base.outlet or "Original"})
        analysis = analyze_story([original, unchanged, changed])
        stories += 1
        hit = False
        for conflict in analysis.conflicts:
            # a hit: the changed copy stands on one side, the unchanged articles on another
            sides = [{c.article_id for c in v.citations} for v in conflict.values]
            if any(changed.id in s for s in sides) and any(changed.id not in s for s in sides):
                hit = True
            else:
                false_alarms += 1
        found += int(hit)
    return [
        {
            "system": "newsfuse conflicts: planted changes",
            "stories": stories,
            "recall": found / stories if stories else 0.0,
            "false_alarms_per_story": false_alarms / stories if stories else 0.0,
        }
    ]


def main() -> None:
    args = parse_args(__doc__ or "")
    settings = Settings()
    rows = []
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        story, by_file = load_story(path, settings)
        for name, key, scorer in (
            ("quotes with speaker", "quotes", score_quotes),
            ("timeline dates", "timeline", score_timeline),
            ("claim support", "claims", score_claims),
            ("conflicts", "conflicts", score_conflicts),
        ):
            row = {"system": f"newsfuse {name}", "set": gold.get("name", path.stem)}
            row |= scorer(story, by_file, gold.get(key, []))
            rows.append(row)
    rows += claim_alignment_rows(args.quick)
    rows += quote_merge_rows(args.quick)
    rows += translation_conflict_rows(args.quick)
    rows += quote_rows(args.quick, settings)
    rows += planted_rows(args.quick, settings)
    print_table(rows, args.json, "story analysis" + (" (quick)" if args.quick else ""))


if __name__ == "__main__":
    main()
