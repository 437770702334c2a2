"""Pipelines: bytes -> extracted, normalised evidence -> the SQLite evidence store.

ExtractionPipeline turns a fetched body into an Extraction (text, title, tables, links, text layer)
and finds its dates; documents whose content hash was already extracted by this extractor version
are not extracted again (weekly re-crawls). Scanned pages are read by OCR (crawler/extraction/ocr.py)
in a thread pool while the crawl goes on; their Thai-digit dates are stored as unsure. StorePipeline
writes each resource in its own transaction and closes the run as complete or incomplete.

Extraction and date finding run in worker processes (crawler/extraction/workers.py, setting
OIT_EXTRACT_WORKERS) so that the crawl uses more than one core; the reactor keeps fetching meanwhile.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import fields

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import reactor, threads
from twisted.internet.task import deferLater
from twisted.internet.defer import Deferred, DeferredSemaphore

from crawler import __version__
from crawler.extraction import Extraction, error_message
from crawler.extraction import ocr, sniff_format
from crawler.extraction.dating import evidence_dates, name_dates
from crawler.extraction.html import links_whole
from crawler.extraction.workers import (DRAIN_WAIT_S, BrokenProcessPool, ExtractionPool, extract_evidence,
                                       file_bytes, is_mojibake_page, niceness, recycle_after, worker_count)
from crawler.crawl.items import ResourceItem
from crawler.evidence.failures import FailureKind
from crawler.crawl.storage_failure import STAT as FAILED_STAT, describe, stop_run, stopped
from crawler.evidence.store import Store, is_locked, is_storage_failure
from crawler.text.thai import normalize

# Bump when extraction output changes: stored texts of an older version are re-extracted.
EXTRACTOR_VERSION = f"oit-extract/{__version__}/6"
STORE_LOCK_STEP = 0.05     # seconds one write blocks the crawl waiting for another process's lock
# Resources are committed in groups: the ones ready within STORE_GROUP_S of the first, at most
# STORE_GROUP_MAX. A resource counts as stored once its group is committed, so a kill loses what was
# in flight, as before (fetched, waiting for a worker, or now waiting up to 50 ms for its group).
STORE_GROUP_S = 0.05
STORE_GROUP_MAX = 64
STORED_APART = ("body", "charset")

logger = logging.getLogger(__name__)


def store_for(crawler) -> Store:
    """The one Store of a crawl, shared by the pipelines and the CLI."""
    store = getattr(crawler, "oit_store", None)
    if store is None:
        store = crawler.oit_store = Store(crawler.settings.get("OIT_DB"), lock_timeout=STORE_LOCK_STEP)
    return store


def defect(extraction: Extraction, mojibake: bool | None = None) -> tuple[str, str] | None:
    """(kind, message) when a fetched file cannot stand as evidence: truncated or unreadable,
    encrypted, or text that decoded to mojibake (`mojibake`: as an extraction worker found it, None:
    not known yet). None for a usable file (a scan is usable: OCR or review decides)."""
    if extraction.error:
        kind = "encrypted" if "encrypted" in extraction.error.lower() or "password" in extraction.error.lower() \
            else "empty" if extraction.error == "empty body" else "unreadable"
        return kind, extraction.error
    if mojibake is None:
        mojibake = is_mojibake_page(extraction)
    if mojibake:
        return "mojibake", "; ".join(extraction.warnings) or "the text decodes to mojibake"
    return None


def broken(item: ResourceItem, kind: str, message: str) -> ResourceItem:
    """A resource that answered but is broken: a failure record with its defect (kind broken_*)."""
    item.ok = False
    item.error_kind = f"broken_{kind}"
    item.error = message[:500]
    return item


def failed(item: ResourceItem, exc: BaseException) -> ResourceItem:
    """The record of an answer our own code failed on (kind crawler_error), without what it had made of it."""
    item.ok = False
    item.error_kind = FailureKind.CRAWLER_ERROR
    item.error = f"{type(exc).__name__}: {exc}"[:500]
    item.extraction = item.text_dates = item.links_from = None
    item.sha256 = None                 # (a stored hash names a stored text)
    return item


class ExtractionPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        workers = worker_count(crawler.settings)
        self.pool = ExtractionPool(workers, recycle_after(crawler.settings), file_bytes(crawler.settings),
                                   niceness(crawler.settings)) if workers else None
        crawler.signals.connect(self.spider_closed, signals.spider_closed)
        self.ocr_settings = ocr.OcrSettings.from_settings(crawler.settings)
        self.ocr_engine, self.ocr_problem = ocr.engine_status(self.ocr_settings)
        # At most `pool_size` documents wait on OCR at once: the reactor's other threads stay free.
        self.ocr_slots = DeferredSemaphore(self.ocr_settings.pool_size)
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.oit_extraction = self      # the spider has an in-scope page extracted to follow its links

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        if self.pool is not None:
            self.pool.start()
        stats = self.crawler.stats
        stats.set_value("oit/ocr_engine", self.ocr_engine.name if self.ocr_engine else "")
        if self.ocr_problem:
            stats.set_value("oit/ocr_problem", self.ocr_problem)

    async def process_item(self, item: ResourceItem):
        """Scrapy's call, for every record (a page the spider had extracted is passed through). A bug of
        ours or a library raising here makes the URL's record a crawler_error failure, never a log line
        and a lost item: the audit then knows that answer was not read."""
        try:
            return await self.prepare(item)
        except Exception as exc:
            logger.error("the crawler failed extracting %s", item.url, exc_info=exc)
            self.crawler.stats.inc_value("oit/crawler_errors")
            return failed(item, exc)

    async def prepare(self, item: ResourceItem):
        """Extract `item` (once: the spider has an in-scope page extracted before it follows its links,
        SiteSpider.page_links, where an exception is the callback's and so that page's crawler_error)."""
        if getattr(item, "extraction_ran", False):     # already, for the spider (SiteSpider.page_links)
            return item
        item.extraction_ran = True
        item.filename = normalize(item.filename) if item.filename else ""
        item.extraction = None
        item.text_dates = None
        item.links_from = None
        item.dates = name_dates(item.filename, item.url)
        if item.ok and not item.body and item.status != 304:
            return broken(item, "empty", "zero-byte answer: the file is empty")
        if not item.ok or not item.body:
            return item
        item.sha256 = hashlib.sha256(item.body).hexdigest()
        item.size = len(item.body)
        store = store_for(self.crawler)
        if item.kind == "page":
            # An unchanged page: its text is stored and its links are those of the last run that saw
            # it at this address (links are resolved against the address, not just the content).
            item.links_from = store.reusable_page(item.sha256, EXTRACTOR_VERSION, item.url, item.final_url)
            if item.links_from is not None:
                self.crawler.stats.inc_value("oit/extraction_reused")
                return item
        else:
            known = store.known_text(item.sha256, EXTRACTOR_VERSION)
            # Known content is never extracted (nor OCR'd) again, unless it is a scan stored while OCR
            # was unavailable and OCR is there now.
            if known is not None and not (self.ocr_engine and ocr.stored_needs_ocr(known)):
                self.crawler.stats.inc_value("oit/extraction_reused")
                if known["error"]:
                    return broken(item, *defect(Extraction(format=known["format"] or "", error=known["error"])))
                return item
        # The header's charset goes with the type (item.content_type is the bare type): a page is
        # decoded in it as the spider's own read of it is (Scrapy's response.text), a CSV too.
        content_type = f"{item.content_type}; charset={item.charset}" if item.charset else item.content_type
        extraction, dates, mojibake = await self.extract(
            item.body, content_type=content_type or None, filename=item.filename or None,
            url=item.final_url or item.url)
        self.crawler.stats.inc_value("oit/extracted")
        scanned = ocr.needs_ocr(extraction)
        ocr_text = await self.read_scans(item.body, extraction) if scanned else ""
        item.extraction = extraction
        item.text_dates = evidence_dates(extraction, ocr_text) if scanned else dates
        if extraction.error:
            self.crawler.stats.inc_value("oit/extraction_errors")
        why = defect(extraction, mojibake)
        if why is not None:
            self.crawler.stats.inc_value("oit/broken")
            return broken(item, *why)
        return item

    def link_targets(self, item: ResourceItem) -> list[str] | None:
        """The targets of a page's links as this run stores them, in page order, once process_item has
        run: read by its extraction, or those of the earlier run whose row an unchanged page reuses.
        None when they are not known whole: the page could not be read, or was cut (html.links_whole)."""
        extraction = getattr(item, "extraction", None)
        if extraction is not None:
            if extraction.error or not links_whole(len(extraction.links), extraction.warnings):
                return None
            return [link.href for link in extraction.links]
        if getattr(item, "links_from", None) is None:
            return None
        store = store_for(self.crawler)
        try:
            targets = store.link_targets(item.links_from)
            known = store.known_text(item.sha256, EXTRACTOR_VERSION) if targets is not None else None
        except sqlite3.Error:          # (the spider then reads the page itself; the write says the rest)
            return None
        if targets is None or known is None or not links_whole(len(targets), known["warnings"]):
            return None
        return targets

    async def extract(self, body: bytes, **hints) -> tuple[Extraction, list[dict], bool | None]:
        """extract_evidence in a worker process (in this one without workers); a document that
        crashes its worker twice comes back as an Extraction with an error."""
        if self.pool is None:
            return extract_evidence(body, **hints)
        for _attempt in range(2):
            drained = self.pool.retire_if_due()
            if drained is not None:      # the retired workers finish first: never two pools in memory
                await maybe_deferred_to_future(self._when_done(drained, DRAIN_WAIT_S))
            try:
                return await maybe_deferred_to_future(self._in_worker(body, **hints))
            except BrokenProcessPool as exc:
                crash = exc
        self.crawler.stats.inc_value("oit/extraction_crashes")
        extraction = Extraction(format=sniff_format(body, **hints),
                                error=f"the extractor crashed on this file ({error_message(crash)})")
        return extraction, [], None

    @staticmethod
    def _when_done(future, timeout: float) -> Deferred:
        """A Deferred fired in the reactor thread when `future` is done, or after `timeout` seconds."""
        waited = Deferred()

        def fire() -> None:
            if not waited.called:
                waited.callback(None)
        timer = reactor.callLater(timeout, fire)
        future.add_done_callback(lambda _: reactor.callFromThread(fire))
        waited.addBoth(lambda result: (timer.cancel() if timer.active() else None, result)[1])
        return waited

    def _in_worker(self, body: bytes, **hints) -> Deferred:
        """extract_evidence(body, **hints) in a worker, as a Deferred fired in the reactor thread."""
        result = Deferred()
        try:
            future, executor = self.pool.submit(body, **hints)
        except BrokenProcessPool as exc:          # the pool broke since the last call: it is replaced
            result.errback(exc)
            return result

        def fire(done) -> None:
            if done.cancelled():
                result.errback(BrokenProcessPool("extraction cancelled: the crawl is closing"))
                return
            error = done.exception()
            if isinstance(error, BrokenProcessPool):
                self.pool.replace(executor)          # the next submit starts a fresh pool
            if error is not None:
                result.errback(error)
            else:
                result.callback(done.result())

        future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
        return result

    def spider_closed(self, spider, reason):
        if self.pool is not None:
            if self.pool.restarts:
                self.crawler.stats.set_value("oit/extraction_pool_restarts", self.pool.restarts)
            if self.pool.recycled:
                self.crawler.stats.set_value("oit/extraction_pool_recycled", self.pool.recycled)
            self.pool.close()

    async def read_scans(self, body: bytes, extraction: Extraction) -> str:
        """OCR the pages that need it: render here (pdfium is not thread-safe), recognise in threads.
        Returns the OCR text put into the extraction ("" when none)."""
        stats = self.crawler.stats
        if self.ocr_engine is None:
            stats.inc_value("oit/scans_unread")
            extraction.warnings.append(f"ocr unavailable: {self.ocr_problem}")
            return ""
        job = None
        try:
            job = ocr.prepare(body, extraction, self.ocr_settings)
            if job is None:
                return ""
            result = await maybe_deferred_to_future(self.ocr_slots.run(
                threads.deferToThread, ocr.recognise, job, self.ocr_engine, self.ocr_settings))
        except Exception as exc:     # a failing OCR must not lose the document
            extraction.warnings.append(f"ocr problem: {error_message(exc)}")
            stats.inc_value("oit/ocr_errors")
            return ""
        finally:
            if job is not None:
                job.close()
        stats.inc_value("oit/ocr_documents")
        stats.inc_value("oit/ocr_pages", len(result.readings))
        stats.inc_value("oit/ocr_seconds", round(result.seconds, 2))
        if result.capped:
            stats.inc_value("oit/ocr_capped")
        if result.cut_short:
            stats.inc_value("oit/ocr_cut_short")
        text = ocr.apply(extraction, result)
        if not text:
            stats.inc_value("oit/ocr_unreadable")
        return text


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.lock_wait = crawler.settings.getfloat("OIT_STORE_LOCK_WAIT")
        self.run_id: int | None = None
        self._group: list[tuple[Callable[[], None], Deferred]] = []     # writes waiting for their commit
        self._flush_call = None
        self._writing = False
        self._group_written: Deferred | None = None
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _write(self, write) -> bool:
        """Run a store write, waiting (without blocking the crawl) while another process holds the
        lock, for at most OIT_STORE_LOCK_WAIT seconds. False when it gave up, or when the disk or the
        store failed (then the crawl stops: crawler.crawl.storage_failure)."""
        waited = 0.0
        while True:
            if stopped(self.crawler):
                return False
            try:
                write()
                return True
            except (sqlite3.DatabaseError, OSError) as exc:
                if is_storage_failure(exc):
                    stop_run(self.crawler, exc, "บันทึกฐานข้อมูลหลักฐานไม่ได้ / the evidence store could not be written")
                    return False
                if not is_locked(exc):
                    raise
                if waited >= self.lock_wait:
                    return False
            if not waited:
                self.crawler.stats.inc_value("oit/store_lock_waits")
            await maybe_deferred_to_future(deferLater(reactor, 1.0, lambda: None))
            waited += 1.0 + STORE_LOCK_STEP

    async def _grouped_write(self, write: Callable[[], None]) -> bool:
        """_write of one resource, committed with the others ready within STORE_GROUP_S (the
        pages a commit rewrites, menu links' index pages above all, are written once a group)."""
        done: Deferred = Deferred()
        self._group.append((write, done))
        if len(self._group) >= STORE_GROUP_MAX and not self._writing:
            self._schedule_flush(0)
        elif self._flush_call is None:
            self._schedule_flush(STORE_GROUP_S)
        return await maybe_deferred_to_future(done)

    def _schedule_flush(self, delay: float) -> None:
        if self._flush_call is not None and self._flush_call.active():
            self._flush_call.cancel()
        self._flush_call = reactor.callLater(delay, self._flush)

    def _flush(self) -> None:
        self._flush_call = None
        if self._writing:                        # one group at a time: this one after the current
            self._schedule_flush(STORE_GROUP_S)
            return
        group, self._group = self._group[:STORE_GROUP_MAX], self._group[STORE_GROUP_MAX:]
        if group:
            self._group_written = deferred_from_coro(self._write_group(group))   # (held: a task of its own)

    async def _write_group(self, group: list[tuple[Callable[[], None], Deferred]]) -> None:
        self._writing = True
        errors: list[BaseException | None] = []

        def write_all() -> None:
            errors[:] = write_group(self.store, [write for write, _ in group])
        try:
            stored = await self._write(write_all)
        except BaseException as exc:
            for _, done in group:
                done.errback(exc)
            return
        finally:
            self._writing = False
            if self._group and self._flush_call is None:
                self._schedule_flush(0 if len(self._group) >= STORE_GROUP_MAX else STORE_GROUP_S)
        for (_, done), error in zip(group, errors if stored else [None] * len(group)):
            if error is not None:
                done.errback(error)
            else:
                done.callback(stored)

    def _blocking(self, write):
        """A write at the start or the end of the crawl, where waiting for the lock blocks nothing."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                return write()
            except sqlite3.OperationalError as exc:
                if not is_locked(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(0.5)

    def spider_opened(self, spider):
        settings = {k: self.crawler.settings.get(k) for k in (
            "OIT_MAX_PAGES", "OIT_MAX_DEPTH", "DOWNLOAD_MAXSIZE", "CLOSESPIDER_TIMEOUT",
            "OIT_TRAP_BARREN_PAGES", "OIT_MAX_LINKS_PER_PAGE", "OIT_MAX_DOCUMENTS", "OIT_ALLOW_PRIVATE",
            "USER_AGENT", "ROBOTSTXT_OBEY", "OIT_OCR_ENABLED", "OIT_OCR_MAX_PAGES", "OIT_OCR_MAX_MEGAPIXELS",
            "OIT_OCR_TIMEOUT", "OIT_OCR_DPI", "OIT_URL_LIST", "OIT_URL_LIST_FILE", "OIT_DIR")}
        self.run_id = self._blocking(lambda: self.store.start_run(spider.start_url, settings, __version__))
        self.crawler.stats.set_value("oit/run_id", self.run_id)

    async def process_item(self, item: ResourceItem):
        try:
            stored = await self._store(item)
        except Exception as exc:        # this record alone was refused (a bug of ours, data the store rejects)
            logger.error("the crawler failed storing %s", item.url, exc_info=exc)
            self.crawler.stats.inc_value("oit/crawler_errors")
            try:                        # its URL is kept, as a failure: the audit knows it was not read
                stored = await self._store(failed(item, exc))
            except Exception as again:
                logger.error("the crawler failed storing %s as a failure", item.url, exc_info=again)
                self.crawler.stats.inc_value("oit/store_lost")
                print(f"oit: บันทึก {item.url} ไม่ได้ รอบนี้จะไม่ครบ / could not store {item.url}: "
                      f"{type(again).__name__}: {again}; the run will be incomplete", file=sys.stderr, flush=True)
                item.body = b""
                return item
        if not stored:
            self.crawler.stats.inc_value("oit/store_lost")
            item.body = b""
            if not stopped(self.crawler):     # a stopped crawl has said why once already
                print(f"oit: บันทึกไม่ได้ เพราะโปรแกรมอื่นล็อกฐานข้อมูลไว้ รอบนี้จะไม่ครบ / could not store {item.url}: "
                      f"the evidence store stayed locked by another process for {self.lock_wait:g} s; the run will "
                      "be incomplete", file=sys.stderr, flush=True)
            return item
        self.crawler.stats.inc_value(f"oit/{item.kind}s" if item.ok else "oit/failures")
        if not item.ok and item.error_kind in (FailureKind.TRAP_BOUND, FailureKind.LIMIT):
            self.crawler.stats.inc_value("oit/bounded")
        item.body = b""          # the bytes are stored as text; don't keep them in memory
        return item

    async def _store(self, item: ResourceItem) -> bool:
        """Write the record of `item`, with its group (False: the lock was not released in time, or the
        run stopped). An exception is this record's alone: the others of its group are stored."""
        extraction = getattr(item, "extraction", None)
        record = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in STORED_APART}
        links = extraction.links if extraction is not None and item.kind == "page" else None
        return await self._grouped_write(lambda: self.store.add_resource(
            self.run_id, record, extraction, links, EXTRACTOR_VERSION, getattr(item, "text_dates", None),
            links_from=getattr(item, "links_from", None)))

    def spider_closed(self, spider, reason):
        if self.run_id is None:
            return
        stats = {k.removeprefix("oit/"): v for k, v in self.crawler.stats.get_stats().items()
                 if k.startswith("oit/") or k.startswith("downloader/response_bytes")
                 or k in ("elapsed_time_seconds", "finish_reason")}
        stats["finish_reason"] = reason
        failure = self.crawler.stats.get_value(FAILED_STAT)
        if not failure:
            try:
                self._blocking(lambda: self.store.finish_run(self.run_id, complete=(reason == "finished"),
                                                             stats=stats))
                return
            except (sqlite3.DatabaseError, OSError) as exc:   # the disk filled at the very end
                if not is_storage_failure(exc):
                    raise
                failure = f"บันทึกฐานข้อมูลหลักฐานไม่ได้ / the evidence store could not be written: {describe(exc)}"
                self.crawler.stats.set_value(FAILED_STAT, failure)
        try:                 # one small write: the run is `failed`, with the reason
            self.store.fail_run(self.run_id, failure, stats)
            self.crawler.stats.set_value("oit/failure_recorded", True)
        except (sqlite3.DatabaseError, OSError) as exc:
            print(f"oit: บันทึกสถานะล้มเหลวของรอบ {self.run_id} ไม่ได้ ให้ถือว่ารอบนี้ล้มเหลว / run {self.run_id} could "
                  f"not be marked failed in the store either ({exc}); treat it as failed", file=sys.stderr, flush=True)


