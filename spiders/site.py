"""The `site` spider: crawl one district website, fetch every document it links to.

It only decides what to fetch and what to follow. In-scope HTML pages (same host, the site's path
prefix) are crawled; every other link target (documents elsewhere on the host, BMA central pages,
cloud drives, e-service systems) is fetched one hop and never followed. Every failure becomes a
record for its URL; extraction and storage happen in the pipelines.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import islice
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectError, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)

from crawler.crawl.addresses import BlockedRequest
from crawler.crawl.items import ResourceItem
from crawler.evidence.failures import FailureKind
from crawler.text.urls import (DOCUMENT_EXTENSIONS, SKIP_EXTENSIONS, Scope, canonical, extension,
                          filename_from_disposition, filename_from_url, looks_like_trap)

HTML_TYPES = ("text/html", "application/xhtml+xml")
LINK_XPATH = "//a/@href | //area/@href | //iframe/@src | //frame/@src | //embed/@src"
HTML_SPACE = " \t\n\r\f"


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1")


def is_html(response: Response) -> bool:
    ctype = (_header(response, "Content-Type") or "").lower()
    if ctype:
        return ctype.startswith(HTML_TYPES)
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, url: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the site spider needs a start URL: -a url=https://…/district/")
        self.start_url = canonical(url)
        self.scope = Scope.from_start_url(self.start_url)
        self.pages_scheduled = 0
        self.documents_scheduled = 0
        self.seen: set[str] = set()      # canonical URLs already requested or recorded as bounded
        self.query_variants: dict[str, set[str]] = defaultdict(set)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_pages = s.getint("OIT_MAX_PAGES")
        spider.max_depth = s.getint("OIT_MAX_DEPTH", s.getint("DEPTH_LIMIT"))
        spider.max_query_variants = s.getint("OIT_MAX_QUERY_VARIANTS")
        spider.max_url_length = s.getint("OIT_MAX_URL_LENGTH")
        spider.max_links = s.getint("OIT_MAX_LINKS_PER_PAGE")
        spider.max_documents = s.getint("OIT_MAX_DOCUMENTS")
        return spider

    async def start(self):
        self.pages_scheduled = 1
        self.seen.add(self.start_url)
        yield self._request(self.start_url, kind="page", depth=0, referer=None)

    # -- deciding what to fetch -------------------------------------------------------------------

    def _request(self, url: str, kind: str, depth: int, referer: str | None) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse, errback=self.failed, dont_filter=False,
            meta={"kind": kind, "oit_depth": depth, "referer": referer, "handle_httpstatus_list": [304]},
            headers={"Referer": referer} if referer else None,
        )

    def _limit_record(self, url: str, kind: str, depth: int, referer: str, error_kind: str,
                      why: str) -> ResourceItem:
        return ResourceItem(url=url, kind=kind, ok=False, depth=depth, referer=referer,
                            error_kind=error_kind, error=why, on_site=self.scope.contains(url),
                            fetched_at=_now())

    def follow(self, response: Response, depth: int):
        """Requests (and limit records) for the links of an in-scope page."""
        links = list(islice(self.link_targets(response), self.max_links + 1))
        if len(links) > self.max_links:      # a hostile page with 100,000 links: the rest is not read
            self.crawler.stats.inc_value("oit/links_capped")
            yield self._limit_record(links.pop(), "page", depth + 1, response.url, "limit",
                                     f"more than {self.max_links} links on {response.url}: the rest not followed")
        for url in links:
            if url in self.seen:         # menus repeat on every page: one URL is one resource
                continue
            self.seen.add(url)
            in_scope = self.scope.contains(url)
            ext = extension(url)
            if in_scope and ext not in DOCUMENT_EXTENSIONS:
                trap = looks_like_trap(url, self.max_url_length)
                parts = urlsplit(url)
                if parts.query and trap is None:
                    variants = self.query_variants[parts.path]
                    if parts.query not in variants and len(variants) >= self.max_query_variants:
                        trap = f"more than {self.max_query_variants} query-string variants of {parts.path}"
                    variants.add(parts.query)
                if trap:
                    yield self._limit_record(url, "page", depth + 1, response.url, "trap_bound", trap)
                    continue
                if depth + 1 > self.max_depth:
                    yield self._limit_record(url, "page", depth + 1, response.url, "limit",
                                             f"deeper than {self.max_depth} links from the start page")
                    continue
                if self.pages_scheduled >= self.max_pages:
                    yield self._limit_record(url, "page", depth + 1, response.url, "limit",
                                             f"page limit of {self.max_pages} reached")
                    continue
                self.pages_scheduled += 1
                yield self._request(url, "page", depth + 1, response.url)
            else:
                # Documents anywhere, and any page outside the site: one hop, never followed.
                kind = "document" if ext in DOCUMENT_EXTENSIONS else "external"
                if self.documents_scheduled >= self.max_documents:
                    yield self._limit_record(url, kind, depth + 1, response.url, "limit",
                                             f"document limit of {self.max_documents} reached")
                    continue
                self.documents_scheduled += 1
                yield self._request(url, kind, depth + 1, response.url)

    @staticmethod
    def link_targets(response: Response):
        """Canonical http(s) targets of a page's links, frames and embeds, in page order, each once.
        (Scrapy's LinkExtractor does the same with more per-link work; a district menu repeats
        dozens of links on every page.)"""
        if not isinstance(response, TextResponse):       # HTML served without a usable type
            response = HtmlResponse(response.url, body=response.body, headers=response.headers)
        done: set[str] = set()
        for href in response.xpath(LINK_XPATH).getall():
            href = href.strip(HTML_SPACE)
            if not href or href.startswith("#"):
                continue
            try:
                url = canonical(response.urljoin(href))
            except ValueError:           # a malformed address on a hostile page: not a link
                continue
            if url in done or urlsplit(url).scheme not in ("http", "https") or extension(url) in SKIP_EXTENSIONS:
                continue
            done.add(url)
            yield url

    # -- handling answers -------------------------------------------------------------------------

    def parse(self, response: Response):
        meta = response.meta
        kind, depth = meta["kind"], meta["oit_depth"]
        html = is_html(response)
        url = canonical(response.request.url)
        if kind == "page" and not html:
            kind = "document"        # /download?id=123 turned out to be a file
        ctype = _header(response, "Content-Type") or ""
        charset = None
        if "charset=" in ctype.lower():
            charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip().strip('"')
        filename = (filename_from_disposition(response.headers.get("Content-Disposition"))
                    or filename_from_url(response.url))
        item = ResourceItem(
            url=url, kind=kind, ok=True, final_url=canonical(response.url), depth=depth,
            referer=meta.get("referer"), status=response.status, content_type=ctype.split(";")[0].strip(),
            charset=charset, filename=filename, last_modified=_header(response, "Last-Modified"),
            etag=_header(response, "ETag"), fetched_at=_now(), body=response.body,
            from_cache="cached" in response.flags or response.status == 304,
            on_site=self.scope.contains(url),
        )
        yield item
        if kind == "page" and html and self.scope.contains(response.url):
            yield from self.follow(response, depth)

    def failed(self, failure):
        request = failure.request
        meta = request.meta
        status, kind, message = None, FailureKind.ERROR, str(failure.value) or failure.type.__name__
        if failure.check(HttpError):
            status = failure.value.response.status
            kind = FailureKind.of_http_status(status)
            message = f"HTTP {status}"
        elif failure.check(BlockedRequest):
            kind = FailureKind.BLOCKED
        elif failure.check(IgnoreRequest):
            kind = (FailureKind.ROBOTS if "robots" in message.lower() else     # download_maxsize: a gzip bomb
                    FailureKind.TOO_LARGE if "download_maxsize" in message.lower() else FailureKind.IGNORED)
        elif failure.check(DNSLookupError, CannotResolveHostError):
            kind = FailureKind.DNS
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            kind = FailureKind.TIMEOUT
        elif failure.check(ConnectionRefusedError, DownloadConnectionRefusedError, ConnectError):
            kind = FailureKind.CONNECTION
        elif failure.check(DownloadCancelledError) or "max size" in message.lower():
            kind = FailureKind.TOO_LARGE
        elif "ssl" in message.lower() or "certificate" in message.lower() or "tls" in message.lower():
            kind = FailureKind.TLS
        elif "cancel" in failure.type.__name__.lower():
            kind = FailureKind.TOO_LARGE if "size" in message.lower() else FailureKind.CANCELLED
        url = canonical(request.url)
        yield ResourceItem(
            url=url, kind=meta.get("kind", "page"), ok=False, depth=meta.get("oit_depth", 0),
            referer=meta.get("referer"), status=status, error_kind=kind, error=message[:500],
            fetched_at=_now(), on_site=self.scope.contains(url),
        )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
