"""Extraction in worker processes, so that a crawl uses more than one core.

The crawl's reactor thread fetches, parses links and stores; text extraction (lxml, pdfium,
the Thai repairs, pdfplumber tables, dates) is pure CPU work on bytes and runs in a small process pool
beside it. Measured with `make bench` (sitegen/bench.py) on the 2,000-page generated site.

A worker that dies (a PDF library crashing on a hostile file) costs that document, not the crawl: the
pool is restarted and the document retried once; if it kills a worker again it is recorded with an
error. Workers ignore Ctrl-C (the crawl decides when to stop) and, on Linux, die with the crawl.

Setting OIT_EXTRACT_WORKERS: the number of worker processes; 0 extracts in the crawl process (the
default on a one-core machine); unset: one per core, at most MAX_WORKERS. Not one per core but one:
the crawl's own process waits on the network and the store more than it computes (busy ~45 % of a
bench crawl), and with one worker on two cores that worker was the crawl's critical path (43.5 s;
two workers: 31.4 s, `make bench`). A worker beyond the first starts only when a document waits while
the others are busy (ProcessPoolExecutor starts spawned processes on demand), so a polite crawl,
whose documents arrive slower than they are read, mostly runs one.

Memory (issue 16): a worker imports the extractors and nothing of the crawl (no Scrapy, no Twisted:
this module and what it imports are the worker's whole program; tests/test_workers.py checks it).
The pool is replaced by a fresh one after OIT_EXTRACT_RECYCLE documents per worker, so whatever a
long crawl leaves behind in a worker (pdfium's heaps, caches) is given back; the old pool
finishes what it was given, and the crawl waits until its processes are gone (ExtractionPool.
retire_if_due, at most DRAIN_WAIT_S) before the new one starts: old and new workers at once were the
crawl's peak memory. A worker's memory levels off after a few hundred documents (~80 MB on the bench
site, once pdfplumber's pages are closed: crawler/extraction/pdf.py), so a replacement every 2,000
documents costs little (each is a pause and the imports again: 1.5 s of a 30 s bench crawl at 500).
A body of OIT_EXTRACT_FILE_BYTES or more is handed over as a temporary file, not
pickled through the pool's pipe (one copy less in each process).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from crawler.extraction import Extraction, extract, extract_file
from crawler.extraction.dating import evidence_dates
from crawler.runtime import tune_gc
from crawler.text.thai import is_garbage_thai

__all__ = ["BrokenProcessPool", "ExtractionPool", "extract_evidence", "worker_count"]

MAX_WORKERS = 4
SETTING = "OIT_EXTRACT_WORKERS"
RECYCLE_SETTING, RECYCLE = "OIT_EXTRACT_RECYCLE", 2000           # documents per worker
FILE_BYTES_SETTING, FILE_BYTES = "OIT_EXTRACT_FILE_BYTES", 256 * 1024
# Workers run at a lower priority (nice), so the crawl process, whose one thread fetches, parses and
# stores every page, gets its core whenever it can use it and the workers take the rest: three busy
# processes on two cores otherwise share them evenly, and the crawl process is the critical path
# (bench crawls, 11 pairs: 0.95x wall, 0.90-1.02; the same CPU). 0: the crawl's own priority.
NICE_SETTING, NICE = "OIT_EXTRACT_NICE", 10
_PR_SET_PDEATHSIG = 1
DRAIN_WAIT_S = 60.0      # a retired pool still busy after this long (a slow file) is no longer waited for


def extract_evidence(body: bytes, **hints) -> tuple[Extraction, list[dict], bool]:
    """extract() and the dates of its title and text: one resource's work in an extraction worker;
    with whether a page's text is mojibake (is_garbage_thai), decided here and not in the crawl
    process, whose one thread is the busier (~0.3 ms a page)."""
    return _evidence(extract(body, **hints))


def extract_evidence_file(path: str, **hints) -> tuple[Extraction, list[dict], bool]:
    """extract_evidence of a body the crawl wrote to a temporary file (ExtractionPool.submit); a PDF
    is read from the file, not loaded whole."""
    return _evidence(extract_file(Path(path), **hints))


def _evidence(extraction: Extraction) -> tuple[Extraction, list[dict], bool]:
    return extraction, evidence_dates(extraction), is_mojibake_page(extraction)


def is_mojibake_page(extraction: Extraction) -> bool:
    """A page whose text decoded to mojibake (crawl.pipelines.defect: not usable as evidence)."""
    return extraction.format == "html" and not extraction.error and is_garbage_thai(extraction.text)


def worker_count(settings) -> int:
    """Workers from the setting, else one per core (none on one core), capped."""
    value = settings.get(SETTING) if settings is not None else None
    if value not in (None, ""):
        return max(0, int(value))
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(MAX_WORKERS, cores) if cores > 1 else 0


def _worker_started(nice: int = 0) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # Ctrl-C is the crawl's to handle
    tune_gc()
    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)
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


def recycle_after(settings) -> int:
    value = settings.get(RECYCLE_SETTING) if settings is not None else None
    return max(1, int(value)) if value not in (None, "") else RECYCLE


def file_bytes(settings) -> int:
    value = settings.get(FILE_BYTES_SETTING) if settings is not None else None
    return max(0, int(value)) if value not in (None, "") else FILE_BYTES


def niceness(settings) -> int:
    value = settings.get(NICE_SETTING) if settings is not None else None
    return min(19, max(0, int(value))) if value not in (None, "") else NICE


class ExtractionPool:
    """A lazily started process pool. Call it from one thread (the crawl's reactor): processes are
    started in `submit`, and a worker is tied to the thread that started it (see _worker_started).
    (Not ProcessPoolExecutor's max_tasks_per_child: on Python 3.11 it hangs once a worker retires.)"""

    def __init__(self, workers: int, recycle: int = RECYCLE, file_bytes: int = FILE_BYTES, nice: int = 0):
        self.workers = workers
        self.nice = nice
        self.recycle = recycle
        self.file_bytes = file_bytes
        self._executor: ProcessPoolExecutor | None = None
        self._given = 0                  # documents given to the current executor
        self._spool: Path | None = None  # temporary files of large bodies
        self._drained: Future | None = None   # done when the retired executor's processes are gone
        self.restarts = 0
        self.recycled = 0

    def start(self) -> None:
        """Start a worker now: it imports the extractors while the crawl fetches its first pages."""
        self._submit(int)

    def retire_if_due(self) -> Future | None:
        """Retire the pool when it has done its share: it finishes what it was given, then its processes
        exit. Returns a Future done once they have, while they have not: a caller waits for it before
        its next submit, so that old and new workers never hold memory at once. None: nothing to wait for."""
        if self._executor is None:           # retired (or not started yet)
            return self._drained if self._drained is not None and not self._drained.done() else None
        if self._given < self.recycle * self.workers:
            return None
        old, self._executor = self._executor, None
        self.recycled += 1
        drained = self._drained = Future()

        def retire() -> None:
            try:
                old.shutdown(wait=True)
            finally:
                drained.set_result(None)
        threading.Thread(target=retire, name="oit-retire-extraction-pool", daemon=True).start()
        return drained

    def submit(self, body: bytes, **hints) -> tuple[Future, ProcessPoolExecutor]:
        """extract_evidence(body, **hints) in a worker: (future, the executor it runs in); raises
        BrokenProcessPool when that executor is broken."""
        self.retire_if_due()
        if len(body) < self.file_bytes:
            return self._submit(extract_evidence, body, **hints)
        if self._spool is None:
            self._spool = Path(tempfile.mkdtemp(prefix="oit-bodies-"))
        handle, name = tempfile.mkstemp(dir=self._spool, suffix=".body")
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        try:
            future, executor = self._submit(extract_evidence_file, name, **hints)
        except BaseException:
            os.unlink(name)
            raise
        future.add_done_callback(lambda _: _unlink(name))
        return future, executor

    def _submit(self, fn, *args, **kwargs) -> tuple[Future, ProcessPoolExecutor]:
        if self._executor is None:
            # spawn, not fork: the crawl process has threads (reactor helpers, OCR) and an open database
            self._executor = ProcessPoolExecutor(self.workers, initializer=_worker_started, initargs=(self.nice,),
                                                 mp_context=multiprocessing.get_context("spawn"))
            self._given = 0
        executor = self._executor
        try:
            future = executor.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self.replace(executor)
            raise
        self._given += 1
        return future, executor

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
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
