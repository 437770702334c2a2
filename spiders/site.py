"""The `site` spider: crawl one district website, fetch every document it links to.

It only decides what to fetch and what to follow. In-scope HTML pages (same host, the site's path
prefix) are crawled; every other link target (documents elsewhere on the host, BMA central pages,
cloud drives, e-service systems) is fetched one hop and never followed. Whatever answers with a file
is a document, wherever it sits (/download?id=N, a drive's uc?export=download). Every failure becomes
a record for its URL (the URL as linked, whatever it redirected to); extraction and storage happen in
the pipelines, the depth, page and trap limits in crawler/crawl/middlewares.py. A page is read once:
its callback awaits the extraction pipeline and follows the links the extraction read (page_links).

The site's scope (crawler.text.urls.Scope) comes from the start URL (host and first path segment) or
--scope, is printed at the start, and is settled when the start page answers: it follows a redirect
(http -> https, / -> /Home) and widens to the host when the start page's links mostly leave it.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from functools import lru_cache
from itertools import islice
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url
from twisted.internet.error import (ConnectError, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)

from crawler.crawl.addresses import BlockedRequest
from crawler.crawl.browser import browser_failure_kind, page_meta
from crawler.crawl.items import ResourceItem
from crawler.crawl.shares import (MAX_FOLDER_DEPTH, MAX_FOLDER_ENTRIES, Share, confirm_url, is_share_host,
                                  is_sign_in, share_of)
from crawler.evidence.failures import FailureKind
from crawler.evidence.walls import wall_kind
from crawler.text.urls import (DOCUMENT_EXTENSIONS, SKIP_EXTENSIONS, Scope, canonical, extension,
                          filename_from_disposition, filename_from_url)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# The attributes that are a page's links, by tag: //a/@href | //area/@href | //iframe/@src | …
LINK_ATTRIBUTES = {"a": "href", "area": "href", "iframe": "src", "frame": "src", "embed": "src"}
HTML_SPACE = " \t\n\r\f"
REMEMBERED_HREF_CHARS = 1000     # longer link attributes are resolved every time, never remembered


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1")


def _wall(response: Response) -> FailureKind | None:
    """The bot or login wall this answer is (crawler/evidence/walls.py), if any."""
    headers = {k.decode("latin-1").lower(): (v[0].decode("latin-1") if v else "")
               for k, v in response.headers.items()}
    body = response.body[:20000].decode(getattr(response, "encoding", None) or "utf-8", "replace")
    return wall_kind(response.status, headers, body, response.url)


def is_html(response: Response) -> bool:
    ctype = (_header(response, "Content-Type") or "").lower()
    if ctype:
        return ctype.startswith(HTML_TYPES)
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, url: str | None = None, scope: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the site spider needs a start URL: -a url=https://…/district/")
        self.start_url = canonical(url)
        # --scope fixes the site; otherwise it is derived from the start URL and, once the start page
        # answers, from where it led and what it links to.
        self.scope_given = bool(scope)
        self.scope = Scope.from_prefix(self.start_url, scope) if scope else Scope.from_start_url(self.start_url)
        self.seen: set[str] = set()      # canonical URLs already requested or recorded as bounded
        self.listed: list[str] = []       # the URL list of `oit audit --urls` (setting OIT_URL_LIST)
        self.browser_meta: dict = {}       # --browser: the meta that sends a page through Chromium

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_links = crawler.settings.getint("OIT_MAX_LINKS_PER_PAGE")
        if crawler.settings.getbool("OIT_BROWSER"):      # --browser: pages rendered by Chromium
            spider.browser_meta = page_meta()
        return spider

    async def start(self):
        # `oit audit --urls`: every listed URL is a start, its links fetched one hop and never followed.
        self.listed = [url for _, url in self.settings.getlist("OIT_URL_LIST")]
        if self.listed:
            self.scope_given = True          # the list, not the start page, says what is looked at
            _say(f"ตรวจจากรายการ URL/auditing a URL list: {len(self.listed)} URLs")
        else:
            _say(f"ขอบเขตการเก็บข้อมูล/scope: {self.scope}" + (" (--scope)" if self.scope_given else ""))
        for url in [self.start_url, *self.listed]:
            if url not in self.seen:
                self.seen.add(url)
                share = share_of(url) if self.listed or url != self.start_url else None
                yield (self._share_request(url, share, 0, None) if share else
                       self._request(url, kind="page", depth=0, referer=None))

    # -- deciding what to fetch -------------------------------------------------------------------

    def _request(self, url: str, kind: str, depth: int, referer: str | None) -> scrapy.Request:
        # oit_url: the URL as linked; a redirect changes request.url, the record keeps the link's URL.
        # In browser mode only pages go through Chromium: documents and outside links are fetched directly.
        browser = self.browser_meta if kind == "page" else {}
        return scrapy.Request(
            # dont_filter: `seen` already sends each URL once; the dupefilter would drop the second
            # leg of a redirect loop silently instead of letting it fail as one.
            url, callback=self.parse, errback=self.failed, dont_filter=True,
            meta={"kind": kind, "oit_depth": depth, "oit_url": url, "referer": referer,
                  "handle_httpstatus_list": [304], **browser},
            headers={"Referer": referer} if referer else None,
        )

    def _share_request(self, url: str, share: Share, depth: int, referer: str | None,
                       level: int = 0) -> scrapy.Request:
        """A Google Drive / OneDrive link: its file (or folder listing) is fetched, the record keeps the
        link as linked (crawler/crawl/shares.py). A folder's listing is a page: its links are stored."""
        request = self._request(url, "page" if share.folder else "document", depth, referer)
        # robots.txt rules crawling a drive, which this never does: the file the district published is
        # fetched once, as the assessor's click on the link opens it (folders: one level, capped).
        request.meta.update(oit_share="folder" if share.folder else "file", oit_share_level=level,
                            dont_obey_robotstxt=True)
        return request.replace(url=share.fetch_url)

    def follow(self, response: Response, depth: int, targets):
        """Requests for the links of an in-scope page, `targets` (page_links); the CrawlLimits
        middleware bounds them."""
        links = list(islice(targets, self.max_links + 1))
        if len(links) > self.max_links:      # a hostile page with 100,000 links: the rest is not read
            self.crawler.stats.inc_value("oit/links_capped")
            url = links.pop()
            yield ResourceItem(url=url, kind="page", ok=False, depth=depth + 1, referer=response.url,
                               error_kind=FailureKind.LIMIT, on_site=self.scope.contains(url), fetched_at=_now(),
                               error=f"more than {self.max_links} links on {response.url}: the rest not followed")
        for url in links:
            if url in self.seen:         # menus repeat on every page: one URL is one resource
                continue
            self.seen.add(url)
            share = share_of(url)
            if share is not None:
                yield self._share_request(url, share, depth + 1, response.url)
                continue
            ext = extension(url)
            if self.scope.contains(url) and ext not in DOCUMENT_EXTENSIONS and not self.listed:
                yield self._request(url, "page", depth + 1, response.url)
            else:
                # Documents anywhere, and any page outside the site: one hop, never followed.
                kind = "document" if ext in DOCUMENT_EXTENSIONS else "external"
                yield self._request(url, kind, depth + 1, response.url)

    def _settle_scope(self, response: Response) -> None:
        """The start page answered: follow its redirect (http -> https, / -> /Home) and widen a
        first-segment scope to the whole host when the page's own links mostly leave it
        (a site whose home is /Home and whose pages are /page/…)."""
        if self.scope_given:
            return
        before = self.scope
        self.scope = self.scope.moved_to(canonical(response.url))
        if self.scope.prefix != "/" and is_html(response):
            same_host = [u for u in self.link_targets(response) if self.scope.same_host(u)]
            inside = sum(1 for u in same_host if self.scope.contains(u))
            if same_host and inside * 2 < len(same_host):
                self.scope = self.scope.widened()
        if self.scope != before:
            _say(f"ขอบเขตการเก็บข้อมูล/scope: {self.scope} (ตามหน้าแรก/from the start page {response.url})")

    @staticmethod
    def link_targets(response: Response):
        """Canonical http(s) targets of a page's links, frames and embeds, in page order, each once.
        (Scrapy's LinkExtractor does the same with more per-link work; a district menu repeats
        dozens of links on every page.)"""
        if not isinstance(response, TextResponse):       # HTML served without a usable type
            response = HtmlResponse(response.url, body=response.body, headers=response.headers)
        done: set[str] = set()
        base = get_base_url(response)                  # the page's URL, or its <base href>
        parts = urlsplit(base)
        origin = f"{parts.scheme}://{parts.netloc}/"
        for href in _LinkAttributes.of(response.text):
            href = href.strip(HTML_SPACE)
            if not href or href.startswith("#"):
                continue
            # A menu's links, the same on every page, are resolved once: an absolute one for the
            # crawl, a root-relative one per host (crawler.extraction.html._absolute does the same).
            if len(href) > REMEMBERED_HREF_CHARS:
                url = _target(base, href)
            elif href.startswith(("http://", "https://")) or (href.startswith("/") and not href.startswith("//")):
                url = _remembered_target(origin, href)
            else:
                url = _target(base, href)
            if url is None or url in done:
                continue
            done.add(url)
            yield url

    # -- handling answers -------------------------------------------------------------------------

    async def parse(self, response: Response):
        meta = response.meta
        kind, depth = meta["kind"], meta["oit_depth"]
        html = is_html(response)
        url = canonical(meta.get("oit_url") or response.request.url)
        if depth == 0 and url == self.start_url:
            self._settle_scope(response)
        if meta.get("oit_share"):
            shared = self.shared(response, url, html)
            if shared is not None:
                for entry in shared:
                    yield entry
                return
        if not html:
            kind = "document"        # /download?id=123 or a drive's uc?export=download turned out a file
        wall = _wall(response) if html else None
        # A login page counts as a wall only where the site's own pages send there: an e-service
        # link that opens its sign-in form is the service working.
        if wall is FailureKind.BOT_WALL or (wall is FailureKind.LOGIN_WALL and self.scope.contains(url)):
            yield ResourceItem(
                url=url, kind=kind, ok=False, depth=depth, referer=meta.get("referer"), status=response.status,
                error_kind=wall, error=f"HTTP {response.status} {wall.value} at {response.url}"[:500],
                final_url=canonical(response.url), fetched_at=_now(), on_site=self.scope.contains(url))
            return
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
        # The links are read before the page's record is yielded: should reading them fail, the page's
        # only record is the crawler_error the CallbackErrors middleware makes of it.
        onward = []
        if kind == "page" and html and (self.scope.contains(canonical(response.url)) or self.listed):
            onward = list(self.follow(response, depth, await self.page_links(response, item)))
        yield item
        for entry in onward:
            yield entry

    async def page_links(self, response: Response, item: ResourceItem):
        """The targets of an in-scope page's links (as link_targets gives them). The page is read once:
        the extraction pipeline extracts it now, in a worker, instead of after this callback, and its
        links are the extraction's, or for an unchanged page of a re-crawl the stored ones (issue 16).
        Read here, on the crawl's busy thread, only when those are not known (ExtractionPipeline.
        link_targets) or in a crawl without the pipeline."""
        pipeline = getattr(self.crawler, "oit_extraction", None)
        if pipeline is not None:
            await pipeline.prepare(item)
            targets = pipeline.link_targets(item)
            if targets is not None:
                return _followed(targets)
        return self.link_targets(response)

    def shared(self, response: Response, url: str, html: bool):
        """The answer to a share link where it is not an ordinary file: a sign-in page (not public),
        Google's virus-scan page (followed once) or a folder listing (its files fetched). None: the
        answer is the file, handled as any other."""
        meta = response.meta
        if is_sign_in(response.url):
            return [self._not_public(response, url, f"HTTP {response.status}: sign-in page at {response.url}")]
        if not html:
            return None
        if meta["oit_share"] == "file":
            if meta.get("oit_confirmed"):       # one more hop at most: the answer now is what it is
                return None
            body = response.body[:200_000].decode(getattr(response, "encoding", None) or "utf-8", "replace")
            # Google's virus-scan page's "Download anyway", or the Docs editor a Drive id led to (its export).
            editor = share_of(canonical(response.url))
            onward = confirm_url(body, response.url) or (
                editor.fetch_url if editor and not editor.folder and editor.fetch_url != canonical(response.url) else None)
            if onward is None:
                return None
            return [response.request.replace(url=onward, meta={**meta, "oit_confirmed": True})]
        if share_of(url).provider == "microsoft":
            # Microsoft lists a shared folder's files only to a signed-in app (the shares API needs a
            # token; the folder's page is a script): the files are unseen, said so, never "missing".
            return [ResourceItem(
                url=url, kind="page", ok=False, depth=meta["oit_depth"], referer=meta.get("referer"),
                status=response.status, error_kind=FailureKind.FOLDER_UNLISTED, final_url=canonical(response.url),
                error="a OneDrive/SharePoint folder: its files cannot be listed without signing in",
                fetched_at=_now(), on_site=False)]
        return self.follow_folder(response, url)

    def follow_folder(self, response: Response, url: str) -> list:
        """A shared folder's listing: each file one hop and each sub-folder down to MAX_FOLDER_DEPTH, at most
        MAX_FOLDER_ENTRIES of them, after the record of the folder (a page, so its entries are stored as
        its links). As in parse(), the entries are read before the record is made."""
        meta = response.meta
        depth, level = meta["oit_depth"], meta.get("oit_share_level", 0)
        onward: list = []
        for target in self.link_targets(response):
            share = share_of(target)
            if share is None or target in self.seen or target == url or (share.folder and level >= MAX_FOLDER_DEPTH):
                continue
            self.seen.add(target)
            if len(onward) >= MAX_FOLDER_ENTRIES:
                self.crawler.stats.inc_value("oit/limit")
                onward.append(ResourceItem(
                    url=target, kind="document", ok=False, depth=depth + 1, referer=url, error_kind=FailureKind.LIMIT,
                    on_site=False, fetched_at=_now(),
                    error=f"more than {MAX_FOLDER_ENTRIES} entries in the shared folder {url}: the rest not fetched"))
                break
            onward.append(self._share_request(target, share, depth + 1, url, level + (1 if share.folder else 0)))
        folder = ResourceItem(
            url=url, kind="page", ok=True, final_url=canonical(response.url), depth=depth,
            referer=meta.get("referer"), status=response.status, content_type="text/html",
            filename="", fetched_at=_now(), body=response.body, on_site=False,
            from_cache="cached" in response.flags or response.status == 304)
        return [folder, *onward]

    def _not_public(self, response: Response, url: str, message: str) -> ResourceItem:
        meta = response.meta
        self.crawler.stats.inc_value("oit/not_public")
        return ResourceItem(url=url, kind=meta["kind"], ok=False, depth=meta["oit_depth"],
                            referer=meta.get("referer"), status=response.status, error_kind=FailureKind.NOT_PUBLIC,
                            error=message[:500], final_url=canonical(response.url), fetched_at=_now(),
                            on_site=False)

    def failed(self, failure):
        request = failure.request
        meta = request.meta
        status, kind, message = None, FailureKind.ERROR, str(failure.value) or failure.type.__name__
        if failure.check(HttpError):
            status = failure.value.response.status
            kind = _wall(failure.value.response) or FailureKind.of_http_status(status)
            if meta.get("oit_share") and status in (401, 403) and is_share_host(failure.value.response.url):
                kind = FailureKind.NOT_PUBLIC    # the drive refuses an anonymous reader: the share is private
            named = (FailureKind.BOT_WALL, FailureKind.LOGIN_WALL, FailureKind.NOT_PUBLIC)
            message = f"HTTP {status}" + (f" ({kind.value})" if kind in named else "")
            wait = _header(failure.value.response, "Retry-After")
            if wait:
                message += f" (Retry-After: {wait}; not retried beyond the cap)"
        elif failure.check(BlockedRequest):
            kind = FailureKind.BLOCKED
        elif self.browser_meta and browser_failure_kind(failure.value):
            kind = browser_failure_kind(failure.value)     # Chromium's net::ERR_… or a render time-out
        elif failure.check(IgnoreRequest):
            lowered = message.lower()
            kind = (FailureKind.ROBOTS if "robots" in lowered else
                    FailureKind.TOO_LARGE if "download_maxsize" in lowered else       # a gzip bomb
                    FailureKind.REDIRECT_LOOP if "redirect" in lowered else FailureKind.IGNORED)
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
        url = canonical(meta.get("oit_url") or request.url)
        yield ResourceItem(
            url=url, kind=meta.get("kind", "page"), ok=False, depth=meta.get("oit_depth", 0),
            referer=meta.get("referer"), status=status, error_kind=kind, error=message[:500],
            final_url=canonical(request.url), fetched_at=_now(), on_site=self.scope.contains(url),
        )


