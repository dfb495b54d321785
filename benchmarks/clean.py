"""Article extraction quality and speed on ../shared/data/article-extraction-benchmark.

HTML path: newsfuse against trafilatura, readability-lxml and jusText, in this process.
Text path: each page rendered to plain text with everything kept (html-text), then cleaned by
newsfuse's text cleaner, against keeping everything and a C4-style line filter.
Metric: the benchmark's own (word 4-gram shingles; precision and recall averaged over pages,
F1 from the two averages). Run: python benchmarks/clean.py [--quick] [--json]
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SHARED_DATA, parse_args, peak_memory_mb, print_table, timed

from newsfuse.clean import clean_document
from newsfuse.clean.line_rules import forget_lines
from newsfuse.config import Settings
from newsfuse.model import RawDocument, Skipped

DATA = SHARED_DATA / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")


# --- the benchmark's metric ---------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle counts matched, extra and missing, normalised so long pages weigh the same."""
    t, p = shingles(true), shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(pairs: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*x) for x in pairs if x[0] + x[1] > 0)
    r = statistics.mean(recall(*x) for x in pairs if x[0] + x[2] > 0)
    exact = sum(1 for x in pairs if x[1] == x[2] == 0) / len(pairs)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r, "accuracy": exact}


# --- systems --------------------------------------------------------------------------------

SETTINGS = Settings()


def newsfuse_html(html: str) -> str:
    article = clean_document(RawDocument(source="page", kind="html", content=html), SETTINGS)
    return "" if isinstance(article, Skipped) else article.text


def trafilatura_html(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def readability_html(html: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return str(lxml_html.fromstring(summary).text_content()) if summary.strip() else ""


def justext_html(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def render_everything(html: str) -> str:
    """The plain-text rendering of the whole page, as a scraper that flattens HTML gives it."""
    import html_text

    return str(html_text.extract_text(html, guess_layout=True))


def keep_everything(text: str) -> str:
    return text


_C4_TERMINAL = re.compile(r"""[.!?]["'”’)]?$""")


def c4_filter(text: str) -> str:
    """C4's line rules: terminal punctuation, at least 3 words, no javascript/cookie notices."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        lowered = line.lower()
        if (
            _C4_TERMINAL.search(line)
            and len(line.split()) >= 3
            and "javascript" not in lowered
            and "cookie" not in lowered
        ):
            kept.append(line)
    return "\n".join(kept)


def newsfuse_text(text: str) -> str:
    article = clean_document(RawDocument(source="page.txt", kind="text", content=text), SETTINGS)
    return "" if isinstance(article, Skipped) else article.text


HTML_SYSTEMS: dict[str, Callable[[str], str]] = {
    "newsfuse (html)": newsfuse_html,
    "trafilatura": trafilatura_html,
    "readability-lxml": readability_html,
    "justext": justext_html,
}
TEXT_SYSTEMS: dict[str, Callable[[str], str]] = {
    "newsfuse text cleaner": newsfuse_text,
    "keep everything": keep_everything,
    "C4-style line filter": c4_filter,
}


def load_pages(quick: bool) -> list[tuple[str, str, str]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((DATA / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, raw.decode("utf-8", errors="replace"), truth[key]["articleBody"]))
    return pages[::6] if quick else pages


def measure(
    systems: dict[str, Callable[[str], str]], path: str, inputs: list[str], truths: list[str]
) -> list[dict[str, object]]:
    """One row per system: the benchmark's scores, throughput and peak memory. Throughput is
    measured in steady state, as a long run sees it: every system first reads the pages once,
    so that one-off costs (dateparser compiling a language's patterns, a model loading) are
    not counted; newsfuse's memos of lines it classified are then emptied, so that nothing
    read before is reused."""
    rows = []
    for name, system in systems.items():
        for page in inputs:
            system(page)
        forget_lines()
        predictions, speed = timed(system, inputs)
        row: dict[str, object] = {"system": name, "path": path, "pages": len(inputs)}
        row |= scores([tp_fp_fn(t, p) for t, p in zip(truths, predictions, strict=True)])
        row |= {"pages_per_s": speed, "peak_mb": peak_memory_mb(system, inputs[:10])}
        rows.append(row)
    return rows


def main() -> None:
    args = parse_args(__doc__ or "")
    pages = load_pages(args.quick)
    htmls = [html for _, html, _ in pages]
    truths = [body for _, _, body in pages]
    newsfuse_html(htmls[0])  # load models once, outside the timings
    rows = measure(HTML_SYSTEMS, "html", htmls, truths)
    rendered = [render_everything(html) for html in htmls]
    rows += measure(TEXT_SYSTEMS, "text", rendered, truths)
    title = f"article-extraction-benchmark, {len(pages)} pages" + (" (quick)" if args.quick else "")
    print_table(rows, args.json, title)


if __name__ == "__main__":
    main()
