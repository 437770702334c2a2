"""Live crawl progress: a redrawn line on a terminal, plain periodic log lines otherwise (cron, CI)."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task


class Progress:
    def __init__(self, crawler, stream=None):
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        s = crawler.settings
        self.interval = s.getfloat("OIT_PROGRESS_INTERVAL" if self.tty else "OIT_PROGRESS_LOG_INTERVAL")
        self.enabled = s.getbool("OIT_PROGRESS", True)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.opened, signals.spider_opened)
        crawler.signals.connect(self.closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def line(self) -> str:
        stats = self.crawler.stats
        pages = stats.get_value("oit/pages", 0)
        docs = stats.get_value("oit/documents", 0) + stats.get_value("oit/externals", 0)
        errors = stats.get_value("oit/failures", 0)
        elapsed = time.monotonic() - self.started
        rate = (pages + docs) / elapsed if elapsed > 0 else 0.0
        return (f"หน้าเว็บ/pages {pages}  เอกสาร/documents {docs}  ข้อผิดพลาด/errors {errors}  "
                f"{rate:.1f}/s  {int(elapsed // 60):02d}:{int(elapsed % 60):02d}")

    def tick(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write("progress: " + self.line() + "\n")
        self.stream.flush()

    def opened(self, spider):
        if not self.enabled:
            return
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
            self.tick()
            if self.tty:
                self.stream.write("\n")
