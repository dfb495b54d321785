"""`newsfuse spark` against the single-process `newsfuse ingest`, on this machine.

Speed: the generated inputs of the pipeline benchmark (benchmarks/pipeline.py, JSON Lines
of article texts, or with `--kinds html` of raw HTML pages, as a stream of about 1,700 articles
a day), run by `newsfuse spark` in local[1] and local[2] and by `newsfuse ingest` (one process
and its cleaning workers, into a new SQLite store), each command in a process of its own,
reports included: articles per second, the speed-up of local[2] over local[1], and peak memory
(PSS) of the whole process tree and of its parts: the driver's Python, the JVM (in local
mode the driver's and the executors' JVM are one) and the executors' Python workers.

Agreement and quality (ECB+, all of it, from ../shared/data): the stories of the Spark run
against those of `newsfuse run` (one batch: B-cubed must be 1.0) and of `newsfuse ingest`
(batches of `ingest_batch`), and against the gold events.

Run: python benchmarks/spark.py [--quick] [--sizes 10000,100000] [--kinds text,html]
[--rounds 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clustering import bcubed
from common import ROOT, print_table, process_tree, pss_kb, watched
from pipeline import BIN, write_inputs

ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "driver"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            command = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "other"
    if "java" in command.split(" ", 1)[0]:
        return "jvm"
    return "workers"  # pyspark's daemon and Python workers, or ingest's cleaning workers


def measured(command: list[str]) -> tuple[float, dict[str, float]]:
    """Run `command`: seconds, and the peak PSS in MB of its tree and of each role in it."""
    peaks: dict[str, float] = {}

    def look(root: int) -> None:
        now: dict[str, float] = {}
        for pid in process_tree(root):
            role = _role(pid, root)
            now[role] = now.get(role, 0.0) + pss_kb(pid) / 1024
        now["total"] = sum(now.values())
        for role, value in now.items():
            peaks[role] = max(peaks.get(role, 0.0), value)

    seconds, _ = watched(command, 0.5, look)
    return seconds, peaks


def _row(system: str, kind: str, n: int, runs: list[tuple[float, dict[str, float]]]) -> dict:
    """One system's row: its mean time over the rounds (each round's too) and its peaks."""
    seconds = sum(t for t, _ in runs) / len(runs)
    roles = {role for _, peaks_of_run in runs for role in peaks_of_run}
    peaks = {role: max(found.get(role, 0.0) for _, found in runs) for role in roles}
    row = {
        "system": system,
        "input": kind,
        "articles": n,
        "seconds": seconds,
        "articles_per_s": n / seconds,
        "peak_mb": peaks.get("total", 0.0),
        "driver_mb": peaks.get("driver", 0.0),
        "jvm_mb": peaks.get("jvm", 0.0),
        "workers_mb": peaks.get("workers", 0.0),
    }
    if len(runs) > 1:
        row["seconds_each_round"] = [round(t, 1) for t, _ in runs]
    return row


def speed_rows(kind: str, n: int, rounds: int = 1) -> list[dict]:
    """Each command timed in a process of its own; with several `rounds`, every other round
    runs them in reverse order, so that a machine that slows down (or speeds up) through the
    runs does not favour the commands that ran first."""
    path = write_inputs(kind, n)
    systems = ["newsfuse ingest (single process + workers)"] + [
        f"newsfuse spark local[{cores}]" for cores in (1, 2)
    ]
    runs: dict[str, list[tuple[float, dict[str, float]]]] = {name: [] for name in systems}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(rounds):
            for name in systems if round_ % 2 == 0 else systems[::-1]:
                out = Path(tmp) / "out"  # each command's output, removed after it
                if name.startswith("newsfuse ingest"):
                    out.mkdir()
                    db = f"sqlite:///{out}/bench.db"
                    command = [str(BIN), "ingest", str(path), "--db", db, "-q"]
                else:
                    master = name.rsplit(" ", 1)[1]
                    command = [str(BIN), "spark", str(path), "--out", str(out), "-q"]
                    command += ["--master", master]
                runs[name].append(measured(command))
                shutil.rmtree(out, ignore_errors=True)
    rows = [_row(name, kind, n, runs[name]) for name in systems]
    rows[2]["speedup_vs_local1"] = rows[1]["seconds"] / rows[2]["seconds"]
    rows[1]["speedup_vs_local1"] = 1.0
    return rows


def _labels_of_spark(out: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    table = pq.read_table(out / "articles", columns=["source", "story_id"]).to_pylist()
    return {row["source"]: row["story_id"] for row in table}


def agreement_rows(quick: bool) -> list[dict]:
    """ECB+: Spark's stories against run's, ingest's and the gold events (by line)."""
    if not ECBPLUS.exists():
        return [{"comparison": f"(no {ECBPLUS}: skipped)"}]
    from newsfuse import fuse
    from newsfuse.config import Settings
    from newsfuse.store import Store
    from newsfuse.store.tables import StoryArticleRow

    lines = ECBPLUS.read_text(encoding="utf-8").splitlines()
    if quick:
        lines = lines[:300]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "ecbplus.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        gold = {f"{source}:{n}": json.loads(line)["event"] for n, line in enumerate(lines, 1)}
        one_batch = Path(tmp) / "one-batch.toml"
        one_batch.write_text("[newsfuse]\ningest_batch = 100000\n")
        spark = {}
        for name, extra in (("default", []), ("one batch", ["--config", str(one_batch)])):
            out = Path(tmp) / name.replace(" ", "-")
            subprocess.run(
                [str(BIN), "spark", str(source), "--out", str(out), "-q", *extra],
                check=False,
                capture_output=True,
            )
            spark[name] = _labels_of_spark(out)
        local = {a.source: s.id for s in fuse([source], Settings()).stories for a in s.articles}
        db = f"sqlite:///{tmp}/ingest.db"
        subprocess.run([str(BIN), "ingest", str(source), "--db", db, "-q"], check=False)
        with Store(db) as store, store.session() as session:
            story_of = dict(
                session.query(StoryArticleRow.article_id, StoryArticleRow.story_id).all()
            )
            by_source = {a.source: story_of.get(a.id, "") for a in store.articles()}
        comparisons = [
            ("spark (one batch) vs newsfuse run", spark["one batch"], local),
            ("spark (batches of 200) vs newsfuse ingest", spark["default"], by_source),
            ("spark (batches of 200) vs gold events", spark["default"], gold),
            ("newsfuse ingest vs gold events", by_source, gold),
        ]
        for name, predicted, reference in comparisons:
            shared = {k: v for k, v in reference.items() if k in predicted}
            scores = bcubed(shared, {k: predicted[k] for k in shared})
            rows.append({"comparison": name, "articles": len(shared), **scores})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1k articles, 300 of ECB+")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--kinds", default="text", help="text, html or both: text,html")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time every command this many times, every other round in reverse order (2 "
        "cancels a steady drift of the machine's speed)",
    )
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    agreement = agreement_rows(args.quick)
    if not args.json:
        print_table(agreement, False, "spark: stories against the local commands and gold")
    rows = []
    for kind in args.kinds.split(","):
        for n in sizes:
            rows += speed_rows(kind, n, args.rounds)
            if not args.json:
                print_table(rows[-3:], False)
    if args.json:  # one JSON list, as every benchmark prints (its rows differ in columns)
        print_table(agreement + rows, True)
        return
    print_table(rows, False, f"spark: articles/s and peak memory ({os.cpu_count()} cores)")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
