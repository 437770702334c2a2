"""What a crawl really moved over the network: the stat `oit/received_bytes`.

Scrapy's `downloader/response_bytes` is counted after the HTTP cache middleware has swapped a 304 for
the cached copy, so an unchanged weekly re-crawl looks as heavy as the first. This extension counts the
bytes as the download handler receives them (body as sent, still compressed, plus the header lines),
which is what a weekly re-crawl costs the district's server.
"""
from __future__ import annotations

from scrapy import signals

STATUS_LINE = len(b"HTTP/1.1 200 OK\r\n")


class TransferStats:
    def __init__(self, crawler):
        self.stats = crawler.stats
        crawler.signals.connect(self.headers_received, signals.headers_received)
        crawler.signals.connect(self.bytes_received, signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def headers_received(self, headers, body_length, request, spider):
        size = STATUS_LINE + 2 + sum(len(k) + 4 + len(v) for k, values in headers.items() for v in values)
        self.stats.inc_value("oit/received_bytes", size)

    def bytes_received(self, data, request, spider):
        self.stats.inc_value("oit/received_bytes", len(data))
