"""Shared benchmark plumbing: flags, timing, memory, and the one output table."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

T = TypeVar("T")
R = TypeVar("R")


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true", help="print the table as one JSON list")
    parser.add_argument("--quick", action="store_true", help="a run under a minute on a subset")
    return parser.parse_args()


def timed(function: Callable[[T], R], items: Sequence[T]) -> tuple[list[R], float]:
    """Results of `function` over `items` and items per second (wall clock)."""
    start = time.perf_counter()
    results = [function(item) for item in items]
    elapsed = time.perf_counter() - start
    return results, (len(items) / elapsed if elapsed > 0 else float("inf"))


def peak_memory_mb(function: Callable[[T], Any], items: Sequence[T]) -> float:
    """Peak Python heap while running `function` over `items` (tracemalloc; native memory of
    Rust/C extensions is not seen, so it is a lower bound)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    for item in items:
        function(item)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def print_table(rows: list[dict[str, Any]], as_json: bool, title: str = "") -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    if title:
        print(title)
    columns = list(dict.fromkeys(key for row in rows for key in row))

    def fmt(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if value < 100 else f"{value:.0f}"
        return "" if value is None else str(value)

    widths = {c: max(len(c), *(len(fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(fmt(row.get(c)).ljust(widths[c]) for c in columns))


def full_ingest(
    store: Any, articles: Sequence[Any], settings: Any, batch: int, reports: bool = True
) -> float:
    """What `newsfuse ingest` does with cleaned articles: store and group batch by batch, then
    (unless `reports` is False) build the changed stories' reports once. Articles per second."""
    from newsfuse.ingest import StoreGrouper, ingest_articles, refresh_reports

    synced = StoreGrouper(store, settings)
    start = time.perf_counter()
    for i in range(0, len(articles), batch):
        ingest_articles(store, articles[i : i + batch], synced, reports=False, leftovers=False)
    if reports:
        refresh_reports(store, settings)
    return len(articles) / (time.perf_counter() - start)


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def pss_kb(pid: int) -> int:
    """A process's proportional memory in kB: pages shared with its parent or siblings count
    once, split between them (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def watched(
    command: list[str], every: float, look: Callable[[int], None], env: dict[str, str] | None = None
) -> tuple[float, str]:
    """Run `command`, calling `look` with its pid at the start and every `every` seconds while
    it runs: (seconds until it ended, its stdout). The time ends when the command does, not at
    the next look. An exit code other than 0 or 1 (inputs skipped) raises."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    while True:
        look(child.pid)
        try:
            child.wait(timeout=every)
            break
        except subprocess.TimeoutExpired:
            continue
    out, err = child.communicate()
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{command} failed: {err[-3000:]}")
    return time.perf_counter() - start, out


@contextmanager
def serving(db_url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`newsfuse serve` over `db_url` in a process of its own on a free local port, answering
    when the block starts (base URL, process) and stopped when it ends."""
    import httpx  # only the benchmarks that serve need it

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "newsfuse.cli", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
