"""Store throughput and web latency.

Ingest throughput into SQLite and PostgreSQL (articles/s): the store's batch write alone at 10k
and 100k articles, and the full ingest (store, group, analyse and summarise the changed
stories) at 1k. Story page latency (p50/p95) from the web app served by uvicorn in its own
process, under 20 concurrent clients on loopback for 30 s, with the error count: measured by
wrk (a C load generator, when installed: `apt-get install wrk`) and by 20 Python client
threads in this process (whose own CPU use, on a 2-core machine, adds to the latency).
PostgreSQL rows need NEWSFUSE_TEST_PG_URL (scripts/postgres.sh starts a server).
Run: python benchmarks/store.py [--quick] [--json]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, full_ingest, parse_args, print_table, serving
from group import perturbed

from newsfuse.config import Settings
from newsfuse.ingest import ingest_articles
from newsfuse.model import Article
from newsfuse.pipeline import clean_documents, read_inputs
from newsfuse.store import Store

SAMPLE = ROOT / "examples" / "nato-russia-2022-01"
PG_URL = os.environ.get("NEWSFUSE_TEST_PG_URL")


def sample_articles(settings: Settings) -> list[Article]:
    documents, _ = read_inputs([SAMPLE], settings)
    return clean_documents(documents, settings)[0]


def databases(tmp: Path) -> list[tuple[str, str, object]]:
    """(name, url, cleanup) for SQLite and, when configured, a fresh PostgreSQL database."""
    found: list[tuple[str, str, object]] = [("SQLite", f"sqlite:///{tmp / 'bench.db'}", None)]
    if PG_URL:
        url = make_url(PG_URL)
        name = f"nfbench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        found.append(("PostgreSQL", url.set(database=name).render_as_string(False), drop))
    return found


def write_rows(articles: list[Article], sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        data = perturbed(articles, n)
        with tempfile.TemporaryDirectory() as tmp:
            for name, url, cleanup in databases(Path(tmp)):
                with Store(url) as store:
                    start = time.perf_counter()
                    for i in range(0, n, 1000):
                        store.add_articles(data[i : i + 1000])
                    elapsed = time.perf_counter() - start
                    stored = store.article_count()
                rows.append(
                    {
                        "system": f"store batch write ({name})",
                        "articles": n,
                        "stored": stored,
                        "articles_per_s": n / elapsed,
                    }
                )
                if callable(cleanup):
                    cleanup()
    return rows


def full_ingest_rows(articles: list[Article], n: int, settings: Settings) -> list[dict]:
    rows = []
    data = perturbed(articles, n)
    with tempfile.TemporaryDirectory() as tmp:
        for name, url, cleanup in databases(Path(tmp)):
            with Store(url) as store:
                speed = full_ingest(store, data, settings, settings.ingest_batch)
            rows.append(
                {
                    "system": f"full ingest: store + group + analysis ({name})",
                    "articles": n,
                    "articles_per_s": speed,
                }
            )
            if callable(cleanup):
                cleanup()
    return rows


def wrk_load(base: str, path: str, clients: int, seconds: float) -> dict[str, float] | None:
    """wrk (a C load generator, Debian's `wrk`) with `clients` connections on one thread:
    requests/s, p50/p95 latency (ms) and non-2xx answers; None when wrk is not installed."""
    import json
    import shutil

    if shutil.which("wrk") is None:
        return None
    script = (
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format(\'{"p50": %f, "p95": %f, "requests": %d, "errors": %d}\\n\','
        " latency:percentile(50), latency:percentile(95), summary.requests,"
        " summary.errors.status + summary.errors.connect + summary.errors.read"
        " + summary.errors.write + summary.errors.timeout))\n"
        "end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "-s", fh.name, base + path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    found = json.loads(out.strip().splitlines()[-1])
    return {
        "requests": found["requests"],
        "requests_per_s": found["requests"] / seconds,
        "p50_ms": found["p50"] / 1000,
        "p95_ms": found["p95"] / 1000,
        "errors": found["errors"],
    }


def load(base: str, path: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """`clients` threads GET `path` in a loop for `seconds`: every latency, and the errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as session:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                try:
                    ok = session.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    latencies.append(time.perf_counter() - start)
                    errors[0] += int(not ok)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def latency_rows(
    articles: list[Article], settings: Settings, seconds: float, clients: int = 20
) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'web.db'}"
        with Store(url) as store:
            ingest_articles(store, articles, settings)
            story_id = store.story_listing()[0].id
        with serving(url) as (base, _):
            for path in (f"/stories/{story_id}", f"/api/stories/{story_id}"):
                kind = "page" if path.startswith("/stories") else "API"
                measured = wrk_load(base, path, clients, seconds)
                if measured is not None:
                    rows.append(
                        {"system": f"web GET story {kind} (wrk, {clients} connections)"} | measured
                    )
                latencies, errors = load(base, path, clients, seconds)
                cuts = statistics.quantiles(latencies, n=100)
                rows.append(
                    {
                        "system": f"web GET story {kind} ({clients} Python client threads)",
                        "requests": len(latencies),
                        "requests_per_s": len(latencies) / seconds,
                        "p50_ms": cuts[49] * 1000,
                        "p95_ms": cuts[94] * 1000,
                        "errors": errors,
                    }
                )
    return rows


def main() -> None:
    args = parse_args(__doc__ or "")
    settings = Settings()
    articles = sample_articles(settings)
    sizes = [10_000] if args.quick else [10_000, 100_000]
    rows = write_rows(articles, sizes)
    rows += full_ingest_rows(articles, 200 if args.quick else 1000, settings)
    rows += latency_rows(articles, settings, 5.0 if args.quick else 30.0)
    note = "" if PG_URL else " (NEWSFUSE_TEST_PG_URL not set: SQLite only)"
    print_table(rows, args.json, "store and web" + (" (quick)" if args.quick else "") + note)


if __name__ == "__main__":
    main()