def write_group(store: Store, writes: list[Callable[[], None]]) -> list[Exception | None]:
    """Run `writes` in one transaction of `store`, each all or nothing: what each raised (None: stored).
    A storage failure or a lock is raised, for the whole group (the run stops, or waits for the lock).
    They run first without the savepoint each needs to be undone alone; should one fail (rare), the
    group is rolled back and run again, each write with its savepoint."""
    try:
        with store.grouped(undoable=False):
            for write in writes:
                try:
                    write()
                except Exception as exc:
                    if isinstance(exc, (sqlite3.DatabaseError, OSError)) and (
                            is_storage_failure(exc) or is_locked(exc)):
                        raise
                    raise _OneFailed from exc
        return [None] * len(writes)
    except _OneFailed:
        pass
    errors: list[Exception | None] = []
    with store.grouped():
        for write in writes:
            try:
                write()
                errors.append(None)
            except (sqlite3.DatabaseError, OSError) as exc:
                if is_storage_failure(exc) or is_locked(exc):
                    raise                # the whole group: stop the run, or wait for the lock
                errors.append(exc)
            except Exception as exc:     # one resource's bug is its own (StorePipeline records it)
                errors.append(exc)
    return errors


class _OneFailed(Exception):
    """A write of a group written without savepoints failed: the group is written again with them."""
