"""Raw benchmark inputs: real pages and texts from ../shared/data (and the sample), repeated
with light perturbation and spread over time like a news stream, written as JSON Lines files
the way a crawl dump or a feed archive hands them over.

- `html`: the 181 article-extraction pages, raw HTML with a URL and a date per record;
- `text`: the sample's 5 and ECB+'s 982 article texts with their titles.

Every copy has about a tenth of its words swapped for words of other documents (so copies are
related, not duplicates) and a date; the stream runs at about 1,700 articles a day (so 1k
articles span a day, 100k about 60 days) and copies of one original recur through it.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import ROOT, SHARED_DATA

ARTICLES_PER_DAY = 1_700
SWAP_SHARE = 0.1
START = datetime(2024, 3, 1, tzinfo=UTC)
_TEXT_NODE = re.compile(r">([^<>]{20,})<")
_WORD = re.compile(r"\b[^\W\d_]{3,}\b")


def html_originals() -> list[dict]:
    folder = SHARED_DATA / "article-extraction-benchmark" / "html"
    return [
        {"html": gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), "key": path.stem}
        for path in sorted(folder.glob("*.html.gz"))
    ]


def text_originals() -> list[dict]:
    records = []
    for path in sorted((ROOT / "examples" / "nato-russia-2022-01").glob("*.txt")):
        records.append({"text": path.read_text(), "key": path.stem})
    with (SHARED_DATA / "ecbplus" / "ecbplus.jsonl").open() as fh:
        for line in fh:
            record = json.loads(line)
            records.append(
                {"text": record["text"], "title": record.get("title"), "key": record["id"]}
            )
    return records


def _swap_words(text: str, vocabulary: list[str], rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        if rng.random() < SWAP_SHARE:
            return vocabulary[rng.randrange(len(vocabulary))]
        return match.group(0)

    return _WORD.sub(swap, text)


def stream(kind: str, n: int, seed: int = 11) -> Iterator[dict]:
    """`n` records of `kind` ("html" or "text") in publication order, made as they are read
    (100k raw pages held at once took over 13 GB)."""
    originals = html_originals() if kind == "html" else text_originals()
    rng = random.Random(seed)
    field = "html" if kind == "html" else "text"
    vocabulary = sorted({w for o in originals[:200] for w in _WORD.findall(o[field])})
    for k in range(n):
        original = originals[rng.randrange(len(originals))]
        moment = START + timedelta(days=k / ARTICLES_PER_DAY, minutes=rng.randrange(60))
        if kind == "html":
            body = _TEXT_NODE.sub(
                lambda m: ">" + _swap_words(m.group(1), vocabulary, rng) + "<", original["html"]
            )
        else:
            body = _swap_words(original["text"], vocabulary, rng)
        record = {
            field: body,
            "url": f"https://{kind}.example/{original['key']}/{k}",
            "date": moment.isoformat(),
        }
        if original.get("title"):
            record["title"] = original["title"]
        yield record


def write_stream(kind: str, n: int, folder: Path) -> Path:
    path = folder / f"{kind}-{n}.jsonl"
    if not path.exists():
        with path.open("w") as fh:
            for record in stream(kind, n):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
