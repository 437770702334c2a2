"""Stop a crawl when the disk or the evidence store fails under it (issue 14).

A full disk, a file-size limit or a store file that became corrupt mid-crawl cannot be waited out:
every further fetch would be lost. The first such error closes the spider with the reason "run_failed",
the way Scrapy's own CloseSpider extension does; StorePipeline then marks the run `failed` with the
reason and the command line says what to do (crawler.errors.RunFailed, EXIT_RUN_FAILED).
"""
from __future__ import annotations

import sys

FAILED_REASON = "run_failed"          # the spider's close reason
STAT = "oit/failed_reason"            # the first failure, in words


def describe(exc: BaseException) -> str:
    """The error as the user should read it (the store's or the operating system's words)."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    where = getattr(exc, "filename", None)
    return f"{text} ({where})" if where else text


def stop_run(crawler, exc: BaseException, what: str) -> None:
    """Record the first storage failure and close the spider; later ones only add to the count."""
    crawler.stats.inc_value("oit/storage_errors")
    if crawler.stats.get_value(STAT):
        return
    reason = f"{what}: {describe(exc)}"
    crawler.stats.set_value(STAT, reason)
    print(f"oit: บันทึกข้อมูลไม่ได้ จึงหยุดการเก็บข้อมูล / {reason}; stopping the crawl", file=sys.stderr, flush=True)
    spider = getattr(crawler, "spider", None)
    if spider is not None and crawler.engine is not None:
        crawler.engine.close_spider(spider, FAILED_REASON)


def stopped(crawler) -> bool:
    return bool(crawler.stats.get_value(STAT))
