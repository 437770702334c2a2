"""Documents fetched as the extraction workers have room for them, not all at the end.

A crawl is breadth-first (the depth limit bounds what it should), and a district site's documents sit
one level below the pages that list them: fetched in that order, every page is read first with the
workers mostly idle (the crawl process is the busy one), then every document with the crawl process
mostly idle (the workers are). DocumentPacer keeps the document requests the spider makes and sends
them to the scheduler a few at a time, at the front of its queue, whenever fewer than
OIT_PACE_DOCUMENTS of them are on their way (downloading, extracted or stored): the pages go on being
read while the workers read the documents. Sending them all at once instead (a priority alone) fills
the scraper with documents waiting for a worker, and Scrapy then stops downloading pages too.

On the bench site (2 cores) the crawl took 21.2 s against 22.7 s unpaced (medians of 4 runs each, taken
in turn; per pair 0.89-0.98x), `make bench` 18.8-19.7 s against 20.9-22.2 s earlier that night. What
it fetches and stores is unchanged, only the order (tests/test_pacing.py; which variants of a trap are
fetched before it is bounded, and the depth a link is first met at, depend on that order, as they did
with 8 answers at once). The limit: 16 documents; 4 let too few through (24.2-24.8 s), 32 was no
faster and held more bodies (20.2-20.4 s, peak tree 303 MB against 297). With the workers niced
(OIT_EXTRACT_NICE, crawler/extraction/workers.py) it still pays: 0.88x wall, paced against not (4 pairs),
though the documents are then stored later. OIT_PACE_DOCUMENTS = 0 turns it off.

Nothing waits for ever: when the crawl has nothing else to do, the waiting documents are sent whatever
the count says, and a crawl closed early (its time limit, a full disk) counts those never sent in the
stat oit/documents_unsent, as Scrapy leaves the requests still in its scheduler.
"""
from __future__ import annotations

from collections import deque

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider

from crawler.text.urls import canonical

PRIORITY = 1000            # before any page: breadth-first makes page priorities 0 down to -depth
SETTING = "OIT_PACE_DOCUMENTS"


class DocumentPacer:
    """A spider middleware next to the engine (it sees the spider's requests after the limits have)."""

    def __init__(self, crawler, limit: int):
        self.crawler = crawler
        self.limit = limit
        self.waiting: deque[Request] = deque()
        self.on_their_way: set[str] = set()      # sent documents (URL as linked) whose item is not done
        if limit:
            for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
                crawler.signals.connect(self._item_done, signal)
            crawler.signals.connect(self._dropped, signals.request_dropped)
            crawler.signals.connect(self._idle, signals.spider_idle)
            crawler.signals.connect(self._closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, max(0, crawler.settings.getint(SETTING)))

    def process_spider_output(self, response, result):
        for entry in result:
            if self._paced(entry):
                self.waiting.append(entry)
            else:
                yield entry
        self._send()

    async def process_spider_output_async(self, response, result):
        async for entry in result:
            if self._paced(entry):
                self.waiting.append(entry)
            else:
                yield entry
        self._send()

    def _paced(self, entry) -> bool:
        # (a shared drive's file is left alone: its answer may be a listing of many items)
        return (self.limit > 0 and isinstance(entry, Request) and entry.meta.get("kind") == "document"
                and not entry.meta.get("oit_share"))

    def _send(self, at_least: int = 0) -> None:
        """Send waiting documents while fewer than the limit are on their way (and `at_least` anyway)."""
        engine = self.crawler.engine
        if engine is None or engine.spider is None:      # closed: _closed counts what still waits
            return
        while self.waiting and (len(self.on_their_way) < self.limit or at_least > 0):
            request = self.waiting.popleft()
            self.on_their_way.add(_key(request))
            at_least -= 1
            engine.crawl(request.replace(priority=PRIORITY))

    def _item_done(self, item, spider, **_) -> None:
        url = getattr(item, "url", None)
        if url in self.on_their_way:
            self.on_their_way.discard(url)
            self._send()

    def _dropped(self, request, spider) -> None:
        if request.meta.get("kind") == "document":
            self.on_their_way.discard(_key(request))

    def _idle(self, spider) -> None:
        """Nothing else to do: send the next documents whatever the count says (one never counted
        off, a request that made no item, must not hold the rest back)."""
        if self.waiting:
            self._send(at_least=self.limit)
            raise DontCloseSpider

    def _closed(self, spider, reason) -> None:
        if self.waiting:
            self.crawler.stats.set_value("oit/documents_unsent", len(self.waiting))
            self.waiting.clear()


def _key(request: Request) -> str:
    """The URL a document's item is recorded under (the spider's: the URL as linked, canonical)."""
    return canonical(request.meta.get("oit_url") or request.url)