def _say(message: str) -> None:
    print(f"oit: {message}", file=sys.stderr, flush=True)


def _target(base: str, href: str) -> str | None:
    """The canonical http(s) URL a link attribute points to from `base`; None: not one to fetch."""
    try:
        url = canonical(urljoin(base, href))
    except ValueError:           # a malformed address on a hostile page: not a link
        return None
    if urlsplit(url).scheme not in ("http", "https") or extension(url) in SKIP_EXTENSIONS:
        return None
    return url


_remembered_target = lru_cache(maxsize=4096)(_target)


def _followed(targets):
    """link_targets' answer from the targets of a page's extracted links (crawler.extraction.html:
    canonical, in page order): the http(s) ones not skipped by their extension, each once."""
    done: set[str] = set()
    for url in targets:
        if url in done or not url.startswith(("http://", "https://")) or extension(url) in SKIP_EXTENSIONS:
            continue
        done.add(url)
        yield url


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _LinkAttributes:
    """lxml's HTML parser with this as its target: the link attributes of a page in document order,
    read as the parser meets each start tag, with no tree built. A tree of a hostile page of 100,000
    links took ~46 MB and parsel's selectors over it ~33 MB more (the crawl process's peak on the
    hostile site); nor is one kept while the page waits for a worker (response.selector would be)."""

    def __init__(self):
        self.found: list[str] = []

    def start(self, tag, attrib) -> None:
        name = LINK_ATTRIBUTES.get(tag)
        if name is not None:
            value = attrib.get(name)
            if value is not None:
                self.found.append(value)

    # (no end, data or comment methods: lxml then makes no call for those events)

    def close(self) -> list[str]:
        return self.found

    @classmethod
    def of(cls, text: str) -> list[str]:
        """The link attributes of an HTML text (parsel's way in: UTF-8, NULs dropped, recovering)."""
        body = text.strip().replace("\x00", "").encode("utf-8")
        if not body:
            return []
        target = cls()
        parser = etree.HTMLParser(target=target, encoding="utf-8", recover=True, huge_tree=True)
        try:
            parser.feed(body)
            return parser.close()
        except etree.LxmlError:           # what could be read before the parser gave up
            return target.found
