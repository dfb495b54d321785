"""The worker processes: cleaning, indexing and story reports are pure per item, so they run
on every core while the main process stores and groups.

One pool per process, forked on first use (so the workers share the parent's loaded models
and tables); each worker dies with its parent, even a parent killed with SIGKILL. Work is
handed out a few chunks ahead of what is consumed, never the whole input at once, so a crawl of
any size flows through in bounded memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 100  # fewer items than this are done in this process: a pool costs more
CHUNKS_AHEAD = 4  # chunks in flight per worker
# Where the caller says how large an item is, more chunks go ahead while their items' sizes
# (characters of input) stay under this per worker: a text is cleaned in ~3 ms, and 4 chunks of
# 8 ran out while the main process grouped and stored a batch (the workers idled ~15% of that
# stage); a page takes ~10 times as long, is ~100 times as large, and keeps its 4 chunks.
AHEAD_SIZE = 4_000_000
_pool: ProcessPoolExecutor | None = None


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def die_with_parent(parent: int) -> None:
    """Worker initialiser: when the parent process dies (even by SIGKILL) the kernel kills the
    worker too, instead of letting it finish its queue for minutes (Linux; elsewhere a no-op)."""
    try:
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)


def start_worker(parent: int) -> None:
    """Worker initialiser: dies with its parent (`die_with_parent`), and leaves what it
    inherited out of its garbage collections (`gc.freeze`): a full collection would walk every
    inherited object again and again, and write to (copy) the pages it shares with its parent."""
    die_with_parent(parent)
    gc.freeze()


def pool() -> ProcessPoolExecutor | None:
    """The process pool (None on one core). Started early by the commands, before any
    database is opened: forked workers must not inherit open database connections."""
    global _pool
    if worker_count() == 1:
        return None
    if _pool is None:
        _pool = ProcessPoolExecutor(
            worker_count(),
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(),),
        )
    return _pool


def restart() -> None:
    """End the workers; the next parallel step forks fresh ones. Between the stages of an
    ingest this gives back what the first stage's caches and freed memory still hold."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def give_back_memory() -> None:
    """Collect garbage and hand the C heap's free pages back to the system (glibc's
    `malloc_trim`; elsewhere only the collection). After a large story or a stage, freed
    memory otherwise stays with the process, and forked workers inherit it."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def settle() -> None:
    """What a worker holds when a task starts (modules, models, memos: kept for the tasks that
    follow) is left out of its later garbage collections, so that full collections walk only
    what the task makes: for a worker that was not forked with its state frozen (`start_worker`),
    such as Spark's Python workers. Its garbage goes first: frozen, it would never go (after
    the first task the collection walks only what the last one left)."""
    gc.collect()
    gc.freeze()


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def imap(
    function: Callable[[T], R],
    items: Iterable[T],
    chunk: int = 8,
    parallel_min: int = PARALLEL_MIN,
    size: Callable[[T], int] | None = None,
    most_ahead: int = 8 * CHUNKS_AHEAD,
) -> Iterator[R]:
    """`function` over `items`, results in order, spread over the workers when there are at
    least `parallel_min` items. `function` must be a module-level function (it is pickled).
    CHUNKS_AHEAD chunks per worker are kept in flight; with `size` (an item's size), up to
    `most_ahead` chunks per worker while their items' sizes stay under AHEAD_SIZE per worker."""
    source = iter(items)
    head = list(islice(source, parallel_min))
    executor = pool() if len(head) >= parallel_min else None
    if executor is None:
        for item in head:
            yield function(item)
        for item in source:
            yield function(item)
        return
    pending: Iterator[T] = chain(head, source)
    in_flight: deque[tuple[Future[list[R]], int]] = deque()
    workers = worker_count()
    held = 0  # the sizes of the items in flight (with `size`)

    def room() -> bool:
        if len(in_flight) < workers * CHUNKS_AHEAD:
            return True
        return (
            size is not None
            and len(in_flight) < workers * most_ahead
            and held < workers * AHEAD_SIZE
        )

    def submit() -> bool:
        nonlocal held
        batch = list(islice(pending, chunk))
        if batch:
            weight = sum(map(size, batch)) if size is not None else 0
            in_flight.append((executor.submit(_apply, function, batch), weight))
            held += weight
        return bool(batch)

    while room() and submit():
        pass
    while in_flight:
        future, weight = in_flight.popleft()
        results = future.result()
        held -= weight
        while room() and submit():
            pass
        yield from results
