"""The whole path from raw inputs to stories with reports, as `newsfuse ingest` runs it.

Inputs (benchmarks/inputs.py): JSON Lines of raw HTML pages (the article-extraction pages)
and of article texts (the sample and ECB+), repeated with light perturbation as a stream of
about 1,700 articles a day. Each size is ingested by the `newsfuse ingest` command in a process
of its own, into a new SQLite store, with every story's report: articles per second, peak
memory of the whole process tree (the main process and its workers), and the share of the
main process's time per stage. Beside it, in the same run, a plain pipeline a user might
assemble on the same inputs: trafilatura (HTML) + scikit-learn TF-IDF + MiniBatchKMeans (and
average-link agglomerative up to 10k). Run: python benchmarks/pipeline.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, print_table, process_tree, pss_kb, serving, watched
from inputs import stream

BIN = Path(sys.executable).parent / "newsfuse"
CACHE = Path(tempfile.gettempdir()) / "newsfuse-bench"
BACKGROUND_SECONDS = 30
# Reading a process tree's memory (smaps_rollup) takes the kernel about 40 ms of CPU for a
# 1.5 GB ingest: every 0.2 s, that took about a tenth of a core from the two-core run it
# measured (seen on a 100k HTML ingest: the benchmark's own process used 9% of a core); once
# a second it takes a fiftieth, and a run of minutes is still read hundreds of times.
POLL_SECONDS = 1.0


def write_inputs(kind: str, n: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{kind}-{n}.jsonl.gz"
    if not path.exists():
        partial = path.with_suffix(".part")
        with gzip.open(partial, "wt", compresslevel=1) as fh:
            for record in stream(kind, n):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        partial.rename(path)
    return path


def _tree_pss_mb(pid: int) -> float:
    """Proportional memory of a process and all its descendants: pages the forked workers
    share with their parent count once, split between them."""
    return sum(pss_kb(p) for p in process_tree(pid)) * 1024 / 1e6


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run `command`; (seconds, peak PSS of its process tree in MB, stdout)."""
    peak = 0.0

    def look(pid: int) -> None:
        nonlocal peak
        peak = max(peak, _tree_pss_mb(pid))

    seconds, out = watched(command, POLL_SECONDS, look, env)
    return seconds, peak, out


def newsfuse_rows(kind: str, n: int, path: Path) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        timings = Path(tmp) / "timings.json"
        db = f"sqlite:///{tmp}/bench.db"
        seconds, peak, _ = measured(
            [str(BIN), "ingest", str(path), "--db", db, "-q", "--timings", str(timings)]
        )
        recorded = json.loads(timings.read_text())
        stages = recorded["seconds"]
        from newsfuse.store import Store

        with Store(db) as store:
            articles = store.article_count()
            stories = len(store.story_listing())
        total = sum(stages.values()) or 1.0
        row = {
            "system": "newsfuse ingest (with reports)",
            "input": kind,
            "articles": articles,
            "stories": stories,
            "articles_per_s": articles / seconds,
            "peak_mb": peak,
            "main_peak_rss_mb": recorded["peak_rss_main_mb"],
        }
        row |= {f"% {stage}": 100 * value / total for stage, value in stages.items()}
        rows = [row]
        if n >= 10_000:
            rows += add_one_rows(db, articles, Path(tmp))
    return rows


