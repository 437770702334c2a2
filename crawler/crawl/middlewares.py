"""Middlewares: the crawl's limits, driven by settings, as Scrapy's own DepthMiddleware is.

CrawlLimits stands between the spider and the scheduler. Every request the spider makes for an
in-scope page (meta kind "page") is checked against the depth limit (OIT_MAX_DEPTH), the page budget
(OIT_MAX_PAGES), the shape of its URL (OIT_MAX_URL_LENGTH, repeated path segments) and the traps
found so far; a document or outside link against the document budget (OIT_MAX_DOCUMENTS, a site that
links 100,000 files); a request that is not sent becomes a record of its URL (error_kind "limit" or
"trap_bound") so that nothing is dropped silently and the audit knows what was not seen.

Traps are found by what answers, not by counting query strings: a document endpoint
(/download?id=N) may have thousands of variants and every one is a document. An HTML page reached
through a query string (?month=, ?page=, ?sort=) is *barren* when it leads nowhere its siblings did
not: every new link it has is another query variant of its own path. After OIT_TRAP_BARREN_PAGES
barren variants of one path, further variants of that path are bounded: the calendar's empty months,
pagination past the last page and sort orders repeat the same content.

RetryAfter (a downloader middleware in place of Scrapy's RetryMiddleware) honours Retry-After.

CallbackErrors turns an exception inside the spider's callback (a bug of ours, or a page our code cannot
read) into a record of that URL (error_kind "crawler_error") instead of a Scrapy stat and a log line: the
page counts as failed, and the audit knows the links on it were never read.

ShareHosts lets the tests stand in for Google Drive and OneDrive on loopback (setting OIT_SHARE_HOSTS).
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.crawl.items import ResourceItem
from crawler.evidence.failures import FailureKind
from crawler.text.urls import canonical, looks_like_trap

logger = logging.getLogger(__name__)


class CrawlLimits:
    def __init__(self, max_depth: int, max_pages: int, max_url_length: int, barren_pages: int, stats,
                 max_documents: int = 20_000):
        self.max_depth = max_depth
        self.max_pages = max_pages
        self.max_documents = max_documents
        self.documents_scheduled = 0
        self.max_url_length = max_url_length
        self.barren_pages = barren_pages
        self.stats = stats
        self.pages_scheduled = 0
        self.barren: Counter[str] = Counter()    # path -> query variants that led nowhere new

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        limits = cls(s.getint("OIT_MAX_DEPTH"), s.getint("OIT_MAX_PAGES"), s.getint("OIT_MAX_URL_LENGTH"),
                     s.getint("OIT_TRAP_BARREN_PAGES"), crawler.stats, s.getint("OIT_MAX_DOCUMENTS"))
        limits.crawler = crawler
        return limits

    @property
    def spider(self):
        crawler = getattr(self, "crawler", None)
        return crawler.spider if crawler is not None else None

    async def process_start(self, start):
        async for request in start:
            if request.meta.get("kind") == "page":
                self.pages_scheduled += 1
            yield request

    def process_spider_output(self, response, result):
        out = list(result)
        self._learn(response, out)
        for entry in out:
            if isinstance(entry, Request):
                bounded = self._bound(entry, response)
                yield bounded if bounded is not None else entry
            else:
                yield entry

    async def process_spider_output_async(self, response, result):
        out = [entry async for entry in result]
        for entry in self.process_spider_output(response, out):
            yield entry

    def _learn(self, response, out: list) -> None:
        """Count a page behind a query string that brought nothing but its own siblings; give the page
        budget back when a "page" request answered with a document (/download?id=N)."""
        meta = response.meta
        if meta.get("kind") != "page":
            return
        items = [e for e in out if isinstance(e, ResourceItem)]
        if items and items[0].kind != "page":
            self.pages_scheduled -= 1
            return
        parts = urlsplit(response.url)
        if not parts.query:
            return
        onward = [e for e in out if isinstance(e, Request) and urlsplit(e.url).path != parts.path]
        if not onward:
            self.barren[parts.path] += 1

    def _bound(self, request: Request, response) -> ResourceItem | None:
        """None to send the request, else the record of why it is not sent."""
        meta = request.meta
        if meta.get("kind") in ("document", "external"):
            return self._bound_document(request, response)
        if meta.get("kind") != "page":
            return None
        depth = meta.get("oit_depth", response.meta.get("oit_depth", 0) + 1)
        parts = urlsplit(request.url)
        why = looks_like_trap(request.url, self.max_url_length)
        kind = FailureKind.TRAP_BOUND
        if why is None and parts.query and self.barren[parts.path] >= self.barren_pages:
            why = (f"{self.barren[parts.path]} pages of {parts.path}?… led nowhere new "
                   f"(the same content repeats: calendar, pagination or sort order)")
        if why is None and depth > self.max_depth:
            why, kind = f"deeper than {self.max_depth} links from the start page", FailureKind.LIMIT
        if why is None and self.pages_scheduled >= self.max_pages:
            why, kind = f"page limit of {self.max_pages} reached", FailureKind.LIMIT
        if why is None:
            self.pages_scheduled += 1
            return None
        self.stats.inc_value(f"oit/{kind}")
        return ResourceItem(url=meta.get("oit_url", request.url), kind="page", ok=False, depth=depth,
                            referer=meta.get("referer"), error_kind=kind, error=why,
                            on_site=True, fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def _bound_document(self, request: Request, response) -> ResourceItem | None:
        if self.documents_scheduled < self.max_documents:
            self.documents_scheduled += 1
            return None
        self.stats.inc_value("oit/limit")
        meta = request.meta
        url = meta.get("oit_url", request.url)
        scope = getattr(self.spider, "scope", None)
        return ResourceItem(url=url, kind=meta["kind"], ok=False,
                            depth=meta.get("oit_depth", response.meta.get("oit_depth", 0) + 1),
                            referer=meta.get("referer"), error_kind=FailureKind.LIMIT,
                            error=f"document limit of {self.max_documents} reached",
                            on_site=bool(scope and scope.contains(url)), fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


class RetryAfter(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a 429/503 answer's Retry-After is honoured: the retry waits what
    the server asked, up to OIT_RETRY_AFTER_MAX seconds. A server that asks for longer is not
    retried; its answer is recorded as the failure it is (with the Retry-After it gave)."""

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.cap = crawler.settings.getfloat("OIT_RETRY_AFTER_MAX")
        return middleware

    async def process_response(self, request, response, spider=None):
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > self.cap:
                self.crawler.stats.inc_value("oit/retry_after_over_cap")
                return response
            if wait:
                self.crawler.stats.inc_value("oit/retry_after_waits")
                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return super().process_response(request, response)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None when absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class CallbackErrors:
    """The record of an answer the spider's callback failed on, in place of whatever the callback had
    still to yield. The spider yields a page's own record after everything that can fail (its links
    read), so this record is the URL's only one."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response, exception, spider=None):
        if isinstance(exception, (HttpError, IgnoreRequest)):     # Scrapy's own: the errback records them
            return None
        meta = response.meta
        url = canonical(meta.get("oit_url") or response.request.url)
        logger.error("the crawler failed on %s", response.url, exc_info=exception)
        self.crawler.stats.inc_value("oit/crawler_errors")
        scope = getattr(self.crawler.spider, "scope", None)
        return [ResourceItem(
            url=url, kind=meta.get("kind", "page"), ok=False, depth=meta.get("oit_depth", 0),
            referer=meta.get("referer"), status=response.status, error_kind=FailureKind.CRAWLER_ERROR,
            error=f"{type(exception).__name__}: {exception}"[:500], final_url=canonical(response.url),
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            on_site=scope.contains(url) if scope is not None else True)]


class ShareHosts:
    """Downloader middleware for tests only: a request for a host listed in OIT_SHARE_HOSTS (host -> base
    URL on loopback) is sent to the base instead, and the answer comes back under the real address, so
    the spider, the redirects to sign-in hosts and the records see Google's and Microsoft's own URLs
    while nothing leaves 127.0.0.1. It sits before the address policy, which checks the loopback
    address actually connected to. Off (NotConfigured) when the setting is empty."""

    def __init__(self, hosts: dict[str, str]):
        self.hosts = {host.lower(): base.rstrip("/") for host, base in hosts.items()}

    @classmethod
    def from_crawler(cls, crawler):
        hosts = crawler.settings.getdict("OIT_SHARE_HOSTS")
        if not hosts:
            raise NotConfigured
        return cls(hosts)

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        base = self.hosts.get((parts.hostname or "").lower())
        if base is None:
            return None
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        # A new request: Scrapy sends it through every downloader middleware again.
        return request.replace(url=base + rest, meta={**request.meta, "oit_share_host": parts.hostname},
                               dont_filter=True)

    def process_response(self, request, response, spider=None):
        for host, base in self.hosts.items():
            if response.url == base or response.url.startswith(base + "/") or response.url.startswith(base + "?"):
                return response.replace(url=f"https://{host}{response.url[len(base):]}")
        return response
