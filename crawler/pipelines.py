"""Pipelines: bytes -> extracted, normalised evidence -> the SQLite evidence store.

ExtractionPipeline turns a fetched body into an Extraction (text, title, tables, links, text layer)
and finds its dates; documents whose content hash was already extracted by this extractor version
are not extracted again (weekly re-crawls). StorePipeline writes each resource in its own
transaction and closes the run as complete or incomplete.
"""
from __future__ import annotations

import hashlib
from dataclasses import fields
from urllib.parse import unquote, urlsplit

from scrapy import signals

from crawler import __version__
from crawler.dates import find_dates
from crawler.extraction import extract
from crawler.items import ResourceItem
from crawler.store import Store
from crawler.thai import normalize

# Bump when extraction output changes: stored texts of an older version are re-extracted.
EXTRACTOR_VERSION = f"oit-extract/{__version__}/1"
MAX_DATES_PER_SOURCE = 200
STORED_APART = ("body", "charset")


def store_for(crawler) -> Store:
    """The one Store of a crawl, shared by the pipelines and the CLI."""
    store = getattr(crawler, "oit_store", None)
    if store is None:
        store = crawler.oit_store = Store(crawler.settings.get("OIT_DB"))
    return store


def dates_found(text: str, source: str) -> list[dict]:
    found = []
    for hit in find_dates(text)[:MAX_DATES_PER_SOURCE]:
        found.append({
            "fiscal_year": hit.fiscal_year, "source": source, "match": hit.match, "kind": hit.kind,
            "start": hit.start.isoformat() if hit.start else None,
            "end": hit.end.isoformat() if hit.end else None,
            "confidence": hit.confidence,
        })
    return found


class ExtractionPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: ResourceItem):
        item.filename = normalize(item.filename) if item.filename else ""
        item.extraction = None
        item.text_dates = None
        # Dates a resource carries in its name: file name, else the URL path ("/ITA/2568/O5/").
        own = dates_found(item.filename, "filename") if item.filename else []
        if not own:
            own = [d for d in dates_found(normalize(_url_path(item.url)), "url") if d["kind"] != "day"]
        item.dates = own
        if not item.ok or not item.body:
            return item
        item.sha256 = hashlib.sha256(item.body).hexdigest()
        item.size = len(item.body)
        looks_html = item.content_type.startswith("text/html") or item.kind == "page"
        if not looks_html and store_for(self.crawler).known_text(item.sha256, EXTRACTOR_VERSION):
            self.crawler.stats.inc_value("oit/extraction_reused")
            return item
        extraction = extract(item.body, content_type=item.content_type or None,
                             filename=item.filename or None, url=item.final_url or item.url)
        self.crawler.stats.inc_value("oit/extracted")
        item.extraction = extraction
        item.text_dates = (dates_found(extraction.title, "title")
                           + dates_found(extraction.text, "text"))
        if extraction.error:
            self.crawler.stats.inc_value("oit/extraction_errors")
        return item


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        settings = {k: self.crawler.settings.get(k) for k in (
            "OIT_MAX_PAGES", "OIT_MAX_DEPTH", "DOWNLOAD_MAXSIZE", "CLOSESPIDER_TIMEOUT",
            "OIT_MAX_QUERY_VARIANTS", "USER_AGENT", "ROBOTSTXT_OBEY")}
        self.run_id = self.store.start_run(spider.start_url, settings, __version__)
        self.crawler.stats.set_value("oit/run_id", self.run_id)

    def process_item(self, item: ResourceItem):
        extraction = getattr(item, "extraction", None)
        record = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in STORED_APART}
        links = extraction.links if extraction is not None and item.kind == "page" else None
        self.store.add_resource(self.run_id, record, extraction, links, EXTRACTOR_VERSION,
                                item.text_dates)
        self.crawler.stats.inc_value(f"oit/{item.kind}s" if item.ok else "oit/failures")
        if not item.ok and item.error_kind in ("trap_bound", "limit"):
            self.crawler.stats.inc_value("oit/bounded")
        item.body = b""          # the bytes are stored as text; don't keep them in memory
        return item

    def spider_closed(self, spider, reason):
        if self.run_id is None:
            return
        stats = {k.removeprefix("oit/"): v for k, v in self.crawler.stats.get_stats().items()
                 if k.startswith("oit/") or k.startswith("downloader/response_bytes")
                 or k in ("elapsed_time_seconds", "finish_reason")}
        stats["finish_reason"] = reason
        self.store.finish_run(self.run_id, complete=(reason == "finished"), stats=stats)


def _url_path(url: str) -> str:
    return unquote(urlsplit(url).path)
