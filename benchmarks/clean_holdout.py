"""How well the text cleaner's F1 holds on pages its constants were not chosen on.

The text cleaner's two region constants (`max_gap`, `neighbour_share` of `classify_lines`) were
chosen on the same 181 pages `benchmarks/clean.py` scores it on. Here the pages are split in
halves (by parity and by four seeded shuffles), the best constants of a grid are chosen on one
half and scored on the other, both ways. The mean held-out F1 is the number to trust; the
default's F1 on all pages is printed beside it. Run: python benchmarks/clean_holdout.py
[--quick] [--json]
"""

from __future__ import annotations

import inspect
import itertools
import random
import statistics
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean import load_pages, newsfuse_text, render_everything, scores, tp_fp_fn
from common import parse_args, print_table

import newsfuse.clean as cleaner
from newsfuse.clean.lines import classify_lines

_DEFAULTS = inspect.signature(classify_lines).parameters
DEFAULT = (_DEFAULTS["max_gap"].default, _DEFAULTS["neighbour_share"].default)
Scores = list[tuple[float, float, float]]


def per_page(texts: list[str], truths: list[str], constants: tuple[int, float]) -> Scores:
    """Each page's shingle counts with the cleaner run on these constants."""
    max_gap, share = constants
    # the cleaner reads the function by its module name: swap it for this run only
    cleaner.classify_lines = partial(classify_lines, max_gap=max_gap, neighbour_share=share)
    try:
        return [tp_fp_fn(t, newsfuse_text(x)) for t, x in zip(truths, texts, strict=True)]
    finally:
        cleaner.classify_lines = classify_lines


def halves(n: int, shuffles: int) -> list[tuple[list[int], list[int]]]:
    splits = [(list(range(0, n, 2)), list(range(1, n, 2)))]
    for seed in range(shuffles):
        order = list(range(n))
        random.Random(seed).shuffle(order)
        splits.append((sorted(order[: n // 2]), sorted(order[n // 2 :])))
    return splits + [(b, a) for a, b in splits]


def main() -> None:
    args = parse_args(__doc__ or "")
    pages = load_pages(False)[:: 3 if args.quick else 1]
    texts = [render_everything(html) for _, html, _ in pages]
    truths = [body for _, _, body in pages]
    gaps, shares = (
        ([2, 4, 8], [0.2, 0.5]) if args.quick else ([2, 3, 4, 5, 6, 8], [0.1, 0.2, 0.3, 0.5])
    )
    grid = list(itertools.product(gaps, shares))
    results = {constants: per_page(texts, truths, constants) for constants in grid}

    def f1(constants: tuple[int, float], pages: list[int]) -> float:
        return scores([results[constants][i] for i in pages])["f1"]

    rows: list[dict[str, object]] = []
    held_out = []
    for number, (train, test) in enumerate(halves(len(pages), 1 if args.quick else 4), start=1):
        # ties go to the default, then to the smaller constants (deterministic)
        chosen = max(grid, key=lambda c: (round(f1(c, train), 6), c == DEFAULT, [-x for x in c]))
        held_out.append(f1(chosen, test))
        rows.append(
            {
                "system": f"split {number}",
                "max_gap": chosen[0],
                "neighbour_share": chosen[1],
                "chosen_on_f1": f1(chosen, train),
                "held_out_f1": held_out[-1],
            }
        )
    rows.append(
        {
            "system": "mean over splits",
            "held_out_f1": statistics.mean(held_out),
            "min_held_out_f1": min(held_out),
        }
    )
    everything = list(range(len(pages)))
    rows.append(
        {
            "system": "default on all pages (in-sample)",
            "max_gap": DEFAULT[0],
            "neighbour_share": DEFAULT[1],
            "chosen_on_f1": f1(DEFAULT, everything),
            "grid_min_f1": min(f1(c, everything) for c in grid),
            "grid_max_f1": max(f1(c, everything) for c in grid),
        }
    )
    title = f"text cleaner held-out check, {len(pages)} pages" + (" (quick)" if args.quick else "")
    print_table(rows, args.json, title)


if __name__ == "__main__":
    main()
