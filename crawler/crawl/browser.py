"""Browser mode (`--browser`, setting OIT_BROWSER): in-scope pages rendered by the system's Chromium.

Some agency sites write their ITA page's links from JavaScript (Next.js, Google Sites, a menu built
after load): a plain HTTP fetch sees an empty shell. In browser mode the spider marks its *page*
requests `playwright: True` and scrapy-playwright (the Scrapy ecosystem's integration) renders them in
headless Chromium; documents, outside links and robots.txt are still fetched by Scrapy's own handler.
Everything else is the same crawl: the downloader middlewares (address policy, robots.txt, retries,
the limits), AUTOTHROTTLE and concurrency, the evidence store.

Playwright drives the Chromium the system has (Debian's `chromium`, or $OIT_CHROMIUM): Playwright's
own browser download is not reachable from every machine. The page's own sub-requests (its scripts,
data fetches) are checked against the crawl's address policy (crawler/crawl/addresses.py) before the
browser sends them, and pictures, fonts, media and style sheets are not fetched at all: they build no
link, and a shared government server need not send them to a robot. The page URL itself passed the
policy in AddressGuard like any request. (Chromium resolves names itself: the check is on the answer
our resolver gives, the same one the connection gets unless the name's owner answers each differently.)
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from crawler.errors import InputError
from crawler.evidence.failures import FailureKind

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, quiet Chromium: without the background-networking flags it phones home at start (update
# checks, sync) and, on a closed network, its connections are refused.
CHROMIUM_FLAGS = ("--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-extensions")
INSTALL_COMMAND = "make install"
INSTALL_HINT = (f"ติดตั้งด้วย `{INSTALL_COMMAND}` (หรือ `pip install scrapy-playwright` และ "
                "`apt-get install chromium`) หรือกำหนด OIT_CHROMIUM=/ที่อยู่/ของ/chromium / install it with "
                f"`{INSTALL_COMMAND}` (or `pip install scrapy-playwright` and `apt-get install chromium`), "
                "or set OIT_CHROMIUM=/path/to/chromium")
# Resource types a page may load that never build a link (Playwright's request.resource_type).
SKIPPED_TYPES = frozenset({"image", "media", "font", "stylesheet", "texttrack", "manifest", "beacon", "ping"})
PAGE_HEAP_MB = 512        # JavaScript heap of the browser's pages
SETTLE_MS = 2000          # after "load", how long a page may go on fetching (its menu from an API) at most


class BrowserMissing(InputError):
    """Browser mode cannot run here: what is missing, and the command that installs it (exit 2)."""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def find_chromium(configured: str | None = None) -> str:
    """`configured` (setting OIT_CHROMIUM), else $OIT_CHROMIUM, else the first Chromium or Chrome on PATH."""
    configured = configured or os.environ.get("OIT_CHROMIUM")
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured
        raise BrowserMissing(f"OIT_CHROMIUM ชี้ไปที่ {configured} ซึ่งไม่ใช่โปรแกรมที่เรียกใช้ได้ "
                             f"(OIT_CHROMIUM is not an executable)", hint=INSTALL_HINT)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing("ไม่พบ Chromium (Chromium not found)", hint=INSTALL_HINT)


def chromium_args() -> list[str]:
    # Chromium refuses to start its sandbox as root (containers, CI).
    return (["--no-sandbox"] if is_root() else []) + list(CHROMIUM_FLAGS)


def check_browser(configured: str | None = None) -> str:
    """Browser mode can run: scrapy-playwright is installed and Chromium starts. Returns Chromium's
    path, or BrowserMissing saying in Thai (English beside) what to install."""
    what = "ใช้โหมดเบราว์เซอร์ (--browser) ไม่ได้ / browser mode (--browser) cannot run"
    try:
        import scrapy_playwright  # noqa: F401  (an optional part: installed by `make install`)
    except ImportError:
        raise BrowserMissing(f"{what}: ไม่ได้ติดตั้ง scrapy-playwright (scrapy-playwright is not installed)",
                             hint=INSTALL_HINT) from None
    try:
        chromium = find_chromium(configured)
    except BrowserMissing as exc:
        raise BrowserMissing(f"{what}: {exc.message}", hint=INSTALL_HINT) from None
    try:
        done = subprocess.run([chromium, *chromium_args(), "--headless", "--version"], capture_output=True,
                              text=True, timeout=30)
        why = None if done.returncode == 0 else f"exit {done.returncode}: {(done.stderr or '').strip()[-200:]}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        why = str(exc)
    if why:
        raise BrowserMissing(f"{what}: Chromium ที่ {chromium} เริ่มทำงานไม่ได้ (Chromium does not start: {why})",
                             hint=INSTALL_HINT)
    return chromium


def browser_settings(chromium: str, download_timeout: float) -> dict:
    """The Scrapy settings of browser mode: scrapy-playwright's handler for http(s) (it passes every
    request not marked `playwright` to Scrapy's own handler), on the asyncio reactor it needs."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        # A hostile page's scripts get a bounded heap; a small /dev/shm (containers) does not crash tabs.
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": chromium, "headless": True, "timeout": 60_000,
                                      "args": [*chromium_args(), "--disable-dev-shm-usage",
                                               f"--js-flags=--max-old-space-size={PAGE_HEAP_MB}"]},
        # A page's service worker could fetch past the route below: none is registered.
        "PLAYWRIGHT_CONTEXTS": {"default": {"service_workers": "block", "java_script_enabled": True}},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(download_timeout * 1000),
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.crawl.browser.refuse_subrequest",   # the backstop of guard_page
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
    }


