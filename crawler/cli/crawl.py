"""`oit crawl` and `oit runs`, and the crawl itself (one Scrapy process run) that `oit audit` uses too."""
from __future__ import annotations

import sys
from pathlib import Path

from crawler.cli.checks import check_store
from crawler.cli.options import HINT_PREFIX, add_crawl_options, crawl_settings, note
from crawler.errors import EXIT_OK, EXIT_UNHEALTHY, HINT_URL, InputError, RunFailed
from crawler.evidence.store import Store
from crawler.history.runs import print_runs, run_summaries
from crawler.text.sanitize import clean_text
from crawler.text.urls import check_url


UNREACHABLE_HINT = ("ตรวจที่อยู่ให้ถูก เปิดในเบราว์เซอร์ดูว่าเว็บไซต์ใช้งานได้ แล้วลองอีกครั้ง / check the address, "
                    "open it in a browser to see the site is up, then try again")
UNREADABLE_HINT = ("เปิดหน้าแรกในเบราว์เซอร์ดูว่าแสดงผลได้หรือไม่ และตรวจไฟล์ด้วย oit inspect ที่อยู่หน้าแรก / open the "
                   "start page in a browser to see whether it shows, and look at it with oit inspect URL")


def register(sub) -> None:
    p = sub.add_parser("crawl", help="เก็บข้อมูลเว็บไซต์สำนักงานเขตลงฐานข้อมูลหลักฐาน / crawl a district website into the evidence store")
    p.add_argument("url", help="ที่อยู่หน้าแรกของเว็บไซต์ / the site's start URL")
    add_crawl_options(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("runs", help="รายการรอบการเก็บข้อมูลที่บันทึกไว้ / list stored runs")
    p.add_argument("--site", help="เฉพาะรอบของเว็บไซต์นี้ / only runs of this start URL")
    p.set_defaults(func=cmd_runs)


def crawl(url: str, db: Path, *, max_pages: int | None = None, max_depth: int | None = None,
          settings: dict | None = None, scope: str | None = None) -> int:
    """Crawl a site into the evidence store; returns the run id. `scope`: the site's path prefix
    (default: from the start URL and where its start page leads)."""
    from scrapy.crawler import CrawlerProcess      # Scrapy and Twisted load only when a crawl runs
    from scrapy.settings import Settings

    from crawler.crawl.settings import extensions_base
    from spiders.site import SiteSpider

    store = Store(db)                   # an unwritable store fails here, before any fetch
    try:
        store.check_writable()
    finally:
        store.close()
    s = Settings()
    s.setmodule("crawler.crawl.settings", priority="project")
    s.set("EXTENSIONS_BASE", extensions_base(s.getdict("EXTENSIONS_BASE")), priority="project")
    s.set("OIT_DB", str(db), priority="cmdline")
    s.set("HTTPCACHE_DIR", str(Path(db).resolve()) + ".httpcache", priority="cmdline")
    if max_pages is not None:
        s.set("OIT_MAX_PAGES", max_pages, priority="cmdline")
    if max_depth is not None:
        s.set("OIT_MAX_DEPTH", max_depth, priority="cmdline")
    for key, value in (settings or {}).items():
        s.set(key, value, priority="cmdline")
    if s.getbool("OIT_BROWSER"):
        from crawler.crawl.browser import MIDDLEWARE, browser_settings, check_browser
        chromium = s.get("OIT_CHROMIUM") or check_browser()      # BrowserMissing: exit 2, before any fetch
        for key, value in browser_settings(chromium, s.getfloat("DOWNLOAD_TIMEOUT")).items():
            s.set(key, value, priority="cmdline")
        # By name: a helper that loads the classes would import the reactor before CrawlerProcess picks it.
        s["DOWNLOADER_MIDDLEWARES"].set(*MIDDLEWARE, priority="cmdline")
    s.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(s)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, url=url, scope=scope)
    process.start()
    run_id = crawler.stats.get_value("oit/run_id")
    if run_id is None:
        raise InputError("การเก็บข้อมูลไม่ได้เริ่ม (ดูข้อความด้านบน) / the crawl did not start (see the messages above)",
                         hint=HINT_URL)
    store = getattr(crawler, "oit_store", None)
    if store is not None:
        store.close()
    failure = crawler.stats.get_value("oit/failed_reason")
    if failure:
        raise RunFailed(failure, int(run_id), recorded=bool(crawler.stats.get_value("oit/failure_recorded")))
    return int(run_id)


def start_failure(store: Store, run_id: int) -> str | None:
    """Why the start page could not be fetched or read, or None."""
    run = store.run(run_id)
    start = store.db.execute("SELECT ok, error_kind, error FROM resources WHERE run_id=? AND url=?",
                             (run_id, run["site_url"])).fetchone()
    if start is None:
        return "ไม่ได้เปิดหน้าแรกเลย / the start page was never fetched"
    if not start["ok"]:
        return f"{start['error_kind']}: {start['error']}"
    return None


def start_problem(store: Store, run_id: int, url: str) -> tuple[str, str] | None:
    """What to tell the user when the start page failed: (the problem, the hint). A page that answered
    but could not be read (kind broken_*: empty, mojibake, an extractor that crashed) is not a site
    that could not be reached."""
    why = start_failure(store, run_id)
    if why is None:
        return None
    url = clean_text(url)
    if why.startswith("broken_"):
        return (f"อ่านหน้าแรกไม่ได้ / the start page answered but could not be read: {url}: {clean_text(why)}",
                UNREADABLE_HINT)
    return f"เปิดเว็บไซต์ไม่ได้ / cannot reach {url}: {clean_text(why)}", UNREACHABLE_HINT


def cmd_crawl(args) -> int:
    url = check_url(args.url)
    if url != args.url.strip():
        note(f"ใช้ที่อยู่ / using {url}")
    settings = crawl_settings(args)
    check_store(args.db)              # a damaged or unwritable store is found now, not after the crawl
    run_id = crawl(url, args.db, max_pages=args.max_pages, max_depth=args.max_depth, settings=settings,
                   scope=args.scope)
    store = Store(args.db)
    counts = store.counts(run_id)
    run = store.run(run_id)
    print(f"รอบ {run_id} ({run['status']}): {counts['pages']} หน้า, เอกสาร {counts['documents']} ไฟล์, "
          f"ผิดพลาด {counts['errors']} รายการ — เก็บใน {args.db} / run {run_id} ({run['status']}): {counts['pages']} "
          f"pages, {counts['documents']} documents, {counts['errors']} errors — stored in {args.db}")
    problem = start_problem(store, run_id, url)
    if problem:
        message, hint = problem
        print(f"oit: {message}", file=sys.stderr)
        print(f"oit: {HINT_PREFIX}{hint}", file=sys.stderr)
        return EXIT_UNHEALTHY
    return EXIT_OK


def cmd_runs(args) -> int:
    summaries = run_summaries(Store.existing(args.db), args.site)
    if not summaries:
        print(f"ยังไม่มีรอบการเก็บข้อมูลใน {args.db} — เริ่มด้วย oit crawl URL / no runs stored in {args.db}; "
              "start with: oit crawl URL")
        return EXIT_OK
    print_runs(summaries, sys.stdout)     # with each run's fiscal year, score and health (latest audit)
    return EXIT_OK
