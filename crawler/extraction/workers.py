"""Extraction in worker processes, so that a crawl uses more than one core.

The crawl's reactor thread fetches, parses links and stores; text extraction (lxml, pdfium,
the Thai repairs, pdfplumber tables, dates) is pure CPU work on bytes and runs in a small process pool
beside it. Measured with `make bench` (sitegen/bench.py) on the 2,000-page generated site.

A worker that dies (a PDF library crashing on a hostile file) costs that document, not the crawl: the
pool is restarted and the document retried once; if it kills a worker again it is recorded with an
error. Workers ignore Ctrl-C (the crawl decides when to stop) and, on Linux, die with the crawl.

Setting OIT_EXTRACT_WORKERS: the number of worker processes; 0 extracts in the crawl process (the
default on a one-core machine); unset: one per core but one, at most MAX_WORKERS.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

__all__ = ["BrokenProcessPool", "ExtractionPool", "worker_count"]

MAX_WORKERS = 4
SETTING = "OIT_EXTRACT_WORKERS"
_PR_SET_PDEATHSIG = 1


def worker_count(settings) -> int:
    """Workers from the setting, else one per core but one (the reactor's), capped."""
    value = settings.get(SETTING) if settings is not None else None
    if value not in (None, ""):
        return max(0, int(value))
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(MAX_WORKERS, cores - 1))


def _worker_started() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # Ctrl-C is the crawl's to handle
    if sys.platform.startswith("linux"):
        try:                                            # die with the crawl, even a SIGKILLed one
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    # Import the extractors once per worker, before the first document arrives.
    import crawler.extraction.html  # noqa: F401
    import crawler.extraction.office  # noqa: F401
    import crawler.extraction.pdf  # noqa: F401


class ExtractionPool:
    """A lazily started process pool. Call it from one thread (the crawl's reactor): processes are
    started in `submit`, and a worker is tied to the thread that started it (see _worker_started)."""

    def __init__(self, workers: int):
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0

    def start(self) -> None:
        """Start a worker now: it imports the extractors while the crawl fetches its first pages."""
        self.submit(int)

    def submit(self, fn: Callable, *args, **kwargs) -> tuple[Future, ProcessPoolExecutor]:
        """(future, the executor it runs in); raises BrokenProcessPool when that executor is broken."""
        if self._executor is None:
            # spawn, not fork: the crawl process has threads (reactor helpers, OCR) and an open database
            self._executor = ProcessPoolExecutor(self.workers, initializer=_worker_started,
                                                 mp_context=multiprocessing.get_context("spawn"))
        executor = self._executor
        try:
            return executor.submit(fn, *args, **kwargs), executor
        except BrokenProcessPool:
            self.replace(executor)
            raise

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """A worker of `broken` died: the next submit starts a fresh pool (once, however many noticed)."""
        if self._executor is broken:
            self._executor = None
            self.restarts += 1
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
