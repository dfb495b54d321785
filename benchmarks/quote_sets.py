"""Quotes scored the way the Gender Gap Tracker scores them, on every quote set in ../shared/data
(a folder of article folders, each with `articles/000.txt` and a `quotes.json` of gold quotes
with `quote`, `speaker`, `speaker_resolved`, `is_direct`, `start`, `end`).

GGT's rule (NLP/evaluation/src/eval/evaluate_quotes.py of sfu-discourse-lab/GenderGapTracker):
a gold quote is found by the predicted quote that covers the largest share of its characters,
above a threshold (0.3 and 0.8); each predicted quote is used once; precision counts every
predicted quote, recall every gold one. GGT compares speaker spans; newsfuse gives a resolved
name instead, so the speaker is right when the predicted name shares a word with the gold
speaker or its resolved name (case-folded); a quote that goes on from an earlier one has only
a resolved name, and must get that one.

Offsets: the article is cleaned as `newsfuse run` cleans it, and each gold quote is found again
in the cleaned text (exactly, else with spaces and quote marks normalised); gold quotes that
cannot be placed are counted as missed and reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from common import SHARED_DATA

from newsfuse.analyze.quotes import story_quotes
from newsfuse.clean import clean_document
from newsfuse.config import Settings
from newsfuse.model import Article, RawDocument

THRESHOLDS = (0.3, 0.8)
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


@dataclass
class Span:
    start: int
    end: int
    speaker: str
    direct: bool
    aliases: set[str] = field(default_factory=set)


def quote_sets() -> dict[str, list[Path]]:
    """Article folders by set: any folder of ../shared/data whose subfolders hold quotes.json."""
    found: dict[str, list[Path]] = {}
    if not SHARED_DATA.exists():
        return found
    for set_dir in sorted(p for p in SHARED_DATA.iterdir() if p.is_dir()):
        folders = sorted(p.parent for p in set_dir.glob("*/quotes.json"))
        if folders:
            found[set_dir.name] = folders
    return found


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.casefold()) if len(w) > 1}


def _place(text: str, quote: str, hint: int) -> tuple[int, int] | None:
    """Where the gold quote stands in the cleaned text (nearest to its original offset)."""
    folded_text, folded_quote = text.translate(_FOLD), quote.translate(_FOLD).strip()
    starts = [m.start() for m in re.finditer(re.escape(folded_quote), folded_text)]
    if not starts:
        pattern = r"\s+".join(re.escape(w) for w in folded_quote.split())
        starts = [m.start() for m in re.finditer(pattern, folded_text)]
        if not starts:
            return None
        match = min(re.finditer(pattern, folded_text), key=lambda m: abs(m.start() - hint))
        return match.start(), match.end()
    start = min(starts, key=lambda s: abs(s - hint))
    return start, start + len(folded_quote)


def _coverage(gold: Span, predicted: Span) -> float:
    shared = min(gold.end, predicted.end) - max(gold.start, predicted.start)
    return max(shared, 0) / (gold.end - gold.start) if gold.end > gold.start else 0.0


def _speaker_right(gold: Span, predicted: Span) -> bool:
    """A quote that goes on from an earlier one has no gold speaker of its own but a resolved
    one (GGT counts any "floating" prediction right there; the resolved name is stricter)."""
    if not gold.aliases:
        return not predicted.speaker
    return bool(_words(predicted.speaker) & gold.aliases)


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    found: int = 0
    speaker_right: int = 0
    unplaced: int = 0
    gold_direct: int = 0
    found_direct: int = 0
    gold_indirect: int = 0
    found_indirect: int = 0

    def row(self) -> dict[str, float | int]:
        p = self.found / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "speaker_accuracy": self.speaker_right / self.found if self.found else 0.0,
            "recall_direct": self.found_direct / self.gold_direct if self.gold_direct else 0.0,
            "recall_indirect": (
                self.found_indirect / self.gold_indirect if self.gold_indirect else 0.0
            ),
            "predicted": self.predicted,
            "gold": self.gold,
            "gold_not_placed": self.unplaced,
        }


def score_folder(folder: Path, settings: Settings, tallies: dict[float, Tally]) -> None:
    raw = (folder / "articles" / "000.txt").read_text(encoding="utf-8")
    article = clean_document(RawDocument(source=str(folder), kind="text", content=raw), settings)
    text = article.text if isinstance(article, Article) else ""  # a skipped page: all missed
    gold: list[Span] = []
    unplaced = 0
    for item in json.loads((folder / "quotes.json").read_text(encoding="utf-8")):
        place = _place(text, item["quote"], item["start"])
        if place is None:
            unplaced += 1
            continue
        speaker = item.get("speaker") or ""
        aliases = _words(speaker) | _words(item.get("speaker_resolved") or "")
        gold.append(Span(*place, speaker, bool(item["is_direct"]), aliases))
    predicted = [
        Span(v.start, v.end, quote.speaker or "", quote.kind == "direct")
        for quote in (story_quotes([article]) if isinstance(article, Article) else [])
        for v in quote.variants
    ]
    for threshold, tally in tallies.items():
        tally.gold += len(gold) + unplaced
        tally.unplaced += unplaced
        tally.predicted += len(predicted)
        tally.gold_direct += sum(g.direct for g in gold)
        tally.gold_indirect += sum(not g.direct for g in gold)
        left = list(predicted)
        for g in gold:
            scored = [(_coverage(g, p), k) for k, p in enumerate(left)]
            best = max(scored, default=(0.0, -1))
            if best[0] <= threshold:
                continue
            match = left.pop(best[1])
            tally.found += 1
            tally.speaker_right += _speaker_right(g, match)
            tally.found_direct += g.direct
            tally.found_indirect += not g.direct


def quote_rows(quick: bool, settings: Settings) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, folders in quote_sets().items():
        tallies = {t: Tally() for t in THRESHOLDS}
        for folder in folders[:10] if quick else folders:
            score_folder(folder, settings, tallies)
        for threshold, tally in tallies.items():
            rows.append(
                {
                    "system": f"newsfuse quotes (GGT rule, overlap > {threshold})",
                    "set": name,
                    **tally.row(),
                }
            )
    return rows
