"""Story reports rebuilt in the background of the web app: `POST /api/articles` stores and
groups its articles and answers at once; the stories it changed are marked stale and their
reports rebuilt here, one after another, shortly after. Until then a story shows its previous
report (or its articles and a title).

The reports are built in a process of their own (started fresh, not forked from the server's
threads; it reads the stories from the store): analysing a long story takes seconds of pure
Python, which in a thread of the server would hold the interpreter its requests need. That
process ends when it has had no work for a while, and gives back what the analysis loads
(place names, word lists, the multilingual model: a few hundred MB). A store in memory, which
no other process can open, is reported on in a thread."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..config import Settings
from ..ingest import refresh_reports
from ..store import Store
from ..workers import die_with_parent

LOG = logging.getLogger("newsfuse.web")
# A report builder with no work for this long ends; the next rebuild starts another (about two
# seconds of imports and loads, against a few hundred MB held while the server idles).
BUILDER_IDLE_SECONDS = 60.0


class ReportRefresher:
    """One background thread that rebuilds stale reports whenever it is woken."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._builder: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="newsfuse-reports", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every report asked for so far is written (for tests and shutdown)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._end_builder(wait=False)

    def _end_builder(self, wait: bool = True) -> None:
        builder, self._builder = self._builder, None
        if builder is not None:
            builder.shutdown(wait=wait, cancel_futures=True)

    def _process(self) -> ProcessPoolExecutor:
        if self._builder is None:
            self._builder = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self._builder

    def _refresh(self, attempts: int = 2) -> None:
        for _ in range(attempts):
            try:
                refresh_reports(self.store, self.settings, parallel=False, executor=self._process())
                return
            except BrokenProcessPool:  # the builder died (killed, out of memory): a new one
                LOG.exception("the process building story reports died; starting another")
                self._builder = None
            except Exception:  # a report that cannot be built must not stop the others
                LOG.exception("rebuilding story reports failed")
                return

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._wake.wait(BUILDER_IDLE_SECONDS):
                self._end_builder()  # no work for a while: its memory goes back
                self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                break
            self._refresh()
            if not self._wake.is_set():
                self._idle.set()
