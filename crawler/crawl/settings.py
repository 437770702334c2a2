"""Scrapy settings of the OIT crawler. Polite by default; every limit is a setting."""
from crawler import __version__

BOT_NAME = "oit-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Names the project and its purpose; `--contact` adds who runs it (user_agent below), so a site's
# administrator who sees it behind a bot wall knows whom to ask and what to allow.
USER_AGENT = f"oit-crawler/{__version__} (ITA/OIT transparency self-audit of a Thai public agency website)"


def user_agent(contact: str | None) -> str:
    """The User-Agent naming the project and, when given, a contact (a URL, or an e-mail as mailto:)."""
    if not contact:
        return USER_AGENT
    if "@" in contact and not contact.startswith(("http://", "https://", "mailto:")):
        contact = f"mailto:{contact}"
    return f"{USER_AGENT[:-1]}; +{contact})"


def extensions_base(scrapy_base: dict) -> dict:
    """Scrapy's EXTENSIONS_BASE without the extensions a crawl must not even import (see
    REMOTE_CONTROL_ENABLED below). They are named here, not in a capitalised constant, which Scrapy
    would take for a setting one could change."""
    unwanted = {"scrapy.extensions.remote_control.RemoteControl"}
    return {name: order for name, order in scrapy_base.items() if name not in unwanted}


ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.crawl.robots.RobotParser"   # Protego, asked of Thai URLs more cheaply

# Politeness: a government web server is shared with citizens.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Outputs of one answer handled at once. Scrapy starts this many asyncio tasks for every answer, however
# few its outputs (a page: one record and its new links): 100, the default, cost ~1 CPU s of the crawl
# process per 2,000 answers, 16 a quarter of that; only a page's own record waits on a worker.
CONCURRENT_ITEMS = 16
# Scrapy checks a generator callback for `return value` by reading and parsing its source; its cache is
# keyed weakly by the bound method, made anew for every request, so the check ran on every answer
# (~1.4 ms each; the bench crawl, 2,663 answers: 0.8-1.3 CPU s and 0.7-1.2 s wall less without it).
# Our callbacks return no value: tests/test_crawler_errors.py checks that the way Scrapy would.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 10               # more is a loop: recorded as redirect_loop

# Limits (sane defaults; the CLI can change them).
OIT_MAX_PAGES = 3000                  # in-scope HTML pages crawled
OIT_MAX_DEPTH = 8                     # links from the start page
OIT_URL_LIST: list = []               # `oit audit --urls`: [item or None, URL] pairs, each a start, one hop deep
DEPTH_LIMIT = 0                       # Scrapy's own depth limit would drop URLs silently
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024   # a larger document is recorded as too_large
DOWNLOAD_WARNSIZE = 0
CLOSESPIDER_TIMEOUT = 3 * 3600        # seconds for the whole crawl
OIT_TRAP_BARREN_PAGES = 5             # query variants of one page path that led nowhere new: a trap
OIT_MAX_URL_LENGTH = 1000
OIT_MAX_LINKS_PER_PAGE = 5000         # links read from one page; more are recorded once as a limit
OIT_MAX_DOCUMENTS = 20000             # documents and outside links fetched per run; more are limit records

# Browser mode (`--browser`, crawler/crawl/browser.py): in-scope pages rendered by Chromium through
# scrapy-playwright, so that links a script writes are followed; documents are fetched as always.
OIT_BROWSER = False
OIT_CHROMIUM = ""                     # Chromium's path; "" = $OIT_CHROMIUM, else chromium on PATH

# Evidence store.
OIT_DB = "oit-evidence.sqlite"
OIT_STORE_LOCK_WAIT = 120             # seconds a write waits for another process's lock, then gives up (said)

# OCR of scanned documents (crawler/extraction/ocr.py): Tesseract with its Thai model. Without it the
# crawl still completes; scans stay unread and the audit marks what depends on them "review".
OIT_OCR_ENABLED = True
OIT_OCR_TESSERACT = "tesseract"       # command or path of the tesseract program
OIT_OCR_MAX_PAGES = 20                # pages read per document; the rest are skipped ("capped")
OIT_OCR_MAX_MEGAPIXELS = 80           # rendered pixels per document (20 A4 pages at 200 dpi); also "capped"
OIT_OCR_TIMEOUT = 900                 # seconds per document: a safety net only; its hit drops the OCR ("review")
OIT_OCR_WORKERS = 0                   # Tesseract processes at once; 0 = one per CPU
OIT_OCR_DPI = 200                     # rendering resolution of PDF pages