# Added to DOWNLOADER_MIDDLEWARES in browser mode: its process_exception runs before every other's.
MIDDLEWARE = ("crawler.crawl.browser.BrowserRedirects", 950)


def page_meta() -> dict:
    """Request meta that sends a page through the browser. The HTTP cache keeps raw answers: a rendered
    page is not stored in it, nor revalidated from it (a 304 would hand the browser nothing to run)."""
    return {"playwright": True, "dont_cache": True,
            "playwright_page_init_callback": "crawler.crawl.browser.guard_page",
            "playwright_page_methods": [_settle_method()]}


def _settle_method():
    from scrapy_playwright.page import PageMethod
    return PageMethod(settle)


async def settle(page) -> None:
    """Let a page that builds its links after "load" (from an API, a timer) finish, within SETTLE_MS:
    a page that never stops fetching (a live ticker) is read as it stands then."""
    try:
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except Exception:           # playwright's TimeoutError: read the page as it is
        pass


# -- the address policy inside the browser ---------------------------------------------------------

async def refusal(url: str, resource_type: str = "document") -> tuple[str, str] | None:
    """(Playwright abort code, why) when a request of a rendered page must not be sent, else None."""
    from crawler.crawl.addresses import BlockedAddress, GuardedResolver, parse_address
    if resource_type in SKIPPED_TYPES:
        return "aborted", f"{resource_type}: not needed to read the page's links"
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return None
    if parts.scheme not in ("http", "https"):
        return "blockedbyclient", f"{parts.scheme}: URL"
    policy = GuardedResolver.policy
    if policy is None:                  # the crawl's policy is not settled: nothing leaves
        return "blockedbyclient", "the address policy is not settled yet"
    if policy.allow_private:
        return None
    host = parts.hostname or ""
    ip = parse_address(host)
    if ip is None:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.error import DNSLookupError
        try:
            ip = parse_address(await maybe_deferred_to_future(reactor.resolve(host)))
        except BlockedAddress as exc:
            return "blockedbyclient", str(exc)
        except DNSLookupError:
            return "namenotresolved", f"{host}: no such name"
    why = policy.refusal(ip) if ip is not None else f"{host}: not an address"
    return ("blockedbyclient", why) if why else None