def add_one_rows(db: str, stored: int, folder: Path) -> list[dict]:
    """One more article into the store just filled: through `newsfuse ingest` (the whole
    command, which first reads the grouping state its article needs), as the stream's next
    article (dated an hour after the newest: it reads the recent window) and dated at the
    stream's start (the sample's own date: it reads every article after it, the worst case);
    and through `POST /api/articles` to a running server (latency, and the memory the server
    adds), as the stream's next articles: the first after the server started (it has read the
    grouping window in the background meanwhile) and the next one."""
    from newsfuse.store import Store

    text = (ROOT / "examples" / "nato-russia-2022-01" / "000_6ecc0430d32e5a14.txt").read_text()
    with Store(db) as store:
        newest = store.latest_activity() or time.time()
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(newest + 3600))
    following = folder / "next.jsonl"
    following.write_text(
        json.dumps(
            {"text": text + " One more sentence.", "date": moment, "url": "https://b.example/0"}
        )
    )
    one = folder / "one.txt"
    one.write_text(text + " Another sentence.")
    rows = []
    for path, which in ((following, "the stream's next"), (one, "dated at the stream's start")):
        seconds, peak, _ = measured([str(BIN), "ingest", str(path), "--db", db, "-q"])
        rows.append(
            {
                "system": f"add 1 article to the {stored} (newsfuse ingest, whole command, "
                f"{which})",
                "articles": 1,
                "seconds": seconds,
                "peak_mb": peak,
            }
        )
        stored += 1
    import httpx

    with serving(db) as (base, server):
        time.sleep(2)  # let the server finish any start-up work
        before = _tree_pss_mb(server.pid)
        for n, which in enumerate(["first", "next"], start=1):
            body = {
                "text": text + f" A sentence only copy number {n} has.",
                "url": f"https://b.example/{n}",
                "published": time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ", time.gmtime(newest + 3600 * (n + 1))
                ),
            }
            start = time.perf_counter()
            answer = httpx.post(base + "/api/articles", json=body, timeout=300)
            latency = time.perf_counter() - start
            if answer.status_code != 200:
                raise RuntimeError(answer.text)
            rows.append(
                {
                    "system": f"add 1 article to the {stored + n - 1} (POST /api/articles, "
                    f"{which} after the server started)",
                    "articles": 1,
                    "seconds": latency,
                    "added_mb": _tree_pss_mb(server.pid) - before,
                }
            )
        # the changed stories' reports are rebuilt in the background, in a process of the
        # server's: the memory it takes counts too, at its peak
        peak = before
        for _ in range(int(BACKGROUND_SECONDS / 0.2)):
            peak = max(peak, _tree_pss_mb(server.pid))
            time.sleep(0.2)
        rows.append(
            {
                "system": "the server's background report rebuild after those two",
                "added_mb": peak - before,
            }
        )
    return rows


def baseline_row(kind: str, n: int, path: Path, method: str) -> dict:
    command = [sys.executable, __file__, "--baseline", str(path), "--method", method]
    seconds, peak, out = measured(command)
    result = json.loads(out)
    name = {
        "kmeans": "trafilatura + TF-IDF + MiniBatchKMeans",
        "agglomerative": "trafilatura + TF-IDF + agglomerative (average)",
    }[method]
    if kind == "text":
        name = name.replace("trafilatura + ", "")
    return {
        "system": name,
        "input": kind,
        "articles": result["articles"],
        "stories": result["stories"],
        "articles_per_s": result["articles"] / seconds,
        "peak_mb": peak,
    }


def baseline(path: Path, method: str) -> None:
    """The plain pipeline, in its own process: extraction, TF-IDF, clustering."""
    import numpy as np
    import trafilatura
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = []
    with gzip.open(path, "rt") as fh:
        for line in fh:
            record = json.loads(line)
            text = record.get("text") or trafilatura.extract(record["html"]) or ""
            texts.append(text)
    matrix = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5).fit_transform(texts)
    if method == "kmeans":
        dense = TruncatedSVD(100, random_state=0).fit_transform(matrix)
        dense /= np.linalg.norm(dense, axis=1, keepdims=True) + 1e-9
        k = max(2, len(texts) // 10)
        labels = MiniBatchKMeans(k, n_init=1, batch_size=4096, random_state=0).fit_predict(dense)
    else:
        distances = 1.0 - (matrix @ matrix.T).toarray()
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.7
        ).fit_predict(np.clip(distances, 0, 2))
    print(json.dumps({"articles": len(texts), "stories": len(set(labels))}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1k articles of each kind")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--kinds", default="text,html")
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--method", default="kmeans", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline, args.method)
        return
    if find_spec("httpx") is None:  # the add-one rows come after the runs: fail before them
        parser.error("httpx is missing: pip install -e '.[bench]'")
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows = []
    for kind in args.kinds.split(","):
        for n in sizes:
            path = write_inputs(kind, n)
            rows += newsfuse_rows(kind, n, path)
            rows.append(baseline_row(kind, n, path, "kmeans"))
            if n <= 10_000:
                rows.append(baseline_row(kind, n, path, "agglomerative"))
            if not args.json:
                print_table(rows[-5:], False)
    print_table(rows, args.json, f"pipeline: raw inputs to stories ({os.cpu_count()} cores)")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