# Weekly re-crawls: conditional requests against a cache kept beside the evidence store
# (OIT_DB + ".httpcache"), so an unchanged site transfers almost nothing. See crawler/crawl/httpcache.py.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.crawl.httpcache.RevalidatingPolicy"
HTTPCACHE_STORAGE = "crawler.crawl.httpcache.SQLiteCacheStorage"    # one row per response, none on a 304
HTTPCACHE_ALWAYS_STORE = True
HTTPCACHE_GZIP = False               # (our SQLite storage ignores it; Scrapy's gzip level 9 on every PDF cost ~9 % of a crawl)
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 400, 401, 403, 404, 410, 429, 500, 502, 503, 504]

# Address policy (crawler/crawl/addresses.py): a public site leads only to public addresses.
OIT_ALLOW_PRIVATE = False             # --allow-private: no address is refused
OIT_PUBLIC_NETWORKS = []              # networks counted as public (tests: a "public" site on 127.0.0.2)
TWISTED_DNS_RESOLVER = "crawler.crawl.addresses.GuardedResolver"

# Depth, page and document budgets, traps (crawler/crawl/middlewares.py), as Scrapy's DepthMiddleware does depth.
SPIDER_MIDDLEWARES = {
    "crawler.crawl.pacing.DocumentPacer": 10,      # next to the engine: after the limits (crawler/crawl/pacing.py)
    "crawler.crawl.middlewares.CrawlLimits": 900,
    "crawler.crawl.middlewares.CallbackErrors": 950,    # next to the spider: its exceptions come here first
}
# One dict for every downloader middleware we change (a second DOWNLOADER_MIDDLEWARES would replace this).
DOWNLOADER_MIDDLEWARES = {
    "crawler.crawl.middlewares.ShareHosts": 40,     # tests only (OIT_SHARE_HOSTS): before the address policy
    "crawler.crawl.addresses.AddressGuard": 50,     # before robots.txt, retries, redirects, the cache
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.crawl.middlewares.RetryAfter": 550,    # Retry-After honoured within a cap
    # The HTTP cache, without serving a cached copy when a download fails (crawler/crawl/httpcache.py).
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "crawler.crawl.httpcache.ObservingCacheMiddleware": 900,
}
# Tests stand in for Google Drive and OneDrive: {"drive.google.com": "http://127.0.0.2:PORT/drive.google.com", …}
# sends each request for a listed host to the loopback base instead (crawler/crawl/middlewares.py).
# Empty (always, outside the tests): the middleware is off.
OIT_SHARE_HOSTS: dict = {}
OIT_PACE_DOCUMENTS = 16               # documents on their way at once; 0: all as found (crawler/crawl/pacing.py)
OIT_RETRY_AFTER_MAX = 60              # seconds a 429/503 Retry-After may make a retry wait
ITEM_PIPELINES = {
    "crawler.crawl.pipelines.ExtractionPipeline": 300,
    "crawler.crawl.pipelines.StorePipeline": 800,
}
EXTENSIONS = {
    "crawler.crawl.progress.Progress": 500,
    # Bytes that really crossed the network (a 304 re-crawl costs headers only): oit/received_bytes.
    "crawler.crawl.transfer.TransferStats": 510,
}
# Scrapy 2.19 starts, in every crawl, an HTTP server on localhost that runs the Python code sent to
# it, its token in a file written to the user's profile folder (~/.local/state/scrapy/job_files: one
# per crawl, left there by every killed one). A crawler agencies schedule every week runs none: it is
# switched off here and left out of Scrapy's own list of extensions (extensions_base), since Scrapy
# imports every class either list names, a switched-off one too, and that one imports aiohttp (+10 MB
# in the crawl process and ~0.1 s of its start; issue 16).
REMOTE_CONTROL_ENABLED = False
OIT_PROGRESS_INTERVAL = 1.0           # seconds between progress updates on a terminal
OIT_PROGRESS_LOG_INTERVAL = 30.0      # seconds between plain log lines when not on a terminal

# Keep Scrapy's own log quiet; our progress line and summary speak to the user.
LOG_LEVEL = "WARNING"
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"

# Breadth-first: a URL is first met by its shortest path, so the depth limit bounds what it should.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