async def refuse_subrequest(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: scrapy-playwright's own check of every request a page makes."""
    return await refusal(request.url, request.resource_type) is not None


async def guard_page(page, request) -> None:
    """Every request the page makes (its navigation, scripts, data fetches, frames) is checked first: a
    refused one is aborted with a code the spider records (net::ERR_BLOCKED_BY_CLIENT: blocked).

    Chromium follows a redirect without asking the route again, so a navigation is fetched here with
    redirects off and handed to the browser only when it is not a redirect. A redirect of the page is
    given back to Scrapy (BrowserRedirects below): its RedirectMiddleware makes the next request, which
    passes the address policy and comes back through here. A frame's redirect is not followed."""
    user_agent = request.headers.get("User-Agent")

    async def guard(route, pw_request):
        refused = await refusal(pw_request.url, pw_request.resource_type)
        if refused:
            await route.abort(refused[0])
            return
        if not pw_request.is_navigation_request():
            await route.fallback()          # on to scrapy-playwright's own handler (headers, method)
            return
        headers = await pw_request.all_headers()
        if user_agent:
            headers["user-agent"] = user_agent.decode("latin-1")
        try:
            answer = await route.fetch(headers=headers, max_redirects=0)
        except Exception as exc:            # the fetch's own network error: the navigation fails with it
            await route.abort(_abort_code(str(exc)))
            return
        if 300 <= answer.status < 400 and "location" in answer.headers:
            if pw_request.frame.parent_frame is None:
                request.meta[REDIRECT_META] = (answer.status, answer.headers["location"])
            await route.abort("blockedbyclient")
            return
        await route.fulfill(response=answer)
    await page.route("**", guard)


REDIRECT_META = "oit_browser_redirect"


class BrowserRedirects:
    """Downloader middleware of browser mode: a page the browser was redirected from becomes the
    redirect answer it was, for Scrapy's RedirectMiddleware (hop count, loops, the policy on the next hop)."""

    def process_exception(self, request, exception, spider=None):
        redirect = request.meta.pop(REDIRECT_META, None)
        if redirect is None:
            return None
        from scrapy.http import Response
        status, location = redirect
        return Response(request.url, status=status, headers={"Location": location}, request=request)


def _abort_code(message: str) -> str:
    """The Playwright abort code of a failed fetch, so the navigation fails as the fetch did."""
    lowered = message.lower()
    for word, code in (("econnrefused", "connectionrefused"), ("enotfound", "namenotresolved"),
                       ("eai_again", "namenotresolved"), ("timeout", "timedout"), ("econnreset", "connectionreset")):
        if word in lowered:
            return code
    return "failed"


# -- failures --------------------------------------------------------------------------------------

# Chromium's net errors (and Playwright's time-out) as the crawl's failure kinds.
_NET_ERRORS = (
    ("ERR_BLOCKED_BY_CLIENT", FailureKind.BLOCKED),
    ("ERR_NAME_NOT_RESOLVED", FailureKind.DNS), ("ERR_NAME_RESOLUTION_FAILED", FailureKind.DNS),
    ("ERR_CONNECTION_TIMED_OUT", FailureKind.TIMEOUT), ("ERR_TIMED_OUT", FailureKind.TIMEOUT),
    ("ERR_TOO_MANY_REDIRECTS", FailureKind.REDIRECT_LOOP),
    ("ERR_CERT_", FailureKind.TLS), ("ERR_SSL_", FailureKind.TLS),
    ("ERR_CONNECTION_", FailureKind.CONNECTION), ("ERR_ADDRESS_UNREACHABLE", FailureKind.CONNECTION),
    ("ERR_EMPTY_RESPONSE", FailureKind.CONNECTION), ("ERR_INTERNET_DISCONNECTED", FailureKind.CONNECTION),
    ("ERR_FILE_TOO_BIG", FailureKind.TOO_LARGE),
)


def browser_failure_kind(error: BaseException) -> FailureKind | None:
    """The failure kind of an error Playwright raised while rendering a page; None when it is not one."""
    if not type(error).__module__.startswith("playwright"):
        return None
    message = str(error)
    if type(error).__name__ == "TimeoutError" or "Timeout " in message and "exceeded" in message:
        return FailureKind.TIMEOUT
    for code, kind in _NET_ERRORS:
        if f"net::{code}" in message:
            return kind
    return FailureKind.ERROR
