"""The HTTP cache of weekly re-crawls (crawler/crawl/httpcache.py): it saves bytes, it never hides
that a site is down."""
from __future__ import annotations

from crawler.evidence.store import Store
from weekly_sites import FAST, Served, oit


def test_a_site_that_is_down_is_recorded_down_not_answered_from_the_cache(make_site, tmp_path):
    server = Served(make_site("samphanthawong_2567", oversized_bytes=0))
    url = server.start_url
    try:
        first = oit("--db", "e.sqlite", "crawl", url, *FAST, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
    finally:
        server.stop()
    oit("--db", "e.sqlite", "crawl", url, *FAST, cwd=tmp_path)     # the server is gone: refused
    store = Store(tmp_path / "e.sqlite")
    assert store.counts(1)["pages"] > 20 and (tmp_path / "e.sqlite.httpcache").is_dir()
    counts = store.counts(2)
    # Scrapy's cache middleware would answer every refused connection with last week's copy.
    assert counts["pages"] == counts["documents"] == counts["from_cache"] == 0 and counts["errors"] >= 1
    assert {f["error_kind"] for f in store.failures(2)} == {"connection"}
